"""download_dataset: catalog entries fetched from a local mirror that answers like the real services."""

import gzip
import json
import re

import pytest
from qgis.core import QgsProcessingException

BAN_HEADER = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
              "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
              "source_position;source_nom_voie;certification_commune;cad_parcelles")


def ban_row(code, commune, number, lon, lat):
    return (f"{code}_xxxx_{number:05d};{code}_xxxx;{number};;Rue de la Paix;33000;{code};{commune};;;0;0;{lon};{lat};"
            f"entrée;;;{commune.upper()};RUE DE LA PAIX;commune;commune;1;")


def parcel(commune, number, lon, lat):
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]
    return {"type": "Feature", "id": f"{commune}000AB{number:04d}", "geometry": {"type": "Polygon",
            "coordinates": [ring]}, "properties": {"id": f"{commune}000AB{number:04d}", "commune": commune,
            "prefixe": "000", "section": "AB", "numero": str(number), "contenance": 1000}}


def run(dataset, territory, messages=None):
    import processing
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    if messages is not None:
        feedback.pushInfo = messages.append
    return processing.run("donnees_territoires:download_dataset", {
        "DATASET": dataset, "TERRITORY": territory, "OUTPUT": "memory:"}, feedback=feedback)["OUTPUT"]


def test_ban_departement_file_filtered_on_the_territory_codes(qgis_app, dt_processing, mirror):
    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378), ban_row("33063", "Bordeaux", 2, -0.5701,
            44.8412), ban_row("33281", "Mérignac", 3, -0.6459, 44.8386),
            ban_row("33529", "Saint-Émilion", 4, -0.1553, 44.8936)]  # not in Bordeaux Métropole
    mirror.expect_request("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz").respond_with_data(
        gzip.compress(("\n".join(rows) + "\n").encode("utf-8")), content_type="application/gzip")
    layer = run("ban-adresses", "epci:243300316")
    assert layer.crs().authid() == "EPSG:2154"
    assert sorted(f["code_insee"] for f in layer.getFeatures()) == ["33063", "33063", "33281"]
    assert all(f.geometry().asPoint().x() > 300_000 for f in layer.getFeatures())  # Lambert-93 metres


def test_per_commune_cadastre_merged_with_missing_files_reported(qgis_app, dt_processing, mirror):
    base = "/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33"
    for commune, lon, lat in (("33063", -0.58, 44.84), ("33281", -0.65, 44.84)):
        collection = {"type": "FeatureCollection", "features": [parcel(commune, n, lon + n * 0.002, lat)
                                                                for n in range(1, 4)]}
        mirror.expect_request(f"{base}/{commune}/cadastre-{commune}-parcelles.json.gz").respond_with_data(
            gzip.compress(json.dumps(collection).encode()), content_type="application/gzip")
    mirror.expect_request(re.compile(r"/cadastre\.data\.gouv\.fr/.*")).respond_with_data("Not Found", status=404)
    messages = []
    layer = run("cadastre-parcelles", "epci:243300316", messages)
    assert layer.featureCount() == 6
    assert {f["commune"] for f in layer.getFeatures()} == {"33063", "33281"}
    assert "layer" not in layer.fields().names() and "path" not in layer.fields().names()
    # the 26 other communes of the métropole have no file on this mirror: said, not fatal
    assert sum("pas de fichier pour commune:" in m for m in messages) == 26


def test_unknown_dataset_and_view_only_dataset_are_explained(qgis_app, dt_processing, mirror):
    with pytest.raises(QgsProcessingException, match="inconnu. Identifiants proches : .*ban-adresses"):
        run("ban adresses", "commune:33063")
    with pytest.raises(QgsProcessingException, match="affichage seulement"):
        run("ign-orthophotos", "commune:33063")


def test_a_server_error_names_the_url(qgis_app, dt_processing, mirror):
    mirror.expect_request("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz").respond_with_data(
        "Forbidden", status=403)
    with pytest.raises(QgsProcessingException, match="adresses-33.csv.gz"):
        run("ban-adresses", "commune:33063")


def test_wfs_dataset_paged_and_filtered_on_codes(qgis_app, dt_processing, mirror):
    from donnees_territoires.fetch.wfs import clear_feature_type_cache
    from tests.qgis.geoplateforme import FakeGeoplateforme

    clear_feature_type_cache()
    fake = FakeGeoplateforme()
    mirror.expect_request("/data.geopf.fr/wfs/ows").respond_with_handler(fake)
    layer = run("admin-express-communes", "epci:243300316")
    assert layer.featureCount() == 28
    assert layer.crs().authid() == "EPSG:2154"
    assert "33063" in {f["code_insee"] for f in layer.getFeatures()}
    (request,) = fake.get_features()
    assert request["params"]["TYPENAMES"] == "ADMINEXPRESS-COG.LATEST:commune"
    assert "code_insee IN (" in request["params"]["CQL_FILTER"]
    clear_feature_type_cache()


def test_the_catalogs_of_the_settings_extend_and_override_the_builtin_one(qgis_app, tmp_path):
    from donnees_territoires.catalog import configured_catalog
    from donnees_territoires.toolbelt.settings import Settings

    builtin = configured_catalog(Settings())
    entry = json.loads(json.dumps(builtin["ban-adresses"].raw))
    entry["source"]["url"] = "https://sig.departement.example/ban/adresses-{code_dep}.csv.gz"
    mine = dict(entry, id="adresses-departement", title={"fr": "Adresses du département", "en": "County addresses"})
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format_version": 1, "name": {"fr": "SIG 33", "en": "GIS 33"},
                                "datasets": [entry, mine]}), encoding="utf-8")
    catalog = configured_catalog(Settings(catalogs=f"{path}\n"))
    assert catalog["ban-adresses"].source.url.startswith("https://sig.departement.example/")
    assert catalog["ban-adresses"].overrides is not None
    assert "adresses-departement" in catalog and len(catalog) == len(builtin) + 1
