"""QGIS tests (pytest-qgis): the repository root on sys.path, and the fetch tests' local server."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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


# -- Processing with the plugin's provider ---------------------------------------------------------
@pytest.fixture(scope="session")
def dt_processing(qgis_app):
    """Processing initialised, with the plugin's provider registered once for the session."""
    import processing  # noqa: F401 - QGIS's processing plugin, on sys.path inside QGIS
    from processing.core.Processing import Processing
    from qgis.core import QgsApplication

    from donnees_territoires.processing.provider import Provider

    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("donnees_territoires")
    if provider is None:
        provider = Provider()
        registry.addProvider(provider)
    yield provider
