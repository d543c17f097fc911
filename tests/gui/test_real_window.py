"""The plugin in a real QGIS Desktop window (xvfb-run), installed in a throwaway profile."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
QGIS_BIN = "/usr/bin/qgis.bin"

sys.path.insert(0, str(ROOT / "scripts"))
import package_plugin  # noqa: E402

pytestmark = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display: run under xvfb-run")


@pytest.fixture(scope="module")
def qgis_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("gui")
    # install the way a user does: the zip of `make zip` unpacked into the profile, then enabled
    archive = package_plugin.build_zip(tmp_path_factory.mktemp("dist"))
    profile = package_plugin.profile_dir("default", home)
    with zipfile.ZipFile(archive) as content:
        content.extractall(profile / "python" / "plugins")
    ini = profile / "QGIS" / "QGIS3.ini"
    package_plugin.enable_in_ini(ini)
    # a first start must not stop on the welcome questions
    ini.write_text(ini.read_text(encoding="utf-8") + "\n[qgis]\ncheckVersion=false\n"
                   "showTips=false\n[core]\nNewsFeed\\httpsnewsfeedqgisorg\\disabled=true\n",
                   encoding="utf-8")
    env = dict(os.environ, HOME=str(home), DT_GUI_OUT=str(out), LANG="fr_FR.UTF-8")
    env.pop("QT_QPA_PLATFORM", None)  # a real window on the X server
    completed = subprocess.run(
        [QGIS_BIN, "--nologo", "--noversioncheck", "--code", str(ROOT / "tests" / "gui" / "window_script.py")],
        env=env, cwd=home, capture_output=True, text=True, timeout=180)
    result_file = out / "result.json"
    assert result_file.is_file(), f"QGIS n'a rien écrit (code {completed.returncode}):\n{completed.stderr[-3000:]}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if (out / "dock.png").is_file():
        shutil.copy(out / "dock.png", ARTIFACTS / "real-window-dock.png")
    return json.loads(result_file.read_text(encoding="utf-8")), out


def test_no_error_in_the_window_script(qgis_run):
    result, _ = qgis_run
    assert result["errors"] == []
    assert result["loaded"] is True


def test_menu_toolbar_provider_and_options_page_after_start(qgis_run):
    before = qgis_run[0]["before"]
    assert before["menu"] == ["Données et territoires", "Paramètres…", "Aide en ligne"]
    assert "DonneesTerritoiresDockAction" in before["actions"]
    assert before["docks"] == 1
    assert before["providers"] == 1
    assert before["options_page"] is True


def test_dock_opens_from_its_menu_action_with_its_title(qgis_run):
    result, out = qgis_run
    dock = result["dock"]
    assert dock["visible"] is True
    assert dock["title"] == "Données et territoires"
    assert dock["width"] > 100 and dock["height"] > 200
    assert 0 <= dock["x"] < result["window"]["width"]

    from qgis.PyQt.QtGui import QImage

    image = QImage(str(out / "dock.png"))
    assert not image.isNull()
    assert image.width() == result["window"]["width"]
    # the dock area of the screenshot is drawn (not a blank rectangle)
    colours = {image.pixel(x, y)
               for x in range(dock["x"], dock["x"] + dock["width"], 7)
               for y in range(dock["y"], dock["y"] + min(dock["height"], 200), 7)}
    assert len(colours) > 5


def test_unload_leaves_nothing_and_reload_restores_once(qgis_run):
    result, _ = qgis_run
    gone = result["after_unload"]
    assert gone == {"actions": [], "docks": 0, "menu": [], "providers": 0, "options_page": False}
    back = result["after_reload"]
    assert back["docks"] == 1 and back["providers"] == 1 and back["options_page"] is True
    assert back["menu"] == ["Données et territoires", "Paramètres…", "Aide en ligne"]
