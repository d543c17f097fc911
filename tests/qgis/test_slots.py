"""An exception in a guarded slot stays in the plugin: logged with its traceback, one French sentence for the user."""

import threading
import time

import pytest
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal


@pytest.fixture
def slots(monkeypatch):
    from donnees_territoires.toolbelt import slots

    monkeypatch.setattr(slots, "_last_shown", {})  # each test sees its own first failure in the bar
    return slots


@pytest.fixture
def plugin_log(qgis_app):
    """Messages logged under the plugin's tag during the test: [(message, level)]."""
    from donnees_territoires.toolbelt.log import TAG

    received = []

    def collect(message, tag, level):
        if tag == TAG:
            received.append((message, level))

    QgsApplication.messageLog().messageReceived.connect(collect)
    yield received
    QgsApplication.messageLog().messageReceived.disconnect(collect)


@pytest.fixture
def bar(qgis_iface):
    qgis_iface.messageBar().clear_messages()
    yield lambda: qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
    qgis_iface.messageBar().clear_messages()


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)
    return condition()


SENTENCE = ("Erreur inattendue pendant l'essai du garde : le détail est dans le journal des messages, onglet "
            "« Données et territoires ». Réessayez ; si l'erreur revient, signalez-la sur "
            "https://github.com/donnees-territoires/donnees_territoires/issues en joignant ce détail.")


class Emitter(QObject):
    numbered = pyqtSignal(int, str)


class Receiver(QObject):
    def __init__(self, slots):
        super().__init__()
        self.calls = []

        @slots.guarded("l'essai du garde")
        def on_numbered(receiver, number):  # takes fewer arguments than the signal carries
            receiver.calls.append(number)
            raise ValueError(f"panne {number}")

        self.on_numbered = on_numbered.__get__(self)


@pytest.mark.expects_guarded_error
def test_a_raising_slot_run_by_the_event_loop_is_logged_and_said_in_french(slots, plugin_log, bar):
    ran = []

    @slots.guarded("l'essai du garde")
    def explode():
        ran.append(True)
        raise RuntimeError("panne simulée")

    QTimer.singleShot(0, explode)
    assert wait_for(lambda: ran)
    QgsApplication.processEvents()
    # the interpreter is still here; the log has the sentence and the traceback, the bar the sentence only
    (message, level), = plugin_log
    assert level == Qgis.MessageLevel.Critical
    assert message.startswith(SENTENCE)
    assert "Traceback (most recent call last)" in message and "RuntimeError: panne simulée" in message
    assert bar() == [f"Données et territoires:{SENTENCE}"]


@pytest.mark.expects_guarded_error
def test_a_signal_with_more_arguments_reaches_a_guarded_method_and_its_failure_is_logged(slots, plugin_log, bar):
    emitter, receiver = Emitter(), Receiver(slots)
    emitter.numbered.connect(receiver.on_numbered)
    emitter.numbered.emit(7, "sept")
    assert receiver.calls == [7]
    assert "ValueError: panne 7" in plugin_log[0][0]
    emitter.numbered.emit(8, "huit")  # the same failure again: logged again, not shown again at once
    assert receiver.calls == [7, 8] and len(plugin_log) == 2 and "ValueError: panne 8" in plugin_log[1][0]
    assert bar() == [f"Données et territoires:{SENTENCE}"]


@pytest.mark.expects_guarded_error
def test_a_guarded_function_returns_its_neutral_value(slots, plugin_log):
    @slots.guarded("l'essai du garde", default=False)
    def check(_event):
        raise KeyError("x")

    assert check(object()) is False


@pytest.mark.expects_guarded_error
def test_in_a_worker_thread_the_failure_is_logged_and_nothing_of_the_gui_is_touched(slots, plugin_log, bar):
    seen = {}

    @slots.guarded("l'essai du garde")
    def in_task():
        seen["main"] = slots.on_main_thread()
        raise OSError("disque plein")

    worker = threading.Thread(target=in_task)
    worker.start()
    worker.join()
    assert wait_for(lambda: plugin_log)  # QgsMessageLog delivers to the main thread
    assert seen == {"main": False}
    assert "OSError: disque plein" in plugin_log[0][0]
    assert bar() == []


def test_keyboard_interrupt_and_system_exit_go_through(slots):
    @slots.guarded("l'essai du garde")
    def interrupted(kind):
        raise kind()

    with pytest.raises(KeyboardInterrupt):
        interrupted(KeyboardInterrupt)
    with pytest.raises(SystemExit):
        interrupted(SystemExit)


