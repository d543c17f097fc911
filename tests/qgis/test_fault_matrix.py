"""Issue 14, item 8: the fault matrix. A good package of Bordeaux (addresses and parcels) is written from a
local server shaped like the real hosts (127.0.0.1 only); then the addresses' source misbehaves in one way
per case, and build_package, refresh_package and STRICT runs must end with correct data or a French sentence
naming the dataset and the URL — never a traceback — and the package byte-identical (SHA-256).
"""

import gzip
import hashlib
import json
import re

import pytest
from qgis.core import QgsProcessingException, QgsSettings
from werkzeug import Response

from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel
from tests.qgis.test_partial_package import BAN, PARCELS, manifest_of

pytestmark = pytest.mark.network

ADDRESSES = 120


def ban_body(count=ADDRESSES) -> bytes:
    rows = [BAN_HEADER] + [ban_row("33063", "Bordeaux", n, -0.58 + n * 0.0001, 44.84) for n in range(count)]
    # mtime 0: the same rows make the same bytes (gzip stamps the time otherwise), as a producer's unchanged file
    return gzip.compress(("\n".join(rows) + "\n").encode(), mtime=0)


def _bad_crc(body: bytes) -> bytes:
    damaged = bytearray(body)
    damaged[-8] ^= 0xFF
    return bytes(damaged)


#: case → (what the addresses' URL answers, a fragment of the failure line). Each is a Response factory
#: taking the test's tmp_path (for the file:// redirect).
FAULTS = {
    "gzip coupé (Content-Length juste)": (lambda _tmp: Response(ban_body()[:300], content_type="application/gzip"),
                                         "gzip tronqué"),
    "gzip au CRC faux": (lambda _tmp: Response(_bad_crc(ban_body()), content_type="application/gzip"),
                         "gzip corrompu"),
    "réponse vide": (lambda _tmp: Response(b"", content_type="application/gzip"), "réponse vide"),
    "page HTML à la place des données": (
        lambda _tmp: Response("<!DOCTYPE html><html><title>Maintenance</title></html>", content_type="text/html"),
        "page HTML"),
    "erreur 500 persistante": (lambda _tmp: Response("Internal Server Error", status=500), "500"),
    "fichier absent (404)": (lambda _tmp: Response("Not Found", status=404), "404 (ressource introuvable)"),
    "redirection vers file://": (
        lambda tmp: Response(status=302, headers={"Location": (tmp / "adresses-33.csv.gz").as_uri()}),
        "http et https"),
    "bombe gzip": (lambda _tmp: Response(gzip.compress(b"\0" * (3 * 1024**2)), content_type="application/gzip"),
                   "dépasse 1 Mo"),
    # the producer's file changed shape: French sentences, never a traceback
    "CSV séparé par « : »": (lambda _tmp: Response(_csv(separator=":"), content_type="application/gzip"),
                             "ni du CSV"),
    "CSV sans colonnes lon/lat": (
        lambda _tmp: Response(_csv(header=BAN_HEADER.replace(";lon;", ";xx;").replace(";lat;", ";yy;")),
                              content_type="application/gzip"), "pas de colonnes lon/lat"),
    "CSV en UTF-16": (lambda _tmp: Response(_csv(encoding="utf-16"), content_type="application/gzip"),
                      "adresses-33.csv.gz"),
    "CSV réduit à son en-tête": (lambda _tmp: Response(gzip.compress((BAN_HEADER + "\n").encode(), mtime=0),
                                                       content_type="application/gzip"), "aucune ligne de données"),
    "JSON qui n'est pas du GeoJSON": (lambda _tmp: Response(gzip.compress(b'{"adresses": [1, 2]}'),
                                                            content_type="application/gzip"), "adresses-33.csv.gz"),
}


def _csv(separator=";", encoding="utf-8", header=BAN_HEADER) -> bytes:
    rows = [header] + [ban_row("33063", "Bordeaux", n, -0.58 + n * 0.0001, 44.84) for n in range(ADDRESSES)]
    return gzip.compress(("\n".join(rows) + "\n").replace(";", separator).encode(encoding))


