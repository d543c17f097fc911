"""A PostGIS package published: exported to a GeoPackage (same tables, features, styles, manifest), and where it was
published recorded back in the schema's manifest — on a real throwaway PostgreSQL + PostGIS cluster."""

import json
import os
import sqlite3
from contextlib import closing

import pytest
from qgis.core import QgsFeedback, QgsVectorLayer
from test_package_gpkg import RECIPE, TERRITORY, memory_layer, package_layers

from donnees_territoires.package import (
    PackageLayer,
    PostgisSchema,
    layer_checksum,
    layer_uri,
    read_manifest,
    read_postgis_manifest,
    write_postgis,
)
from donnees_territoires.package.checksum import canonical_value
from donnees_territoires.publish.api import PublishError
from donnees_territoires.publish.postgis_export import export_geopackage, record_publication

pytestmark = pytest.mark.postgis

TABLES = ["ban_adresses", "bdtopo_routes", "cadastre_parcelles", "petites_villes_de_demain", "points_fid"]


def with_own_fid():
    """A spatial table whose data has its own (text) « fid » column: the key becomes dt_fid."""
    layer = memory_layer("Point?crs=EPSG:2154&field=fid:string&field=nom:string",
                         [("Point(417010.25 6423020.5)", ["abc", "Gare"]), ("Point(417300 6423400)", ["abc", "Port"])])
    return PackageLayer("points_fid", layer, "points-fid", "Points avec fid")


def write_package(cluster, schema):
    write_postgis(cluster.uri(), [*package_layers(), with_own_fid()], RECIPE, TERRITORY, schema=schema)
    return PostgisSchema(cluster.uri(), schema)


def query(path, sql):
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if ".tmp.gpkg" in name)


def content(layer):
    """Every feature as (WKT, {field: value}) without the provider's key, sorted; and the layer's facts."""
    key = set(layer.dataProvider().pkAttributeIndexes())
    names = [field.name() for index, field in enumerate(layer.fields()) if index not in key]
    rows = sorted((feature.geometry().asWkt() if feature.hasGeometry() else "",
                   json.dumps({name: canonical_value(feature[name]) for name in names}, sort_keys=True))
                  for feature in layer.getFeatures())
    return {"names": names, "spatial": layer.isSpatial(), "wkb": layer.wkbType(),
            "crs": layer.crs().authid(), "rows": rows}


def test_export_holds_the_package_tables_styles_and_manifest(postgis, tmp_path):
    destination = write_package(postgis, "publie")
    folder = tmp_path / "travail"
    folder.mkdir()
    (folder / "publie.gpkg").write_bytes(b"un export precedent")  # a previous export is replaced
    progress = []
    feedback = QgsFeedback()
    feedback.progressChanged.connect(progress.append)

    path = export_geopackage(destination, folder, feedback)

    assert path == (folder / "publie.gpkg").absolute() and path.is_file()
    assert leftovers(folder) == [] and sorted(os.listdir(folder)) == ["publie.gpkg"]
    assert progress and progress[-1] == 100 and progress == sorted(progress)
    original = read_postgis_manifest(postgis.uri(), "publie")
    exported = read_manifest(path)
    assert exported == original
    assert [record["table_name"] for record in exported["layers"]] == TABLES
    assert exported["recipe"] == RECIPE and exported["layer_count"] == 5

    contents = {row[0]: row[1] for row in query(path, "SELECT table_name, data_type FROM gpkg_contents")}
    assert contents == {**{table: "features" for table in TABLES}, "petites_villes_de_demain": "attributes",
                        "manifest": "attributes", "manifest_layers": "attributes", "layer_styles": "attributes"}
    for record in original["layers"]:
        table = record["table_name"]
        source = QgsVectorLayer(layer_uri(postgis.uri(), "publie", table), table, "postgres")
        written = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        assert source.isValid() and written.isValid(), table
        assert written.featureCount() == source.featureCount() == record["feature_count"] == 2, table
        facts = content(written)
        assert facts == content(source), table
        assert facts["spatial"] == (table != "petites_villes_de_demain")
        if facts["spatial"]:
            assert facts["crs"] == "EPSG:2154" and all(wkt for wkt, _values in facts["rows"]), table
        assert layer_checksum(written, record["key_fields"]) == record["checksum"], table
    parcels = content(QgsVectorLayer(f"{path}|layername=cadastre_parcelles", "p", "ogr"))["rows"]
    assert parcels[0][0] == "MultiPolygon (((417000 6423000, 417050 6423000, 417050 6423040, 417000 6423000)))"
    assert json.loads(parcels[0][1]) == {"commune": "33063", "contenance": 1200, "id": "330630000A0001",
                                         "updated": None}
    # the data's own « fid » column is kept as it is, beside the GeoPackage's key
    own = QgsVectorLayer(f"{path}|layername=points_fid", "points_fid", "ogr")
    assert sorted(feature["fid"] for feature in own.getFeatures()) == ["abc", "abc"]
    assert sorted(feature["nom"] for feature in own.getFeatures()) == ["Gare", "Port"]

    # the default styles of the schema are the GeoPackage's default styles
    styles = query(path, "SELECT f_table_name, stylename, useAsDefault FROM layer_styles ORDER BY 1")
    assert styles == [(table, table, 1) for table in TABLES[:4]]
    layer = QgsVectorLayer(f"{path}|layername=cadastre_parcelles", "parcelles", "ogr")
    assert layer.renderer().type() == "singleSymbol"
    assert layer.renderer().symbol().symbolLayer(0).strokeColor().getRgb()[:3] == (158, 158, 158)
    roads = QgsVectorLayer(f"{path}|layername=bdtopo_routes", "routes", "ogr")
    assert roads.renderer().type() == "categorizedSymbol" and roads.renderer().classAttribute() == "importance"

    # exported again after a change of the schema: the file is replaced by the new content
    postgis.psql("UPDATE publie.cadastre_parcelles SET contenance = 999 WHERE id = '330630000A0001'")
    del layer, roads, own
    export_geopackage(destination, folder)
    assert query(path, "SELECT contenance FROM cadastre_parcelles ORDER BY id") == [(999,), (845,)]
    assert leftovers(folder) == []


