"""Issue 17: the dataset metadata a package's manifest gives (no network)."""

import pytest

from donnees_territoires.publish.api import PublishError, multipart
from donnees_territoires.publish.metadata import content_digest, dataset_payload, licence_id, spatial

LO = {"licence": "Licence Ouverte / Open Licence 2.0 (Etalab)",
      "licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
ODBL = {"licence": "Open Database License (ODbL)", "licence_url": "https://opendatacommons.org/licenses/odbl/"}


def manifest(territory="epci:243300316", layers=None, mask=None):
    return {"territory": {"code": "243300316", "name": "Bordeaux Métropole", "reference": territory},
            "recipe": {"territory": territory, "datasets": ["ban-adresses", "gtfs-arrets"], "mask": mask,
                       "buffer_m": 500.0},
            "cog_vintage": 2026, "crs": "EPSG:2154",
            "layers": layers if layers is not None else [
                dict(LO, table_name="ban_adresses", dataset_id="ban-adresses", title="Adresses", checksum="a",
                     feature_count=10, fetched_at="2026-11-02T10:00:00+00:00", theme="adresses",
                     update_frequency="daily"),
                dict(ODBL, table_name="gtfs_arrets", dataset_id="gtfs-arrets", title="Arrêts", checksum="b",
                     feature_count=3, fetched_at="2026-12-01T10:00:00+00:00", theme="mobilite")]}


def test_the_licence_is_the_one_the_sources_impose():
    assert licence_id([LO, LO]) == "lov2"
    assert licence_id([LO, ODBL]) == "odc-odbl"  # share-alike: the whole package
    with pytest.raises(PublishError) as refused:
        licence_id([LO, {"licence": "Licence IGN (usage interne)", "licence_url": "", "title": "Scan 25",
                         "table_name": "scan25"}])
    assert "Scan 25" in str(refused.value) and "Licence IGN (usage interne)" in str(refused.value)


def test_the_payload_of_bordeaux_metropole():
    payload = dataset_payload(manifest(), "5f2a9c1e8b7d6a5f4e3d2c1b")
    assert payload["title"] == "Référentiels territoriaux — Bordeaux Métropole (243300316)"
    assert payload["license"] == "odc-odbl" and payload["frequency"] == "daily"
    assert payload["spatial"] == {"zones": ["fr:epci:243300316"], "granularity": "fr:epci"}
    assert payload["temporal_coverage"] == {"start": "2026-11-02", "end": "2026-12-01"}
    assert payload["tags"][:2] == ["donnees-et-territoires", "referentiel-territorial"]
    assert "500 m" in payload["description"] and "COG) 2026" in payload["description"]
    assert payload["extras"] == {"donnees_territoires:cle": "epci:243300316|ban-adresses,gtfs-arrets"}


def test_spatial_coverage_of_several_territories_and_of_a_custom_shape():
    assert spatial(manifest("commune:33063,commune:33281,departement:24")) == {
        "zones": ["fr:commune:33063", "fr:commune:33281", "fr:departement:24"], "granularity": "fr:commune"}
    assert spatial(manifest("commune:33063", mask={"wkt": "Polygon(...)"}))["granularity"] == "other"


def test_the_content_digest_follows_the_tables_not_the_dates():
    first = manifest()
    later = manifest()
    later["layers"][0]["fetched_at"] = "2027-01-01"
    assert content_digest(first) == content_digest(later)
    later["layers"][0]["checksum"] = "changed"
    assert content_digest(first) != content_digest(later)


def test_a_multipart_body_names_the_file_field():
    body, content_type = multipart({"uuid": "u"}, "bordeaux.gpkg", b"SQLite format 3\x00")
    boundary = content_type.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(f"--{boundary}--\r\n".encode())
    assert b'name="file"; filename="bordeaux.gpkg"' in body and b'name="uuid"\r\n\r\nu\r\n' in body
