"""fetch() over HTTP against a local server: headers, redirects, retries, errors, mirror, cancel, threads."""

import gzip
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from qgis.core import Qgis, QgsApplication, QgsBlockingNetworkRequest, QgsFeedback, QgsSettings, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest
from werkzeug import Response

from donnees_territoires.fetch import (
    AuthConfigError,
    FetchCanceledError,
    FetchTimeoutError,
    HttpStatusError,
    NetworkError,
    RetryPolicy,
    UnexpectedContentError,
    fetch,
    mirrored_url,
    parse_retry_after,
)

pytestmark = pytest.mark.network

FAST = RetryPolicy(attempts=3, base_delay_s=0.05, max_delay_s=0.2, max_total_wait_s=5)
COMMUNES = b'{"type":"FeatureCollection","features":[]}'


def _cache_files(settings):
    root = settings.cache_path()
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_user_agent_is_qgis_own_as_the_user_set_it(qgis_app, fetch_http, fetch_settings):
    """No request preprocessor of the plugin touches the request (see test_fetch_threads): the
    User-Agent is the one QGIS writes from the user's setting, « <setting> QGIS/<version> »."""
    fetch_http.expect_request("/communes.geojson").respond_with_data(COMMUNES)
    expected = QgsSettings().value("/qgis/networkAndProxy/userAgent", "Mozilla/5.0") + \
        f" QGIS/{Qgis.versionInt()}"

    fetch(fetch_http.url_for("/communes.geojson"), settings=fetch_settings)

    (request, _response), = fetch_http.log
    assert request.headers["User-Agent"].startswith(expected)
    assert "DonneesTerritoires" not in request.headers["User-Agent"]


@pytest.mark.parametrize("location", ["absolute", "relative"])
def test_redirect_302_is_followed(qgis_app, fetch_http, fetch_settings, location):
    # data.gouv.fr answers /datasets/r/{id} with a 302 to the stored file
    target = "/resources/adresses-01.csv"
    fetch_http.expect_request("/datasets/r/4f5e").respond_with_response(Response(
        status=302, headers={"Location": fetch_http.url_for(target) if location == "absolute"
                             else target}))
    fetch_http.expect_request(target).respond_with_data("id;numero\n1;1\n", content_type="text/csv")

    result = fetch(fetch_http.url_for("/datasets/r/4f5e"), settings=fetch_settings)

    assert result.status == 200
    assert result.final_url == fetch_http.url_for(target)
    assert result.url == fetch_http.url_for("/datasets/r/4f5e")
    assert result.path.name == "adresses-01.csv"
    assert result.read_bytes() == b"id;numero\n1;1\n"


def test_429_with_retry_after_waits_then_succeeds(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_ordered_request("/wfs").respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "1"}))
    fetch_http.expect_ordered_request("/wfs").respond_with_data(COMMUNES)

    started = time.monotonic()
    result = fetch(fetch_http.url_for("/wfs"), settings=fetch_settings, retry=FAST)

    assert time.monotonic() - started >= 1.0  # Retry-After honoured, not the 0.05 s backoff
    assert result.status == 200 and result.read_bytes() == COMMUNES
    assert len(fetch_http.log) == 2


