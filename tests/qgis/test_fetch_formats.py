"""Format sniffing and opening: BAN and DVF CSV, GeoJSON (plain, single feature, gzipped), zip."""

import gzip
import json
import zipfile

import pytest
from qgis.core import QgsWkbTypes

from donnees_territoires.fetch import FormatError, open_layer, sniff
from donnees_territoires.fetch.formats import error_document

BAN_HEADER = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;"
              "code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;"
              "nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;"
              "certification_commune;cad_parcelles")
BAN_ROWS = [
    "01001_0008_00005;01001_0008;5;;Route de l'Église;01400;01001;L'Abergement-Clémenciat;;;"
    "848592.51;6563185.7;4.921712;46.153394;entrée;;;L ABERGEMENT CLEMENCIAT;ROUTE DE L EGLISE;"
    "commune;commune;1;01001000AB0123",
    "01001_0008_00007;01001_0008;7;bis;Route de l'Église;01400;01001;L'Abergement-Clémenciat;;;"
    "848610.02;6563190.31;4.921938;46.153433;entrée;;;L ABERGEMENT CLEMENCIAT;ROUTE DE L EGLISE;"
    "commune;commune;1;01001000AB0124",
]
BAN = BAN_HEADER + "\n" + "\n".join(BAN_ROWS) + "\n"
DVF = ("id_mutation,date_mutation,numero_disposition,nature_mutation,valeur_fonciere,"
       "adresse_numero,adresse_nom_voie,code_postal,code_commune,nom_commune,code_departement,"
       "id_parcelle,type_local,surface_reelle_bati,longitude,latitude\n"
       "2023-1,2023-01-03,000001,Vente,185000,12,RUE DES ECOLES,01000,01053,Bourg-en-Bresse,01,"
       '01053000AC0201,Maison,92,5.225601,46.205219\n'
       '2023-2,2023-01-05,000001,Vente,"1250,5",,LES PRES,01000,01053,Bourg-en-Bresse,01,'
       "01053000AC0202,,,5.226,46.2061\n")
FEATURE = {"type": "Feature", "properties": {"code": "2A004", "nom": "Ajaccio"},
           "geometry": {"type": "Point", "coordinates": [8.7369, 41.9267]}}


def _values(layer, field):
    return [feature[field] for feature in layer.getFeatures()]


def test_ban_csv_utf8(qgis_app, tmp_path):
    path = tmp_path / "adresses-01.csv"
    path.write_text(BAN, encoding="utf-8")

    fmt = sniff(path)
    layer = open_layer(path)

    assert (fmt.kind, fmt.delimiter, fmt.encoding) == ("csv", ";", "UTF-8")
    assert (fmt.lon_field, fmt.lat_field) == ("lon", "lat")  # not x/y, which are Lambert 93
    assert len(fmt.columns) == 23
    assert layer.isValid() and layer.featureCount() == 2
    assert layer.geometryType() == QgsWkbTypes.GeometryType.PointGeometry
    assert layer.crs().authid() == "EPSG:4326"
    assert _values(layer, "code_insee") == ["01001", "01001"]  # leading zero kept
    assert _values(layer, "nom_commune")[0] == "L'Abergement-Clémenciat"
    point = next(layer.getFeatures()).geometry().asPoint()
    assert (round(point.x(), 6), round(point.y(), 6)) == (4.921712, 46.153394)


@pytest.mark.parametrize(("encoding", "expected"), [("latin-1", "ISO-8859-1"),
                                                    ("cp1252", "windows-1252")])
def test_ban_like_csv_in_latin1(qgis_app, tmp_path, encoding, expected):
    path = tmp_path / "adresses.csv"
    text = BAN.replace("Route de l'Église", "Rue du Bœuf") if encoding == "cp1252" else BAN
    path.write_bytes(text.encode(encoding))

    fmt = sniff(path)
    layer = open_layer(path)

    assert fmt.encoding == expected and fmt.delimiter == ";"
    assert _values(layer, "nom_commune")[0] == "L'Abergement-Clémenciat"
    if encoding == "cp1252":
        assert _values(layer, "nom_voie")[0] == "Rue du Bœuf"


def test_latin1_far_from_the_header_is_detected(tmp_path):
    path = tmp_path / "grand.csv"
    rows = ["01001_0001_00001;1;Route de Bourg;01001;4.92;46.15"] * 8000
    path.write_bytes(("id;numero;nom_voie;code_insee;lon;lat\n" + "\n".join(rows)
                      + "\n01001_0001_09999;3;Chemin de l'Étang;01001;4.9;46.1\n").encode("latin-1"))
    assert path.stat().st_size > 256 * 1024
    assert sniff(path).encoding == "ISO-8859-1"


