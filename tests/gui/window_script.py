"""Run inside a real QGIS Desktop (qgis --code): drive the plugin as a user would, report as JSON.

Written for tests/gui/test_real_window.py; the results go to $DT_GUI_OUT/result.json and the
screenshot to $DT_GUI_OUT/dock.png.
"""

import json
import os
import sys
import traceback
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget
from qgis.utils import iface, loadPlugin, plugins, startPlugin, unloadPlugin

# the scripts' folder, given by the test (qgis --code runs a script without __file__)
sys.path.insert(0, os.environ["DT_GUI_SCRIPTS"])
import in_qgis  # noqa: E402

OUT = Path(os.environ["DT_GUI_OUT"])
PLUGIN = "donnees_territoires"
result = {"errors": [], "guarded": []}


def watch_guards():
    in_qgis.watch_guards(result["guarded"])


def plugin_actions():
    return sorted(a.objectName() for a in iface.mainWindow().findChildren(QAction)
                  if a.objectName().startswith("DonneesTerritoires"))


def plugin_docks():
    return [d for d in iface.mainWindow().findChildren(QDockWidget)
            if d.objectName() == "DonneesTerritoiresDock"]


def menu_entries():
    """Titles of the actions under Extensions > Données et territoires."""
    for action in iface.pluginMenu().actions():
        if action.menu() is not None and "Données et territoires" in action.text():
            return [a.text() for a in action.menu().actions()]
    return []


def provider_ids():
    return [p.id() for p in QgsApplication.processingRegistry().providers()].count(PLUGIN)


def options_page_present():
    """Open QGIS Settings for real and look for our page, then close the dialog."""
    found = {}

    def inspect():
        dialog = QApplication.activeModalWidget()
        found["page"] = dialog is not None and any(
            w.objectName() == "mOptionsPageDonneesTerritoires" for w in dialog.findChildren(object))
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(1500, inspect)
    iface.showOptionsDialog(iface.mainWindow())
    return found.get("page")


def snapshot(tag):
    return {"actions": plugin_actions(), "docks": len(plugin_docks()), "menu": menu_entries(),
            "providers": provider_ids(), "options_page": options_page_present()}


def step_open_dock():
    try:
        result["loaded"] = PLUGIN in plugins
        result["before"] = snapshot("before")
        action = next(a for a in iface.mainWindow().findChildren(QAction)
                      if a.objectName() == "DonneesTerritoiresDockAction")
        action.trigger()
        QTimer.singleShot(1500, step_grab)
    except Exception:
        result["errors"].append(traceback.format_exc())
        finish()


def step_grab():
    try:
        dock = plugin_docks()[0]
        window = iface.mainWindow()
        result["dock"] = {
            "visible": dock.isVisible(),
            "title": dock.windowTitle(),
            "width": dock.width(),
            "height": dock.height(),
            "x": dock.mapTo(window, dock.rect().topLeft()).x(),
            "y": dock.mapTo(window, dock.rect().topLeft()).y(),
        }
        result["window"] = {"width": window.width(), "height": window.height()}
        window.grab().save(str(OUT / "dock.png"))

        unloadPlugin(PLUGIN)
        # back to the event loop first, as in a real session, so deleteLater() has run
        QTimer.singleShot(500, step_after_unload)
    except Exception:
        result["errors"].append(traceback.format_exc())
        finish()


def step_after_unload():
    try:
        result["after_unload"] = snapshot("after_unload")
        loadPlugin(PLUGIN)
        startPlugin(PLUGIN)
        watch_guards()
        result["after_reload"] = snapshot("after_reload")
        step_worker_python()
    except Exception:
        result["errors"].append(traceback.format_exc())
    finish()


def step_worker_python():
    """Inside QGIS Desktop sys.executable is QGIS: batch_packages' workers need the Python it runs on."""
    import sys

    from donnees_territoires.package.batch_worker import worker_python

    result["worker_python"] = {"executable": sys.executable, "found": worker_python()}


def finish():
    (OUT / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    QgsApplication.exit(0)


watch_guards()
iface.mainWindow().showMaximized()
QTimer.singleShot(2000, step_open_dock)
