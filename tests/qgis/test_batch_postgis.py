"""batch_packages into PostGIS (throwaway PostgreSQL 15 + PostGIS 3 cluster): one schema per territory, or one
table per dataset with a territory code column, resumable and refreshable."""

import pytest
from qgis.core import QgsDataSourceUri, QgsVectorLayer

from tests.qgis.test_batch_packages import (
    BAN_PATH,
    EPCI,
    read_report,
    requests_to,
    serve,
)

pytestmark = [pytest.mark.postgis,
              pytest.mark.usefixtures("single_attempt")]  # a broken commune's 500 fails at once


@pytest.fixture
def communes():
    from donnees_territoires.territory import TerritoryIndex

    return TerritoryIndex.load().communes(EPCI)


def table(cluster, schema, name):
    uri = QgsDataSourceUri(cluster.uri())
    uri.setDataSource(schema, name, "geom", "", "fid")
    layer = QgsVectorLayer(uri.uri(False), name, "postgres")
    assert layer.isValid(), f"{schema}.{name}"
    return layer


def run(cluster, folder, layout, schema="", workers=1, connection=None):
    import processing

    return processing.run("donnees_territoires:batch_packages", {
        "PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT_FOLDER": str(folder),
        "POSTGIS_CONNECTION": connection or cluster.uri(), "POSTGIS_LAYOUT": layout, "POSTGIS_SCHEMA": schema,
        "WORKERS": workers})


@pytest.fixture
def saved_connection(postgis):
    """The cluster as a connection saved in QGIS (by name, as the Processing dialog passes it), removed after."""
    from qgis.core import QgsProviderRegistry

    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    metadata.saveConnection(metadata.createConnection(postgis.uri(), {"saveUsername": True}), "Base SIG de test")
    yield "Base SIG de test"
    metadata.deleteConnection("Base SIG de test")


def test_one_schema_per_territory_written_by_workers_then_up_to_date(postgis, saved_connection, dt_processing,
                                                                     mirror, communes, tmp_path):
    """The workers see the connections saved in QGIS: they read the same QGIS settings."""
    from donnees_territoires.package import read_postgis_manifest

    serve(mirror, communes)
    result = run(postgis, tmp_path, 0, schema="lot", workers=2, connection=saved_connection)
    assert (result["WRITTEN"], result["FAILED"], result["WORKERS_USED"]) == (28, 0, 2)
    schemas = postgis.psql("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
                           "WHERE nspname LIKE 'lot\\_%'").split(",")
    assert len(schemas) == 28 and "lot_commune_33063" in schemas
    addresses = table(postgis, "lot_commune_33063", "ban_adresses")
    assert sorted(f["code_insee"] for f in addresses.getFeatures()) == ["33063"] * 3
    assert addresses.crs().authid() == "EPSG:2154"
    recipe = read_postgis_manifest(postgis.uri(), "lot_commune_33281")["recipe"]
    assert recipe["territory"] == "commune:33281"  # each schema refreshes on its own
    assert recipe["output"]["schema"] == "lot_commune_33281"
    bordeaux = next(line for line in read_report(tmp_path) if line["code"] == "33063")
    assert bordeaux["paquet"] == "lot_commune_33063" and bordeaux["entités ban-adresses"] == "3"
    assert postgis.psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%dt\\_tmp%'") == "0"

    again = run(postgis, tmp_path, 0, schema="lot", workers=2, connection=saved_connection)
    assert (again["WRITTEN"], again["UNCHANGED"]) == (0, 28)


def test_one_table_per_dataset_with_a_territory_code_column(postgis, dt_processing, mirror, communes, tmp_path):
    from donnees_territoires.package import read_postgis_manifest

    serve(mirror, communes)
    result = run(postgis, tmp_path, 1)
    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    schema = "epci_243300316_communes"
    addresses = table(postgis, schema, "ban_adresses")
    pairs = sorted((f["code_territoire"], f["code_insee"]) for f in addresses.getFeatures())
    assert len(pairs) == 2 * 28 + 1 and all(territory == insee for territory, insee in pairs)
    assert pairs.count(("33063", "33063")) == 3
    parcels = table(postgis, schema, "cadastre_parcelles")
    assert {f["code_territoire"] for f in parcels.getFeatures()} == {c.code for c in communes}
    assert all(f["code_territoire"] == f["commune"] for f in parcels.getFeatures())
    assert parcels.crs().authid() == "EPSG:2154"
    manifest = read_postgis_manifest(postgis.uri(), schema)
    assert manifest["recipe"]["territory"] == EPCI
    assert manifest["recipe"]["batch"] == {"level": "commune", "layout": "tables", "column": "code_territoire"}
    assert manifest["layers"][0]["key_fields"][0] == "code_territoire"
    lines = {line["code"]: line for line in read_report(tmp_path)}
    assert lines["33063"]["paquet"] == schema and lines["33063"]["entités ban-adresses"] == "3"

    # nothing changed: the tables are left as they are, and the report still counts each territory
    again = run(postgis, tmp_path, 1)
    assert (again["WRITTEN"], again["UNCHANGED"]) == (0, 28)
    assert requests_to(mirror, BAN_PATH) == 2
    assert {line["code"]: line["entités ban-adresses"] for line in read_report(tmp_path)}["33063"] == "3"

    # Bordeaux's address 999 replaced by 1000: the report says so for Bordeaux, and nothing for the others
    mirror.clear()
    serve(mirror, communes, bordeaux=(1000,))
    assert run(postgis, tmp_path, 1)["WRITTEN"] == 28
    lines = {line["code"]: line for line in read_report(tmp_path)}
    assert lines["33063"]["changements"] == "ban-adresses +1 −1 ~0 ; cadastre-parcelles +0 −0 ~0"
    assert lines["33281"]["changements"] == "ban-adresses +0 −0 ~0 ; cadastre-parcelles +0 −0 ~0"
    assert postgis.psql(f"SELECT count(*) FROM {schema}.ban_adresses WHERE numero = '1000'") == "1"


