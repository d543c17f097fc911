"""Cutting layers to a territory: each mode on the real 2018 contours, repair, empty results, rasters."""

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from tests.conftest import CONTOURS_2018


@pytest.fixture(autouse=True)
def local_contours(monkeypatch, tmp_path):
    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))


def memory_layer(kind, geometries, crs="EPSG:4326"):
    layer = QgsVectorLayer(f"{kind}?crs={crs}&field=id:integer", "saisie", "memory")
    features = []
    for i, geometry in enumerate(geometries):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([i])
        feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def gironde_4326():
    layer = QgsVectorLayer(f"{CONTOURS_2018}|layername=departement", "d", "ogr")
    (feature,) = layer.getFeatures("\"code\" = '33'")
    return QgsGeometry(feature.geometry())


def clip(layer, mode=0, **params):
    import processing

    feedback = QgsProcessingFeedback()
    messages = []
    feedback.pushInfo = messages.append
    result = processing.run("donnees_territoires:clip_to_territory", {
        "INPUT": layer, "TERRITORY": "departement:33", "MODE": mode, "OUTPUT": "memory:", **params},
        feedback=feedback)
    return result["OUTPUT"], messages


def test_intersects_keeps_exactly_the_points_inside(qgis_app, dt_processing):
    points = [QgsGeometry.fromPointXY(QgsPointXY(-1.3 + i * 0.05, 44.1 + j * 0.05))
              for i in range(40) for j in range(36)]  # a grid over Gironde and beyond
    output, messages = clip(memory_layer("Point", points))
    assert output.crs().authid() == "EPSG:2154"  # the legal CRS by default
    kept = {f["id"] for f in output.getFeatures()}
    gironde = gironde_4326()
    inside = {i for i, p in enumerate(points) if gironde.intersects(p)}
    # the territory is the union of the 2018 communes, not the département polygon: a few points on
    # the coast or the estuary may differ, nothing else
    assert len(kept ^ inside) <= 0.01 * len(points)
    assert 300 < len(kept) < len(points) - 300
    assert any("entité(s) gardée(s)" in m for m in messages)


def test_clip_cuts_a_line_at_the_border(qgis_app, dt_processing):
    # from Bordeaux eastwards to Périgueux (Dordogne): it crosses the border once
    line = QgsGeometry.fromPolylineXY([QgsPointXY(-0.57, 44.84), QgsPointXY(0.72, 45.18)])
    output, _ = clip(memory_layer("LineString", [line]), mode=1)
    (feature,) = output.getFeatures()
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                       QgsCoordinateReferenceSystem("EPSG:2154"), QgsProject.instance())
    whole = QgsGeometry(line)
    whole.transform(transform)
    assert 0.3 * whole.length() < feature.geometry().length() < 0.8 * whole.length()
    end = QgsGeometry.fromPointXY(QgsPointXY(0.72, 45.18))
    end.transform(transform)
    assert feature.geometry().distance(end) > 10_000  # the Dordogne part is gone
    intersects, _ = clip(memory_layer("LineString", [line]), mode=0)
    assert next(intersects.getFeatures()).geometry().length() == pytest.approx(whole.length(), rel=1e-6)


def test_within_drops_what_straddles_the_border(qgis_app, dt_processing):
    inside = QgsGeometry.fromWkt("POLYGON((-0.6 44.8,-0.5 44.8,-0.5 44.9,-0.6 44.9,-0.6 44.8))")
    straddling = QgsGeometry.fromWkt("POLYGON((0.1 44.8,0.5 44.8,0.5 44.9,0.1 44.9,0.1 44.8))")
    layer = memory_layer("Polygon", [inside, straddling])
    assert {f["id"] for f in clip(layer, mode=0)[0].getFeatures()} == {0, 1}
    assert {f["id"] for f in clip(layer, mode=2)[0].getFeatures()} == {0}
    # the modes by name, as qgis_process and scripts give them; the index and the name agree
    assert {f["id"] for f in clip(layer, mode="within")[0].getFeatures()} == {0}
    assert {f["id"] for f in clip(layer, mode="intersects")[0].getFeatures()} == {0, 1}
    assert {f["id"] for f in clip(layer, mode="2")[0].getFeatures()} == {0}


