"""Territory contours on the real 2018 contours (the committed extract), and API Geo through a local mirror."""

import json
import math
import subprocess

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsPointXY, QgsVectorLayer

from donnees_territoires.territory import TerritoryIndex
from donnees_territoires.territory.contour_sources import ApiGeoSource, ContourError, LocalFileSource, find_layers
from donnees_territoires.territory.contours import build_boundaries
from donnees_territoires.territory.model import TerritoryKind
from donnees_territoires.toolbelt.settings import Settings
from tests.conftest import CONTOURS_2018


@pytest.fixture(scope="module")
def local():
    return [LocalFileSource(CONTOURS_2018)]


def commune_areas_2018(codes):
    """Areas (m², EPSG:2154) of 2018 commune polygons, read directly from the file."""
    layer = QgsVectorLayer(f"{CONTOURS_2018}|layername=commune", "c", "ogr")
    from qgis.core import QgsCoordinateTransform, QgsProject

    transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:2154"), QgsProject.instance())
    areas = {}
    for feature in layer.getFeatures(f"\"code\" IN ({','.join(repr(c) for c in codes)})"):
        geometry = QgsGeometry(feature.geometry()).makeValid()
        geometry.transform(transform)
        areas[feature["code"]] = geometry.area()
    return areas


def test_bordeaux_metropole_is_the_union_of_its_28_communes(qgis_app, local):
    result = build_boundaries("epci:243300316", sources=local)
    (metropole,) = result.boundaries
    assert (metropole.type, metropole.code, metropole.name) == ("epci", "243300316", "Bordeaux Métropole")
    assert len(metropole.commune_codes) == 28 and "33063" in metropole.commune_codes
    assert result.crs.authid() == "EPSG:2154"
    assert metropole.geometry.isGeosValid()
    areas = commune_areas_2018(metropole.commune_codes)
    assert len(areas) == 28  # none of them merged since 2018
    # the union covers exactly the communes: same area, give or take slivers of the simplified source
    assert metropole.geometry.area() == pytest.approx(sum(areas.values()), rel=0.005)
    assert metropole.population == TerritoryIndex.load().get("epci:243300316").population > 800_000
    assert CONTOURS_2018.name in metropole.source


def test_gironde_contains_bordeaux_and_is_in_lambert_93(qgis_app, local):
    (gironde,) = build_boundaries("departement:33", sources=local).boundaries
    assert len(gironde.commune_codes) > 500
    bordeaux = QgsGeometry.fromPointXY(QgsPointXY(417000, 6422000))  # Lambert-93, place de la Bourse
    assert gironde.geometry.contains(bordeaux)
    assert 9_500e6 < gironde.geometry.area() < 10_800e6


def test_la_reunion_in_its_legal_crs(qgis_app, local):
    result = build_boundaries("departement:974", sources=local)
    assert result.crs.authid() == "EPSG:2975"
    (reunion,) = result.boundaries
    assert reunion.geometry.area() == pytest.approx(2_510e6, rel=0.02)
    # UTM 40S coordinates: Saint-Denis is around x 338 km, y 7 690 km
    box = reunion.geometry.boundingBox()
    assert 310_000 < box.xMinimum() < box.xMaximum() < 380_000
    assert 7_630_000 < box.yMinimum() < box.yMaximum() < 7_700_000


def test_a_1_km_buffer_grows_the_area_as_geometry_says(qgis_app, local):
    (plain,) = build_boundaries("epci:243300316", sources=local).boundaries
    (buffered,) = build_boundaries("epci:243300316", sources=local, buffer_m=1000).boundaries
    area, perimeter, d = plain.geometry.area(), plain.geometry.length(), 1000.0
    grown = buffered.geometry.area() - area
    # Steiner: exactly P·d + π·d² for a convex shape; a real boundary loses some in its concave bends
    assert grown <= perimeter * d + math.pi * d * d
    assert grown >= 0.85 * perimeter * d
    assert buffered.geometry.contains(plain.geometry.buffer(-1, 4))


