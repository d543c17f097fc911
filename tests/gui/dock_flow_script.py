"""Run inside a real QGIS Desktop (qgis --code): the whole job through the dock, as a user does it.

Types « Bordeaux Métropole » in the territory search, picks the completion, ticks two datasets
(served by the test's local mirror), runs, waits, and reports the layer tree as JSON in
$DT_GUI_OUT/flow.json, with screenshots dock.png (before the run) and result.png (after).
"""

import csv
import json
import os
import sys
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QTextBrowser
from qgis.utils import iface

# the scripts' folder, given by the test (qgis --code runs a script without __file__)
sys.path.insert(0, os.environ["DT_GUI_SCRIPTS"])
import in_qgis  # noqa: E402
from in_qgis import dock  # noqa: E402

report = in_qgis.Report("flow.json")
result = report.data
OUT = report.out


@report.step
def step_open():
    in_qgis.open_dock()
    QTimer.singleShot(800, step_type)


@report.step
def step_type():
    # typed without the accent, as many do (QTest only types ASCII): the search does not mind
    in_qgis.type_in(dock().picker.search, "bordeaux metropole")
    QTimer.singleShot(800, step_pick)


@report.step
def step_pick():
    picker = dock().picker
    # the user picks the first proposal with the keyboard
    result["completions"] = in_qgis.pick_first(picker.search)
    result["references"] = picker.references()
    tree = dock().datasets
    tree.set_checked(["ban-adresses", "cadastre-parcelles"])
    result["checked"] = tree.checked_ids()
    dock().output.set_destination({"kind": "memory"})
    QTimer.singleShot(800, step_shot_and_run)


@report.step
def step_shot_and_run():
    iface.mainWindow().grab().save(str(OUT / "dock.png"))
    dock().run()
    in_qgis.when_run_ends(step_ended, timeout_s=90, every_ms=300)


@report.step
def step_ended(_ended):
    result["status"] = dock().status.text()
    root = QgsProject.instance().layerTreeRoot()
    groups = {}
    for group in root.findGroups():
        groups[group.name()] = {
            child.name(): [{"name": node.layer().name(), "valid": node.layer().isValid(),
                            "features": node.layer().featureCount(),
                            "renderer": node.layer().renderer().type() if node.layer().renderer() else "",
                            "symbol_color": _colour(node.layer())}
                           for node in child.findLayers()]
            for child in group.children()}
    result["groups"] = groups
    QTimer.singleShot(1500, step_final_shot)


def _colour(layer):
    renderer = layer.renderer()
    symbol = renderer.symbol() if hasattr(renderer, "symbol") else None
    return symbol.color().name() if symbol is not None else ""


@report.step
def step_final_shot():
    iface.mapCanvas().refreshAllLayers()
    QTimer.singleShot(1500, step_result_shot)


@report.step
def step_result_shot():
    iface.mainWindow().grab().save(str(OUT / "result.png"))
    step_batch()


def step_batch():
    """batch_packages from QGIS Desktop with 2 worker processes (started with the Python QGIS runs on)."""
    try:
        import processing

        from donnees_territoires.package.batch_worker import settings_location

        result["qsettings"] = json.loads(settings_location())
        run = processing.run("donnees_territoires:batch_packages", {
            "PARENT": "epci:243300316", "LEVEL": 0, "DATASETS": "ban-adresses", "OUTPUT_FOLDER": str(OUT / "lot"),
            "WORKERS": 2})
        result["batch"] = {key: run[key] for key in ("WRITTEN", "FAILED", "WORKERS_USED")}
        result["batch_files"] = sorted(path.name for path in (OUT / "lot").glob("*.gpkg"))
        with open(run["REPORT_CSV"], encoding="utf-8") as stream:
            result["batch_counts"] = {line["code"]: line["entités ban-adresses"]
                                      for line in csv.DictReader(stream, delimiter=";")}
        viewer = QTextBrowser()  # the HTML report as Processing's results viewer would show it
        viewer.setHtml(Path(run["REPORT"]).read_text(encoding="utf-8"))
        viewer.resize(1000, 620)
        viewer.show()
        QApplication.processEvents()
        viewer.grab().save(str(OUT / "batch-report.png"))
        viewer.close()
    except Exception:
        report.fail()
        return
    report.finish()


QTimer.singleShot(2000, step_open)
