"""Issue 16: catalog entries whose producers changed, through a local mirror answering in the real formats.

Sirene's Paris is twenty files; DVF falls back on the year's national file when the per-commune files are gone;
a data.gouv.fr resource is taken by its stable id, and what arrives (zip or plain GeoJSON) decides how it is read.
"""

import gzip
import io
import json
import re
import zipfile

import pytest

from tests.qgis.test_download_dataset import run

pytestmark = pytest.mark.usefixtures("single_attempt")

PARIS = [f"751{n:02d}" for n in range(1, 21)]
SIRENE = "/files.data.gouv.fr/geo-sirene/last/dep/geo_siret_{code}.csv.gz"
SIRENE_HEADER = ("siren,nic,siret,dateCreationEtablissement,trancheEffectifsEtablissement,codeCommuneEtablissement,"
                 "etatAdministratifEtablissement,enseigne1Etablissement,denominationUsuelleEtablissement,"
                 "activitePrincipaleEtablissement,longitude,latitude,geo_score,geo_type")


def sirene_file(code, lon, lat, count=2):
    rows = [f"55{code}{n},{n:05d},55{code}{n}{n:05d},2019-01-01,03,{code},A,BOULANGERIE {n},,10.71C,"
            f"{lon + n * 0.001:.6f},{lat:.6f},0.9,housenumber" for n in range(count)]
    return gzip.compress(("\n".join([SIRENE_HEADER, *rows]) + "\n").encode(), mtime=0)


def test_sirene_of_paris_is_read_from_its_twenty_arrondissement_files(qgis_app, dt_processing, mirror):
    for number, code in enumerate(PARIS):
        mirror.expect_request(SIRENE.format(code=code)).respond_with_data(
            sirene_file(code, 2.30 + number * 0.004, 48.86), content_type="application/gzip")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)

    layer = run("sirene-etablissements", "commune:75056")

    assert sorted({f["codeCommuneEtablissement"] for f in layer.getFeatures()}) == PARIS
    assert layer.featureCount() == 40 and layer.crs().authid() == "EPSG:2154"
    asked = {request.path for request, _response in mirror.log}
    assert SIRENE.format(code="75") not in asked  # the département file does not exist at the producer's


# -- DVF: per-commune files, else the year's national file -----------------------------------------------------
DVF_HEADER = ("id_mutation,date_mutation,numero_disposition,nature_mutation,valeur_fonciere,adresse_numero,"
              "adresse_suffixe,adresse_nom_voie,adresse_code_voie,code_postal,code_commune,nom_commune,"
              "code_departement,ancien_code_commune,ancien_nom_commune,id_parcelle,ancien_id_parcelle,numero_volume,"
              "lot1_numero,lot1_surface_carrez,lot2_numero,lot2_surface_carrez,lot3_numero,lot3_surface_carrez,"
              "lot4_numero,lot4_surface_carrez,lot5_numero,lot5_surface_carrez,nombre_lots,code_type_local,"
              "type_local,surface_reelle_bati,nombre_pieces_principales,code_nature_culture,nature_culture,"
              "code_nature_culture_speciale,nature_culture_speciale,surface_terrain,{coordinates}")
DVF_API = "/www.data.gouv.fr/api/1/datasets/demandes-de-valeurs-foncieres-geolocalisees/"
COMMUNES = {"33063": (-0.58, 44.84), "33281": (-0.65, 44.83), "75113": (2.36, 48.83)}


def dvf_rows(year, code, count, latitude_first=False):
    lon, lat = COMMUNES[code]
    rows = []
    for n in range(count):
        place = f"{lat:.6f},{lon + n * 0.001:.6f}" if latitude_first else f"{lon + n * 0.001:.6f},{lat:.6f}"
        rows.append(f"{year}-{code}-{n},{year}-05-{n + 1:02d},000001,Vente,{200000 + n},{n},,RUE X,0001,33000,{code},"
                    f"Commune,{code[:2]},,,{code}000AB{n:04d},,,,,,,,,,,,,0,1,Maison,90,4,,,,,,{place}")
    return rows


def national_file(year, latitude_first=True):
    """full-{year}.csv.gz as the 2026 pipeline writes it: every commune, latitude before longitude."""
    header = DVF_HEADER.format(coordinates="latitude,longitude" if latitude_first else "longitude,latitude")
    rows = [row for code, count in (("33063", 3), ("33281", 2), ("75113", 4))
            for row in dvf_rows(year, code, count, latitude_first)]
    return gzip.compress(("\n".join([header, *rows]) + "\n").encode(), mtime=0)


