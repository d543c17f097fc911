"""QGIS tests (pytest-qgis): the repository root on sys.path, the fetch tests' local server, and no
exception swallowed by a guarded slot unless the test expects it."""

import sys
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# -- a guarded slot must not hide a bug from the tests -----------------------------------------------
@pytest.fixture(autouse=True)
def _no_swallowed_exception(request, monkeypatch):
    """Fail the test when a guard (toolbelt/slots.report_exception) caught an exception during it.

    In QGIS the guard keeps the interpreter alive and tells the user; in a test it would hide the bug
    behind a passing assertion. Tests that provoke such a failure on purpose are marked
    @pytest.mark.expects_guarded_error, and must then provoke at least one. The guard calls
    report_exception through the module, so replacing it here sees every caught exception, in any thread.
    """
    from donnees_territoires.toolbelt import slots

    caught: list[str] = []
    report = slots.report_exception

    def recording(sentence, **kwargs):
        caught.append(f"{sentence}\n{traceback.format_exc()}")
        return report(sentence, **kwargs)

    monkeypatch.setattr(slots, "report_exception", recording)
    yield caught
    expected = request.node.get_closest_marker("expects_guarded_error") is not None
    if caught and not expected:
        pytest.fail(f"{len(caught)} exception(s) attrapée(s) par le garde des slots pendant le test (marquer "
                    "@pytest.mark.expects_guarded_error si c'est voulu) :\n" + "\n".join(caught), pytrace=False)
    if expected and not caught:
        pytest.fail("test marqué expects_guarded_error, mais le garde des slots n'a rien attrapé", pytrace=False)


@pytest.fixture(scope="session")
def fetch_server():
    """A threaded HTTP server on 127.0.0.1 only (a slow streamed answer must not block the next)."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def fetch_http(fetch_server):
    """The fetch tests' server, emptied of expectations and logs before and after each test."""
    fetch_server.clear()
    yield fetch_server
    fetch_server.clear()


@pytest.fixture
def fetch_settings(tmp_path):
    """Plugin settings built by the test: a private cache, no mirror, online, short timeout."""
    from donnees_territoires.toolbelt.settings import Settings

    return Settings(cache_dir=str(tmp_path / "cache"), cache_max_mb=64, timeout_s=10)


# -- QGIS Desktop's layer tree, which pytest-qgis' interface leaves as a MagicMock ------------------
@pytest.fixture(scope="session", autouse=True)
def _real_layer_tree_view(qgis_app, qgis_iface):
    """A real QgsLayerTreeView on the project's tree, as QGIS Desktop has.

    Processing's result handling passes iface.layerTreeView() to C++ (QgsProcessingGuiUtils from
    QGIS 3.40): a MagicMock there raises a TypeError inside a Qt slot, which aborts the interpreter.
    """
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView()
    model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view)
    view.setModel(model)
    qgis_iface.layerTreeView = lambda: view
    yield view


# -- Processing with the plugin's provider ---------------------------------------------------------
@pytest.fixture(scope="session")
def _processing_ready(qgis_app):
    import processing  # noqa: F401 - QGIS's processing plugin, on sys.path inside QGIS
    from processing.core.Processing import Processing

    Processing.initialize()


@pytest.fixture
def dt_processing(_processing_ready):
    """Processing initialised, with the plugin's provider registered (again, if a test removed it)."""
    from qgis.core import QgsApplication

    from donnees_territoires.processing.provider import Provider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("donnees_territoires")
    if provider is None:
        provider = Provider()
        registry.addProvider(provider)
        _PROVIDERS.append(provider)  # the Python side must outlive the test: the registry uses it
    yield provider


_PROVIDERS: list = []


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Downloads and computed contours go to a folder of this test session, never the user's profile."""
    import os

    previous = os.environ.get("DONNEES_TERRITOIRES_CACHE")
    os.environ["DONNEES_TERRITOIRES_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("DONNEES_TERRITOIRES_CACHE", None)
    else:
        os.environ["DONNEES_TERRITOIRES_CACHE"] = previous


@pytest.fixture
def mirror(fetch_http, monkeypatch, tmp_path):
    """fetch_http as the mirror of every host, the real 2018 contours (committed extract), a fresh cache."""
    from tests.conftest import CONTOURS_2018

    monkeypatch.setenv("DONNEES_TERRITOIRES_MIRROR", fetch_http.url_for("/").rstrip("/"))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    return fetch_http


@pytest.fixture
def single_attempt(monkeypatch):
    """No retry on errors: a 500 fails at once."""
    from donnees_territoires.fetch import network

    policy = network.RetryPolicy
    monkeypatch.setattr(network, "RetryPolicy", lambda: policy(attempts=1))


@pytest.fixture(scope="module")
def postgis(qgis_app):
    """A throwaway PostgreSQL + PostGIS cluster for the module's tests (skipped where PostgreSQL is missing)."""
    from postgis_cluster import PostgisCluster, unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    cluster = PostgisCluster()
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def scripted():
    """Start raw servers (raw_http.ScriptedServer) on 127.0.0.1, each answering with its scripts; closed after."""
    from tests.qgis.raw_http import ScriptedServer

    servers = []

    def start(*scripts):
        servers.append(ScriptedServer(*scripts))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
