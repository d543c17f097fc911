"""package.Destination: the stored dict of each kind (as packages already written hold it), default names, layer
addresses, what is there — for a GeoPackage, temporary layers, a PostGIS schema and a batch's PostGIS tables."""

import json
import sqlite3

import pytest
from qgis.core import QgsDataSourceUri, QgsProcessing, QgsVectorLayer
from test_package_gpkg import RECIPE, TERRITORY, package_layers

from donnees_territoires.package import (
    Destination,
    GeoPackage,
    Memory,
    PostgisSchema,
    PostgisTables,
    destination_from_dict,
    destination_from_parameters,
    destination_of_layer,
    write_geopackage,
)
from donnees_territoires.package.recipe import Recipe
from donnees_territoires.territory import TerritoryIndex

#: the recipe JSON a package holds, as the plugin wrote it before Destination existed (dataclasses.asdict)
STORED_RECIPE = {"territory": "commune:33063", "datasets": ["ban-adresses", "cadastre-parcelles"], "vintage": 2026,
                 "buffer_m": 0.0, "crs": "", "mask": None, "output": {"kind": "gpkg", "path": "/data/bordeaux.gpkg"},
                 "catalogs": [], "batch": None, "format": 1, "plugin_version": "0.1.0"}
STORED_POSTGIS = {"kind": "postgis", "connection": "service=sig", "schema": ""}
STORED_TABLES = {**STORED_RECIPE, "territory": "departement:33", "output": {"kind": "postgis", "connection": "sig",
                                                                            "schema": "departement_33_communes"},
                 "batch": {"level": "commune", "layout": "tables", "column": "code_territoire"}}


@pytest.mark.parametrize("destination, stored", [
    (GeoPackage("/data/bordeaux.gpkg"), {"kind": "gpkg", "path": "/data/bordeaux.gpkg"}),
    (Memory(), {"kind": "memory"}),
    (Memory("/tmp/processing/paquet.gpkg"), {"kind": "memory", "path": "/tmp/processing/paquet.gpkg"}),
    (PostgisSchema("service=sig", ""), STORED_POSTGIS),
    (PostgisSchema("sig", "epci_243300316"), {"kind": "postgis", "connection": "sig", "schema": "epci_243300316"}),
])
def test_each_kind_round_trips_through_the_stored_dict(qgis_app, destination, stored):
    assert destination.to_dict() == stored
    assert destination_from_dict(stored) == destination
    assert destination_from_dict(json.loads(json.dumps(destination.to_dict()))) == destination
    assert isinstance(destination, Destination)


def test_a_batch_s_tables_are_stored_as_a_postgis_schema_and_read_back_by_the_recipe_s_batch(qgis_app):
    tables = PostgisTables("sig", "departement_33_communes")
    assert tables.to_dict() == STORED_TABLES["output"]
    assert destination_from_dict(tables.to_dict()) == PostgisSchema("sig", "departement_33_communes")
    assert destination_from_dict(tables.to_dict(), STORED_TABLES["batch"]) == tables
    recipe = Recipe.from_dict(STORED_TABLES)
    assert recipe.output == tables and recipe.output.batch_postgis() == {
        "connection": "sig", "layout": "tables", "schema": "departement_33_communes"}
    assert recipe.to_dict() == STORED_TABLES
    assert PostgisSchema("sig", "s").batch_postgis() is None and GeoPackage("x").batch_postgis() is None