def serve_dvf_api(mirror, years):
    resources = [{"id": f"0000000{year}-aaaa-bbbb-cccc-dddddddddddd", "title": f"DVF {year}", "format": "csv.gz",
                  "type": "main", "last_modified": f"{year + 1}-04-15T00:00:00",
                  "url": f"https://object.files.data.gouv.fr/data-pipeline-open/dvf/full-{year}.csv.gz"}
                 for year in years]
    mirror.expect_request(DVF_API).respond_with_json({"slug": "demandes-de-valeurs-foncieres-geolocalisees",
                                                      "resources": resources})
    for year in years:
        mirror.expect_request(f"/object.files.data.gouv.fr/data-pipeline-open/dvf/full-{year}.csv.gz")\
            .respond_with_data(national_file(year), content_type="application/gzip")


YEARS = [2021, 2022, 2023, 2024, 2025]  # the entry's default years


def test_dvf_without_per_commune_files_is_read_from_the_national_file_of_the_year(qgis_app, dt_processing, mirror):
    serve_dvf_api(mirror, YEARS)
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)  # no per-commune file

    layer = run("dvf-mutations", "commune:33063")

    assert sorted((f["code_commune"], f["date_mutation"][:4]) for f in layer.getFeatures()) == \
        [("33063", str(year)) for year in YEARS for _n in range(3)]
    # read by column name: latitude came first, the points are still in Bordeaux (Lambert-93 metres)
    assert all(400_000 < f.geometry().asPoint().x() < 450_000 for f in layer.getFeatures())
    asked = [request.path for request, _response in mirror.log]
    assert "/files.data.gouv.fr/geo-dvf/latest/csv/2024/communes/33/33063.csv" in asked
    assert asked.count("/object.files.data.gouv.fr/data-pipeline-open/dvf/full-2024.csv.gz") == 1


def test_dvf_per_commune_files_are_used_while_they_answer(qgis_app, dt_processing, mirror):
    serve_dvf_api(mirror, YEARS)
    for year in YEARS:
        for code in ("33063", "33281"):
            body = "\n".join([DVF_HEADER.format(coordinates="longitude,latitude"), *dvf_rows(year, code, 2)]) + "\n"
            mirror.expect_request(f"/files.data.gouv.fr/geo-dvf/latest/csv/{year}/communes/33/{code}.csv")\
                .respond_with_data(body, content_type="text/csv")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)

    layer = run("dvf-mutations", "epci:243300316")  # 26 of the 28 communes have no file: no sales there

    assert sorted({f["code_commune"] for f in layer.getFeatures()}) == ["33063", "33281"]
    assert layer.featureCount() == 2 * 2 * len(YEARS)
    assert not any("full-" in request.path for request, _response in mirror.log)


def test_dvf_without_per_commune_nor_national_file_says_both(qgis_app, dt_processing, mirror):
    from qgis.core import QgsProcessingException

    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)

    with pytest.raises(QgsProcessingException) as caught:
        run("dvf-mutations", "commune:33063")

    message = str(caught.value)
    assert "5 fichiers absents chez le producteur pour commune:33063, et le fichier national de 2021 non plus" in \
        message, message
    assert "demandes-de-valeurs-foncieres-geolocalisees" in message
    asked = [request.path for request, _response in mirror.log]
    assert asked.count(DVF_API) == 1  # one attempt at the fallback, not one per year


# -- data.gouv.fr resources: a stable id, and what arrives decides ----------------------------------------------
QPV_API = "/www.data.gouv.fr/api/1/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
QPV_ID = "942d4ee8-8142-4556-8ea1-335537ce1119"


def qpv_collection():
    def square(code, lon, lat, size=0.004):
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"code_qp": code, "lib_qp": f"Quartier {code}", "insee_com": "33063",
                               "siren_epci": "243300316"}}
    return {"type": "FeatureCollection", "features": [square("QN03301M", -0.575, 44.835),
                                                      square("QN07501M", 2.35, 48.85)]}