def test_the_invalid_commune_polygon_is_repaired(qgis_app, local):
    layer = QgsVectorLayer(f"{CONTOURS_2018}|layername=commune", "c", "ogr")
    (source,) = layer.getFeatures("\"code\" = '14174'")
    assert not source.geometry().isGeosValid()  # the file's known self-intersection
    result = build_boundaries("commune:14174", sources=local)
    assert result.repaired >= 1
    (conde,) = result.boundaries
    assert conde.name == "Condé-en-Normandie" and conde.geometry.isGeosValid() and conde.geometry.area() > 1e6


def test_several_territories_and_their_union(qgis_app, local):
    separate = build_boundaries("commune:33063,commune:33281", sources=local).boundaries
    assert [b.code for b in separate] == ["33063", "33281"]
    (union,) = build_boundaries("commune:33063,commune:33281", sources=local, dissolve=True).boundaries
    assert union.type == "union" and union.code == "commune:33063,commune:33281"
    assert union.name == "Bordeaux + Mérignac"
    assert union.population == separate[0].population + separate[1].population
    assert union.geometry.area() == pytest.approx(sum(b.geometry.area() for b in separate), rel=0.001)


def test_zones_mixed_need_a_crs_and_work_with_one(qgis_app, local):
    with pytest.raises(ContourError, match="plusieurs zones de projection légale"):
        build_boundaries("departement:33,departement:974", sources=local)
    result = build_boundaries("departement:33,departement:974", sources=local, crs="EPSG:4326", buffer_m=500)
    assert result.crs.authid() == "EPSG:4326"
    assert [b.code for b in result.boundaries] == ["33", "974"]
    assert result.boundaries[1].geometry.boundingBox().xMinimum() > 55  # degrees east: La Réunion


def test_merged_and_old_codes_name_their_successor(qgis_app, local):
    from donnees_territoires.territory import TerritoryReferenceError

    with pytest.raises(TerritoryReferenceError, match="27676 Les Trois Lacs"):
        build_boundaries("commune:27058", sources=local)
    with pytest.raises(ContourError, match="commune:01130 Bresse Vallons"):
        build_boundaries("commune:01154", sources=local)


def test_a_merged_commune_is_the_union_of_its_2018_polygons(qgis_app, local):
    # Bresse Vallons (01130) was formed in 2019 from Cras-sur-Reyssouze (01130) and Étrez (01154)
    (bresse,) = build_boundaries("commune:01130", sources=local).boundaries
    areas = commune_areas_2018(["01130", "01154"])
    assert bresse.geometry.area() == pytest.approx(sum(areas.values()), rel=0.005)


def ogr(*args):
    subprocess.run(["ogr2ogr", *args], check=True, capture_output=True)


def test_admin_express_layouts_are_detected(qgis_app, tmp_path):
    # current ADMIN EXPRESS (code_insee / nom_officiel, several layers) …
    gpkg = tmp_path / "ADMIN-EXPRESS-COG.gpkg"
    ogr("-f", "GPKG", str(gpkg), str(CONTOURS_2018), "-nln", "departement", "departement")
    ogr("-f", "GPKG", "-update", str(gpkg), str(CONTOURS_2018), "-nln", "commune", "-dialect", "SQLite", "-sql",
        "SELECT code AS code_insee, nom AS nom_officiel, geom FROM commune WHERE code LIKE '33%'")
    layers = find_layers(gpkg)
    assert layers[TerritoryKind.COMMUNE].name == "commune"
    assert layers[TerritoryKind.COMMUNE].code_field == "code_insee"
    assert layers[TerritoryKind.COMMUNE].name_field == "nom_officiel"
    (bordeaux,) = build_boundaries("commune:33063", sources=[LocalFileSource(gpkg)]).boundaries
    assert bordeaux.geometry.area() > 40e6
    # … and an older Shapefile (INSEE_COM / NOM_COM)
    shp = tmp_path / "COMMUNE.shp"
    ogr("-f", "ESRI Shapefile", str(shp), str(CONTOURS_2018), "-dialect", "SQLite", "-sql",
        "SELECT code AS INSEE_COM, nom AS NOM_COM, geom FROM commune WHERE code LIKE '974%'")
    shape_layers = find_layers(shp)
    assert shape_layers[TerritoryKind.COMMUNE].code_field == "INSEE_COM"
    result = build_boundaries("departement:974", sources=[LocalFileSource(shp)])
    assert result.crs.authid() == "EPSG:2975" and len(result.boundaries[0].commune_codes) == 24


