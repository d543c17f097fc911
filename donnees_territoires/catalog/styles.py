"""Where a dataset's QML style is, and whether a style or a style reference is safe to use."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin, urlsplit

from ..__about__ import RESOURCES_DIR
from ..toolbelt.i18n import tr
from .model import CatalogSource, StyleRef

STYLES_DIR = RESOURCES_DIR / "styles"

#: a relative style reference: plain path segments, no drive, scheme, backslash or parent step
_RELATIVE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.qml$")


class StyleRefusedError(ValueError):
    """A style reference a catalog may not use; the message is a French phrase about field « style »."""


def default_style_path(theme: str, dataset_id: str, styles_dir: Path = STYLES_DIR) -> Path:
    return styles_dir / theme / f"{dataset_id}.qml"


def builtin_style(theme: str, dataset_id: str, styles_dir: Path = STYLES_DIR) -> Optional[StyleRef]:
    """The style shipped with the plugin for this dataset, if there is one."""
    path = default_style_path(theme, dataset_id, styles_dir)
    return StyleRef(path=path) if path.is_file() else None


def resolve_style(reference: str, origin: CatalogSource) -> StyleRef:
    """The style a catalog entry names, or StyleRefusedError.

    An https URL is taken as is. Anything else must be a .qml path relative to the catalog and
    stay beside it: no absolute path, no `..`, no `file:` or other scheme, no backslash, and no
    symbolic link leading out of the catalog's folder. For a catalog read from a URL, a relative
    path becomes a URL in the catalog's folder.
    """
    text = reference.strip()
    scheme = urlsplit(text).scheme.lower()
    if scheme == "https":
        if not urlsplit(text).hostname:
            raise StyleRefusedError(_outside(reference))
        return StyleRef(url=text)
    if scheme == "http":
        raise StyleRefusedError(tr("le style « {style} » doit être servi en https://").format(style=reference))
    if not _RELATIVE.match(text) or any(part in (".", "..") for part in text.split("/")):
        raise StyleRefusedError(_outside(reference))
    if origin.kind == "url":
        base = origin.location
        url = urljoin(base, text)
        folder = base.rsplit("/", 1)[0] + "/"
        if not url.startswith(folder) or posixpath.normpath(urlsplit(url).path) != urlsplit(url).path:
            raise StyleRefusedError(_outside(reference))
        return StyleRef(url=url)
    if origin.kind not in ("file", "builtin") or not origin.location:
        raise StyleRefusedError(tr("le style « {style} » est relatif, mais ce catalogue n'a pas de dossier : "
                                   "indiquez une adresse https://").format(style=reference))
    folder = Path(origin.location).resolve().parent
    path = (folder / text).resolve()
    try:
        path.relative_to(folder)
    except ValueError:
        raise StyleRefusedError(_outside(reference)) from None
    return StyleRef(path=path)


def _outside(reference: str) -> str:
    return tr("le style « {style} » sort du dossier du catalogue : indiquez une adresse https:// "
              "ou un fichier .qml placé à côté du catalogue").format(style=reference)


def style_problems(qml_text: str) -> list[str]:
    """Why a QML style must not be applied as is (empty: it only describes how to draw).

    A QML can carry more than symbology: layer actions (shell or Python commands run on a click)
    and Python form init code (run when a form opens). A style from a catalog never may.
    Whoever applies a style should still restrict the categories it loads to symbology,
    labels and rendering.
    """
    try:
        root = ET.fromstring(qml_text)
    except ET.ParseError as error:
        return [tr("fichier QML illisible ({error})").format(error=error)]
    problems = []
    if root.tag != "qgis":
        problems.append(tr("ce fichier n'est pas un style QGIS (élément racine « {tag} »)").format(tag=root.tag))
    if root.find(".//attributeactions/actionsetting") is not None:
        problems.append(tr("le style déclare des actions (commandes exécutables)"))
    # QGIS writes a commented template into editforminitcode: only its source (0: none) says it runs
    source = root.find(".//editforminitcodesource")
    if source is not None and (source.text or "0").strip() not in ("", "0"):
        problems.append(tr("le style active du code Python d'initialisation de formulaire"))
    return problems