def test_dvf_csv_with_commas(qgis_app, tmp_path):
    path = tmp_path / "dvf-01.csv"
    path.write_text(DVF, encoding="utf-8")

    fmt = sniff(path)
    layer = open_layer(path, "DVF 2023")

    assert (fmt.delimiter, fmt.lon_field, fmt.lat_field) == (",", "longitude", "latitude")
    assert layer.name() == "DVF 2023" and layer.featureCount() == 2
    assert _values(layer, "code_commune") == ["01053", "01053"]
    assert _values(layer, "valeur_fonciere") == ["185000", "1250,5"]


def test_csv_without_coordinates_opens_as_a_table(qgis_app, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("COM;LIBELLE\n01001;L'Abergement-Clémenciat\n2A004;Ajaccio\n", encoding="utf-8")

    fmt = sniff(path)
    layer = open_layer(path)

    assert fmt.kind == "csv" and not fmt.has_points
    assert layer.geometryType() == QgsWkbTypes.GeometryType.NullGeometry
    assert _values(layer, "COM") == ["01001", "2A004"]


def test_coordinates_out_of_range_are_not_taken_for_lon_lat(tmp_path):
    path = tmp_path / "l93.csv"
    path.write_text("id,lon,lat\n1,848592.5,6563185.7\n", encoding="utf-8")
    assert not sniff(path).has_points


def test_geojson_single_feature(qgis_app, tmp_path):
    path = tmp_path / "ajaccio.geojson"
    path.write_text(json.dumps(FEATURE), encoding="utf-8")

    fmt = sniff(path)
    layer = open_layer(path)

    assert (fmt.kind, fmt.geojson_type) == ("geojson", "Feature")
    assert layer.featureCount() == 1 and _values(layer, "code") == ["2A004"]


def test_gzipped_geojson_recognised_by_content(qgis_app, tmp_path):
    collection = {"type": "FeatureCollection", "features": [FEATURE, FEATURE]}
    path = tmp_path / "download"  # a cache file named after a URL without extension
    path.write_bytes(gzip.compress(json.dumps(collection).encode()))

    fmt = sniff(path)
    layer = open_layer(path, "communes")

    assert (fmt.kind, fmt.gzipped, fmt.geojson_type) == ("geojson", True, "FeatureCollection")
    assert layer.featureCount() == 2


def test_gzipped_ban_csv(qgis_app, tmp_path):
    path = tmp_path / "adresses-01.csv.gz"
    path.write_bytes(gzip.compress(BAN.encode("utf-8")))

    fmt = sniff(path)
    layer = open_layer(path)

    assert (fmt.kind, fmt.gzipped, fmt.delimiter, fmt.lon_field) == ("csv", True, ";", "lon")
    assert layer.name() == "adresses-01" and layer.featureCount() == 2
    assert layer.crs().authid() == "EPSG:4326"


def test_large_geojson_with_type_after_features(tmp_path):
    features = [dict(FEATURE, properties={"code": f"{i:05d}", "nom": "x" * 50}) for i in range(3000)]
    path = tmp_path / "communes.geojson"
    path.write_text('{"features": ' + json.dumps(features) + ', "type": "FeatureCollection"}')
    assert path.stat().st_size > 256 * 1024
    assert sniff(path).geojson_type == "FeatureCollection"


def test_zip_lists_its_data_files_and_opens_the_single_one(qgis_app, tmp_path):
    path = tmp_path / "adresses.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("LISEZ-MOI.txt", "Base Adresse Nationale")
        archive.writestr("adresses-01.csv", BAN)

    fmt = sniff(path)
    layer = open_layer(path)

    assert (fmt.kind, fmt.members) == ("zip", ("adresses-01.csv",))
    assert layer.featureCount() == 2 and _values(layer, "code_insee")[0] == "01001"


def test_zip_with_several_data_files_needs_a_member(qgis_app, tmp_path):
    path = tmp_path / "lot.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ajaccio.geojson", json.dumps(FEATURE))
        archive.writestr("adresses-01.csv", BAN)

    with pytest.raises(FormatError) as caught:
        open_layer(path)
    layer = open_layer(path, member="ajaccio.geojson")

    assert "ajaccio.geojson" in str(caught.value) and "adresses-01.csv" in str(caught.value)
    assert _values(layer, "nom") == ["Ajaccio"]


def test_html_file_is_not_opened(qgis_app, tmp_path):
    path = tmp_path / "adresses.csv"
    path.write_text("<!DOCTYPE html><html><head><title>404</title></head></html>")
    assert sniff(path).kind == "html"
    with pytest.raises(FormatError, match="adresses.csv"):
        open_layer(path)


def test_error_document_detection():
    assert error_document(b"<html><head><title> Erreur\n 503 </title>") == ("html", "Erreur 503")
    assert error_document(b'<?xml version="1.0"?><ServiceExceptionReport><ServiceException '
                          b'code="LayerNotDefined">Couche inconnue</ServiceException>') == (
        "ogc", "Couche inconnue")
    # a CSV mislabelled text/html by its server is still data
    assert error_document(b"id;nom\n1;a\n", "text/html") is None
    assert error_document(b'<?xml version="1.0"?><wfs:FeatureCollection>') is None
