"""PostGIS packages on a real throwaway PostgreSQL 15 + PostGIS 3 cluster: content, styles, manifest, atomic swap."""

import pytest
from qgis.core import (
    QgsApplication,
    QgsDataSourceUri,
    QgsFeedback,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from test_package_gpkg import CATALOG, RECIPE, TERRITORY, memory_layer, package_layers, polygons

from donnees_territoires.compat import QGIS_VERSION_INT
from donnees_territoires.package import (
    PackageCanceled,
    PackageError,
    PackageLayer,
    default_schema_name,
    layer_checksum,
    layer_uri,
    read_metadata_xml,
    read_postgis_manifest,
    write_postgis,
)

pytestmark = pytest.mark.postgis

TABLES = ["ban_adresses", "bdtopo_routes", "cadastre_parcelles", "petites_villes_de_demain"]


def fresh(cluster, schema, table, geometry="geom"):
    uri = QgsDataSourceUri(cluster.uri())
    uri.setDataSource(schema, table, geometry, "", "fid")
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    assert layer.isValid(), f"{schema}.{table}"
    return layer


def tables_of(cluster, schema):
    return sorted(cluster.psql(f"SELECT string_agg(table_name, ',') FROM information_schema.tables "
                               f"WHERE table_schema = '{schema}'").split(","))


def styles_of(cluster, schema):
    rows = cluster.psql(f"SELECT f_table_name, stylename, useasdefault FROM layer_styles "
                        f"WHERE f_table_schema = '{schema}' ORDER BY 1, 2")
    return [tuple(row.split("|")) for row in rows.splitlines()]


def staging_schemas(cluster):
    return cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%dt_tmp%'")


def contenances(cluster, schema):
    return cluster.psql(f"SELECT string_agg(contenance::text, ',' ORDER BY id) FROM {schema}.cadastre_parcelles")


def test_package_in_a_schema(postgis):
    report = write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY)

    assert report.kind == "postgis" and report.schema == "epci_243300316" == default_schema_name("epci:243300316")
    assert report.destination == f"127.0.0.1:{postgis.port}/postgres / epci_243300316"
    assert tables_of(postgis, "epci_243300316") == sorted([*TABLES, "manifest", "manifest_layers"])
    assert staging_schemas(postgis) == "0"
    assert postgis.psql("SELECT count(*) FROM pg_indexes WHERE schemaname = 'epci_243300316' "
                        "AND indexdef LIKE '%USING gist%'") == "3"

    # QGIS's own layer_styles, default style for each table
    assert styles_of(postgis, "epci_243300316") == [(table, table, "t") for table in TABLES]
    parcels = fresh(postgis, "epci_243300316", "cadastre_parcelles")
    assert parcels.renderer().type() == "singleSymbol"
    assert parcels.renderer().symbol().symbolLayer(0).strokeColor().getRgb()[:3] == (158, 158, 158)
    roads = fresh(postgis, "epci_243300316", "bdtopo_routes")
    assert roads.renderer().type() == "categorizedSymbol" and roads.renderer().classAttribute() == "importance"
    towns = fresh(postgis, "epci_243300316", "petites_villes_de_demain", geometry="")
    assert [towns.attributeDisplayName(towns.fields().indexOf(name)) for name in ("insee_com", "lib_com")] == [
        "Code INSEE", "Commune"]

    # metadata: the table comment is the abstract QGIS 3.22 shows; the full metadata is in the manifest,
    # and from QGIS 3.28 in QGIS's qgis_layer_metadata table, kept in « public » (not in the package)
    dataset = CATALOG["cadastre-parcelles"]
    assert "COG 2024" in parcels.metadata().abstract()
    stored = postgis.psql("SELECT table_schema FROM information_schema.tables WHERE table_name = 'qgis_layer_metadata'")
    if QGIS_VERSION_INT >= 32800:
        assert stored == "public"
        rows = postgis.psql("SELECT f_table_name, title FROM public.qgis_layer_metadata "
                            "WHERE f_table_schema = 'epci_243300316' ORDER BY 1")
        assert [row.split("|")[0] for row in rows.splitlines()] == TABLES
        assert f"cadastre_parcelles|{dataset.title_for('fr')}" in rows.splitlines()
        assert postgis.psql("SELECT count(*) FROM public.qgis_layer_metadata WHERE f_table_schema = 'public'") == "0"
        assert parcels.metadata().title() == dataset.title_for("fr")
    else:
        assert stored == ""
        assert parcels.metadata().abstract().startswith(dataset.title_for("fr"))

    manifest = read_postgis_manifest(postgis.uri(), "epci_243300316")
    assert manifest["recipe"] == RECIPE and manifest["territory"] == TERRITORY
    assert manifest["cog_vintage"] == "2024" and manifest["layer_count"] == 4
    records = {record["table_name"]: record for record in manifest["layers"]}
    assert list(records) == TABLES
    parcel_record = records["cadastre_parcelles"]
    assert parcel_record["fetch"][0]["etag"] == '"5f2-abc"'
    assert parcel_record["extent"] == [417000.0, 6423000.0, 417160.0, 6423060.0]
    metadata = read_metadata_xml(parcel_record["metadata_qmd"])
    assert metadata.title() == dataset.title_for("fr")
    assert metadata.licenses() == [f"{dataset.licence.name} — {dataset.licence.url}"]
    for table, record in records.items():
        layer = fresh(postgis, "epci_243300316", table, geometry="" if table == "petites_villes_de_demain" else "geom")
        assert layer.featureCount() == record["feature_count"] == 2
        assert layer_checksum(layer, record["key_fields"]) == record["checksum"], table
    # the sources the report and layer_uri() give open the tables styled
    for table in report.layers:
        assert layer_uri(postgis.uri(), "epci_243300316", table.table) == table.uri
        layer = QgsVectorLayer(table.uri, table.title, "postgres")
        assert layer.isValid() and layer.isSpatial() == (table.geometry_type != "NoGeometry")
    # the same data gives the same checksums as in a GeoPackage
    assert {layer.table: layer.checksum for layer in report.layers} == {t: r["checksum"] for t, r in records.items()}