@pytest.mark.parametrize("packed", ["zip", "geojson"])
def test_qpv_is_read_whether_the_resource_is_a_zip_or_a_plain_geojson(qgis_app, dt_processing, mirror, packed):
    body = json.dumps(qpv_collection()).encode()
    if packed == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson", body)
            archive.writestr("SHP/QP2024_France_hexagonale_LB93.prj", "PROJCS[]")
        body = buffer.getvalue()
    mirror.expect_request(QPV_API).respond_with_json({"slug": "qpv", "resources": [
        # a newer zip whose title also says 2024: the entry's resource id wins
        {"id": "11111111-2222-3333-4444-555555555555", "title": "QP 2024 ancien découpage", "format": "zip",
         "type": "main", "url": "https://static.data.gouv.fr/resources/qpv/autre.zip", "last_modified": "2025-09-01"},
        {"id": QPV_ID, "title": "Quartiers prioritaires 2024", "format": "zip", "type": "main",
         "url": "https://static.data.gouv.fr/resources/qpv/qp2024", "last_modified": "2024-01-01"}]})
    mirror.expect_request("/static.data.gouv.fr/resources/qpv/qp2024").respond_with_data(
        body, content_type="application/octet-stream")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)

    layer = run("qpv-2024", "commune:33063")

    assert [f["code_qp"] for f in layer.getFeatures()] == ["QN03301M"]
    assert not any(request.path.endswith("autre.zip") for request, _response in mirror.log)


PVD_API = "/www.data.gouv.fr/api/1/datasets/programme-petites-villes-de-demain/"


@pytest.mark.parametrize("separator", [",", ";"])
def test_petites_villes_de_demain_with_either_separator(qgis_app, dt_processing, mirror, separator):
    rows = ["insee_com,lib_com,id_pvd,date_signature", "33063,Bordeaux,PVD-1,01/03/2026",
            "33281,Mérignac,PVD-2,2021-05-04", "24037,Bergerac,PVD-3,2021-06-01"]
    body = ("\n".join(rows) + "\n").replace(",", separator).encode()
    mirror.expect_request(PVD_API).respond_with_json({"slug": "pvd", "resources": [
        {"id": "1fa831ec-d912-4277-8b95-a8b998bf951e", "title": "liste-pvd-com2025-20260427.csv", "format": "csv",
         "type": "main", "url": "https://static.data.gouv.fr/resources/pvd/liste.csv", "last_modified": "2026-04-27"}]})
    mirror.expect_request("/static.data.gouv.fr/resources/pvd/liste.csv").respond_with_data(body,
                                                                                         content_type="text/csv")

    layer = run("petites-villes-de-demain", "epci:243300316")

    assert sorted((f["insee_com"], f["date_signature"]) for f in layer.getFeatures()) == [
        ("33063", "01/03/2026"), ("33281", "2021-05-04")]


# -- Géoportail de l'urbanisme: a WFS asked by partition (the commune's PLU, its EPCI's PLUi) ----------------------
def zone(gid, partition, lon, lat, libelle):
    ring = [[lon, lat], [lon + 0.003, lat], [lon + 0.003, lat + 0.003], [lon, lat + 0.003], [lon, lat]]
    return {"type": "Feature", "id": f"zone_urba.{gid}", "geometry_name": "the_geom",
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
            "properties": {"gid": gid, "partition": partition, "libelle": libelle, "libelong": f"Zone {libelle}",
                           "typezone": libelle[0], "idurba": f"{partition[3:]}_PLUI_20250101", "datappro": "20250101"}}


def test_the_zoning_of_a_commune_in_a_plui_comes_from_its_epci_partition(qgis_app, dt_processing, mirror):
    from donnees_territoires.fetch.wfs import clear_feature_type_cache
    from tests.qgis.geoplateforme import FakeGeoplateforme

    clear_feature_type_cache()
    fake = FakeGeoplateforme()
    fake.layers["wfs_du:zone_urba"] = ("the_geom", "", [
        zone(1, "DU_243300316", -0.575, 44.840, "UM1"),  # Bordeaux, in the PLUi of Bordeaux Métropole
        zone(2, "DU_243300316", -0.660, 44.835, "UP3"),  # Mérignac, same PLUi: outside the commune
        zone(3, "DU_33529", -0.155, 44.893, "A")])  # Saint-Émilion's own PLU
    mirror.expect_request("/data.geopf.fr/wfs/ows").respond_with_handler(fake)

    layer = run("gpu-zonage", "commune:33063")

    assert [f["libelle"] for f in layer.getFeatures()] == ["UM1"] and layer.crs().authid() == "EPSG:2154"
    (request,) = fake.get_features()
    assert request["params"]["TYPENAMES"] == "wfs_du:zone_urba"
    assert request["params"]["CQL_FILTER"] == "partition IN ('DU_33063','DU_243300316')"
    clear_feature_type_cache()


