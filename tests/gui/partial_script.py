"""Run inside a real QGIS Desktop (qgis --code): a dataset that fails, through the dock, three runs.

Bordeaux with addresses, parcels and DVF into a GeoPackage; the mirror has no DVF file. Run 1: the
package is produced with the two others, the panel says which dataset failed in a line. Run 2: the
same, nothing rewritten (« Déjà à jour »). Run 3: the parcels are gone too (the test's flag file):
the package keeps its parcels as they were. Run 4: the territory typed as its postcode « 33000 », the
output switched to « Couches temporaires » by its button. Run 5: after the plugin is unloaded and started
again, with the choices it remembered. After each run, the CRS of every layer in the project and the map's
scale; and what QGIS's own « Tâche complète » notice says. Reports in $DT_GUI_OUT/partial.json,
screenshots partial-1.png, partial-3.png and memory.png.
"""

import hashlib
import os
import sys
from pathlib import Path

from qgis.core import QgsApplication, QgsProject, QgsTask
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.utils import iface, loadPlugin, startPlugin, unloadPlugin

sys.path.insert(0, os.environ["DT_GUI_SCRIPTS"])
import in_qgis  # noqa: E402
from in_qgis import dock  # noqa: E402

report = in_qgis.Report("partial.json")
result = report.data
OUT = report.out
PACKAGE = OUT / "bordeaux.gpkg"
runs = result.setdefault("runs", [])
notices = result.setdefault("notices", [])


def notice(task_id, status):
    """What QGIS's own notice at a task's end shows: the task's description (QgisApp does the same)."""
    task = QgsApplication.taskManager().task(task_id)
    if task is not None and status in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated):
        hidden = HIDDEN is not None and bool(task.flags() & HIDDEN)
        notices.append([task.description(), hidden])


HIDDEN = getattr(QgsTask.Flag, "Hidden", None)  # QGIS ≥ 3.26 notices no task flagged so
result["hidden_flag"] = HIDDEN is not None


QgsApplication.taskManager().statusChanged.connect(notice)


def state() -> dict:
    """What the user sees after a run: the status, the « Détails » link, the package's layers in the project."""
    layers = [layer for layer in QgsProject.instance().mapLayers().values()]
    return {"status": dock().status.text(), "details": dock().status.details_link.isVisible(),
            "status_height": dock().status.height(), "line_height": dock().status.fontMetrics().lineSpacing(),
            "layers": sorted(layer.id() for layer in layers),
            "names": sorted(layer.name() for layer in layers),
            "features": {layer.name(): layer.featureCount() for layer in layers},
            "crs": sorted({(layer.providerType(), layer.crs().authid()) for layer in layers}),
            "canvas": {"crs": iface.mapCanvas().mapSettings().destinationCrs().authid(),
                       "scale": round(iface.mapCanvas().scale())},
            "output": dock().output.kind(), "references": dock().picker.references(),
            "sha256": hashlib.sha256(PACKAGE.read_bytes()).hexdigest() if PACKAGE.exists() else ""}


@report.step
def step_open():
    in_qgis.open_dock()
    QTimer.singleShot(800, step_choose)


@report.step
def step_choose():
    dock().picker.set_references(["commune:33063"])
    dock().datasets.set_checked(["ban-adresses", "cadastre-parcelles", "dvf-mutations"])
    dock().output.set_destination({"kind": "gpkg", "path": str(PACKAGE)})
    QTimer.singleShot(500, step_run)


@report.step
def step_run():
    dock().run()
    in_qgis.when_run_ends(step_ended, timeout_s=90, every_ms=300)


@report.step
def step_ended(ended):
    runs.append({"ended": ended, **state()})
    if len(runs) == 1:
        QTimer.singleShot(1200, lambda: shot_then("partial-1.png", step_run))
    elif len(runs) == 2:
        Path(os.environ["DT_PARTIAL_FLAG"]).write_text("les parcelles ne sont plus servies")
        QTimer.singleShot(300, step_run)
    elif len(runs) == 3:
        QTimer.singleShot(1200, lambda: shot_then("partial-3.png", step_postcode))
    elif len(runs) == 4:
        QTimer.singleShot(1200, lambda: shot_then("memory.png", step_restart))
    else:
        QTimer.singleShot(300, step_dialog)


@report.step
def step_postcode():
    """Run 4: the territory typed as a postcode and picked, the output switched to temporary layers."""
    Path(os.environ["DT_PARTIAL_FLAG"]).unlink()  # the parcels are served again
    dock().picker.clear()
    in_qgis.type_in(dock().picker.search, "33000")
    QTimer.singleShot(800, step_pick_postcode)


@report.step
def step_pick_postcode():
    result["postcode_completions"] = in_qgis.pick_first(dock().picker.search)
    dock().output.memory_radio.click()
    QTimer.singleShot(500, step_run)


@report.step
def step_restart():
    """Run 5: the plugin unloaded and started again (as a QGIS restart does), then run with what it remembered."""
    unloadPlugin(in_qgis.PLUGIN)  # the panel remembers its choices as it goes
    QTimer.singleShot(500, step_started_again)


@report.step
def step_started_again():
    loadPlugin(in_qgis.PLUGIN)
    startPlugin(in_qgis.PLUGIN)
    in_qgis.watch_guards(result["guarded"])
    in_qgis.open_dock()
    QTimer.singleShot(800, step_run)


@report.step
def shot_then(name, then):
    iface.mapCanvas().refreshAllLayers()
    iface.mainWindow().grab().save(str(OUT / name))
    then()


@report.step
def step_dialog():
    """build_package's Processing dialog, as a user fills it: a name searched, datasets ticked in the tree."""
    import processing
    window = processing.createAlgorithmDialog("donnees_territoires:build_package")
    window.resize(1100, 900)
    window.show()
    wrappers = window.mainWidget().wrappers
    search = wrappers["TERRITORY"].widget.search
    in_qgis.type_in(search, "bordeaux metropole")
    in_qgis.pick_first(search)
    tree = wrappers["DATASETS"].widget.tree
    tree.search_edit.setText("cadastre")
    tree.dataset_item("cadastre-parcelles").setCheckState(0, Qt.CheckState.Checked)
    tree.select_dataset("cadastre-parcelles")
    result["dialog"] = {key: value for key, value in window.createProcessingParameters().items()
                        if key in ("TERRITORY", "DATASETS")}
    result["dialog_title"] = window.windowTitle()
    QTimer.singleShot(800, lambda: dialog_shot(window))


@report.step
def dialog_shot(window):
    window.grab().save(str(OUT / "dialog.png"))
    window.close()
    main = iface.mainWindow()
    main.showNormal()
    main.resize(1366, 768)  # a common laptop screen
    QTimer.singleShot(1200, step_small_screen)


@report.step
def step_small_screen():
    """At 1366×768, « Produire » and the status line are on screen, whole (not under the fold)."""
    from qgis.PyQt.QtCore import QRect

    main = iface.mainWindow()
    window = QRect(main.mapToGlobal(main.rect().topLeft()), main.size())
    seen = {}
    for name, widget in (("run", in_qgis.run_button()), ("status", dock().status)):
        rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
        seen[name] = {"visible": widget.isVisible(), "inside": window.contains(rect),
                      "whole": widget.visibleRegion().boundingRect().size() == widget.size()}
    result["small_screen"] = {"window": [main.width(), main.height()], **seen}
    main.grab().save(str(OUT / "small-screen.png"))
    report.finish()


QTimer.singleShot(2000, step_open)