def test_second_run_replaces_the_content(postgis):
    schema = "second_run"
    write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema=schema)
    # a style of the user's own for one of the tables: kept, no longer the default
    postgis.psql(f"INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                 f"stylename, styleqml, stylesld, useasdefault) SELECT f_table_catalog, f_table_schema, f_table_name, "
                 f"f_geometry_column, 'mon style', styleqml, stylesld, true FROM layer_styles "
                 f"WHERE f_table_schema = '{schema}' AND f_table_name = 'cadastre_parcelles'")

    layers = package_layers(polygons(contenance=1500))
    recipe = {**RECIPE, "datasets": ["bdtopo-routes", "cadastre-parcelles"]}
    report = write_postgis(postgis.uri(), layers[1:3], recipe, TERRITORY, schema=schema)

    assert report.schema == schema
    assert tables_of(postgis, schema) == ["bdtopo_routes", "cadastre_parcelles", "manifest", "manifest_layers"]
    assert contenances(postgis, schema) == "1500,845"
    assert styles_of(postgis, schema) == [("bdtopo_routes", "bdtopo_routes", "t"),
                                          ("cadastre_parcelles", "cadastre_parcelles", "t"),
                                          ("cadastre_parcelles", "mon style", "f")]
    assert fresh(postgis, schema, "cadastre_parcelles").renderer().type() == "singleSymbol"
    manifest = read_postgis_manifest(postgis.uri(), schema)
    assert manifest["recipe"] == recipe
    assert [record["table_name"] for record in manifest["layers"]] == ["bdtopo_routes", "cadastre_parcelles"]
    assert staging_schemas(postgis) == "0"