def test_a_schema_that_is_not_a_package_is_refused_in_french(postgis, tmp_path):
    postgis.psql("CREATE SCHEMA pas_un_paquet; CREATE TABLE pas_un_paquet.mes_donnees (id integer)")
    folder = tmp_path / "travail"
    folder.mkdir()

    with pytest.raises(PublishError) as error:
        export_geopackage(PostgisSchema(postgis.uri(), "pas_un_paquet"), folder)
    message = str(error.value)
    assert "« pas_un_paquet »" in message and "n'est pas un paquet" in message and "choisissez" in message
    assert not (folder / "pas_un_paquet.gpkg").exists() and leftovers(folder) == []

    with pytest.raises(PublishError, match="« schema_absent » n'existe pas"):
        export_geopackage(PostgisSchema(postgis.uri(), "schema_absent"), folder)
    with pytest.raises(PublishError, match="Nom de schéma « Mauvais-Nom » refusé"):
        export_geopackage(PostgisSchema(postgis.uri(), "Mauvais-Nom"), folder)
    with pytest.raises(PublishError, match="« pas_un_paquet ».*n'est pas un paquet"):
        record_publication(PostgisSchema(postgis.uri(), "pas_un_paquet"), "publication", "{}")
    assert postgis.psql("SELECT count(*) FROM pas_un_paquet.mes_donnees") == "0"
    assert not (folder / "schema_absent.gpkg").exists() and leftovers(folder) == []


def test_a_failed_or_changed_export_leaves_no_file(postgis, tmp_path):
    destination = write_package(postgis, "abime")
    folder = tmp_path / "travail"
    previous = export_geopackage(destination, folder)
    before = previous.read_bytes()

    # a row added behind the package's back: its manifest would lie about the table
    postgis.psql("INSERT INTO abime.bdtopo_routes (cleabs, importance, geom) "
                 "VALUES ('TRONROUT0003', '2', 'SRID=2154;MULTILINESTRING((0 0, 1 1))')")
    with pytest.raises(PublishError) as error:
        export_geopackage(destination, folder)
    message = str(error.value)
    assert "« bdtopo_routes »" in message and "abime" in message and "3 lignes" in message
    assert "annonce 2" in message and "actualisez" in message
    assert previous.read_bytes() == before and leftovers(folder) == []

    # a table of the manifest gone
    postgis.psql("DROP TABLE abime.bdtopo_routes")
    with pytest.raises(PublishError, match="« bdtopo_routes ».*abime.*ne s'ouvre pas"):
        export_geopackage(destination, tmp_path / "autre")
    assert not (tmp_path / "autre" / "abime.gpkg").exists() and leftovers(tmp_path / "autre") == []


def test_cancel_leaves_no_file(postgis, tmp_path):
    destination = write_package(postgis, "annule")
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value >= 20 else None)
    with pytest.raises(PublishError, match="Publication annulée.*annule"):
        export_geopackage(destination, tmp_path, feedback)
    assert not (tmp_path / "annule.gpkg").exists() and leftovers(tmp_path) == []


