"""Network faults on 127.0.0.1: each ends with the right data or a clear error, and no partial file.

Already covered elsewhere, not repeated here: 429 + Retry-After and 503 exhausting the retries,
idle server, refused connection, cancel (test_fetch_http); a broken .gz file on disk
(test_fetch_archive); a WFS page cut short and exception reports (test_fetch_wfs).
"""

import contextlib
import gzip
import json
import socket
import socketserver
import threading

import pytest
from qgis.core import QgsNetworkAccessManager, QgsSettings
from werkzeug import Response

from donnees_territoires.fetch import NetworkError, RetryPolicy, WfsIncompleteError, fetch
from donnees_territoires.fetch.network import MAX_REDIRECTS
from donnees_territoires.fetch.wfs import RateLimiter, WfsQuery, clear_feature_type_cache, get_features
from tests.qgis.raw_http import answer, cut

pytestmark = pytest.mark.network

FAST = RetryPolicy(attempts=3, base_delay_s=0.05, max_delay_s=0.1, max_total_wait_s=5)
UNLIMITED = RateLimiter(per_second=1000, burst=100)
BAN = ("id;numero;nom_voie;code_postal;code_insee;nom_commune;lon;lat\n"
       + "".join(f"33063_{i:04d}_00001;{i};Cours de l'Intendance;33000;33063;Bordeaux;-0.5752;44.8413\n"
                 for i in range(300))).encode("utf-8")
COMMUNE = "ADMINEXPRESS-COG.LATEST:commune"


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def _cache_files(settings):
    """Files of the download cache: entries and their sidecars, and any leftover .part."""
    return _files(settings.cache_path())


# -- transient server errors -----------------------------------------------------------------------------
def test_500_then_success_delivers_the_data(qgis_app, fetch_http, fetch_settings, tmp_path):
    fetch_http.expect_ordered_request("/adresses-33.csv").respond_with_data(
        "<html><title>500 Internal Server Error</title></html>", status=500, content_type="text/html")
    fetch_http.expect_ordered_request("/adresses-33.csv").respond_with_data(BAN, content_type="text/csv")

    result = fetch(fetch_http.url_for("/adresses-33.csv"), tmp_path / "adresses-33.csv",
                   settings=fetch_settings, retry=FAST)

    assert result.read_bytes() == BAN and result.status == 200
    assert len(fetch_http.log) == 2
    assert [name for name in _cache_files(fetch_settings) if ".partial" in name] == []


# -- connection cut in the middle of the body ------------------------------------------------------------
@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_connection_cut_mid_body_is_retried_then_delivered(qgis_app, scripted, fetch_settings, tmp_path,
                                                           reset):
    server = scripted(cut(BAN, reset=reset), answer(BAN))
    dest = tmp_path / "out" / "adresses-33.csv"

    result = fetch(server.url("/adresses-33.csv"), dest, settings=fetch_settings, retry=FAST)

    assert dest.read_bytes() == BAN and result.size == len(BAN)
    assert len(server.requests) == 2
    assert _files(tmp_path / "out") == ["adresses-33.csv"]
    assert not any(".partial" in name for name in _cache_files(fetch_settings))


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_connection_cut_every_time_is_a_clear_error_leaving_nothing(qgis_app, scripted, fetch_settings,
                                                                    tmp_path, reset):
    server = scripted(cut(BAN, reset=reset))
    url = server.url("/adresses-33.csv")

    with pytest.raises(NetworkError) as caught:
        fetch(url, tmp_path / "out" / "adresses-33.csv", settings=fetch_settings, retry=FAST)

    assert url in str(caught.value) and caught.value.transient
    assert "relancez" in str(caught.value)
    assert len(server.requests) == FAST.attempts
    assert _cache_files(fetch_settings) == [] and _files(tmp_path / "out") == []