def test_failure_leaves_the_previous_content(postgis):
    schema = "failure"
    write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema=schema)
    # a view of the user's on a package table: PostgreSQL refuses to drop the table under it
    postgis.psql(f"CREATE VIEW {schema}.grandes_parcelles AS SELECT * FROM {schema}.cadastre_parcelles "
                 f"WHERE contenance > 1000")

    with pytest.raises(PackageError) as error:
        write_postgis(postgis.uri(), package_layers(polygons(contenance=1)), {"other": True}, TERRITORY,
                      schema=schema)
    message = str(error.value)
    assert schema in message and "grandes_parcelles" in message and "inchangé" in message

    assert contenances(postgis, schema) == "1200,845"
    assert tables_of(postgis, schema) == sorted([*TABLES, "grandes_parcelles", "manifest", "manifest_layers"])
    assert styles_of(postgis, schema) == [(table, table, "t") for table in TABLES]
    assert read_postgis_manifest(postgis.uri(), schema)["recipe"] == RECIPE
    assert fresh(postgis, schema, "cadastre_parcelles").renderer().type() == "singleSymbol"
    assert staging_schemas(postgis) == "0"
    assert postgis.psql("SELECT count(*) FROM layer_styles WHERE f_table_schema LIKE '%dt_tmp%'") == "0"


def test_cancel_leaves_the_previous_content(postgis):
    schema = "cancel"
    write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema=schema)
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value >= 30 else None)
    with pytest.raises(PackageCanceled):
        write_postgis(postgis.uri(), package_layers(polygons(contenance=1)), {"other": True}, TERRITORY,
                      schema=schema, feedback=feedback)
    assert contenances(postgis, schema) == "1200,845"
    assert read_postgis_manifest(postgis.uri(), schema)["recipe"] == RECIPE
    assert staging_schemas(postgis) == "0"


def test_saved_connection_and_clear_errors(postgis):
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    name = "Données et territoires — tests"
    metadata.createConnection(postgis.uri(), {"saveUsername": True}).store(name)
    try:
        report = write_postgis(name, package_layers()[3:], RECIPE, TERRITORY, schema="par_nom")
        assert report.destination == f"{name} / par_nom"
        assert read_postgis_manifest(name, "par_nom")["layers"][0]["table_name"] == "petites_villes_de_demain"
    finally:
        metadata.deleteConnection(name)

    with pytest.raises(PackageError, match="introuvable"):
        write_postgis("pas une connexion", package_layers(), RECIPE, TERRITORY)
    with pytest.raises(PackageError, match="refusé"):
        write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema="Mon-Schéma")
    with pytest.raises(PackageError, match="ne contient pas de paquet"):
        read_postgis_manifest(postgis.uri(), "public")
    assert default_schema_name("commune:33063,commune:33039") == "commune_33063_commune_33039"
    long_name = default_schema_name(",".join(f"commune:330{n:02d}" for n in range(20)))
    assert len(long_name) <= 63 and long_name.startswith("commune_33000_commune_33001")


def test_authcfg_and_own_fid_column(postgis):
    from tests.qgis.auth_configs import basic_config

    manager = QgsApplication.authManager()
    config_id = basic_config("donnees-territoires-tests", "postgres", "not-needed-with-trust")
    # no user in the string: only the authentication configuration says who connects
    uri = f"host=127.0.0.1 port={postgis.port} dbname=postgres sslmode=disable authcfg={config_id}"
    own_fid = memory_layer("Point?crs=EPSG:2154&field=fid:string&field=nom:string",
                           [("Point(417000 6423000)", ["abc", "x"]), ("Point(417001 6423001)", ["abc", "y"])])
    try:
        report = write_postgis(uri, [PackageLayer("points", own_fid, "points", "Points")], {"output": uri},
                               TERRITORY, schema="avec_authcfg")
    finally:
        manager.removeAuthenticationConfig(config_id)
    assert postgis.psql("SELECT string_agg(fid, ',' ORDER BY nom) FROM avec_authcfg.points") == "abc,abc"
    # the table's own « fid » column stays data: the key is another column, found again by layer_uri()
    points = QgsVectorLayer(layer_uri(postgis.uri(), "avec_authcfg", "points"), "points", "postgres")
    assert points.isValid() and points.isSpatial() and points.featureCount() == 2
    assert points.fields().names()[points.dataProvider().pkAttributeIndexes()[0]] == "dt_fid"
    assert report.layers[0].checksum == layer_checksum(own_fid)
    stored = postgis.psql("SELECT value FROM avec_authcfg.manifest WHERE key = 'recipe'")
    assert config_id in stored and "not-needed" not in stored


