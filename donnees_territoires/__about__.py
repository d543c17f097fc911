"""The plugin's identity, read once from metadata.txt: title, version, URLs, paths."""

from __future__ import annotations

import configparser
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_plugin_root() -> Path:
    """Folder that holds metadata.txt and resources/.

    Installed from the zip, that is the package folder itself; in a git checkout, the
    package folder's parent.
    """
    for candidate in (PACKAGE_DIR, PACKAGE_DIR.parent):
        if (candidate / "metadata.txt").is_file():
            return candidate
    raise FileNotFoundError(f"metadata.txt introuvable à côté de {PACKAGE_DIR}")


PLUGIN_ROOT = _find_plugin_root()
RESOURCES_DIR = PLUGIN_ROOT / "resources"
I18N_DIR = PLUGIN_ROOT / "i18n"


def read_metadata(path: Path | None = None) -> dict[str, str]:
    """The [general] section of metadata.txt as a plain dict."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep keys such as qgisMinimumVersion as written
    parser.read(path or PLUGIN_ROOT / "metadata.txt", encoding="utf-8")
    return dict(parser["general"])


_META = read_metadata()

__title__ = _META["name"]
__version__ = _META["version"]
__author__ = _META["author"]
__email__ = _META["email"]
__uri_homepage__ = _META["homepage"]
__uri_repository__ = _META["repository"]
__uri_tracker__ = _META["tracker"]
__icon_path__ = PLUGIN_ROOT / _META["icon"]
__qgis_min__ = _META["qgisMinimumVersion"]
__qgis_max__ = _META["qgisMaximumVersion"]

PLUGIN_ID = "donnees_territoires"
