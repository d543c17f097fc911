"""Run inside a real QGIS Desktop (qgis --code): the dock's « Produire » again and again while downloads fail.

Picks Bordeaux Métropole, ticks per-commune datasets and « Couches temporaires », then clicks « Produire »
$DT_STRESS_RUNS times in a row, each run through its own address of the test's mirror
($DT_STRESS_MIRROR/runNN, set as a user would on the options page), so that the server knows which run
asks. Meanwhile the main thread pans the map (a timer moving the canvas) and forces a Python garbage
collection (another timer). Writes $DT_GUI_OUT/stress.json: each run's status line and duration, how
often the map moved and the collector ran, the errors of this script and the exceptions the plugin's
guards caught.
"""

import gc
import math
import os
import sys
import time
from dataclasses import replace

from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface

# the scripts' folder, given by the test (qgis --code runs a script without __file__)
sys.path.insert(0, os.environ["DT_GUI_SCRIPTS"])
import in_qgis  # noqa: E402
from in_qgis import dock  # noqa: E402

RUNS = int(os.environ["DT_STRESS_RUNS"])
MIRROR = os.environ["DT_STRESS_MIRROR"]
DATASETS = os.environ["DT_STRESS_DATASETS"].split(",")
#: Bordeaux in Lambert-93, the map circling around it
CENTRE = QgsPointXY(417500, 6423500)
PAN_RADIUS_M = 2500
PAN_EVERY_MS = int(os.environ["DT_STRESS_PAN_MS"])
COLLECT_EVERY_MS = int(os.environ["DT_STRESS_COLLECT_MS"])

report = in_qgis.Report("stress.json")
result = report.data
result["runs"] = []


class MainThreadLoad:
    """The map panned continuously and Python's garbage collector forced, both in the main thread:
    what made the race of PyQt's slot proxies (made in a task thread) with the collector likely."""

    def __init__(self) -> None:
        self.pans = 0
        self.collections = 0
        self.collect_s = 0.0
        self.pan_timer = QTimer()
        self.pan_timer.timeout.connect(self.pan)
        self.collect_timer = QTimer()
        self.collect_timer.timeout.connect(self.collect)

    def start(self) -> None:
        if PAN_EVERY_MS:
            self.pan_timer.start(PAN_EVERY_MS)
        if COLLECT_EVERY_MS:
            self.collect_timer.start(COLLECT_EVERY_MS)

    def stop(self) -> dict:
        self.pan_timer.stop()
        self.collect_timer.stop()
        return {"pans": self.pans, "collections": self.collections,
                "collect_ms_mean": round(1000 * self.collect_s / max(1, self.collections), 1)}

    def pan(self) -> None:
        angle = self.pans * 0.15
        canvas = iface.mapCanvas()
        canvas.setCenter(QgsPointXY(CENTRE.x() + PAN_RADIUS_M * math.cos(angle),
                                    CENTRE.y() + PAN_RADIUS_M * math.sin(angle)))
        canvas.refresh()
        self.pans += 1

    def collect(self) -> None:
        started = time.perf_counter()
        gc.collect()
        self.collect_s += time.perf_counter() - started
        self.collections += 1


load = MainThreadLoad()


@report.step
def step_open():
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    in_qgis.open_dock()
    iface.mapCanvas().setExtent(QgsRectangle(CENTRE.x() - 6000, CENTRE.y() - 4000, CENTRE.x() + 6000,
                                             CENTRE.y() + 4000))
    QTimer.singleShot(800, step_choose)


@report.step
def step_choose():
    dock().select_territory("epci:243300316")
    result["references"] = dock().picker.references()
    dock().datasets.set_checked(DATASETS)
    result["checked"] = dock().datasets.checked_ids()
    dock().output.set_destination({"kind": "memory"})
    result["button"] = in_qgis.run_button().text()
    load.start()
    start_run(1)


def start_run(number: int) -> None:
    """Click « Produire » with the mirror of run `number`, as set on the options page."""
    from donnees_territoires.toolbelt.settings import Settings

    replace(Settings.load(), mirror_url=f"{MIRROR}/run{number:02d}").save()
    before = {"started": time.monotonic(), "pans": load.pans, "collections": load.collections}
    in_qgis.run_button().click()
    in_qgis.when_run_ends(lambda ended: step_run_ended(number, before, ended), timeout_s=60, every_ms=100)


@report.step
def step_run_ended(number: int, before: dict, ended: bool):
    result["runs"].append({"run": number, "ended": ended, "seconds": round(time.monotonic() - before["started"], 1),
                           "status": in_qgis.status_text(), "button_enabled": in_qgis.run_button().isEnabled(),
                           "pans": load.pans - before["pans"],
                           "collections": load.collections - before["collections"]})
    if ended and number < RUNS:
        QTimer.singleShot(200, lambda: report.step(start_run)(number + 1))
    else:
        step_end()


def step_end():
    result["main_thread"] = load.stop()
    result["layers"] = len(QgsProject.instance().mapLayers())
    report.finish()


QTimer.singleShot(2000, step_open)