# -- transport.data.gouv.fr: the GTFS of the networks covering the territory ----------------------------------------
def tbm_feed():
    buffer = io.BytesIO()
    tables = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nTBM,TBM,https://www.infotbm.com,Europe/Paris",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,location_type\nQ,Quinconces,44.8445,-0.5737,0\n"
                     "G,Gare Saint-Jean,44.8256,-0.5563,0\nM,Mérignac Centre,44.8386,-0.6459,0",
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nA,TBM,A,Ligne A,0",
        "trips.txt": "route_id,service_id,trip_id,shape_id\nA,S,T1,SA",
        "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSA,44.8386,-0.6459,1\n"
                      "SA,44.8420,-0.6000,2\nSA,44.8445,-0.5737,3",
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in tables.items():
            archive.writestr(name, text + "\n")
    return buffer.getvalue()


def serve_transport(mirror):
    answer = [{"id": "tbm", "title": "Réseau TBM", "type": "public-transit",
               "covered_area": [{"type": "epci", "insee": "243300316", "nom": "Bordeaux Métropole"}],
               "resources": [{"format": "GTFS", "url": "https://transport.data.gouv.fr/resources/81/download",
                              "is_available": True}]},
              {"id": "ilevia", "title": "Ilévia", "type": "public-transit",
               "covered_area": [{"type": "epci", "insee": "200093201", "nom": "MEL"}],
               "resources": [{"format": "GTFS", "url": "https://transport.data.gouv.fr/resources/99/download"}]}]
    mirror.expect_request("/transport.data.gouv.fr/api/datasets").respond_with_json(answer)
    mirror.expect_request("/transport.data.gouv.fr/resources/81/download").respond_with_data(
        tbm_feed(), content_type="application/zip")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


def test_the_stops_and_shapes_of_the_networks_covering_a_commune(qgis_app, dt_processing, mirror):
    serve_transport(mirror)

    stops = run("gtfs-arrets", "commune:33063")
    shapes = run("gtfs-traces", "commune:33063")
    routes = run("gtfs-lignes", "commune:33063")

    assert sorted(f["stop_name"] for f in stops.getFeatures()) == ["Gare Saint-Jean", "Quinconces"]
    assert {f["reseau"] for f in stops.getFeatures()} == {"Réseau TBM"}
    (line,) = list(shapes.getFeatures())  # clipped at Bordeaux's boundary: it started in Mérignac
    assert line["route_short_name"] == "A" and 0 < line.geometry().length() < 6000
    assert [f["route_long_name"] for f in routes.getFeatures()] == ["Ligne A"]
    asked = [request.path for request, _response in mirror.log]
    assert "/transport.data.gouv.fr/resources/99/download" not in asked  # Lille's network is not asked
    assert asked.count("/transport.data.gouv.fr/api/datasets") == 1  # the API's answer is kept a day


