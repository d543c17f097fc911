"""The plugin in a real QGIS Desktop window (xvfb-run), installed in a throwaway profile."""

import json

import pytest

from tests.gui.conftest import keep_artifact, launch_qgis


@pytest.fixture(scope="module")
def qgis_run(tmp_path_factory):
    out = launch_qgis(tmp_path_factory, "window_script.py")
    result_file = out / "result.json"
    assert result_file.is_file(), f"QGIS n'a rien écrit :\n{(out / 'qgis-stderr.txt').read_text()[-3000:]}"
    keep_artifact(out / "dock.png", "real-window-dock.png")
    return json.loads(result_file.read_text(encoding="utf-8")), out


def test_no_error_in_the_window_script(qgis_run):
    result, _ = qgis_run
    assert result["errors"] == []
    assert result["loaded"] is True


def test_no_exception_caught_by_the_plugin_guards(qgis_run):
    """A guarded slot keeps QGIS alive but would hide a bug from these tests: nothing may be caught."""
    assert qgis_run[0]["guarded"] == []


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


def test_batch_workers_find_a_python_able_to_run_qgis_from_the_desktop(qgis_run):
    found = qgis_run[0]["worker_python"]
    assert found["found"], found  # checked by running it: it imported this very QGIS version
    assert "python" in found["found"].rsplit("/", 1)[-1]
