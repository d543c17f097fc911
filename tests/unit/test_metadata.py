"""metadata.txt follows the plugins.qgis.org rules, checked without QGIS."""

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["name", "qgisMinimumVersion", "qgisMaximumVersion", "description", "about", "version",
            "author", "email", "tracker", "repository", "homepage", "tags", "hasProcessingProvider",
            "icon", "experimental", "changelog"]


@pytest.fixture(scope="module")
def meta():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    assert parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_required_keys_present_and_not_empty(meta):
    missing = [key for key in REQUIRED if not meta.get(key, "").strip()]
    assert missing == []


def test_version_is_semver(meta):
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", meta["version"])


def test_qgis_range(meta):
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["qgisMaximumVersion"] == "4.99"


def test_no_obsolete_keys(meta):
    assert "supportsQt6" not in meta


def test_processing_provider_declared(meta):
    assert meta["hasProcessingProvider"] == "yes"


def test_about_is_french_then_english(meta):
    about = meta["about"]
    english = about.find("English")
    assert english > 200, "le texte français doit venir d'abord"
    assert "territoire" in about[:english]
    assert "territory" in about[english:]


def test_urls_are_https(meta):
    for key in ("tracker", "repository", "homepage"):
        assert meta[key].startswith("https://"), key


def test_icon_and_license_exist(meta):
    assert (ROOT / meta["icon"]).is_file()
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Version 2" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_changelogs_mention_current_version(meta):
    assert meta["version"] in meta["changelog"]
    assert f"## [{meta['version']}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_about_module_reads_the_same_version(meta):
    from donnees_territoires import __about__

    assert __about__.__version__ == meta["version"]
    assert __about__.__title__ == meta["name"] == "Données et territoires"