def test_a_recipe_stored_before_keeps_its_keys_and_values(qgis_app):
    recipe = Recipe.from_dict(STORED_RECIPE)
    assert recipe.output == GeoPackage("/data/bordeaux.gpkg")
    assert recipe.to_dict() == STORED_RECIPE
    assert list(recipe.to_dict()) == list(STORED_RECIPE)  # same keys, same order in the manifest's JSON
    postgis = Recipe.from_dict({**STORED_RECIPE, "output": STORED_POSTGIS})
    assert postgis.output == PostgisSchema("service=sig", "") and postgis.to_dict()["output"] == STORED_POSTGIS
    # a recipe without an output, or with a kind this version does not know, is a GeoPackage's
    assert Recipe.from_dict({k: v for k, v in STORED_RECIPE.items() if k != "output"}).output == GeoPackage("")
    assert destination_from_dict({"kind": "futur", "path": "x.gpkg"}) == GeoPackage("x.gpkg")
    assert destination_from_dict({"kind": "futur"}, unknown=Memory) == Memory()


def test_a_manifest_written_with_the_stored_recipe_is_read_refreshed_as_before(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    stored = {**STORED_RECIPE, "output": {"kind": "gpkg", "path": str(path)}}
    write_geopackage(path, package_layers(), stored, TERRITORY)
    with sqlite3.connect(path) as db:
        assert json.loads(dict(db.execute("SELECT key, value FROM manifest"))["recipe"]) == stored
    package = GeoPackage(str(path))
    recipe = Recipe.from_dict(package.read_manifest()["recipe"])
    assert recipe.output == package and recipe.to_dict() == stored
    # what refresh_package writes back: the same dict
    assert Recipe.from_dict({**recipe.to_dict(), "vintage": 2027}).to_dict()["output"] == stored["output"]


def test_default_names(qgis_app, tmp_path):
    index = TerritoryIndex.load(2026)
    bordeaux = index.get("commune:33063")
    assert PostgisSchema("sig").for_territory("epci:243300316") == PostgisSchema("sig", "epci_243300316")
    assert PostgisSchema("sig", "mon_schema").for_territory("epci:243300316").schema == "mon_schema"
    assert PostgisSchema("sig").for_territory("commune:33063,commune:33039").schema == "commune_33063_commune_33039"
    long_name = PostgisSchema("sig").for_territory(",".join(f"commune:330{n:02d}" for n in range(20))).schema
    assert len(long_name) <= 63 and long_name.startswith("commune_33000_commune")
    assert PostgisSchema.named_for("sig", bordeaux).schema == "commune_33063"
    assert PostgisSchema.named_for("sig", bordeaux, "lot").schema == "lot_commune_33063"
    assert PostgisTables.named_for("sig", "departement:33", "commune").schema == "departement_33_communes"
    assert PostgisTables.named_for("sig", "departement:33", "epci", " mes_tables ").schema == "mes_tables"
    assert GeoPackage.named_for(tmp_path, bordeaux) == GeoPackage(str(tmp_path / "commune-33063-bordeaux.gpkg"))
    assert GeoPackage("x.gpkg").for_territory("commune:33063") == GeoPackage("x.gpkg")
    assert Memory().for_territory("commune:33063") == Memory()


def test_geopackage_addresses_exists_and_is_a_package(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    package = GeoPackage(str(path))
    assert not package.exists() and not package.is_package() and package.previous_manifest() is None
    write_geopackage(path, package_layers(), RECIPE, TERRITORY)
    assert package.exists() and package.is_package()
    assert package.layer_address("ban_adresses") == f"{path}|layername=ban_adresses"
    layer = QgsVectorLayer(package.layer_address("ban_adresses"), "adresses", package.PROVIDER)
    assert layer.isValid() and layer.featureCount() == 2
    assert package.table_of(layer) == "ban_adresses"
    assert destination_of_layer(layer) == package
    assert GeoPackage(str(tmp_path / "autre.gpkg")).table_of(layer) is None
    assert PostgisSchema("sig", "s").table_of(layer) is None
    # a GeoPackage that is not one of ours: there, but no package
    other = tmp_path / "autre.gpkg"
    write_geopackage(other, package_layers()[:1], RECIPE, TERRITORY)
    with sqlite3.connect(other) as db:
        db.execute("DROP TABLE manifest")
    assert GeoPackage(str(other)).exists() and not GeoPackage(str(other)).is_package()
    assert destination_of_layer(QgsVectorLayer("Point?crs=EPSG:2154", "p", "memory")) is None


def test_labels_parameters_and_problems(qgis_app, tmp_path):
    assert GeoPackage("/data/b.gpkg").label == "/data/b.gpkg"
    assert Memory().label == "couches temporaires"
    assert PostgisSchema("host=db.example port=5433 dbname=sig user=u password=secret", "s").label \
        == "db.example:5433/sig / s"
    assert GeoPackage("/data/b.gpkg").build_parameters() == {"OUTPUT": "/data/b.gpkg"}
    assert GeoPackage("/data/b.gpkg").refresh_parameters() == {"PACKAGE": "/data/b.gpkg"}
    assert Memory().build_parameters() == {"OUTPUT": QgsProcessing.TEMPORARY_OUTPUT}
    assert PostgisSchema("sig", "s").build_parameters() == {"POSTGIS_CONNECTION": "sig", "POSTGIS_SCHEMA": "s"}
    assert Memory().must_load and not GeoPackage("x").must_load and PostgisSchema("sig").shared_styles
    assert destination_from_parameters(path="/data/b.gpkg") == GeoPackage("/data/b.gpkg")
    assert destination_from_parameters(path="/tmp/t.gpkg", temporary=True) == Memory("/tmp/t.gpkg")
    assert destination_from_parameters(path="/data/b.gpkg", connection="sig", schema=" s ") == PostgisSchema("sig", "s")
    assert destination_from_parameters() is None
    assert GeoPackage("").problem() == "Choisissez le fichier GeoPackage où écrire les données."
    assert "n'est pas un GeoPackage" in GeoPackage(str(tmp_path / "b.shp")).problem()
    assert GeoPackage(str(tmp_path / "b.gpkg")).problem() is None and Memory().problem() is None
    assert "schéma PostgreSQL" in PostgisSchema("sig", "").problem()
    assert PostgisSchema("sig", "s").problem() is None
    assert GeoPackage(str(tmp_path / "b.gpkg")).report_path() == tmp_path / "b.changements.md"
    assert PostgisSchema("sig", "s").report_path() is None and Memory().report_path() is None
    assert Memory().load_key == Memory("/tmp/a.gpkg").load_key != GeoPackage("/tmp/a.gpkg").load_key


@pytest.mark.postgis
def test_postgis_schema_addresses_exists_and_is_a_package(postgis):
    package = PostgisSchema(postgis.uri(), "dest_bordeaux")
    assert not package.exists() and not package.is_package() and package.previous_manifest() is None
    report = package.write(package_layers(), RECIPE, TERRITORY)
    assert report.schema == "dest_bordeaux" and package.exists() and package.is_package()
    assert package.read_manifest()["recipe"] == RECIPE
    address = package.layer_address("ban_adresses")
    assert address == next(table.uri for table in report.layers if table.table == "ban_adresses")
    layer = QgsVectorLayer(address, "adresses", package.PROVIDER)
    assert layer.isValid() and layer.featureCount() == 2
    assert package.table_of(layer) == "ban_adresses"
    assert PostgisSchema(postgis.uri(), "autre").table_of(layer) is None
    elsewhere = QgsDataSourceUri(postgis.uri())
    elsewhere.setDatabase("autre_base")
    assert PostgisSchema(elsewhere.uri(False), "dest_bordeaux").table_of(layer) is None
    assert GeoPackage("x.gpkg").table_of(layer) is None
    postgis.psql("CREATE SCHEMA vide")
    assert PostgisSchema(postgis.uri(), "vide").exists() and not PostgisSchema(postgis.uri(), "vide").is_package()
    # the default schema when none is given, as write_postgis chooses it
    default = PostgisSchema(postgis.uri()).for_territory(TERRITORY["reference"])
    assert default.write(package_layers(), RECIPE, TERRITORY).schema == default.schema == "epci_243300316"