def test_an_unknown_mode_name_is_refused_in_french(qgis_app, dt_processing):
    from qgis.core import QgsProcessingContext, QgsProcessingException

    from donnees_territoires.processing.clip_to_territory import ClipToTerritory

    algorithm = ClipToTerritory()
    algorithm.initAlgorithm()
    layer = memory_layer("Point", [QgsGeometry.fromPointXY(QgsPointXY(-0.57, 44.84))])
    ok, message = algorithm.checkParameterValues(
        {"INPUT": layer, "TERRITORY": "departement:33", "MODE": "coupe", "OUTPUT": "memory:"}, QgsProcessingContext())
    assert not ok
    assert message.startswith("« coupe » n'est pas une valeur possible de « Mode de découpe »")
    assert "intersects, clip, within" in message
    with pytest.raises(QgsProcessingException, match="n'est pas une valeur possible"):
        clip(layer, mode="coupe")


def test_invalid_input_geometries_are_repaired_and_counted(qgis_app, dt_processing):
    bowtie = QgsGeometry.fromWkt("POLYGON((-0.6 44.8,-0.5 44.9,-0.5 44.8,-0.6 44.9,-0.6 44.8))")
    assert not bowtie.isGeosValid()
    output, messages = clip(memory_layer("Polygon", [bowtie]), mode=1)
    (feature,) = output.getFeatures()
    assert feature.geometry().isGeosValid() and feature.geometry().area() > 0
    assert any("1 géométrie(s) invalide(s) réparée(s)" in m for m in messages)


def test_an_empty_result_is_a_valid_empty_layer_with_a_note(qgis_app, dt_processing):
    far = QgsGeometry.fromPointXY(QgsPointXY(7.75, 48.58))  # Strasbourg
    output, messages = clip(memory_layer("Point", [far]))
    assert output.isValid() and output.featureCount() == 0
    assert any("Aucune entité" in m and "vide" in m for m in messages)


def test_crs_buffer_and_a_real_file(qgis_app, dt_processing, tmp_path):
    # the communes of 2018 themselves, cut to Bordeaux Métropole with a 2 km buffer, in WGS 84
    communes = QgsVectorLayer(f"{CONTOURS_2018}|layername=commune", "communes", "ogr")
    import processing

    target = tmp_path / "communes_bm.gpkg"
    result = processing.run("donnees_territoires:clip_to_territory", {
        "INPUT": communes, "TERRITORY": "epci:243300316", "MODE": 2, "BUFFER": 2000, "CRS": "EPSG:4326",
        "OUTPUT": str(target)})
    output = QgsVectorLayer(result["OUTPUT"], "bm", "ogr")
    assert output.crs().authid() == "EPSG:4326"
    codes = {f["code"] for f in output.getFeatures()}
    assert len(codes) == 28 and "33063" in codes  # within the buffered métropole: its 28 communes


def test_attribute_mode(qgis_app, dt_processing, tmp_path):
    from donnees_territoires.extract.cut import CutMode, cut_layer

    context = QgsProcessingContext()
    table = QgsVectorLayer("None?field=code_insee:string&field=n:integer", "table", "memory")
    rows = []
    for code, n in (("33063", 1), ("33281", 2), ("24322", 3)):
        feature = QgsFeature(table.fields())
        feature.setAttributes([code, n])
        rows.append(feature)
    table.dataProvider().addFeatures(rows)
    boundary = memory_layer("Polygon", [gironde_4326()])
    output, report = cut_layer(table, boundary, CutMode.ATTRIBUTE, None, "memory:", context,
                               code_field="code_insee", codes=["33063", "33281"])
    assert report.kept == 2
    with pytest.raises(Exception, match="pas de champ « INSEE_COM »"):
        cut_layer(table, boundary, CutMode.ATTRIBUTE, None, "memory:", context, code_field="INSEE_COM", codes=[])