def test_a_package_refreshed_during_its_export_is_not_published(postgis, tmp_path):
    destination = write_package(postgis, "pendant")
    changed = []

    def refresh(value):
        if value >= 20 and not changed:  # two tables exported: the package is rewritten under the export
            changed.append(value)
            postgis.psql("UPDATE pendant.manifest SET value = '2030-01-01T00:00:00+00:00' WHERE key = 'created_at'")

    feedback = QgsFeedback()
    feedback.progressChanged.connect(refresh)
    with pytest.raises(PublishError, match="« pendant ».*a changé pendant son export.*relancez"):
        export_geopackage(destination, tmp_path, feedback)
    assert changed and not (tmp_path / "pendant.gpkg").exists() and leftovers(tmp_path) == []
    assert read_manifest(export_geopackage(destination, tmp_path))["created_at"] == "2030-01-01T00:00:00+00:00"


def test_publication_is_recorded_in_the_schema_manifest(postgis, tmp_path):
    destination = write_package(postgis, "note")
    first = {"demo": {"dataset_id": "abc", "page": "https://demo.data.gouv.fr/fr/datasets/abc/",
                      "note": "l'Île \\ d'Yeu \"guillemets\""}}
    record_publication(destination, "publication", json.dumps(first, ensure_ascii=False))
    assert read_postgis_manifest(postgis.uri(), "note")["publication"] == first

    second = {**first, "production": {"dataset_id": "xyz", "resources": {"note.gpkg": "r1"}}}
    record_publication(destination, "publication", json.dumps(second, ensure_ascii=False))
    manifest = read_postgis_manifest(postgis.uri(), "note")
    assert manifest["publication"] == second
    assert postgis.psql("SELECT count(*) FROM note.manifest WHERE key = 'publication'") == "1"
    assert manifest["recipe"] == RECIPE and manifest["layer_count"] == 5  # the other rows untouched

    # the export carries it: the next publication finds where the package went
    assert read_manifest(export_geopackage(destination, tmp_path))["publication"] == second


def test_a_refused_write_of_the_publication_is_a_french_error(postgis):
    write_package(postgis, "lecture_seule")
    postgis.psql("DROP ROLE IF EXISTS lecteur; CREATE ROLE lecteur LOGIN; GRANT USAGE ON SCHEMA lecture_seule TO "
                 "lecteur; GRANT SELECT ON ALL TABLES IN SCHEMA lecture_seule TO lecteur")
    reader = PostgisSchema(postgis.uri().replace("user=postgres", "user=lecteur"), "lecture_seule")

    with pytest.raises(PublishError) as error:
        record_publication(reader, "publication", json.dumps({"demo": {"dataset_id": "abc"}}))
    message = str(error.value)
    assert "« lecture_seule »" in message and "n'a pas pu être notée" in message and "droit" in message
    assert "DELETE" not in message  # PostgreSQL's message, not the statement
    assert "publication" not in read_postgis_manifest(postgis.uri(), "lecture_seule")


def test_a_postgis_package_is_published_then_found_again(postgis, dt_processing, mirror, tmp_path):
    """publish_package with the connection and schema: the GeoPackage exported from the schema is uploaded, the
    publication is noted in the schema's manifest, and publishing again sends nothing."""
    import processing
    from qgis.core import QgsApplication

    from tests.qgis.auth_configs import basic_config
    from tests.qgis.fake_datagouv import KEY, FakeDataGouv

    fake = FakeDataGouv()
    fake.register(mirror)
    # the package's layers, each with its producer's licence (a layer without one would be refused)
    write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema="bordeaux_paquet")
    destination = PostgisSchema(postgis.uri(), "bordeaux_paquet")
    before = postgis.psql("SELECT count(*) FROM bordeaux_paquet.ban_adresses")
    key = basic_config("data.gouv.fr (PostGIS)", "", KEY)
    parameters = {"POSTGIS_CONNECTION": destination.connection, "POSTGIS_SCHEMA": "bordeaux_paquet",
                  "ORGANISATION": "ot-bordeaux", "PLATFORM": "demo", "AUTHCFG": key}
    try:
        result = processing.run("donnees_territoires:publish_package", parameters)
        (dataset,) = fake.live()
        assert result["CREATED"] is True and result["DATASET_ID"] == dataset["id"]
        titles = {r["title"]: r for r in dataset["resources"]}
        assert "bordeaux_paquet.gpkg" in titles and "ban_adresses.geojson" in titles
        uploaded = tmp_path / "envoye.gpkg"
        uploaded.write_bytes(fake.files[titles["bordeaux_paquet.gpkg"]["id"]])
        assert read_manifest(uploaded)["recipe"] == RECIPE
        assert query(uploaded, "SELECT count(*) FROM ban_adresses")[0][0] == int(before)
        recorded = read_postgis_manifest(postgis.uri(), "bordeaux_paquet")["publication"]["demo"]
        assert recorded["dataset_id"] == dataset["id"] and KEY not in json.dumps(recorded)

        sent = len(fake.requests)
        again = processing.run("donnees_territoires:publish_package", parameters)
        assert again["UNCHANGED"] is True and len(fake.requests) == sent
    finally:
        QgsApplication.authManager().removeAuthenticationConfig(key)