class FaultServer:
    """The mirror: parcels always whole; the addresses whole, or answering the current fault."""

    def __init__(self, server, tmp_path):
        self.server = server
        self.tmp_path = tmp_path
        self.fault = None
        self.served = {}
        collection = {"type": "FeatureCollection",
                      "features": [parcel("33063", n, -0.58 + n * 0.002, 44.84) for n in range(1, 6)]}
        parcels = gzip.compress(json.dumps(collection).encode())
        server.expect_request(BAN).respond_with_handler(self._addresses)
        server.expect_request(PARCELS).respond_with_data(parcels, content_type="application/gzip",
                                                         headers={"ETag": '"parcelles-1"'})
        server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
        # a local file the redirect points at: it must never be read
        (tmp_path / "adresses-33.csv.gz").write_bytes(ban_body(7))

    def _addresses(self, _request):
        self.served[BAN] = self.served.get(BAN, 0) + 1
        if self.fault is None:
            return Response(ban_body(), content_type="application/gzip", headers={"ETag": '"ban-1"'})
        return self.fault(self.tmp_path)


@pytest.fixture
def faults(mirror, tmp_path):
    settings = QgsSettings()
    # one attempt per download, 1 MB of expansion at most: the matrix stays quick, the bomb small
    saved = {key: settings.value(f"donnees_territoires/{key}") for key in ("max_expanded_mb",)}
    settings.setValue("donnees_territoires/max_expanded_mb", 1)
    server = FaultServer(mirror, tmp_path)
    yield server
    for key, value in saved.items():
        if value is None:
            settings.remove(f"donnees_territoires/{key}")
        else:
            settings.setValue(f"donnees_territoires/{key}", value)


def run(algorithm: str, parameters: dict) -> dict:
    import processing

    return processing.run(f"donnees_territoires:{algorithm}", parameters)