def test_refreshing_the_tables_runs_the_batch_again_with_a_change_report(postgis, dt_processing, mirror, communes,
                                                                          tmp_path):
    import processing

    serve(mirror, communes)
    run(postgis, tmp_path, 1, schema="lot_tables")
    refreshed = processing.run("donnees_territoires:refresh_package", {
        "POSTGIS_CONNECTION": postgis.uri(), "POSTGIS_SCHEMA": "lot_tables",
        "REPORT": str(tmp_path / "changements.md")})
    assert (refreshed["ADDED"], refreshed["REMOVED"], refreshed["MODIFIED"]) == (0, 0, 0)
    text = (tmp_path / "changements.md").read_text(encoding="utf-8")
    assert "| 0 | 0 | 0 | 57 | par identifiant |" in text  # 57 addresses, compared by territory + id


def test_the_tables_are_left_as_they_are_while_a_territory_fails(postgis, dt_processing, mirror, communes, tmp_path):
    serve(mirror, communes)
    run(postgis, tmp_path, 1, schema="lot_echec")
    before = postgis.psql("SELECT count(*) FROM lot_echec.cadastre_parcelles")
    assert before == "56"

    mirror.clear()
    serve(mirror, communes, broken={"33281"})  # Mérignac's cadastre file now fails
    result = run(postgis, tmp_path, 1, schema="lot_echec")
    assert (result["WRITTEN"], result["UNCHANGED"], result["FAILED"]) == (0, 0, 28)
    assert postgis.psql("SELECT count(*) FROM lot_echec.cadastre_parcelles") == before  # Mérignac's rows kept
    assert postgis.psql("SELECT count(*) FROM lot_echec.cadastre_parcelles WHERE code_territoire = '33281'") == "2"
    lines = {line["code"]: line for line in read_report(tmp_path)}
    assert "cadastre-parcelles" in lines["33281"]["avertissements"]
    assert "le contenu précédent de lot_echec est inchangé" in lines["33063"]["avertissements"]
    assert "Mérignac (33281)" in lines["33063"]["avertissements"]


PVD_API = "/www.data.gouv.fr/api/1/datasets/programme-petites-villes-de-demain/"
PVD_CSV = "/static.data.gouv.fr/resources/pvd/pvd.csv"


def test_a_table_without_geometry_in_the_tables_layout(postgis, dt_processing, mirror, tmp_path):
    """Petites villes de demain (a CSV without geometry, cut by INSEE code) gathered in one table."""
    import csv
    import re

    import processing

    rows = ["insee_com;lib_com;date_signature", "33063;Bordeaux;2021-03-01", "33281;Mérignac;2021-04-01",
            "33281;Mérignac;2022-05-01", "75056;Paris;2021-01-01"]
    mirror.expect_request(PVD_API).respond_with_json({"slug": "pvd", "resources": [
        {"title": "Liste PVD", "format": "csv", "type": "main", "url": "https://static.data.gouv.fr"
         "/resources/pvd/pvd.csv", "last_modified": "2024-01-01"}]})
    mirror.expect_request(PVD_CSV).respond_with_data("\n".join(rows) + "\n", content_type="text/csv")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    result = processing.run("donnees_territoires:batch_packages", {
        "PARENT": EPCI, "LEVEL": 0, "DATASETS": "petites-villes-de-demain", "POSTGIS_CONNECTION": postgis.uri(),
        "POSTGIS_LAYOUT": "tables", "POSTGIS_SCHEMA": "lot_pvd", "WORKERS": 1})
    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    got = postgis.psql("SELECT string_agg(code_territoire || '/' || insee_com, ',' ORDER BY code_territoire, "
                       "date_signature) FROM lot_pvd.petites_villes_de_demain")
    assert got == "33063/33063,33281/33281,33281/33281"
    assert postgis.psql("SELECT count(*) FROM geometry_columns WHERE f_table_schema = 'lot_pvd'") == "0"
    with open(result["REPORT_CSV"], encoding="utf-8") as stream:  # no folder given: Processing's temporary one
        lines = {line["code"]: line for line in csv.DictReader(stream, delimiter=";")}
    assert lines["33281"]["entités petites-villes-de-demain"] == "2"
    assert lines["33449"]["entités petites-villes-de-demain"] == "0"


def test_a_territory_no_longer_in_the_batch_gets_a_line_saying_its_rows_left(postgis, dt_processing, mirror,
                                                                             communes, tmp_path):
    import processing

    serve(mirror, communes)

    def batch(parent):
        processing.run("donnees_territoires:batch_packages", {
            "PARENT": parent, "LEVEL": 0, "DATASETS": "ban-adresses", "OUTPUT_FOLDER": str(tmp_path),
            "POSTGIS_CONNECTION": postgis.uri(), "POSTGIS_LAYOUT": 1, "POSTGIS_SCHEMA": "lot_depart", "WORKERS": 1})
        return {line["code"]: line for line in read_report(tmp_path)}

    batch("commune:33063,commune:33281")
    lines = batch("commune:33063")  # Mérignac left the batch (as a commune merged since would)
    assert lines["33063"]["statut"] == "écrit"
    assert lines["33281"]["statut"] == "obsolète"
    assert lines["33281"]["changements"] == "ban-adresses +0 −2 ~0"
    assert "n'est plus un territoire du lot" in lines["33281"]["avertissements"]
    assert postgis.psql("SELECT count(*) FROM lot_depart.ban_adresses WHERE code_territoire = '33281'") == "0"