def test_a_package_of_stops_is_up_to_date_on_a_second_run(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    from tests.qgis.test_partial_package import manifest_of

    serve_transport(mirror)
    target = tmp_path / "bordeaux.gpkg"
    parameters = {"TERRITORY": "commune:33063", "DATASETS": "gtfs-arrets", "OUTPUT": str(target),
                  "LOAD_RESULTS": False}
    first = processing.run("donnees_territoires:build_package", parameters)
    second = processing.run("donnees_territoires:build_package", parameters)

    assert first["UNCHANGED"] is False and second["UNCHANGED"] is True
    manifest, layers = manifest_of(target)
    assert layers["gtfs_arrets"][0] == 2


# -- INSEE's national files: a GeoPackage in a zip (extracted once), a CSV in a zip ------------------------------------
FILOSOFI = "/www.insee.fr/fr/statistiques/fichier/8735162/Filosofi2021_carreaux_200m_gpkg.zip"


def filosofi_zip(tmp_path):
    """carreaux_200m_met.gpkg (Lambert-93 cells: two in Bordeaux, one in Paris) and carreaux_200m_reun.gpkg, zipped
    as INSEE does (deflated members)."""
    from osgeo import ogr, osr

    lambert = osr.SpatialReference()
    lambert.ImportFromEPSG(2154)
    cells = {"met": [(417_400, 6_422_400), (417_600, 6_422_400), (652_000, 6_862_000)], "reun": [(340_000, 7_690_000)]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for territory, corners in cells.items():
            path = tmp_path / f"carreaux_200m_{territory}.gpkg"
            source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
            layer = source.CreateLayer(f"carreaux_200m_{territory}", lambert, ogr.wkbPolygon)
            for name, kind in (("idcar_200m", ogr.OFTString), ("ind", ogr.OFTReal), ("men_pauv", ogr.OFTReal)):
                layer.CreateField(ogr.FieldDefn(name, kind))
            for number, (x, y) in enumerate(corners):
                feature = ogr.Feature(layer.GetLayerDefn())
                feature.SetField("idcar_200m", f"CRS3035RES200mN{y}E{x}")
                feature.SetField("ind", 100.5 + number)
                feature.SetField("men_pauv", 3.0)
                feature.SetGeometry(ogr.CreateGeometryFromWkt(
                    f"POLYGON(({x} {y},{x + 200} {y},{x + 200} {y + 200},{x} {y + 200},{x} {y}))"))
                layer.CreateFeature(feature)
            source = None
            archive.write(path, path.name)
    return buffer.getvalue()


def test_filosofi_cells_come_from_the_geopackage_extracted_once_from_insee_zip(qgis_app, dt_processing, mirror,
                                                                              tmp_path):
    import os

    mirror.expect_request(FILOSOFI).respond_with_data(filosofi_zip(tmp_path), content_type="application/zip",
                                                      headers={"ETag": '"filosofi-2021"'})
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)

    layer = run("filosofi-carreaux-200m", "commune:33063")

    assert sorted(f["idcar_200m"] for f in layer.getFeatures()) == [
        "CRS3035RES200mN6422400E417400", "CRS3035RES200mN6422400E417600"]
    (extracted,) = (tmp_path / "cache").rglob("extraits/*")
    assert extracted.name.endswith("-carreaux_200m_met.gpkg")
    stamp = os.stat(extracted).st_mtime_ns
    again = run("filosofi-carreaux-200m", "commune:33063")
    assert again.featureCount() == 2 and os.stat(extracted).st_mtime_ns == stamp  # read again, not extracted


BPE = "/www.insee.fr/fr/statistiques/fichier/8217525/BPE24.zip"


BPE_ROWS = ["AN;NOMRS;DEPCOM;DEP;REG;TYPEQU;LAMBERT_X;LAMBERT_Y;LONGITUDE;LATITUDE;QUALITE_XY;EPSG;DCIRIS",
            "2024;MAIRIE;33063;33;75;A101;417500;6422500;-0.5792;44.8378;Bonne;2154;330630101",
            "2024;ECOLE;33281;33;75;C107;411000;6421000;-0.6459;44.8386;Bonne;2154;332810101",
            "2024;PHARMACIE;75113;75;11;D307;652000;6860000;2.3622;48.8322;Bonne;2154;751135001",
            "2024;GARE;97411;974;04;E107;340000;7690000;55.4504;-20.8789;Bonne;2975;974110101"]


def serve_bpe(mirror):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BPE24.csv", "\n".join(BPE_ROWS) + "\n")
    mirror.expect_request(BPE).respond_with_data(buffer.getvalue(), content_type="application/zip")
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


def test_bpe_equipments_are_read_from_the_national_csv_in_a_zip(qgis_app, dt_processing, mirror):
    serve_bpe(mirror)

    layer = run("bpe-equipements", "epci:243300316")

    assert sorted((f["DEPCOM"], f["TYPEQU"]) for f in layer.getFeatures()) == [("33063", "A101"), ("33281", "C107")]
    assert layer.crs().authid() == "EPSG:2154"


def test_a_feed_without_shapes_gives_an_empty_layer_not_an_error(qgis_app, dt_processing, mirror, tmp_path):
    answer = [{"id": "tbm", "title": "Réseau TBM", "type": "public-transit",
               "covered_area": [{"type": "commune", "insee": "33063", "nom": "Bordeaux"}],
               "resources": [{"format": "GTFS", "url": "https://transport.data.gouv.fr/resources/82/download"}]}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nQ,Quinconces,44.8445,-0.5737\n")
        archive.writestr("routes.txt", "route_id,route_short_name,route_type\nA,A,0\n")
        archive.writestr("trips.txt", "route_id,service_id,trip_id\nA,S,T1\n")
    mirror.expect_request("/transport.data.gouv.fr/api/datasets").respond_with_json(answer)
    mirror.expect_request("/transport.data.gouv.fr/resources/82/download").respond_with_data(
        buffer.getvalue(), content_type="application/zip")

    assert run("gtfs-traces", "commune:33063").featureCount() == 0
    assert run("gtfs-arrets", "commune:33063").featureCount() == 1
    import processing

    from tests.qgis.test_partial_package import manifest_of

    target = tmp_path / "bordeaux.gpkg"
    result = processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": "gtfs-arrets,gtfs-traces", "OUTPUT": str(target),
        "LOAD_RESULTS": False})
    assert result["FAILED_DATASETS"] == ""
    assert {table: count for table, (count, _checksum) in manifest_of(target)[1].items()} == {
        "gtfs_arrets": 1, "gtfs_traces": 0}