def build(target, **extra) -> dict:
    return run("build_package", {"TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles",
                                 "OUTPUT": str(target), "LOAD_RESULTS": False, **extra})


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def good_package(faults, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    build(target)
    _manifest, layers = manifest_of(target)
    assert layers["ban_adresses"][0] == ADDRESSES and layers["cadastre_parcelles"][0] == 5
    return target, sha256(target)


def _the_line_names_the_dataset_and_says_why(line: str, why: str):
    assert line.startswith("ban-adresses : ") and why in line, line
    assert "Traceback" not in line and len(line) <= 160


@pytest.mark.parametrize("case", list(FAULTS))
def test_build_package_keeps_the_previous_addresses_byte_identical(qgis_app, dt_processing, faults, tmp_path,
                                                                  case):
    target, before = good_package(faults, tmp_path)
    faults.fault, why = FAULTS[case]
    # the cache holds the good copy: the server is asked again (a new copy) only past max age; drop it so the
    # fault is met, as on the next day
    import shutil
    shutil.rmtree(tmp_path / "cache")

    results = build(target)

    assert results["FAILED_DATASETS"] == "ban-adresses", results
    (line,) = results["FAILURES"].splitlines()
    _the_line_names_the_dataset_and_says_why(line, why)
    # the addresses kept as they were, the parcels unchanged: nothing rewritten
    assert results["UNCHANGED"] is True and sha256(target) == before


@pytest.mark.parametrize("case", ["gzip coupé (Content-Length juste)", "redirection vers file://", "bombe gzip"])
def test_refresh_package_keeps_the_previous_package_byte_identical(qgis_app, dt_processing, faults, tmp_path,
                                                                  case):
    target, before = good_package(faults, tmp_path)
    faults.fault, why = FAULTS[case]
    import shutil
    shutil.rmtree(tmp_path / "cache")

    results = run("refresh_package", {"PACKAGE": str(target)})

    assert results["FAILED_DATASETS"] == "ban-adresses"
    _the_line_names_the_dataset_and_says_why(results["FAILURES"].splitlines()[0], why)
    assert sha256(target) == before


@pytest.mark.parametrize("case", ["gzip coupé (Content-Length juste)", "réponse vide"])
def test_strict_fails_in_french_and_leaves_the_package_byte_identical(qgis_app, dt_processing, faults, tmp_path,
                                                                     case):
    target, before = good_package(faults, tmp_path)
    faults.fault, why = FAULTS[case]
    import shutil
    shutil.rmtree(tmp_path / "cache")

    with pytest.raises(QgsProcessingException) as caught:
        build(target, STRICT=True)

    message = str(caught.value)
    assert why in message and BAN in message and "Traceback" not in message
    assert sha256(target) == before


def test_a_truncated_copy_is_never_reused_through_a_304(qgis_app, dt_processing, faults, tmp_path):
    """The reported chain: a cut .gz cached with its ETag, then « inchangé » on every rerun (304)."""
    target = tmp_path / "bordeaux.gpkg"
    faults.fault = FAULTS["gzip coupé (Content-Length juste)"][0]
    first = build(target)
    assert first["FAILED_DATASETS"] == "ban-adresses"
    faults.fault = None  # the producer's file is whole again
    second = build(target)
    assert second["FAILED_DATASETS"] == "" and second["UNCHANGED"] is False
    _manifest, layers = manifest_of(target)
    assert layers["ban_adresses"][0] == ADDRESSES


def test_a_header_only_csv_is_refused_on_a_first_build_too(qgis_app, dt_processing, faults, tmp_path):
    """No previous package to compare with: the empty file itself is refused, not written as 0 addresses."""
    target = tmp_path / "bordeaux.gpkg"
    faults.fault = FAULTS["CSV réduit à son en-tête"][0]

    results = build(target)

    assert results["FAILED_DATASETS"] == "ban-adresses"
    _the_line_names_the_dataset_and_says_why(results["FAILURES"].splitlines()[0], "aucune ligne de données")
    _manifest, layers = manifest_of(target)
    assert "ban_adresses" not in layers and layers["cadastre_parcelles"][0] == 5


def test_cut_parcels_are_said_in_french_not_as_a_traceback(qgis_app, dt_processing, faults, fetch_http, tmp_path):
    """Reported: a cadastre .json.gz cut short gave a traceback, then the same failure on every rerun."""
    target, before = good_package(faults, tmp_path)
    import shutil
    shutil.rmtree(tmp_path / "cache")
    collection = {"type": "FeatureCollection", "features": [parcel("33063", n, -0.58, 44.84) for n in range(1, 6)]}
    fetch_http.clear_all_handlers()
    fetch_http.expect_request(BAN).respond_with_handler(faults._addresses)
    fetch_http.expect_request(PARCELS).respond_with_data(gzip.compress(json.dumps(collection).encode())[:-20],
                                                         content_type="application/gzip")

    results = build(target)

    assert results["FAILED_DATASETS"] == "cadastre-parcelles"
    (line,) = results["FAILURES"].splitlines()
    assert line.startswith("cadastre-parcelles : ") and "gzip tronqué" in line and "Traceback" not in line
    assert sha256(target) == before


# -- item 2: a source that lost features is not trusted -------------------------------------------------------
def _serving(count):
    return lambda _tmp: Response(ban_body(count), content_type="application/gzip", headers={"ETag": f'"ban-{count}"'})


@pytest.mark.parametrize("count", [1, 90], ids=["presque vidée", "un quart en moins"])
def test_a_source_that_lost_features_keeps_the_previous_table_byte_identical(qgis_app, dt_processing, faults,
                                                                            tmp_path, count):
    target, before = good_package(faults, tmp_path)
    faults.fault = _serving(count)

    results = build(target)

    assert results["FAILED_DATASETS"] == "ban-adresses"
    (line,) = results["FAILURES"].splitlines()
    assert f"a perdu {ADDRESSES - count} des {ADDRESSES} entités" in line and "20 %" in line, line
    assert results["UNCHANGED"] is True and sha256(target) == before
    # refresh_package holds it likewise; STRICT fails
    refreshed = run("refresh_package", {"PACKAGE": str(target)})
    assert refreshed["FAILED_DATASETS"] == "ban-adresses" and sha256(target) == before
    with pytest.raises(QgsProcessingException) as caught:
        build(target, STRICT=True)
    assert "a perdu" in str(caught.value) and sha256(target) == before


def test_a_real_drop_is_accepted_with_a_larger_max_loss_which_the_manifest_records(qgis_app, dt_processing, faults,
                                                                                  tmp_path):
    target, _before = good_package(faults, tmp_path)
    faults.fault = _serving(90)

    results = build(target, MAX_LOSS=30)

    assert results["FAILED_DATASETS"] == "" and results["UNCHANGED"] is False
    manifest, layers = manifest_of(target)
    assert layers["ban_adresses"][0] == 90 and json.loads(manifest["recipe"])["max_loss_pct"] == 30


def test_a_small_loss_is_written(qgis_app, dt_processing, faults, tmp_path):
    target, _before = good_package(faults, tmp_path)
    faults.fault = _serving(ADDRESSES - 4)  # fewer than 5 features: never held against the source

    assert build(target)["FAILED_DATASETS"] == ""
    assert manifest_of(target)[1]["ban_adresses"][0] == ADDRESSES - 4


# -- refresh_package on a package it cannot use: French sentences, the package byte-identical ------------------
@pytest.mark.parametrize("recipe", ['{"territory": 5, "datasets": "ban-adresses", "inconnu": 1}', "pas du JSON",
                                    '{"datasets": ["ban-adresses"]}'], ids=["types", "json", "incomplete"])
def test_a_corrupted_recipe_is_said_in_french(qgis_app, dt_processing, faults, tmp_path, recipe):
    import sqlite3

    target, _before = good_package(faults, tmp_path)
    with sqlite3.connect(target) as db:
        db.execute("UPDATE manifest SET value = ? WHERE key = 'recipe'", (recipe,))
    db.close()
    before = sha256(target)

    with pytest.raises(QgsProcessingException) as caught:
        run("refresh_package", {"PACKAGE": str(target)})

    message = str(caught.value)
    assert "Traceback" not in message and str(target) in message, message
    assert "recette" in message or "manifeste" in message, message
    assert sha256(target) == before



# -- item 5 and 7: impossible values are left out and counted, never written -------------------------------------
def _layer_row(target, table):
    import sqlite3

    with sqlite3.connect(target) as db:
        row = db.execute("SELECT feature_count, warnings, extent_xmin, extent_ymin, extent_xmax, extent_ymax "
                         "FROM manifest_layers WHERE table_name = ?", (table,)).fetchone()
    return row[0], json.loads(row[1] or "[]"), row[2:]


def test_addresses_with_impossible_coordinates_are_left_out_and_counted(qgis_app, dt_processing, faults, tmp_path):
    import math

    rows = [BAN_HEADER] + [ban_row("33063", "Bordeaux", n, -0.58 + n * 0.0001, 44.84) for n in range(ADDRESSES)]
    for n, (lon, lat) in enumerate((("NaN", "44.84"), ("inf", "44.84"), ("1e308", "1e308"))):
        row = ban_row("33063", "Bordeaux", 900 + n, 0.0, 0.0).split(";")
        row[12], row[13] = lon, lat  # lon, lat
        rows.append(";".join(row))
    faults.fault = lambda _tmp: Response(gzip.compress(("\n".join(rows) + "\n").encode()),
                                         content_type="application/gzip")
    target = tmp_path / "bordeaux.gpkg"

    results = build(target)

    assert results["FAILED_DATASETS"] == ""
    count, warnings, extent = _layer_row(target, "ban_adresses")
    # GDAL reads no point from « NaN » or « inf », and 1e308 cannot be reprojected: kept without geometry, said;
    # the extent stays finite (it read « inf » before)
    assert all(math.isfinite(value) for value in extent), extent
    assert count == ADDRESSES + 3
    assert any("3 entité(s) sans géométrie" in warning for warning in warnings), warnings


def _square(x, y, size=0.001, vertices=4):
    """A closed ring around (x, y) with `vertices` points along its sides."""
    import math

    ring = [[x + size * math.cos(2 * math.pi * k / vertices), y + size * math.sin(2 * math.pi * k / vertices)]
            for k in range(vertices)]
    return ring + [ring[0]]


def test_parcels_invalid_or_too_complex_are_repaired_or_left_out_and_counted(qgis_app, dt_processing, faults,
                                                                           fetch_http, tmp_path, monkeypatch):
    from donnees_territoires.extract import split

    monkeypatch.setattr(split, "MAX_VERTICES", 500)  # a 1.5 M-vertex parcel, scaled down
    features = [parcel("33063", n, -0.58 + n * 0.002, 44.84) for n in range(1, 6)]
    bowtie = parcel("33063", 6, -0.57, 44.84)
    bowtie["geometry"] = {"type": "Polygon", "coordinates": [[[-0.57, 44.84], [-0.569, 44.841], [-0.569, 44.84],
                                                             [-0.57, 44.841], [-0.57, 44.84]]]}
    huge = parcel("33063", 7, -0.56, 44.84)
    huge["geometry"] = {"type": "Polygon", "coordinates": [_square(-0.56, 44.84, vertices=1000)]}
    absurd = parcel("33063", 8, -0.55, 44.84)
    absurd["geometry"] = {"type": "Polygon", "coordinates": [[[-0.55, 44.84], [1e308, 44.84], [-0.55, 1e308],
                                                              [-0.55, 44.84]]]}
    fetch_http.clear_all_handlers()
    fetch_http.expect_request(BAN).respond_with_handler(faults._addresses)
    fetch_http.expect_request(PARCELS).respond_with_data(
        gzip.compress(json.dumps({"type": "FeatureCollection", "features": features + [bowtie, huge, absurd]})
                      .encode()),
        content_type="application/gzip")
    target = tmp_path / "bordeaux.gpkg"

    results = build(target)

    assert results["FAILED_DATASETS"] == ""
    count, warnings, _extent = _layer_row(target, "cadastre_parcelles")
    assert count == 6, warnings  # the bowtie repaired, the huge and the absurd ones left out
    assert any("1 géométrie(s) invalide(s) réparée(s)" in warning for warning in warnings), warnings
    assert any("1 entité(s) écartée(s), géométrie de plus de" in warning for warning in warnings), warnings
    assert any("1 entité(s) écartée(s), coordonnées impossibles" in warning for warning in warnings), warnings
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{target}|layername=cadastre_parcelles", "p", "ogr")
    assert all(feature.geometry().isGeosValid() for feature in layer.getFeatures())
    # the table's declared geometry type is the one its rows hold (a POLYGON table held MULTIPOLYGONs)
    assert {feature.geometry().wkbType() for feature in layer.getFeatures()} == {layer.wkbType()}


# -- item 4: a source in plain http is said; a catalog entry may allow an https → http redirect ------------------
def test_a_source_in_plain_http_is_warned_in_the_log_and_the_manifest(qgis_app, dt_processing, faults, fetch_http,
                                                                     tmp_path):
    from donnees_territoires.catalog import configured_catalog
    from donnees_territoires.toolbelt.settings import Settings

    entry = json.loads(json.dumps(configured_catalog(Settings())["ban-adresses"].raw))
    base = fetch_http.url_for("/").rstrip("/")  # the mirror itself: the address is used as it is
    entry.update(id="adresses-sig", title={"fr": "Adresses du SIG", "en": "GIS addresses"})
    entry["source"]["url"] = base + "/sig/adresses-{code_dep}.csv.gz"
    allowed = dict(json.loads(json.dumps(entry)), id="adresses-sig-http")
    allowed["source"]["allow_http"] = True
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format_version": 1, "name": {"fr": "SIG", "en": "GIS"},
                                "datasets": [entry, allowed]}), encoding="utf-8")
    fetch_http.clear_all_handlers()
    fetch_http.expect_request("/sig/adresses-33.csv.gz").respond_with_data(ban_body(), content_type="application/gzip")
    settings = QgsSettings()
    settings.setValue("donnees_territoires/catalogs", str(path))
    try:
        catalog = configured_catalog(Settings.load())
        assert catalog["adresses-sig-http"].source.allow_http and not catalog["adresses-sig"].source.allow_http
        target = tmp_path / "sig.gpkg"
        results = run("build_package", {"TERRITORY": "commune:33063", "DATASETS": "adresses-sig",
                                         "OUTPUT": str(target), "LOAD_RESULTS": False})
    finally:
        settings.remove("donnees_territoires/catalogs")
    assert results["FAILED_DATASETS"] == ""
    count, warnings, _extent = _layer_row(target, "adresses_sig")
    assert count == ADDRESSES
    assert any("http non chiffré" in warning and "/sig/adresses-33.csv.gz" in warning for warning in warnings), \
        warnings
    manifest, _layers = manifest_of(target)
    assert any("http non chiffré" in warning for warning in json.loads(manifest["warnings"])), manifest["warnings"]