# -- gzip cut short -------------------------------------------------------------------------------------
def test_truncated_gzip_stream_is_retried_then_delivered(qgis_app, scripted, fetch_settings):
    packed = gzip.compress(BAN)
    # the Content-Length matches what is sent: only the gzip stream itself tells it is cut
    server = scripted(answer(packed[: len(packed) // 2], ["Content-Encoding: gzip"]),
                      answer(packed, ["Content-Encoding: gzip"]))

    result = fetch(server.url("/adresses-33.csv"), settings=fetch_settings, retry=FAST)

    assert result.read_bytes() == BAN and len(server.requests) == 2


def test_truncated_gzip_stream_every_time_is_a_clear_error(qgis_app, scripted, fetch_settings, tmp_path):
    packed = gzip.compress(BAN)
    server = scripted(answer(packed[: len(packed) // 2], ["Content-Encoding: gzip"]))
    url = server.url("/adresses-33.csv")

    with pytest.raises(NetworkError) as caught:
        fetch(url, tmp_path / "adresses-33.csv", settings=fetch_settings, retry=FAST)

    # before network.py decoded gzip itself, Qt delivered the first half as a complete file
    assert url in str(caught.value) and "gzip" in str(caught.value)
    assert _cache_files(fetch_settings) == [] and not (tmp_path / "adresses-33.csv").exists()


# -- redirect loop --------------------------------------------------------------------------------------
def test_redirect_loop_is_a_clear_error(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/datasets/r/a").respond_with_response(
        Response(status=302, headers={"Location": "/datasets/r/b"}))
    fetch_http.expect_request("/datasets/r/b").respond_with_response(
        Response(status=301, headers={"Location": fetch_http.url_for("/datasets/r/a")}))
    url = fetch_http.url_for("/datasets/r/a")

    with pytest.raises(NetworkError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)

    assert "Trop de redirections" in str(caught.value) and url in str(caught.value)
    assert len(fetch_http.log) == MAX_REDIRECTS + 1
    assert _cache_files(fetch_settings) == []


# -- WFS capped below numberMatched -----------------------------------------------------------------------
def _commune(index):
    x, y = -0.75 + (index % 7) * 0.05, 44.75 + (index // 7) * 0.05
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Feature", "id": f"commune.{index + 1}", "geometry_name": "geometrie",
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
            "properties": {"cleabs": f"COMMUNE_{index:016d}", "code_insee": f"33{index + 1:03d}",
                           "nom_officiel": f"Commune {index + 1}"}}


def capped_wfs(total_cap=None, requests=None):
    """GetFeature like GeoServer with a service-wide maxFeatures: numberMatched counts every match,
    but no feature beyond `total_cap` is ever served."""
    features = [_commune(index) for index in range(28)]

    def handler(request):
        params = {key.upper(): value for key, value in request.values.items()}
        if requests is not None:
            requests.append((request.method, params))
        start, count = int(params.get("STARTINDEX", 0)), int(params.get("COUNT", 5000))
        served = features[: total_cap] if total_cap is not None else features
        page = served[start:start + min(count, 5000)]
        return Response(json.dumps({
            "type": "FeatureCollection", "features": page, "totalFeatures": len(features),
            "numberMatched": len(features), "numberReturned": len(page),
            "timeStamp": "2025-03-04T08:00:00.000Z",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}}),
            content_type="application/json;charset=UTF-8")
    return handler


@pytest.mark.parametrize("page_size", [5, 5000])
def test_wfs_result_capped_below_number_matched_is_an_error(qgis_app, fetch_http, fetch_settings,
                                                            tmp_path, page_size):
    fetch_http.expect_request("/wfs/ows").respond_with_handler(capped_wfs(total_cap=12))
    url = fetch_http.url_for("/wfs/ows")
    dest = tmp_path / "out" / "communes.geojson"

    with pytest.raises(WfsIncompleteError) as caught:
        get_features(WfsQuery(COMMUNE, url, sort_by="cleabs"), dest, page_size=page_size,
                     settings=fetch_settings, limiter=UNLIMITED)

    message = str(caught.value)
    assert COMMUNE in message and url in message and "rien n'a été écrit" in message
    assert caught.value.received < caught.value.expected
    assert _files(tmp_path / "out") == []


# -- the QGIS proxy setting --------------------------------------------------------------------------------
class _ProxyHandler(socketserver.BaseRequestHandler):
    """An HTTP proxy for 127.0.0.1 origins only: forwards one request and relays the answer."""

    def handle(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _sep, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
        headers = [line for line in lines[1:]
                   if line.split(":", 1)[0].lower() not in ("proxy-connection", "connection")]
        length = next((int(line.split(":", 1)[1]) for line in headers
                       if line.lower().startswith("content-length:")), 0)
        while len(body) < length:
            body += self.request.recv(65536)
        self.server.seen.append({"method": method, "target": target, "headers": headers})
        host_port, _sep, path = target.removeprefix("http://").partition("/")
        host, _sep, port = host_port.partition(":")
        if host != "127.0.0.1":  # this proxy never lets anything leave the machine
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        with socket.create_connection((host, int(port or 80))) as origin:
            origin.sendall(f"{method} /{path} {version}\r\n".encode("latin-1")
                           + "\r\n".join(headers + ["Connection: close"]).encode("latin-1")
                           + b"\r\n\r\n" + body)
            while chunk := origin.recv(65536):
                self.request.sendall(chunk)


class _Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


PROXY_KEYS = ("proxy/proxyEnabled", "proxy/proxyType", "proxy/proxyHost", "proxy/proxyPort",
              "proxy/proxyExcludedUrls", "proxy/noProxyUrls")


@pytest.fixture
def local_proxy():
    proxy = _Proxy(("127.0.0.1", 0), _ProxyHandler)
    proxy.seen = []
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


@contextlib.contextmanager
def qgis_proxy_settings(port):
    """The proxy set in QGIS's options as a user would (Settings › Options › Network), then the
    user's own settings put back."""
    settings = QgsSettings()
    saved = {key: (settings.contains(key), settings.value(key)) for key in PROXY_KEYS}
    settings.setValue("proxy/proxyEnabled", True)
    settings.setValue("proxy/proxyType", "HttpProxy")
    settings.setValue("proxy/proxyHost", "127.0.0.1")
    settings.setValue("proxy/proxyPort", str(port))
    settings.setValue("proxy/proxyExcludedUrls", "")
    settings.setValue("proxy/noProxyUrls", "")
    # QGIS 3.22 reads these keys when a thread's network manager is created (so the WFS worker
    # threads follow them); the main thread's manager exists already: it is reconfigured the way
    # the options dialog does it. Changing QgsSettings alone does not reach it (checked on 3.22).
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    try:
        yield
    finally:
        for key, (present, value) in saved.items():
            if present:
                settings.setValue(key, value)
            else:
                settings.remove(key)
        QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()


def test_qgis_proxy_setting_is_applied_then_removed(qgis_app, fetch_http, fetch_settings, tmp_path,
                                                    local_proxy):
    fetch_http.expect_request("/adresses-33.csv").respond_with_data(BAN, content_type="text/csv")
    wfs_requests = []
    fetch_http.expect_request("/wfs/ows").respond_with_handler(capped_wfs(requests=wfs_requests))
    url = fetch_http.url_for("/adresses-33.csv")
    clear_feature_type_cache()

    with qgis_proxy_settings(local_proxy.server_address[1]):
        result = fetch(url, settings=fetch_settings)
        layer = get_features(WfsQuery(COMMUNE, fetch_http.url_for("/wfs/ows"), sort_by="cleabs"),
                             tmp_path / "communes.geojson", page_size=5, max_workers=3,
                             settings=fetch_settings, limiter=UNLIMITED, max_get_chars=200)
    seen = list(local_proxy.seen)
    after = fetch(url, settings=fetch_settings, max_age_s=None, headers={"X-Essai": "apres"})

    assert result.read_bytes() == BAN and layer.feature_count == 28
    # the proxy got the absolute URL, with QGIS's User-Agent, for the GET of the main thread
    assert seen[0]["method"] == "GET" and seen[0]["target"] == url
    assert any("QGIS/" in header for header in seen[0]["headers"])
    # and the WFS pages, sent as POST (long URL) by the worker threads, went through it too
    pages = [entry for entry in seen if entry["target"] == fetch_http.url_for("/wfs/ows")]
    assert [entry["method"] for entry in pages] == ["POST"] * 6
    assert len(wfs_requests) == 6 and {method for method, _params in wfs_requests} == {"POST"}
    # settings put back: the next request goes straight to the server
    assert after.read_bytes() == BAN and local_proxy.seen == seen
