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
    return gzip.compress(("\n".join(rows) + "\n").encode())


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
}


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