# -- the dock: post-processing that fails after a successful task ---------------------------------------
@pytest.fixture
def dock(qgis_app, qgis_iface, dt_processing, monkeypatch, tmp_path):
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    from donnees_territoires.gui import selection_memory
    from donnees_territoires.gui.wdg_dock import TerritoryDock

    monkeypatch.setattr(selection_memory, "SETTINGS_GROUP", "donnees_territoires_tests/slots")
    widget = TerritoryDock(None, canvas=qgis_iface.mapCanvas(), iface=qgis_iface)
    widget.ensure_built()
    yield widget
    widget.unload()
    from qgis.core import QgsSettings

    QgsSettings().remove("donnees_territoires_tests")


@pytest.mark.expects_guarded_error
def test_a_failure_loading_the_result_ends_with_a_french_status_in_the_panel(dock, slots, plugin_log, bar,
                                                                             monkeypatch):
    """What QGIS 3.44 once did in the tests (Processing's result handling raised a TypeError in the task's slot):
    loading the results fails after a successful run."""
    from donnees_territoires import load

    def broken(*_args, **_kwargs):
        raise TypeError("QgsProcessingGuiUtils.addResultLayers(): argument 3 has unexpected type 'MagicMock'")

    monkeypatch.setattr(load, "load_results", broken)
    # a real algorithm as a real QgsProcessingAlgRunnerTask: its `executed` signal reaches _on_executed
    dock._start("native:randompointsinextent",
                {"EXTENT": "0,1,0,1 [EPSG:4326]", "POINTS_NUMBER": 3, "MIN_DISTANCE": 0,
                 "TARGET_CRS": "EPSG:4326", "OUTPUT": "TEMPORARY_OUTPUT"},
                dock._on_built, "Production en cours…")
    assert dock.task is not None
    assert wait_for(lambda: dock.task is None, seconds=30)
    status = dock.status.text()
    assert status.startswith("Le paquet ") and "est prêt, mais son chargement dans le projet a échoué" in status
    assert "ouvrez-le à la main (menu Couche › Ajouter une couche, ou panneau Explorateur)" in status
    assert "journal des messages" in status and "Traceback" not in status
    assert "#b00020" in dock.status.styleSheet()
    assert dock.run_button.isEnabled() and dock.refresh_button.isEnabled() and not dock.cancel_button.isEnabled()
    logged = [message for message, _level in plugin_log if message.startswith(status)]
    assert logged and "TypeError: QgsProcessingGuiUtils.addResultLayers()" in logged[0]
    assert bar() == [f"Données et territoires:{status}"]


@pytest.mark.expects_guarded_error
def test_a_failure_concluding_a_run_still_leaves_the_dock_ready_for_the_next(dock, slots, plugin_log, bar):
    """_on_executed restores the task state and the buttons whatever fails before (here: no run recorded)."""
    dock.task = object()  # as during a run
    dock._show_running(True)
    dock._run = None  # what _on_executed unpacks: it fails at once
    dock._on_executed(True, {})
    assert dock.task is None
    assert dock.run_button.isEnabled() and dock.refresh_button.isEnabled() and not dock.cancel_button.isEnabled()
    assert not dock.progress.isVisible()
    assert "TypeError" in plugin_log[0][0]
    assert bar() == ["Données et territoires:" + SENTENCE.replace("l'essai du garde", "la fin de la production")]


# -- Processing virtuals that QGIS calls without an error handler --------------------------------------
@pytest.mark.expects_guarded_error
def test_check_parameter_values_never_raises(dt_processing, slots, plugin_log, bar, monkeypatch):
    """qgis_process and the modeler call it from C++: an unreadable index refuses the run in French."""
    from donnees_territoires import territory

    def unreadable(*_args, **_kwargs):
        raise OSError("index illisible")

    monkeypatch.setattr(territory.TerritoryIndex, "load", unreadable)
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("donnees_territoires:territory_boundary")
    from qgis.core import QgsProcessingContext

    ok, message = algorithm.checkParameterValues({"TERRITORY": "commune:33063", "OUTPUT": "TEMPORARY_OUTPUT"},
                                                 QgsProcessingContext())
    assert ok is False
    assert message.startswith("Erreur inattendue pendant la vérification des paramètres : le détail est dans le "
                              "journal des messages")
    assert "OSError: index illisible" in plugin_log[0][0]
    assert bar() == []  # the dialog or qgis_process says it: not the message bar as well


@pytest.mark.expects_guarded_error
def test_a_failing_init_algorithm_called_by_qgis_is_logged_not_fatal(dt_processing, slots, plugin_log,
                                                                     monkeypatch):
    """create() calls initAlgorithm from C++ with no error handler: unguarded, this aborts the interpreter."""
    from donnees_territoires import territory

    def broken():
        raise RuntimeError("millésimes illisibles")

    monkeypatch.setattr(territory, "available_vintages", broken)
    algorithm = QgsApplication.processingRegistry().algorithmById("donnees_territoires:territory_boundary")
    copy = algorithm.create()
    assert copy is not None and copy.parameterDefinition("VINTAGE") is None
    assert "RuntimeError: millésimes illisibles" in plugin_log[0][0]