# -- item 8: what is not done as asked is said -------------------------------------------------------------------
def test_a_buffer_a_cut_by_code_ignores_and_a_crs_of_another_continent_are_said(qgis_app, dt_processing, faults,
                                                                               tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    results = build(target, BUFFER=500, CRS="EPSG:32618")  # UTM 18 N: the Americas

    assert results["FAILED_DATASETS"] == ""
    _count, warnings, _extent = _layer_row(target, "ban_adresses")
    assert any("la zone tampon de 500 m ne s'y applique pas" in warning for warning in warnings), warnings
    assert any("EPSG:32618" in warning and "ne couvre pas Bordeaux" in warning for warning in warnings), warnings


def test_a_refused_catalog_entry_is_named_with_its_reason(qgis_app, dt_processing, faults, tmp_path):
    from donnees_territoires.catalog import configured_catalog
    from donnees_territoires.toolbelt.settings import Settings

    entry = json.loads(json.dumps(configured_catalog(Settings())["ban-adresses"].raw))
    entry.update(id="adresses-cassees")
    entry["source"]["url"] = "ftp://sig.example/adresses.csv"  # refused: only http(s) addresses
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format_version": 1, "name": {"fr": "SIG", "en": "GIS"}, "datasets": [entry]}),
                    encoding="utf-8")
    settings = QgsSettings()
    settings.setValue("donnees_territoires/catalogs", str(path))
    try:
        with pytest.raises(QgsProcessingException) as caught:
            build(tmp_path / "x.gpkg", DATASETS="adresses-cassees")
    finally:
        settings.remove("donnees_territoires/catalogs")
    message = str(caught.value)
    assert "adresses-cassees (entrée refusée : " in message and "source.url" in message, message