def test_503_exhausting_retries_is_a_typed_error_naming_the_url(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/indisponible").respond_with_data("busy", status=503)
    url = fetch_http.url_for("/indisponible")

    with pytest.raises(HttpStatusError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)

    assert caught.value.status == 503
    assert caught.value.url == url
    assert url in str(caught.value) and "3 tentative(s)" in str(caught.value)
    assert "réessayez" in str(caught.value)
    assert len(fetch_http.log) == 3
    assert _cache_files(fetch_settings) == []


def test_retry_after_beyond_the_budget_gives_up_at_once(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/limite").respond_with_response(
        Response(status=429, headers={"Retry-After": "3600"}))

    started = time.monotonic()
    with pytest.raises(HttpStatusError) as caught:
        fetch(fetch_http.url_for("/limite"), settings=fetch_settings, retry=FAST)

    assert caught.value.status == 429 and time.monotonic() - started < 2
    assert len(fetch_http.log) == 1


def test_404_is_a_typed_error_that_says_what_to_do(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/absent.csv").respond_with_data("Not Found", status=404)
    url = fetch_http.url_for("/absent.csv")

    with pytest.raises(HttpStatusError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)

    message = str(caught.value)
    assert caught.value.status == 404
    assert f"a répondu 404 (ressource introuvable) pour {url}" in message
    assert "vérifiez" in message
    assert len(fetch_http.log) == 1  # a 404 is not retried


def test_html_page_instead_of_data_is_an_error(qgis_app, fetch_http, fetch_settings):
    page = "<!DOCTYPE html><html><head><title>Maintenance en cours</title></head><body/></html>"
    fetch_http.expect_request("/adresses.csv").respond_with_data(page, content_type="text/html")
    url = fetch_http.url_for("/adresses.csv")

    with pytest.raises(UnexpectedContentError) as caught:
        fetch(url, settings=fetch_settings)

    assert url in str(caught.value) and "Maintenance en cours" in str(caught.value)
    assert _cache_files(fetch_settings) == []  # an error page is never cached


def test_html_accepted_when_asked(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/page").respond_with_data("<html><body>ok</body></html>",
                                                         content_type="text/html")
    result = fetch(fetch_http.url_for("/page"), settings=fetch_settings, accept_html=True)
    assert result.content_type.startswith("text/html")


def test_ogc_exception_report_is_an_error_with_its_text(qgis_app, fetch_http, fetch_settings):
    report = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
              '<ows:Exception exceptionCode="InvalidParameterValue" locator="typeName">'
              "<ows:ExceptionText>Feature type BDTOPO_V3:communes unknown</ows:ExceptionText>"
              "</ows:Exception></ows:ExceptionReport>")
    fetch_http.expect_request("/wfs").respond_with_data(report, content_type="text/xml")

    with pytest.raises(UnexpectedContentError) as caught:
        fetch(fetch_http.url_for("/wfs") + "?SERVICE=WFS&typeName=BDTOPO_V3:communes",
              settings=fetch_settings)

    assert "BDTOPO_V3:communes unknown" in str(caught.value)
    assert "typeName=BDTOPO_V3:communes" in str(caught.value)


def test_mirrored_url_rewrites_host_and_path():
    assert (mirrored_url("https://data.geopf.fr/wfs/ows?SERVICE=WFS&typeName=a:b",
                         "http://miroir.local/donnees/")
            == "http://miroir.local/donnees/data.geopf.fr/wfs/ows?SERVICE=WFS&typeName=a:b")
    assert (mirrored_url("https://www.data.gouv.fr/datasets/r/4f5e", "http://miroir.local")
            == "http://miroir.local/www.data.gouv.fr/datasets/r/4f5e")
    assert mirrored_url("https://host:8443/x", "http://m") == "http://m/host:8443/x"
    assert mirrored_url("https://a.fr/x", "") == "https://a.fr/x"
    assert mirrored_url("http://m/a.fr/x", "http://m/") == "http://m/a.fr/x"


def test_mirror_serves_the_url_under_host_and_path(qgis_app, fetch_http, fetch_settings):
    # the origin is a closed local port: if the rewrite failed, nothing would leave the machine
    origin = "https://127.0.0.1:9/wfs/ows?SERVICE=WFS&REQUEST=GetFeature"
    fetch_http.expect_request("/miroir/127.0.0.1:9/wfs/ows",
                              query_string="SERVICE=WFS&REQUEST=GetFeature").respond_with_data(COMMUNES)
    fetch_settings.mirror_url = fetch_http.url_for("/miroir/")

    result = fetch(origin, settings=fetch_settings)

    assert result.read_bytes() == COMMUNES
    assert result.url == origin
    assert result.final_url == fetch_http.url_for("/miroir/127.0.0.1:9/wfs/ows") + \
        "?SERVICE=WFS&REQUEST=GetFeature"


def test_mirror_also_rewrites_redirects_to_other_hosts(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/miroir/127.0.0.1:9/datasets/r/1").respond_with_response(
        Response(status=302, headers={"Location": "https://127.0.0.1:7/resources/a.csv"}))
    fetch_http.expect_request("/miroir/127.0.0.1:7/resources/a.csv").respond_with_data("a;b\n1;2\n")
    fetch_settings.mirror_url = fetch_http.url_for("/miroir")

    result = fetch("https://127.0.0.1:9/datasets/r/1", settings=fetch_settings)

    assert result.read_bytes() == b"a;b\n1;2\n"


def test_mirror_404_says_to_check_the_mirror(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/miroir/127.0.0.1:9/x.csv").respond_with_data("", status=404)
    fetch_settings.mirror_url = fetch_http.url_for("/miroir")

    with pytest.raises(HttpStatusError) as caught:
        fetch("https://127.0.0.1:9/x.csv", settings=fetch_settings)

    assert "miroir" in str(caught.value) and "https://127.0.0.1:9/x.csv" in str(caught.value)


def _slow_body(chunks=40, size=64 * 1024, pause=0.05):
    def handler(_request):
        def body():
            for _ in range(chunks):
                yield b"x" * size
                time.sleep(pause)
        return Response(body(), headers={"Content-Length": str(chunks * size)},
                        direct_passthrough=True)
    return handler


def test_cancel_mid_download_leaves_no_file(qgis_app, fetch_http, fetch_settings, tmp_path):
    fetch_http.expect_request("/gros.gpkg").respond_with_handler(_slow_body())
    feedback = QgsFeedback()
    seen = []

    def on_progress(progress):
        seen.append(progress)
        if progress > 10:
            feedback.cancel()

    feedback.progressChanged.connect(on_progress)
    dest = tmp_path / "sortie"
    started = time.monotonic()

    with pytest.raises(FetchCanceledError) as caught:
        fetch(fetch_http.url_for("/gros.gpkg"), dest, settings=fetch_settings, feedback=feedback)

    assert time.monotonic() - started < 1.9  # aborted, not read to the end
    assert 0 < max(seen) < 100
    assert fetch_http.url_for("/gros.gpkg") in str(caught.value)
    assert _cache_files(fetch_settings) == []
    assert not dest.exists()


def test_progress_reaches_100(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/f").respond_with_handler(_slow_body(chunks=4, pause=0.01))
    feedback = QgsFeedback()
    seen = []
    feedback.progressChanged.connect(seen.append)

    result = fetch(fetch_http.url_for("/f"), settings=fetch_settings, feedback=feedback)

    assert result.size == 4 * 64 * 1024 and seen[-1] == 100


def test_idle_server_times_out(qgis_app, fetch_http, fetch_settings):
    def silent(_request):
        time.sleep(2.5)
        return Response("late")

    fetch_http.expect_request("/lent").respond_with_handler(silent)
    fetch_settings.timeout_s = 1

    with pytest.raises(FetchTimeoutError) as caught:
        fetch(fetch_http.url_for("/lent"), settings=fetch_settings, retry=RetryPolicy(attempts=1))

    assert "1 s" in str(caught.value) and fetch_http.url_for("/lent") in str(caught.value)


def test_refused_connection_is_a_network_error(qgis_app, fetch_settings):
    url = "http://127.0.0.1:9/communes.json"  # discard port, nothing listens
    with pytest.raises(NetworkError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)
    assert url in str(caught.value) and "proxy" in str(caught.value)


def test_unknown_auth_config_is_a_clear_error(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/prive").respond_with_data("secret")
    with pytest.raises(AuthConfigError) as caught:
        fetch(fetch_http.url_for("/prive"), settings=fetch_settings, authcfg="zzzz999")
    assert "zzzz999" in str(caught.value)
    assert fetch_http.log == []  # nothing sent without the credentials the user asked for


class _FetchTask(QgsTask):
    def __init__(self, url, settings, dest=None):
        super().__init__("fetch test", QgsTask.Flag.CanCancel)
        self.url, self.settings, self.dest = url, settings, dest
        self.feedback = QgsFeedback()
        self.result = self.error = self.thread = None

    def run(self):
        self.thread = threading.get_ident()
        try:
            self.result = fetch(self.url, self.dest, settings=self.settings, retry=FAST,
                                feedback=self.feedback)
        except Exception as error:  # noqa: BLE001 - reported to the test
            self.error = error
        return self.error is None


def _run(task, until=None, timeout=15):
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + timeout
    while task.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated):
        assert time.monotonic() < deadline, "task did not finish"
        QCoreApplication.processEvents()
        if until is not None:
            until()
        time.sleep(0.01)


def test_fetch_runs_in_a_qgstask_worker_thread(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/r").respond_with_response(
        Response(status=302, headers={"Location": "/communes.geojson"}))
    fetch_http.expect_request("/communes.geojson").respond_with_data(COMMUNES)
    task = _FetchTask(fetch_http.url_for("/r"), fetch_settings)

    _run(task)

    assert task.error is None
    assert task.thread != threading.get_ident()
    assert task.result.read_bytes() == COMMUNES
    assert "QGIS/" in fetch_http.log[0][0].headers["User-Agent"]


def test_cancel_from_the_main_thread_stops_a_worker_download(qgis_app, fetch_http, fetch_settings,
                                                             tmp_path):
    fetch_http.expect_request("/gros.gpkg").respond_with_handler(_slow_body())
    task = _FetchTask(fetch_http.url_for("/gros.gpkg"), fetch_settings, tmp_path / "gros.gpkg")

    def cancel_once_started():
        if task.feedback.progress() > 5:
            task.feedback.cancel()  # what a Cancel button does, from the GUI thread

    started = time.monotonic()
    _run(task, until=cancel_once_started)

    assert isinstance(task.error, FetchCanceledError)
    assert time.monotonic() - started < 1.9
    assert _cache_files(fetch_settings) == [] and list(tmp_path.glob("gros*")) == []


def test_parse_retry_after_seconds_and_http_date():
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("") is None and parse_retry_after("bientôt") is None


def test_content_encoding_gzip_is_decoded_in_transit(qgis_app, fetch_http, fetch_settings):
    body = b"id;numero\n" + b"01001_0001_00001;1\n" * 500
    fetch_http.expect_request("/adresses-01.csv").respond_with_data(
        gzip.compress(body), headers={"Content-Encoding": "gzip"}, content_type="text/csv")

    result = fetch(fetch_http.url_for("/adresses-01.csv"), settings=fetch_settings)

    assert result.read_bytes() == body and result.size == len(body)
    assert "gzip" in fetch_http.log[0][0].headers["Accept-Encoding"]


@pytest.mark.qgis_before(32400)  # behaviour checked on QGIS 3.22 LTR: skipped, as allowed, on newer ones
def test_qgis_322_blocking_request_facts_behind_this_design(qgis_app, fetch_http):
    """Why fetch/ runs its own loop on QgsNetworkAccessManager instead of QgsBlockingNetworkRequest:
    QGIS replaces the User-Agent, drops custom headers on redirect, fails on a relative Location,
    and keeps the whole body in memory."""
    fetch_http.expect_request("/abs").respond_with_response(
        Response(status=302, headers={"Location": fetch_http.url_for("/final")}))
    fetch_http.expect_request("/rel").respond_with_response(
        Response(status=302, headers={"Location": "/final"}))
    fetch_http.expect_request("/final").respond_with_data("ok")

    def get(path):
        request = QNetworkRequest(QUrl(fetch_http.url_for(path)))
        request.setRawHeader(b"User-Agent", b"Mine/1.0")
        request.setRawHeader(b"Accept", b"application/geo+json")
        blocking = QgsBlockingNetworkRequest()
        return blocking.get(request), blocking

    code, blocking = get("/abs")
    assert code == QgsBlockingNetworkRequest.ErrorCode.NoError
    assert bytes(blocking.reply().content()) == b"ok"
    (first, _), (second, _) = fetch_http.log
    assert "Mine/1.0" not in first.headers["User-Agent"] and "QGIS/" in first.headers["User-Agent"]
    assert first.headers["Accept"] == "application/geo+json"
    assert second.headers.get("Accept") != "application/geo+json"  # lost on the redirect

    code, blocking = get("/rel")
    assert code != QgsBlockingNetworkRequest.ErrorCode.NoError  # 'Protocol "" is unknown'