def test_a_file_without_commune_codes_is_refused(qgis_app, tmp_path):
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "id": 1}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}))
    with pytest.raises(ContourError, match="Aucune couche de communes"):
        find_layers(path)
    with pytest.raises(ContourError, match="introuvable"):
        find_layers(tmp_path / "absent.gpkg")


def _square(x, y, size=0.01):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def test_api_geo_through_a_local_mirror(qgis_app, fetch_http, tmp_path):
    feature = {"type": "Feature", "properties": {"nom": "Bordeaux", "code": "33063", "codeDepartement": "33"},
               "geometry": _square(-0.6, 44.8, 0.1)}
    fetch_http.expect_request("/geo.api.gouv.fr/communes/33063", query_string={
        "format": "geojson", "geometry": "contour"}).respond_with_json(feature)
    settings = Settings(mirror_url=fetch_http.url_for("/").rstrip("/"), cache_dir=str(tmp_path / "cache"))
    result = build_boundaries("commune:33063", sources=[ApiGeoSource(settings)])
    (bordeaux,) = result.boundaries
    assert "API Geo" in bordeaux.source and "5 m" in bordeaux.source
    assert result.crs.authid() == "EPSG:2154"
    assert bordeaux.geometry.area() == pytest.approx(8.9e7, rel=0.1)  # 0.1° × 0.1° at 44.8° N


def test_api_geo_whole_departement_in_one_request(qgis_app, fetch_http, tmp_path):
    from donnees_territoires.territory import TerritoryIndex

    members = TerritoryIndex.load().commune_codes("epci:243300316")
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "nom": code}, "geometry": _square(-0.7 + i * 0.01, 44.8)}
        for i, code in enumerate(members + ["33999"])]}
    fetch_http.expect_request("/geo.api.gouv.fr/departements/33/communes").respond_with_json(collection)
    settings = Settings(mirror_url=fetch_http.url_for("/").rstrip("/"), cache_dir=str(tmp_path / "cache"))
    (metropole,) = build_boundaries("epci:243300316", sources=[ApiGeoSource(settings)]).boundaries
    assert len(metropole.commune_codes) == 28
    assert len(fetch_http.log) == 1


def test_sources_fall_back_in_order_and_explain_each_failure(qgis_app, fetch_http, tmp_path):
    fetch_http.expect_request("/geo.api.gouv.fr/communes/33063").respond_with_data("down", status=404)
    settings = Settings(mirror_url=fetch_http.url_for("/").rstrip("/"), cache_dir=str(tmp_path / "cache"))
    from donnees_territoires.territory.contours import BoundaryCache

    with pytest.raises(ContourError) as error:  # a fresh contour cache: the 404 must be met
        build_boundaries("commune:33063", sources=[ApiGeoSource(settings)], cache=BoundaryCache(tmp_path / "c"))
    assert "API Geo" in str(error.value) and "404" in str(error.value)


