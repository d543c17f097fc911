#!/usr/bin/env python3
"""Start-up cost of the plugin: import + classFactory + initGui, in fresh interpreters.

Baseline measured in the same run: the floor any plugin pays for the same wiring (one empty
QgsDockWidget, one QAction, one empty Processing provider). Budget: 150 ms on the median; the script
exits with 1 when it is missed. Figures go to docs/bench/last-run.json (key `startup`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from last_run import LastRun, baseline, budget  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
BUDGET_MS = 150.0

CHILD = r"""
import json, sys, time
sys.path.insert(0, ROOT)
from qgis.core import QgsApplication, QgsProcessingProvider
from qgis.PyQt.QtWidgets import QAction
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
app = QgsApplication([], True)
app.initQgis()
from unittest.mock import MagicMock
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QToolBar
window = QMainWindow()
menu, toolbar = QMenu(window), QToolBar(window)
# a stand-in for QgisInterface whose wiring calls do the real Qt work
iface = MagicMock()
iface.mainWindow.return_value = window
iface.addDockWidget.side_effect = window.addDockWidget
iface.addPluginToMenu.side_effect = lambda name, action: menu.addAction(action)
iface.addToolBarIcon.side_effect = toolbar.addAction

if MODE == "baseline":
    class P(QgsProcessingProvider):
        def id(self): return "floor"
        def name(self): return "floor"
        def loadAlgorithms(self): pass
    start = time.perf_counter()
    dock = QgsDockWidget("floor", window)
    iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    action = QAction("floor", window)
    iface.addToolBarIcon(action)
    QgsApplication.processingRegistry().addProvider(P())
    elapsed = time.perf_counter() - start
else:
    start = time.perf_counter()
    import donnees_territoires
    plugin = donnees_territoires.classFactory(iface)
    plugin.initGui()
    elapsed = time.perf_counter() - start
print(json.dumps({"ms": elapsed * 1000, "modules": len(sys.modules)}))
"""


def measure(mode: str) -> list[float]:
    values = []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(RUNS):
        code = f"ROOT = {str(ROOT)!r}\nMODE = {mode!r}\n" + CHILD
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"le processus de mesure a échoué :\n{out.stderr[-2000:]}")
        values.append(json.loads(out.stdout.strip().splitlines()[-1])["ms"])
    return values


def main() -> int:
    floor = measure("baseline")
    ours = measure("plugin")
    floor_ms, ours_ms = statistics.median(floor), statistics.median(ours)
    print(f"démarrage (import + classFactory + initGui), médiane de {RUNS} processus neufs :")
    print(f"  référence (dock + action + fournisseur vides) : {floor_ms:7.1f} ms")
    print(f"  Données et territoires                         : {ours_ms:7.1f} ms "
          f"(max {max(ours):.1f} ms) — ratio {ours_ms / floor_ms:.1f}× la référence")
    print(f"  budget {BUDGET_MS:.0f} ms : {'respecté' if ours_ms <= BUDGET_MS else 'DÉPASSÉ'}")
    record = LastRun(__file__)
    record.measure("startup", ours_ms, "ms", statistic=f"médiane de {RUNS} processus neufs",
                   baselines={"floor": baseline("un dock, une action et un fournisseur vides", floor_ms, "ms")},
                   budgets=(budget("démarrage (médiane)", ours_ms, BUDGET_MS, "ms"),), runs=RUNS, max_ms=max(ours))
    return record.finish()


if __name__ == "__main__":
    sys.exit(main())
