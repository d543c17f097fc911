"""The zip the Plugin Manager receives, and the profile install of `make install`."""

import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import package_plugin  # noqa: E402
import translations  # noqa: E402


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    if not list((ROOT / "i18n").glob("*.qm")):
        translations.compile_qm()
    return package_plugin.build_zip(tmp_path_factory.mktemp("dist"))


def test_zip_name_carries_the_version(archive):
    assert archive.name == f"donnees_territoires-{package_plugin.version()}.zip"


def test_zip_has_one_top_folder_with_what_the_plugin_manager_needs(archive):
    names = zipfile.ZipFile(archive).namelist()
    assert {n.split("/")[0] for n in names} == {"donnees_territoires"}
    for required in ("metadata.txt", "LICENSE", "__init__.py", "plugin.py", "__about__.py",
                     "resources/icons/donnees_territoires.svg", "i18n/donnees_territoires_en.qm"):
        assert f"donnees_territoires/{required}" in names, required


def test_zip_carries_no_tests_caches_or_sources_of_translations(archive):
    names = zipfile.ZipFile(archive).namelist()
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".ts"))]
    assert not [n for n in names if "/tests/" in n or n.startswith("donnees_territoires/tests")]
    assert archive.stat().st_size <= 25 * 1024 * 1024


def test_zip_is_reproducible(archive, tmp_path):
    again = package_plugin.build_zip(tmp_path)
    assert again.read_bytes() == archive.read_bytes()


def test_metadata_in_the_zip_finds_its_icon(archive):
    content = zipfile.ZipFile(archive)
    meta = content.read("donnees_territoires/metadata.txt").decode("utf-8")
    icon = next(line.split("=", 1)[1] for line in meta.splitlines() if line.startswith("icon="))
    assert f"donnees_territoires/{icon}" in content.namelist()


def test_enable_in_ini_creates_the_section(tmp_path):
    ini = tmp_path / "QGIS" / "QGIS3.ini"
    package_plugin.enable_in_ini(ini)
    assert ini.read_text().splitlines() == ["[PythonPlugins]", "donnees_territoires=true"]


def test_enable_in_ini_keeps_every_other_line_and_is_idempotent(tmp_path):
    ini = tmp_path / "QGIS3.ini"
    original = ("[General]\nfoo=1\n\n[PythonPlugins]\nprocessing=true\ndonnees_territoires=false\n"
                "\n[qgis]\nstylesheet\\fontPointSize=10\n")
    ini.write_text(original)
    package_plugin.enable_in_ini(ini)
    package_plugin.enable_in_ini(ini)
    text = ini.read_text()
    assert text == original.replace("donnees_territoires=false", "donnees_territoires=true")


def test_enable_in_ini_adds_to_an_existing_section(tmp_path):
    ini = tmp_path / "QGIS3.ini"
    ini.write_text("[PythonPlugins]\nprocessing=true\n[Other]\nx=1\n")
    package_plugin.enable_in_ini(ini)
    lines = ini.read_text().splitlines()
    assert lines[:3] == ["[PythonPlugins]", "donnees_territoires=true", "processing=true"]
    assert lines[-2:] == ["[Other]", "x=1"]


def test_install_follows_home_and_profile(tmp_path, monkeypatch):
    if not list((ROOT / "i18n").glob("*.qm")):
        translations.compile_qm()
    monkeypatch.setenv("HOME", str(tmp_path))
    target = package_plugin.install("sig")
    expected = tmp_path / ".local/share/QGIS/QGIS3/profiles/sig/python/plugins/donnees_territoires"
    assert target == expected
    assert (target / "metadata.txt").is_file() and (target / "plugin.py").is_file()
    assert "donnees_territoires=true" in (expected.parents[2] / "QGIS" / "QGIS3.ini").read_text()
    # a second install replaces the folder: a file removed from the code does not survive
    (target / "stale.py").write_text("")
    package_plugin.install("sig")
    assert not (target / "stale.py").exists()
