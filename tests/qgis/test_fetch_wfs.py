"""WFS client against a local server answering like the Géoplateforme: paging, filters, POST, checks."""

import json
import re
import threading
import time

import pytest
from qgis.core import QgsFeedback

from donnees_territoires.fetch import (
    DownloadCache,
    FetchCanceledError,
    HttpStatusError,
    RetryPolicy,
    WfsIncompleteError,
    WfsServiceError,
)
from donnees_territoires.fetch.wfs import (
    RateLimiter,
    WfsQuery,
    clear_feature_type_cache,
    get_features,
    parse_exception_report,
    parse_feature_type,
)
from tests.qgis.geoplateforme import (
    COMMUNE,
    COMMUNE_XSD,
    COMMUNES,
    EXCEPTION_REPORT,
    PARCELLE,
    PARCELLE_XSD,
    WFS_PATH,
    FakeGeoplateforme,
    _square,
    commune_features,
)

pytestmark = pytest.mark.network

FAST = RetryPolicy(attempts=2, base_delay_s=0.05, max_delay_s=0.1, max_total_wait_s=2)
#: generous enough not to slow the tests; the tests of the limit pass their own
UNLIMITED = RateLimiter(per_second=1000, burst=100)

@pytest.fixture(autouse=True)
def _fresh_descriptions():
    clear_feature_type_cache()
    yield
    clear_feature_type_cache()


@pytest.fixture
def geopf(fetch_http):
    fake = FakeGeoplateforme()
    fetch_http.expect_request(WFS_PATH).respond_with_handler(fake)
    fake.url = fetch_http.url_for(WFS_PATH)
    return fake