def test_territory_boundary_algorithm_with_the_contours_override(qgis_app, dt_processing, monkeypatch, tmp_path):
    import processing

    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    result = processing.run("donnees_territoires:territory_boundary", {
        "TERRITORY": "epci:243300316,commune:33063", "BUFFER": 0, "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert layer.crs().authid() == "EPSG:2154"
    assert [f.name() for f in layer.fields()] == ["type", "code", "nom", "millesime", "nb_communes", "population",
                                                  "source"]
    rows = [f.attributes() for f in layer.getFeatures()]
    assert [r[:5] for r in rows] == [["epci", "243300316", "Bordeaux Métropole", 2026, 28],
                                     ["commune", "33063", "Bordeaux", 2026, 1]]
    assert all(CONTOURS_2018.name in r[6] for r in rows)


def test_territory_boundary_algorithm_reports_bad_input(qgis_app, dt_processing):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="commune:27676"):
        processing.run("donnees_territoires:territory_boundary", {"TERRITORY": "commune:27058", "OUTPUT": "memory:"})


class CountingSource:
    """A real local source that counts how often it is asked for polygons."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0
        self.label = inner.label

    def identity(self):
        return self.inner.identity()

    def polygons(self, *args, **kwargs):
        self.calls += 1
        return self.inner.polygons(*args, **kwargs)


def test_computed_contours_are_cached_on_disk(qgis_app, tmp_path):
    from donnees_territoires.territory.contours import BoundaryCache

    source = CountingSource(LocalFileSource(CONTOURS_2018))
    cache = BoundaryCache(tmp_path / "contours")
    first = build_boundaries("epci:243300316", sources=[source], cache=cache)
    again = build_boundaries("epci:243300316", sources=[source], cache=cache)
    assert source.calls == 1
    assert len(list((tmp_path / "contours").glob("*.json"))) == 1
    assert again.boundaries[0].geometry.equals(first.boundaries[0].geometry)
    assert again.crs == first.crs and again.boundaries[0].commune_codes == first.boundaries[0].commune_codes
    assert again.warnings == first.warnings
    build_boundaries("epci:243300316", sources=[source], cache=cache, buffer_m=100)
    assert source.calls == 2  # another request, computed
    # a corrupt entry is computed again, not trusted
    for entry in (tmp_path / "contours").glob("*.json"):
        entry.write_text("{broken")
    build_boundaries("epci:243300316", sources=[source], cache=cache)
    assert source.calls == 3


def test_wfs_admin_express_through_a_local_mirror(qgis_app, fetch_http, tmp_path):
    from donnees_territoires.fetch.wfs import clear_feature_type_cache
    from donnees_territoires.territory.contour_sources import WfsAdminExpressSource
    from donnees_territoires.territory.contours import BoundaryCache
    from tests.qgis.geoplateforme import FakeGeoplateforme

    clear_feature_type_cache()
    fake = FakeGeoplateforme()
    fetch_http.expect_request("/data.geopf.fr/wfs/ows").respond_with_handler(fake)
    settings = Settings(mirror_url=fetch_http.url_for("/").rstrip("/"), cache_dir=str(tmp_path / "cache"))
    result = build_boundaries("epci:243300316", sources=[WfsAdminExpressSource(settings)],
                              cache=BoundaryCache(tmp_path / "contours"))
    (metropole,) = result.boundaries
    assert len(metropole.commune_codes) == 28
    assert "ADMIN EXPRESS" in metropole.source and "pleine précision" in metropole.source
    # 28 squares of 0.01°, dissolved (none touch) and expressed in Lambert-93
    assert metropole.geometry.area() == pytest.approx(28 * 0.878e6, rel=0.03)  # 0.79 km × 1.11 km each
    requests = fake.get_features()
    assert requests and all("code_insee" in r["params"].get("CQL_FILTER", "") for r in requests)
    clear_feature_type_cache()


def test_a_wfs_answer_without_code_insee_falls_back_to_the_next_source(qgis_app, fetch_http, tmp_path):
    """Issue 14: WFS contours without `code_insee` raised a KeyError (a traceback), and API Geo was never tried."""
    from donnees_territoires.fetch.wfs import clear_feature_type_cache
    from donnees_territoires.territory.contour_sources import WfsAdminExpressSource
    from donnees_territoires.territory.contours import BoundaryCache
    from tests.qgis.geoplateforme import FakeGeoplateforme

    clear_feature_type_cache()
    fake = FakeGeoplateforme()

    def renamed(_start, body):
        for feature in body["features"]:
            feature["properties"]["insee"] = feature["properties"].pop("code_insee")
        return body
    fake.tamper = renamed
    fetch_http.expect_request("/data.geopf.fr/wfs/ows").respond_with_handler(fake)
    feature = {"type": "Feature", "properties": {"nom": "Bordeaux", "code": "33063", "codeDepartement": "33"},
               "geometry": _square(-0.6, 44.8, 0.1)}
    fetch_http.expect_request("/geo.api.gouv.fr/communes/33063").respond_with_json(feature)
    settings = Settings(mirror_url=fetch_http.url_for("/").rstrip("/"), cache_dir=str(tmp_path / "cache"))

    result = build_boundaries("commune:33063", sources=[WfsAdminExpressSource(settings), ApiGeoSource(settings)],
                              cache=BoundaryCache(tmp_path / "contours"))

    (bordeaux,) = result.boundaries
    assert "API Geo" in bordeaux.source
    clear_feature_type_cache()