def test_metadata_table_without_the_right_to_create_in_public(postgis):
    """A role that may create schemas but not in « public » (PostgreSQL 15's default): the package is
    written all the same, and from QGIS 3.28 QGIS's metadata table lands in its schema, as QGIS does."""
    from qgis.core import QgsApplication as App

    existing = postgis.psql("SELECT table_schema FROM information_schema.tables "
                            "WHERE table_name = 'qgis_layer_metadata'")
    if existing:
        postgis.psql(f"ALTER TABLE {existing}.qgis_layer_metadata RENAME TO qgis_layer_metadata_kept")
    postgis.psql("DROP ROLE IF EXISTS sig_limite; CREATE ROLE sig_limite LOGIN; "
                 "GRANT CREATE ON DATABASE postgres TO sig_limite; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
                 "GRANT USAGE ON SCHEMA public TO sig_limite; "
                 "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sig_limite; "
                 "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sig_limite")
    logged = []

    def listen(message, tag, _level):
        if tag == "Données et territoires":
            logged.append(message)

    App.messageLog().messageReceived.connect(listen)
    uri = postgis.uri().replace("user=postgres", "user=sig_limite")
    try:
        report = write_postgis(uri, package_layers(), RECIPE, TERRITORY, schema="sans_public")
        stored = postgis.psql("SELECT table_schema FROM information_schema.tables "
                              "WHERE table_name = 'qgis_layer_metadata'")
    finally:
        App.messageLog().messageReceived.disconnect(listen)
        postgis.psql("DROP SCHEMA IF EXISTS sans_public CASCADE; DROP OWNED BY sig_limite; DROP ROLE sig_limite")
        if existing:
            postgis.psql(f"ALTER TABLE {existing}.qgis_layer_metadata_kept RENAME TO qgis_layer_metadata")
    # the styles may need the right to change QGIS's layer_styles table in « public »: said, not fatal
    assert report.schema == "sans_public"
    unexpected = [w for w in report.warnings if "Le style de la table" not in w and "réparées" not in w]
    assert not unexpected, unexpected
    assert report.layers and all(layer.checksum for layer in report.layers)
    if QGIS_VERSION_INT >= 32800:
        assert stored == "sans_public"
        assert any("n'a pas pu être créée dans « public »" in message and "« sans_public »" in message
                   for message in logged)
    else:
        assert stored == "" and not any("qgis_layer_metadata" in message for message in logged)


def test_a_schema_that_is_not_a_package_keeps_its_tables(postgis):
    """Issue 14: a user's own table named like a package table, in a schema without manifest, is never replaced."""
    schema = "donnees_agents"
    postgis.psql(f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.cadastre_parcelles (id int, note text); "
                 f"INSERT INTO {schema}.cadastre_parcelles VALUES (1, 'à garder')")

    with pytest.raises(PackageError) as error:
        write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema=schema)

    message = str(error.value)
    assert schema in message and "n'est pas un paquet" in message and "cadastre_parcelles" in message
    assert postgis.psql(f"SELECT note FROM {schema}.cadastre_parcelles") == "à garder"
    assert tables_of(postgis, schema) == ["cadastre_parcelles"] and staging_schemas(postgis) == "0"

    # other tables of the user's beside a package are left alone, and the package can be written there
    other = "avec_autre_table"
    postgis.psql(f"CREATE SCHEMA {other}; CREATE TABLE {other}.mes_notes (id int)")
    write_postgis(postgis.uri(), package_layers(), RECIPE, TERRITORY, schema=other)
    assert "mes_notes" in tables_of(postgis, other) and "manifest" in tables_of(postgis, other)