# -- Géorisques: a paged JSON API, commune by commune -----------------------------------------------------------------
GEORISQUES = "/www.georisques.gouv.fr/api/v1/cavites"


def cavity(number, lon, lat, code="33063"):
    return {"identifiant": f"AQIAA{number:07d}", "type": "Carrière", "nom": f"Carrière {number}",
            "reperage_geo": "Précis", "region": "75", "departement": "33", "code_insee": code,
            "longitude": lon, "latitude": lat}


def serve_cavities(mirror, next_url=None):
    base = "https://www.georisques.gouv.fr/api/v1/cavites"  # the API announces its own address; the mirror serves it

    def handler(request):
        from werkzeug import Response

        if request.args.get("code_insee") != "33063":
            return Response(json.dumps({"results": 0, "page": 1, "total_pages": 0, "data": [], "next": None}),
                            content_type="application/json")
        page = int(request.args.get("page", "1"))
        body = {"results": 3, "page": page, "total_pages": 2, "response_code": 200, "message": "",
                "data": [cavity(1, -0.57, 44.84), cavity(2, -0.58, 44.85)] if page == 1 else [cavity(3, -0.56, 44.83)],
                "next": (next_url or f"{base}?code_insee=33063&page=2&page_size=100") if page == 1 else None,
                "previous": None}
        return Response(json.dumps(body), content_type="application/json")
    mirror.expect_request(GEORISQUES).respond_with_handler(handler)


def test_georisques_cavities_are_read_page_after_page(qgis_app, dt_processing, mirror):
    serve_cavities(mirror)

    layer = run("georisques-cavites", "commune:33063")

    assert sorted(f["identifiant"] for f in layer.getFeatures()) == ["AQIAA0000001", "AQIAA0000002", "AQIAA0000003"]
    assert layer.crs().authid() == "EPSG:2154" and all(not f.geometry().isNull() for f in layer.getFeatures())
    pages = [request.args.get("page") for request, _response in mirror.log if request.path == GEORISQUES]
    assert pages == ["1", "2"]


def test_a_commune_without_cavity_is_empty_and_a_next_page_elsewhere_is_not_followed(qgis_app, dt_processing,
                                                                                      mirror):
    from qgis.core import QgsProcessingException

    serve_cavities(mirror, next_url="https://ailleurs.example.org/api/v1/cavites?page=2")
    assert run("georisques-cavites", "commune:33281").featureCount() == 0

    with pytest.raises(QgsProcessingException) as caught:
        run("georisques-cavites", "commune:33063")
    assert "n'est pas suivie" in str(caught.value) and "ailleurs.example.org" in str(caught.value)


def test_the_map_of_urban_planning_zones_is_a_wms_layer_through_the_mirror(qgis_app, mirror):
    from donnees_territoires.catalog import Catalog
    from donnees_territoires.extract.dataset import view_only_uri

    uri = view_only_uri(Catalog.load()["gpu-zonage-carte"])

    assert "layers=zone_urba" in uri and uri.endswith("/data.geopf.fr/wms-v/ows")
    assert uri.split("&url=")[1].startswith(mirror.url_for("/").rstrip("/"))
    assert mirror.log == []  # a WMS layer needs no capabilities read beforehand


def test_a_batch_reads_the_national_file_once_for_every_commune(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    from tests.qgis.test_partial_package import manifest_of

    serve_bpe(mirror)
    folder = tmp_path / "paquets"
    result = processing.run("donnees_territoires:batch_packages", {
        "PARENT": "epci:243300316", "LEVEL": 0, "DATASETS": "bpe-equipements", "OUTPUT_FOLDER": str(folder)})

    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    assert [request.path for request, _response in mirror.log].count(BPE) == 1
    counts = {path.name.split("-")[1]: manifest_of(path)[1]["bpe_equipements"][0] for path in folder.glob("*.gpkg")}
    assert counts["33063"] == 1 and counts["33281"] == 1 and sum(counts.values()) == 2
