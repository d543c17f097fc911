"""Issue 15, item 2: a dataset that fails is left out (or keeps its previous table), the others are written.

STRICT makes it all or nothing; the manifest records what is missing and why; refresh_package tries
the missing datasets again. Local mirror shaped like the real hosts, answering 404 for what is absent.
"""

import gzip
import hashlib
import json
import re
import sqlite3

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer

from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

BAN = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"
PARCELS = ("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063/"
           "cadastre-33063-parcelles.json.gz")


class Mirror:
    """The local server's answers, set again between runs: BAN with `addresses` rows of Bordeaux, parcels
    present or not; everything else 404 (Sirene among them)."""

    def __init__(self, server):
        self.server = server

    def serve(self, addresses: int, parcels: bool) -> None:
        self.server.clear_all_handlers()
        rows = [BAN_HEADER] + [ban_row("33063", "Bordeaux", n, -0.58 + n * 0.001, 44.84) for n in range(addresses)]
        self.server.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()),
                                                          content_type="application/gzip")
        if parcels:
            collection = {"type": "FeatureCollection", "features": [parcel("33063", n, -0.58 + n * 0.002, 44.84)
                                                                    for n in range(1, 4)]}
            self.server.expect_request(PARCELS).respond_with_data(gzip.compress(json.dumps(collection).encode()),
                                                                  content_type="application/gzip")
        self.server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


@pytest.fixture
def sources(mirror):
    """The answers of the mirror (conftest), set by each test."""
    return Mirror(mirror)


def build(target, datasets: str, **extra) -> dict:
    import processing

    return processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": datasets, "OUTPUT": str(target), "LOAD_RESULTS": False, **extra})


def manifest_of(target) -> tuple[dict, dict]:
    """(manifest key → value, table → (feature count, checksum)) read with SQLite, not with QGIS."""
    with sqlite3.connect(target) as db:
        manifest = dict(db.execute("SELECT key, value FROM manifest"))
        layers = {row[0]: (row[1], row[2]) for row in db.execute(
            "SELECT table_name, feature_count, checksum FROM manifest_layers")}
    return manifest, layers


def rows(target, table: str) -> list:
    with sqlite3.connect(target) as db:
        return sorted(db.execute(f'SELECT id, numero, contenance, hex(geom) FROM "{table}"'))


