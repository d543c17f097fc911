"""Each built-in QML applies to a layer of its dataset's geometry type, and draws."""

import pytest
from qgis.core import (
    Qgis,
    QgsDataSourceUri,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsGeometry,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRectangle,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from donnees_territoires.catalog import Catalog, style_problems, wmts_layer_uri
from donnees_territoires.catalog.sources import wmts_capabilities_url

MEMORY_GEOMETRY = {"point": "Point", "line": "MultiLineString", "polygon": "MultiPolygon", "none": "None"}
SYMBOL_TYPE = {"point": Qgis.SymbolType.Marker, "line": Qgis.SymbolType.Line, "polygon": Qgis.SymbolType.Fill}
CATALOG = Catalog.load()
STYLED = [d for d in CATALOG if d.style is not None]


def memory_layer(dataset, fields=""):
    layer = QgsVectorLayer(f"{MEMORY_GEOMETRY[dataset.geometry_type]}?crs=EPSG:2154{fields}", dataset.id, "memory")
    assert layer.isValid()
    return layer


@pytest.mark.parametrize("dataset", STYLED, ids=[d.id for d in STYLED])
def test_style_applies_to_its_geometry_type(qgis_app, dataset):
    layer = memory_layer(dataset)
    assert style_problems(dataset.style.path.read_text(encoding="utf-8")) == []
    message, ok = layer.loadNamedStyle(str(dataset.style.path))
    assert ok, message
    if dataset.geometry_type == "none":
        return
    symbols = layer.renderer().symbols(QgsRenderContext())
    assert symbols and {s.type() for s in symbols} == {SYMBOL_TYPE[dataset.geometry_type]}


def test_tables_get_french_column_names(qgis_app):
    dataset = CATALOG["petites-villes-de-demain"]
    layer = memory_layer(dataset, "&field=insee_com:string&field=lib_com:string&field=other:integer")
    layer.loadNamedStyle(str(dataset.style.path))
    assert [layer.attributeDisplayName(i) for i in range(3)] == ["Code INSEE", "Commune", "other"]


def test_roads_follow_importance(qgis_app):
    dataset = CATALOG["bdtopo-routes"]
    layer = memory_layer(dataset, "&field=importance:string")
    layer.loadNamedStyle(str(dataset.style.path))
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "importance"
    widths = [c.symbol().width() for c in renderer.categories()[:6]]
    assert widths == sorted(widths, reverse=True)  # importance 1 is the widest
    assert renderer.usingSymbolLevels()


def test_labels_come_with_commune_names(qgis_app):
    dataset = CATALOG["admin-express-communes"]
    layer = memory_layer(dataset, "&field=nom_officiel:string")
    layer.loadNamedStyle(str(dataset.style.path))
    assert layer.labelsEnabled() and layer.labeling().settings().fieldName == "nom_officiel"


def _render(layer, extent, pixels=100):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(pixels, pixels))
    settings.setOutputDpi(96)
    # as QGIS's map canvas and layouts do: expressions in a style see @map_scale
    context = QgsExpressionContext()
    context.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
    settings.setExpressionContext(context)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


@pytest.mark.parametrize("dataset_id, wkt, fields", [
    ("cadastre-parcelles", "MultiPolygon(((10 10, 90 10, 90 90, 10 90, 10 10)))", ""),
    ("cadastre-batiments", "MultiPolygon(((10 10, 90 10, 90 90, 10 90, 10 10)))", ""),
    ("bdtopo-routes", "MultiLineString((0 50, 100 50))", "&field=importance:string"),
    ("ban-adresses", "Point(50 50)", ""),
    ("bdtopo-plans-d-eau", "MultiPolygon(((10 10, 90 10, 90 90, 10 90, 10 10)))", ""),
])
def test_styles_draw_something(qgis_app, dataset_id, wkt, fields):
    dataset = CATALOG[dataset_id]
    layer = memory_layer(dataset, fields)
    layer.loadNamedStyle(str(dataset.style.path))
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt(wkt))
    if fields:
        feature.setAttribute("importance", "1")
    layer.dataProvider().addFeatures([feature])
    layer.updateExtents()
    image = _render(layer, QgsRectangle(0, 0, 100, 100))
    colours = {image.pixelColor(x, y).name() for x in range(0, 100, 2) for y in range(0, 100, 2)}
    assert colours - {"#ffffff"}, f"{dataset_id} ne dessine rien"


POINTS = [d for d in STYLED if d.geometry_type == "point"]


def _point_width_px(layer, scale):
    """The drawn width in pixels of the layer's one point (at 0, 0) on a 200 px map at 1:`scale`."""
    half = 100 * scale * 0.0254 / 96  # 100 px at 96 dpi, in metres on the ground
    image = _render(layer, QgsRectangle(-half, -half, half, half), pixels=200)
    return sum(1 for x in range(200) if image.pixelColor(x, 100).name() != "#ffffff")


@pytest.mark.parametrize("dataset", POINTS, ids=[d.id for d in POINTS])
def test_points_are_readable_when_zoomed_in(qgis_app, dataset):
    """Issue 15: address points were ~2 px even at 1:3,700. Drawn at a street's scale, a point is a
    readable disc (≥ 8 px), more than twice its size on a commune map, where points stay small."""
    layer = memory_layer(dataset)
    layer.loadNamedStyle(str(dataset.style.path))
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt("Point(0 0)"))
    layer.dataProvider().addFeatures([feature])
    street, commune = _point_width_px(layer, 3700), _point_width_px(layer, 100000)
    assert street >= 8 and street >= 2 * commune and 2 <= commune <= 12, (street, commune)


def test_wmts_uri_is_understood_by_qgis(qgis_app):
    uri = QgsDataSourceUri()
    uri.setEncodedUri(wmts_layer_uri(CATALOG["ign-orthophotos"], "PM_0_21"))
    assert uri.param("layers") == "ORTHOIMAGERY.ORTHOPHOTOS"
    assert uri.param("tileMatrixSet") == "PM_0_21"
    assert uri.param("format") == "image/jpeg"
    assert uri.param("url") == wmts_capabilities_url("https://data.geopf.fr/wmts")
