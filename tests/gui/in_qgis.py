"""Shared by the scripts that run inside a real QGIS Desktop (qgis --code): what they record alike, and the
few gestures they make alike (open the panel, find its widgets, wait for a run to end)."""

import functools
import json
import os
import time
import traceback
from pathlib import Path

PLUGIN = "donnees_territoires"


def watch_guards(guarded: list) -> None:
    """Record in `guarded` each exception a guarded slot of the plugin catches (tests/qgis/conftest.py
    does so in-process).

    Called again after a reload: unloading the plugin drops its modules, the new ones need watching too.
    """
    from donnees_territoires.toolbelt import slots

    report = slots.report_exception
    if getattr(report, "watched", False):
        return

    def recording(sentence, **kwargs):
        guarded.append(f"{sentence}\n{traceback.format_exc()}")
        return report(sentence, **kwargs)

    recording.watched = True
    slots.report_exception = recording


class Report:
    """What a script records — `errors` (its own tracebacks), `guarded` (exceptions the plugin's guards
    caught) and whatever it adds — written as JSON into $DT_GUI_OUT/<file_name> by `finish`, which
    then quits QGIS."""

    def __init__(self, file_name: str) -> None:
        self.out = Path(os.environ["DT_GUI_OUT"])
        self.file = self.out / file_name
        self.data = {"errors": [], "guarded": []}
        watch_guards(self.data["guarded"])

    def step(self, function):
        """A step of the script (usually a QTimer's callback): a traceback is recorded and ends the run."""
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                self.fail()
        return wrapper

    def fail(self) -> None:
        """Record the exception being handled, then finish."""
        self.data["errors"].append(traceback.format_exc())
        self.finish()

    def finish(self) -> None:
        from qgis.core import QgsProject
        from qgis.PyQt.QtWidgets import QApplication

        self.file.write_text(json.dumps(self.data, indent=2, ensure_ascii=False), encoding="utf-8")
        # quit as QGIS's own « Quitter » does (QgisApp::fileExit closes the project, then exits): exiting with
        # layers still in the project left QGIS 3.40 and 3.44 to remove them after the layer tree view was
        # gone, and QGIS died on signal 11 in QgisApp::updateNewLayerInsertionPoint (seen under gdb)
        QgsProject.instance().clear()
        QApplication.instance().exit(0)


def dock():
    """The plugin's panel (its widget, built on first show)."""
    from qgis.utils import plugins

    return plugins[PLUGIN].dock


def open_dock() -> None:
    """Maximise the window and open the panel by its action (menu and toolbar), as a user does."""
    from qgis.PyQt.QtWidgets import QAction
    from qgis.utils import iface

    iface.mainWindow().showMaximized()
    action = next(a for a in iface.mainWindow().findChildren(QAction)
                  if a.objectName() == "DonneesTerritoiresDockAction")
    action.trigger()


def run_button():
    """« Produire »."""
    from qgis.PyQt.QtWidgets import QPushButton

    return dock().findChild(QPushButton, "runButton")


def status_text() -> str:
    """The panel's status line, where a run ends with its result or its failure."""
    from qgis.PyQt.QtWidgets import QLabel

    return dock().findChild(QLabel, "statusLabel").text()


def when_run_ends(then, *, timeout_s: float = 90, every_ms: int = 200) -> None:
    """Call `then(ended)` once the panel's run is over (`ended` True), or after `timeout_s` (False)."""
    from qgis.PyQt.QtCore import QTimer

    started = time.monotonic()

    def poll():
        if dock().task is None:
            then(True)
        elif time.monotonic() - started > timeout_s:
            then(False)
        else:
            QTimer.singleShot(every_ms, poll)

    QTimer.singleShot(every_ms, poll)


def type_in(search, text: str) -> None:
    """Type `text` into a territory search field (the panel's, or a Processing dialog's), as a user does."""
    from qgis.PyQt.QtTest import QTest

    search.search_edit.setFocus()
    QTest.keyClicks(search.search_edit, text)


def pick_first(search) -> list:
    """Pick the first proposal of a territory search with Return, as a user does (while the list is open, keys
    go to it); the proposals that were shown."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    popup = search.completer.popup()
    shown = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    QTest.keyClick(popup if popup.isVisible() else search.search_edit, Qt.Key.Key_Return)
    return shown