def test_a_failing_dataset_is_left_out_and_recorded(qgis_app, dt_processing, sources, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    sources.serve(addresses=3, parcels=True)
    results = build(target, "ban-adresses,sirene-etablissements")
    assert results["FAILED_DATASETS"] == "sirene-etablissements"
    failures = results["FAILURES"].splitlines()
    assert len(failures) == 1 and "sirene-etablissements" in failures[0] and len(failures[0]) <= 160
    manifest, layers = manifest_of(target)
    assert set(layers) == {"ban_adresses"} and layers["ban_adresses"][0] == 3
    missing = json.loads(manifest["missing"])
    assert list(missing) == ["sirene-etablissements"] and "sirene" in missing["sirene-etablissements"].lower()
    assert json.loads(manifest["recipe"])["datasets"] == ["ban-adresses", "sirene-etablissements"]

    # the same sources again: nothing to rewrite, the failure said again
    written = hashlib.sha256(target.read_bytes()).hexdigest()
    again = build(target, "ban-adresses,sirene-etablissements")
    assert again["UNCHANGED"] is True and again["FAILED_DATASETS"] == "sirene-etablissements"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == written


def test_strict_is_all_or_nothing(qgis_app, dt_processing, sources, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    sources.serve(addresses=3, parcels=True)
    build(target, "ban-adresses")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    sources.serve(addresses=5, parcels=True)
    with pytest.raises(QgsProcessingException, match="sirene-etablissements"):
        build(target, "ban-adresses,sirene-etablissements", STRICT=True)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_every_dataset_failing_leaves_the_previous_package(qgis_app, dt_processing, sources, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    sources.serve(addresses=3, parcels=True)
    build(target, "cadastre-parcelles")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    sources.serve(addresses=3, parcels=False)
    with pytest.raises(QgsProcessingException, match="cadastre-parcelles"):
        build(target, "cadastre-parcelles,sirene-etablissements")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_a_failing_dataset_keeps_its_previous_table_and_refresh_tries_it_again(qgis_app, dt_processing, sources,
                                                                               tmp_path):
    import processing

    target = tmp_path / "bordeaux.gpkg"
    sources.serve(addresses=3, parcels=True)
    build(target, "ban-adresses,cadastre-parcelles")
    _manifest, first = manifest_of(target)
    parcels_before = rows(target, "cadastre_parcelles")
    assert len(parcels_before) == 3

    # the addresses change, the parcels file is gone: new addresses, the parcels as they were
    sources.serve(addresses=6, parcels=False)
    results = build(target, "ban-adresses,cadastre-parcelles")
    assert results["UNCHANGED"] is False and results["FAILED_DATASETS"] == "cadastre-parcelles"
    manifest, layers = manifest_of(target)
    assert layers["ban_adresses"][0] == 6
    assert layers["cadastre_parcelles"] == first["cadastre_parcelles"]  # same count, same checksum
    assert rows(target, "cadastre_parcelles") == parcels_before
    assert list(json.loads(manifest["missing"])) == ["cadastre-parcelles"]
    kept = QgsVectorLayer(f"{target}|layername=cadastre_parcelles", "kept", "ogr")
    assert kept.isValid() and kept.crs().authid() == "EPSG:2154" and kept.renderer() is not None
    del kept

    # the parcels are back: the refresh fetches them again and the manifest has nothing missing
    sources.serve(addresses=6, parcels=True)
    refreshed = processing.run("donnees_territoires:refresh_package", {"PACKAGE": str(target)})
    assert refreshed["FAILED_DATASETS"] == ""
    manifest, layers = manifest_of(target)
    assert json.loads(manifest["missing"]) == {}
    assert layers["cadastre_parcelles"][0] == 3 and layers["ban_adresses"][0] == 6


def test_many_missing_files_make_one_short_line(qgis_app, dt_processing, sources, tmp_path):
    """The panel once showed 18,000 characters for one dataset: every missing file's URL. One line now."""
    sources.serve(addresses=3, parcels=False)
    results = build(tmp_path / "metropole.gpkg", "ban-adresses,cadastre-parcelles", TERRITORY="epci:243300316")
    assert results["FAILED_DATASETS"] == "cadastre-parcelles"
    (line,) = results["FAILURES"].splitlines()
    assert line.startswith("cadastre-parcelles : 28 fichiers absents chez le producteur pour epci:243300316")
    assert len(line) <= 160


@pytest.mark.postgis
def test_in_postgis_a_failing_dataset_keeps_its_previous_table(qgis_app, dt_processing, sources, postgis):
    from donnees_territoires.package import read_postgis_manifest

    parameters = {"POSTGIS_CONNECTION": postgis.uri(), "POSTGIS_SCHEMA": "bordeaux_partiel"}
    sources.serve(addresses=3, parcels=True)
    build("", "ban-adresses,cadastre-parcelles", OUTPUT=None, **parameters)
    manifest = read_postgis_manifest(postgis.uri(), "bordeaux_partiel")
    before = {layer["dataset_id"]: layer for layer in manifest["layers"]}

    sources.serve(addresses=6, parcels=False)
    results = build("", "ban-adresses,cadastre-parcelles", OUTPUT=None, **parameters)
    assert results["FAILED_DATASETS"] == "cadastre-parcelles"
    manifest = read_postgis_manifest(postgis.uri(), "bordeaux_partiel")
    after = {layer["dataset_id"]: layer for layer in manifest["layers"]}
    assert after["ban-adresses"]["feature_count"] == 6
    assert (after["cadastre-parcelles"]["feature_count"], after["cadastre-parcelles"]["checksum"]) == \
        (3, before["cadastre-parcelles"]["checksum"])
    assert list(manifest["missing"]) == ["cadastre-parcelles"]