@pytest.fixture
def out(tmp_path):
    """The output folder (the cache of fetch_settings is elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _codes(path):
    return [f["properties"]["code_insee"] for f in json.loads(path.read_text())["features"]]


def test_pages_are_merged_in_sort_order_and_counted(qgis_app, geopf, fetch_settings, out):
    feedback = QgsFeedback()
    seen = []
    feedback.progressChanged.connect(seen.append)
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs")

    result = get_features(query, out, page_size=5, settings=fetch_settings, feedback=feedback,
                          limiter=UNLIMITED, retry=FAST)

    pages = geopf.get_features()
    assert [(p["params"]["STARTINDEX"], p["params"]["COUNT"]) for p in pages] == [
        ("0", "5"), ("5", "5"), ("10", "5"), ("15", "5"), ("20", "5"), ("25", "5")]
    assert all(p["params"]["SORTBY"] == "cleabs" and p["params"]["SRSNAME"] == "EPSG:4326"
               and p["params"]["OUTPUTFORMAT"] == "application/json" for p in pages)
    assert all("QGIS/" in p["user_agent"] for p in pages)  # QGIS's network stack, worker threads too
    data = json.loads(result.path.read_text(encoding="utf-8"))
    cleabs = [f["properties"]["cleabs"] for f in data["features"]]
    assert result.path == out / "commune.geojson"
    assert len(cleabs) == 28 and cleabs == sorted(cleabs)
    assert data["numberMatched"] == data["numberReturned"] == 28 and data["name"] == "commune"
    assert data["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4326"
    assert (result.number_matched, result.feature_count, result.crs) == (28, 28, "EPSG:4326")
    assert result.geometry_column == "geometrie"  # from the pages' geometry_name
    assert seen[-1] == 100 and _leftovers(out) == []
    layer = result.open_layer()
    assert layer.isValid() and layer.featureCount() == 28 and layer.name() == "commune"
    assert {f["code_insee"] for f in layer.getFeatures()} == {code for code, _ in COMMUNES}
    manifest = result.to_manifest()
    json.dumps(manifest)
    assert [page["start_index"] for page in manifest["pages"]] == [0, 5, 10, 15, 20, 25]
    assert all(page["method"] == "GET" and "STARTINDEX=" in page["url"] for page in manifest["pages"])
    assert manifest["params"]["TYPENAMES"] == COMMUNE and manifest["number_matched"] == 28
    assert manifest["sha256"] == result.sha256 and len(manifest["pages"][0]["sha256"]) == 64


def test_pages_are_fetched_in_parallel(qgis_app, geopf, fetch_settings, out):
    geopf.delay = 0.2
    started = time.monotonic()

    get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=4,
                 max_workers=3, settings=fetch_settings, limiter=UNLIMITED)

    # first page alone (it says how many there are), then 6 pages on 3 workers: 3 rounds of 0.2 s
    assert len(geopf.get_features()) == 7 and geopf.peak == 3
    assert time.monotonic() - started < 1.2


def test_rate_limiter_is_shared_by_threads():
    limiter = RateLimiter(per_second=50, burst=2)
    times = []

    def take():
        for _ in range(3):
            limiter.acquire()
            times.append(time.monotonic())

    workers = [threading.Thread(target=take) for _ in range(4)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    # 12 requests, 2 at once, then 50 a second: 10 of them wait 1/50 s each
    assert time.monotonic() - started >= 10 / 50 - 0.01
    window = [t for t in times if t - started < 0.1]
    assert len(window) <= 2 + 0.1 * 50 + 1


def test_rate_limit_applies_to_the_pages(qgis_app, geopf, fetch_settings, out):
    get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=4,
                 max_workers=4, settings=fetch_settings, limiter=RateLimiter(per_second=20, burst=1))

    starts = sorted(entry["at"] for entry in geopf.get_features())
    assert len(starts) == 7
    assert starts[-1] - starts[0] >= 6 / 20 - 0.02


def test_server_cap_below_page_size_is_followed(qgis_app, geopf, fetch_settings, out):
    geopf.cap = 10  # the Géoplateforme's is 5 000

    result = get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=25,
                          settings=fetch_settings, limiter=UNLIMITED)

    assert [(p["params"]["STARTINDEX"], p["params"]["COUNT"]) for p in geopf.get_features()] == [
        ("0", "25"), ("10", "10"), ("20", "10")]
    assert result.feature_count == 28 and len(set(_codes(result.path))) == 28


def test_attribute_filter_is_a_cql_in_list(qgis_app, geopf, fetch_settings, out):
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", property_name="code_insee",
                     property_values=("33063", "33281", "33318"))

    result = get_features(query, out / "metropole.geojson", settings=fetch_settings,
                          limiter=UNLIMITED)

    (request,) = geopf.requests  # no DescribeFeatureType: the filter does not name the geometry
    assert request["method"] == "GET"
    assert request["params"]["CQL_FILTER"] == "code_insee IN ('33063','33281','33318')"
    assert sorted(_codes(result.path)) == ["33063", "33281", "33318"]


def test_quotes_in_filter_values_are_escaped(qgis_app, geopf, fetch_settings, out):
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", property_name="nom_officiel",
                     property_values=("Villenave-d'Ornon",))

    result = get_features(query, out, settings=fetch_settings, limiter=UNLIMITED)

    assert geopf.requests[0]["params"]["CQL_FILTER"] == "nom_officiel IN ('Villenave-d''Ornon')"
    assert _codes(result.path) == ["33550"]


def test_no_matching_feature_gives_an_empty_valid_layer(qgis_app, geopf, fetch_settings, out):
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", property_name="code_insee",
                     property_values=("97101",))

    result = get_features(query, out, settings=fetch_settings, limiter=UNLIMITED)

    assert (result.feature_count, result.number_matched, len(geopf.requests)) == (0, 0, 1)
    assert json.loads(result.path.read_text())["features"] == []
    assert result.open_layer().isValid()


def test_bbox_alone_is_the_bbox_parameter_with_its_crs(qgis_app, geopf, fetch_settings, out):
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", bbox=(-0.755, 44.745, -0.695, 44.765))

    result = get_features(query, out, settings=fetch_settings, limiter=UNLIMITED)

    (request,) = geopf.requests
    assert request["params"]["BBOX"] == "-0.755,44.745,-0.695,44.765,EPSG:4326"
    assert "CQL_FILTER" not in request["params"]
    assert sorted(_codes(result.path)) == ["33003", "33004"]


def test_spatial_filters_use_each_layers_geometry_column(qgis_app, geopf, fetch_settings, out):
    polygon = "POLYGON((-0.5785 44.8405,-0.5745 44.8405,-0.5745 44.8415,-0.5785 44.8415,-0.5785 44.8405))"
    parcelles = WfsQuery(PARCELLE, geopf.url, sort_by="idu", intersects_wkt=polygon)
    communes = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", bbox=(-0.76, 44.74, -0.59, 44.76),
                        property_name="code_insee", property_values=("33003", "33013", "33063"))

    first = get_features(parcelles, out / "p1.geojson", settings=fetch_settings, limiter=UNLIMITED)
    again = get_features(parcelles, out / "p2.geojson", settings=fetch_settings, limiter=UNLIMITED)
    both = get_features(communes, out / "c.geojson", settings=fetch_settings, limiter=UNLIMITED)

    describe = [r["params"]["TYPENAMES"] for r in geopf.requests
                if r["params"]["REQUEST"] == "DescribeFeatureType"]
    assert describe == [PARCELLE, COMMUNE]  # one description per layer, kept for the session
    filters = [r["params"]["CQL_FILTER"] for r in geopf.get_features()]
    assert filters[0] == f"INTERSECTS(geom, SRID=4326;{polygon})" and filters[1] == filters[0]
    assert filters[2] == ("BBOX(geometrie, -0.76, 44.74, -0.59, 44.76, 'EPSG:4326') AND "
                          "code_insee IN ('33003','33013','33063')")
    assert first.geometry_column == "geom" and both.geometry_column == "geometrie"
    idus = [f["properties"]["idu"] for f in json.loads(again.path.read_text())["features"]]
    assert idus == ["33063000AB0002", "33063000AB0003"]
    assert sorted(_codes(both.path)) == ["33003", "33013"]


def _territory(vertices=400):
    """A polygon with many vertices, like a commune contour: too long for a URL."""
    import math

    ring = [(-0.64 + 0.2 * math.cos(2 * math.pi * i / vertices),
             44.85 + 0.12 * math.sin(2 * math.pi * i / vertices)) for i in range(vertices)]
    ring.append(ring[0])
    return "POLYGON((" + ",".join(f"{x:.6f} {y:.6f}" for x, y in ring) + "))"


def test_long_filter_is_posted_as_a_form(qgis_app, geopf, fetch_settings, out):
    territory = _territory()
    query = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", intersects_wkt=territory)

    result = get_features(query, out, page_size=10, settings=fetch_settings, limiter=UNLIMITED)

    pages = geopf.get_features()
    assert [p["method"] for p in pages] == ["POST"] * len(pages) and len(pages) >= 2
    # GeoServer reads a POST as key-value parameters only with exactly this content type
    assert {p["content_type"] for p in pages} == {"application/x-www-form-urlencoded"}
    assert all(p["params"]["CQL_FILTER"] == f"INTERSECTS(geometrie, SRID=4326;{territory})"
               for p in pages)
    assert [p["params"]["STARTINDEX"] for p in pages] == [str(10 * i) for i in range(len(pages))]
    assert all(p["path"] == WFS_PATH and p["params"]["SERVICE"] == "WFS" for p in pages)
    assert result.feature_count == result.number_matched > 10
    manifest = result.to_manifest()
    assert {(page["method"], page["url"]) for page in manifest["pages"]} == {("POST", geopf.url)}
    assert all(len(page["body_sha256"]) == 64 for page in manifest["pages"])
    assert "sha256" in manifest["params"]["CQL_FILTER"]  # a territory is not copied in the manifest

    # cached under URL + body: the same query is served from the cache, another one is not
    get_features(query, out / "encore.geojson", page_size=10, settings=fetch_settings,
                 limiter=UNLIMITED, max_age_s=3600)
    assert len(geopf.get_features()) == len(pages)
    smaller = WfsQuery(COMMUNE, geopf.url, sort_by="cleabs", intersects_wkt=_territory(399))
    get_features(smaller, out / "autre.geojson", page_size=10, settings=fetch_settings,
                 limiter=UNLIMITED, max_age_s=3600)
    assert len(geopf.get_features()) > len(pages)


def test_mirror_gets_the_get_urls_and_the_posts_on_the_same_path(qgis_app, fetch_http, fetch_settings,
                                                                 out):
    fake = FakeGeoplateforme()
    fetch_http.expect_request("/miroir/127.0.0.1:9/wfs/ows").respond_with_handler(fake)
    fetch_settings.mirror_url = fetch_http.url_for("/miroir")
    origin = "https://127.0.0.1:9/wfs/ows"  # closed port: only the mirror can answer

    short = get_features(WfsQuery(COMMUNE, origin, sort_by="cleabs", property_name="code_insee",
                                  property_values=("33063",)), out / "a.geojson",
                         settings=fetch_settings, limiter=UNLIMITED)
    long = get_features(WfsQuery(COMMUNE, origin, sort_by="cleabs", intersects_wkt=_territory()),
                        out / "b.geojson", settings=fetch_settings, limiter=UNLIMITED)

    methods = [(r["method"], r["params"]["REQUEST"]) for r in fake.requests]
    assert methods == [("GET", "GetFeature"), ("GET", "DescribeFeatureType"), ("POST", "GetFeature")]
    assert {r["path"] for r in fake.requests} == {"/miroir/127.0.0.1:9/wfs/ows"}
    assert _codes(short.path) == ["33063"] and long.feature_count > 1
    assert short.pages[0].url.startswith(origin + "?")  # the manifest names the origin
    assert short.pages[0].result.final_url.startswith(fetch_http.url_for("/miroir/127.0.0.1:9/"))


def test_exception_report_with_status_400_names_layer_url_and_text(qgis_app, geopf, fetch_settings,
                                                                   out):
    with pytest.raises(WfsServiceError) as caught:
        get_features(WfsQuery("BDTOPO_V3:batiments", geopf.url, sort_by="cleabs"), out,
                     settings=fetch_settings, limiter=UNLIMITED, retry=FAST)

    error = caught.value
    assert (error.status, error.code, error.locator) == (400, "InvalidParameterValue", "typeName")
    assert error.text == "Feature type BDTOPO_V3:batiments unknown"
    message = str(error)
    assert "BDTOPO_V3:batiments" in message and "Feature type BDTOPO_V3:batiments unknown" in message
    assert geopf.url + "?SERVICE=WFS" in message and "TYPENAMES=BDTOPO_V3:batiments" in message
    assert len(geopf.requests) == 1  # a 400 is not retried
    assert list(out.iterdir()) == []


def test_exception_report_with_status_200_is_an_error_too(qgis_app, fetch_http, fetch_settings, out):
    fetch_http.expect_request(WFS_PATH).respond_with_response(FakeGeoplateforme.report(
        "NoApplicableCode", "", "java.lang.RuntimeException: Unable to encode the result", status=200))
    url = fetch_http.url_for(WFS_PATH)

    with pytest.raises(WfsServiceError) as caught:
        get_features(WfsQuery(COMMUNE, url, sort_by="cleabs"), out, settings=fetch_settings,
                     limiter=UNLIMITED)

    assert caught.value.status == 200 and "Unable to encode the result" in str(caught.value)
    assert COMMUNE in str(caught.value) and url in str(caught.value)
    assert DownloadCache.from_settings(fetch_settings).entries() == []
    assert list(out.iterdir()) == []


def _cut_page(start_to_cut, keep, lie=False):
    def tamper(start, body):
        if start == start_to_cut:
            body["features"] = body["features"][:keep]
            if not lie:
                body["numberReturned"] = keep
        return body
    return tamper


@pytest.mark.parametrize("lie", [False, True], ids=["short-page", "numberReturned-lies"])
def test_a_page_cut_short_is_an_error_and_is_not_cached(qgis_app, geopf, fetch_settings, out, lie):
    geopf.tamper = _cut_page(10, 3, lie)

    with pytest.raises(WfsIncompleteError) as caught:
        get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out / "c.geojson",
                     page_size=5, settings=fetch_settings, limiter=UNLIMITED)

    error = caught.value
    assert (error.expected, error.received) == (5, 3)
    assert COMMUNE in str(error) and "STARTINDEX=10" in str(error) and geopf.url in str(error)
    assert "rien n'a été écrit" in str(error)
    assert list(out.iterdir()) == []
    # no page of a refused result stays in the cache: a later run must not rebuild it from them
    assert DownloadCache.from_settings(fetch_settings).entries() == []
    assert any(p["params"]["STARTINDEX"] == "0" for p in geopf.get_features())


def test_a_count_changing_between_pages_is_an_error(qgis_app, geopf, fetch_settings, out):
    def tamper(start, body):
        if start >= 10:  # a feature was added on the server meanwhile
            body["numberMatched"] = body["totalFeatures"] = 29
        return body
    geopf.tamper = tamper

    with pytest.raises(WfsIncompleteError, match="ont changé pendant le téléchargement"):
        get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=5,
                     settings=fetch_settings, limiter=UNLIMITED, max_age_s=3600)
    assert list(out.iterdir()) == []
    assert DownloadCache.from_settings(fetch_settings).entries() == []


def test_without_number_matched_pages_run_until_an_empty_one(qgis_app, geopf, fetch_settings, out):
    def tamper(start, body):
        body.pop("numberMatched")
        body["totalFeatures"] = "unknown"
        return body
    geopf.tamper, geopf.cap = tamper, 10

    result = get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=25,
                          settings=fetch_settings, limiter=UNLIMITED)

    assert [p["params"]["STARTINDEX"] for p in geopf.get_features()] == ["0", "10", "20", "28"]
    assert result.number_matched is None and result.feature_count == 28


def test_overlapping_pages_without_sort_key_are_detected(qgis_app, geopf, fetch_settings, out):
    def unstable(start, body):
        if start == 5:  # no order: the server served part of the first page again
            body["features"][0] = commune_features()[0]
        return body
    geopf.tamper = unstable

    with pytest.raises(WfsIncompleteError, match="se chevauchent"):
        get_features(WfsQuery(COMMUNE, geopf.url), out, page_size=5, settings=fetch_settings,
                     limiter=UNLIMITED)
    assert list(out.iterdir()) == []


def test_a_service_ignoring_startindex_is_detected_even_with_a_sort_key(qgis_app, geopf, fetch_settings, out):
    """Issue 14: a WFS that ignores STARTINDEX serves the first page again and again — as many features as
    announced, each of the first page several times (same cleabs). Sorted paging keeps only each page's
    first id: enough to tell."""
    def ignores_startindex(_start, body):
        body["features"] = sorted(commune_features(), key=lambda f: f["properties"]["cleabs"])[:len(body["features"])]
        return body
    geopf.tamper = ignores_startindex

    with pytest.raises(WfsIncompleteError, match="ignorer la pagination"):
        get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, page_size=5, settings=fetch_settings,
                     limiter=UNLIMITED)
    assert list(out.iterdir()) == []


def test_cancel_stops_every_page_and_leaves_nothing(qgis_app, geopf, fetch_settings, out):
    geopf.delay = 0.3
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda progress: progress > 0 and feedback.cancel())
    started = time.monotonic()

    with pytest.raises(FetchCanceledError) as caught:
        get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out / "c.geojson",
                     page_size=2, max_workers=2, settings=fetch_settings, feedback=feedback,
                     limiter=UNLIMITED)

    assert "annulé" in str(caught.value) and COMMUNE in str(caught.value)
    assert time.monotonic() - started < 1.0  # 14 pages of 0.3 s on 2 workers would take 2 s
    assert list(out.iterdir()) == []


def test_cancel_from_another_thread_interrupts_the_first_page(qgis_app, geopf, fetch_settings, out):
    geopf.delay = 1.5
    feedback = QgsFeedback()
    threading.Timer(0.3, feedback.cancel).start()
    started = time.monotonic()

    with pytest.raises(FetchCanceledError):
        get_features(WfsQuery(COMMUNE, geopf.url, sort_by="cleabs"), out, settings=fetch_settings,
                     feedback=feedback, limiter=UNLIMITED)

    assert time.monotonic() - started < 1.0
    assert list(out.iterdir()) == []


def test_layer_in_lambert_93_keeps_its_crs(qgis_app, fetch_http, fetch_settings, out):
    fake = FakeGeoplateforme(crs="urn:ogc:def:crs:EPSG::2154")
    for feature in fake.layers[COMMUNE][2]:
        feature["geometry"] = _square(417000 + len(feature["id"]), 6420000, 500)
    fetch_http.expect_request(WFS_PATH).respond_with_handler(fake)

    result = get_features(WfsQuery(COMMUNE, fetch_http.url_for(WFS_PATH), srsname="EPSG:2154",
                                   sort_by="cleabs"), out, page_size=10,
                          settings=fetch_settings, limiter=UNLIMITED)
    layer = result.open_layer("Communes")

    assert fake.requests[0]["params"]["SRSNAME"] == "EPSG:2154"
    assert layer.isValid() and layer.name() == "Communes" and layer.featureCount() == 28
    assert layer.crs().authid() == "EPSG:2154"


def test_offline_mode_serves_the_pages_from_the_cache(qgis_app, geopf, fetch_settings, out):
    query = WfsQuery(PARCELLE, geopf.url, sort_by="idu", intersects_wkt=_territory())
    online = get_features(query, out / "en-ligne.geojson", page_size=4, settings=fetch_settings,
                          limiter=UNLIMITED)
    clear_feature_type_cache()
    fetch_settings.offline = True
    count = len(geopf.requests)

    offline = get_features(query, out / "hors-ligne.geojson", page_size=4,
                           settings=fetch_settings, limiter=UNLIMITED)

    assert len(geopf.requests) == count
    assert offline.path.read_bytes() == online.path.read_bytes()
    assert all(page.result.from_cache for page in offline.pages)


def test_query_from_a_catalog_url():
    url = ("https://data.geopf.fr/wfs/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature"
           "&TYPENAMES=ADMINEXPRESS-COG.LATEST:commune&OUTPUTFORMAT=application/json"
           "&SRSNAME=EPSG:4326&SORTBY=cleabs&CQL_FILTER=code_insee%20IN%20('33063','33281')"
           "&COUNT=1000&apikey=cle")
    query = WfsQuery.from_url(url)

    assert (query.typename, query.srsname, query.sort_by) == (COMMUNE, "EPSG:4326", "cleabs")
    assert query.cql_filter == "code_insee IN ('33063','33281')"
    assert query.service_url == "https://data.geopf.fr/wfs/ows"
    assert query.extra_params == (("apikey", "cle"),)
    params = dict(query.params())
    assert params["CQL_FILTER"] == "code_insee IN ('33063','33281')" and "COUNT" not in params
    bbox = WfsQuery.from_url("https://data.geopf.fr/wfs/ows?TYPENAMES=BDTOPO_V3:batiment"
                             "&BBOX=-0.7,44.8,-0.5,44.9,EPSG:4326")
    assert bbox.bbox == (-0.7, 44.8, -0.5, 44.9) and bbox.bbox_crs == "EPSG:4326"
    assert dict(bbox.params())["BBOX"] == "-0.7,44.8,-0.5,44.9,EPSG:4326"
    fes = WfsQuery.from_url("https://data.geopf.fr/wfs/ows?TYPENAMES=BDTOPO_V3:batiment&FILTER=%3Cfes:Filter/%3E")
    assert fes.extra_params == (("FILTER", "<fes:Filter/>"),)  # an XML filter is kept, never dropped


def test_parse_feature_type_finds_the_geometry_column():
    commune = parse_feature_type(COMMUNE_XSD.encode(), COMMUNE)
    parcelle = parse_feature_type(PARCELLE_XSD.encode(), PARCELLE)
    table = parse_feature_type(re.sub(r'<xsd:element[^>]*name="geometrie"[^>]*/>', "",
                                      COMMUNE_XSD).encode(), COMMUNE)

    assert (commune.geometry_column, commune.geometry_type) == ("geometrie", "MultiSurface")
    assert [name for name, _type in commune.properties][:3] == ["cleabs", "nom_officiel", "code_insee"]
    assert parcelle.geometry_column == "geom"
    assert table.geometry_column == ""


def test_parse_exception_report_variants():
    report = EXCEPTION_REPORT.format(code="InvalidParameterValue", locator="typeName", text="x unknown")
    (item,) = parse_exception_report(report.encode())
    assert (item.code, item.locator, item.text) == ("InvalidParameterValue", "typeName", "x unknown")
    wms = b'<ServiceExceptionReport><ServiceException code="LayerNotDefined">Couche</ServiceException>'
    assert parse_exception_report(wms + b"</ServiceExceptionReport>")[0].code == "LayerNotDefined"
    cut = report.index("</ows:ExceptionText>") + 25  # error bodies are kept truncated
    assert parse_exception_report(report.encode()[:cut])[0].text == "x unknown"
    assert parse_exception_report(b'{"type":"FeatureCollection"}') == []


def test_server_error_on_a_posted_page_names_the_layer_and_the_page(qgis_app, fetch_http, fetch_settings,
                                                                    out):
    fetch_http.expect_request(WFS_PATH, method="GET").respond_with_data(
        COMMUNE_XSD, content_type="application/gml+xml; version=3.2")
    fetch_http.expect_request(WFS_PATH, method="POST").respond_with_data("Bad Gateway", status=502)
    url = fetch_http.url_for(WFS_PATH)

    with pytest.raises(HttpStatusError) as caught:
        get_features(WfsQuery(COMMUNE, url, sort_by="cleabs", intersects_wkt=_territory()), out,
                     settings=fetch_settings, limiter=UNLIMITED, retry=FAST)

    message = str(caught.value)
    assert caught.value.status == 502 and "2 tentative(s)" in message
    assert f"{url} [POST TYPENAMES={COMMUNE} STARTINDEX=0 COUNT=5000]" in message
    assert list(out.iterdir()) == []
