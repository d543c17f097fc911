"""The cut at a border: what build_package (one territory) and batch_packages (many) keep of features near it.

Le Bouscat (33069) and Bordeaux (33063), real 2018 contours: each one's bounding box overlaps the
other commune. A feature that lies inside one of them but within its neighbour's bounding box must
go to that one only, and a feature straddling their border goes to both (intersects), is cut in
two (clip) or goes to neither (within). A split by bounding box alone would give the neighbour a
feature it does not touch: these tests are the ones that would see it.
"""

import json
import re

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from tests.conftest import CONTOURS_2018

pytestmark = pytest.mark.usefixtures("single_attempt")

BORDEAUX, BOUSCAT = "33063", "33069"
MODES = ("intersects", "clip", "within")
FILE_PATH = "/donnees.sig.example/frontieres/quartiers.geojson"
#: which features each commune gets, per mode: « dans_bouscat » lies in Le Bouscat within Bordeaux's bounding box,
#: « dans_bordeaux » the other way round, « a_cheval » straddles their border
EXPECTED = {
    "intersects": {BORDEAUX: ["a_cheval", "dans_bordeaux"], BOUSCAT: ["a_cheval", "dans_bouscat"]},
    "clip": {BORDEAUX: ["a_cheval", "dans_bordeaux"], BOUSCAT: ["a_cheval", "dans_bouscat"]},
    "within": {BORDEAUX: ["dans_bordeaux"], BOUSCAT: ["dans_bouscat"]},
}


def commune(code: str) -> QgsGeometry:
    layer = QgsVectorLayer(f"{CONTOURS_2018}|layername=commune", "communes", "ogr")
    (feature,) = [f for f in layer.getFeatures(f"\"code\" = '{code}'")]
    return QgsGeometry(feature.geometry())


def square(x: float, y: float, half: float) -> QgsGeometry:
    return QgsGeometry.fromRect(QgsRectangle(x - half, y - half, x + half, y + half))


def inside_in_neighbours_box(own: QgsGeometry, neighbour: QgsGeometry) -> QgsGeometry:
    """A small square well inside `own`, inside the bounding box of `neighbour`, well away from it."""
    region = own.buffer(-0.001, 8).intersection(QgsGeometry.fromRect(neighbour.boundingBox()))
    region = region.difference(neighbour.buffer(0.001, 8))
    point = region.pointOnSurface().asPoint()
    shape = square(point.x(), point.y(), 0.0002)
    assert shape.within(own) and not shape.intersects(neighbour)
    assert neighbour.boundingBox().contains(shape.boundingBox())
    return shape


@pytest.fixture(scope="module")
def border_features():
    """name → polygon (EPSG:4326) of the three features, checked against the contours."""
    bordeaux, bouscat = commune(BORDEAUX), commune(BOUSCAT)
    shared = bordeaux.intersection(bouscat)
    middle = shared.interpolate(shared.length() / 2).asPoint()
    straddling = square(middle.x(), middle.y(), 0.0008)
    assert straddling.intersects(bordeaux) and straddling.intersects(bouscat)
    assert straddling.difference(bordeaux.combine(bouscat)).area() < 1e-12  # touches no third commune
    return {"dans_bouscat": inside_in_neighbours_box(bouscat, bordeaux),
            "dans_bordeaux": inside_in_neighbours_box(bordeaux, bouscat),
            "a_cheval": straddling}


def collection(features: dict) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(geometry.asJson(7)), "properties": {"nom": name}}
        for name, geometry in features.items()]}


@pytest.fixture
def border_catalog(tmp_path, border_features):
    """A user catalog with one national file cut by each mode, served by the mirror; the settings point at it."""
    from qgis.core import QgsSettings

    from donnees_territoires.catalog import Catalog

    template = Catalog.load()["qpv-2024"].raw
    entries = []
    for mode in MODES:
        entry = json.loads(json.dumps(template))
        entry.update(id=f"frontiere-{mode}", key_field="nom", cut={"rule": mode},
                     source={"kind": "national_file", "url": f"https:/{FILE_PATH}"},
                     format={"type": "geojson", "geometry_type": "polygon", "crs": "EPSG:4326"})
        entry.pop("verified", None), entry.pop("notes", None)
        entries.append(entry)
    path = tmp_path / "frontieres.json"
    path.write_text(json.dumps({"format_version": 1, "name": {"fr": "Frontières", "en": "Borders"},
                                "datasets": entries}), encoding="utf-8")
    settings = QgsSettings()
    previous = settings.value("donnees_territoires/catalogs", "")
    settings.setValue("donnees_territoires/catalogs", str(path))
    yield [entry["id"] for entry in entries]
    settings.setValue("donnees_territoires/catalogs", previous)


@pytest.fixture
def served(mirror, border_features, border_catalog):
    mirror.expect_request(FILE_PATH).respond_with_json(collection(border_features))
    mirror.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    return mirror


def table(path, mode: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername=frontiere_{mode}", mode, "ogr")
    assert layer.isValid(), (path, mode)
    assert layer.crs().authid() == "EPSG:2154"
    return layer


def names(layer: QgsVectorLayer) -> list[str]:
    return sorted(f["nom"] for f in layer.getFeatures())


def lambert(geometry: QgsGeometry) -> QgsGeometry:
    copy = QgsGeometry(geometry)
    copy.transform(QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                          QgsCoordinateReferenceSystem("EPSG:2154"), QgsProject.instance()))
    return copy


def check_table(path, code: str, mode: str, border_features) -> None:
    """The table of `mode` in the package of `code` holds what EXPECTED says; the clip cut at the border."""
    layer = table(path, mode)
    assert names(layer) == EXPECTED[mode][code], (path.name, mode)
    straddling = lambert(border_features["a_cheval"])
    for feature in layer.getFeatures():
        if feature["nom"] != "a_cheval":
            continue
        area = feature.geometry().area()
        if mode == "clip":  # the part on this side of the border only
            assert area == pytest.approx(straddling.intersection(lambert(commune(code))).area(), rel=0.02), code
            assert area < 0.9 * straddling.area()
        else:  # the whole feature
            assert area == pytest.approx(straddling.area(), rel=1e-6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("code", [BOUSCAT, BORDEAUX])
def test_build_package_keeps_what_lies_in_the_territory_at_its_border(qgis_app, dt_processing, served,
                                                                      border_features, tmp_path, code, mode):
    import processing

    path = tmp_path / f"{code}.gpkg"
    result = processing.run("donnees_territoires:build_package", {
        "TERRITORY": f"commune:{code}", "DATASETS": f"frontiere-{mode}", "LOAD_RESULTS": False,
        "OUTPUT": str(path)})
    assert result["UNCHANGED"] is False
    check_table(path, code, mode, border_features)


@pytest.mark.parametrize("mode", MODES)
def test_batch_packages_gives_each_territory_what_lies_in_it_at_their_border(qgis_app, dt_processing, served,
                                                                             border_features, tmp_path, mode):
    import processing

    folder = tmp_path / "lot"
    result = processing.run("donnees_territoires:batch_packages", {
        "PARENT": f"commune:{BORDEAUX},commune:{BOUSCAT}", "LEVEL": "commune", "DATASETS": f"frontiere-{mode}",
        "OUTPUT_FOLDER": str(folder), "WORKERS": 1})
    assert (result["WRITTEN"], result["FAILED"]) == (2, 0)
    assert sum(1 for request, _response in served.log if request.path == FILE_PATH) == 1  # read once for both
    check_table(folder / "commune-33063-bordeaux.gpkg", BORDEAUX, mode, border_features)
    check_table(folder / "commune-33069-le-bouscat.gpkg", BOUSCAT, mode, border_features)


def test_batch_packages_of_a_whole_epci_at_the_same_border(qgis_app, dt_processing, served, border_catalog,
                                                           border_features, tmp_path):
    """The same border among Bordeaux Métropole's 28 communes: no other commune gets any of the three."""
    import processing

    folder = tmp_path / "metropole"
    result = processing.run("donnees_territoires:batch_packages", {
        "PARENT": "epci:243300316", "LEVEL": "commune", "DATASETS": ",".join(border_catalog),
        "OUTPUT_FOLDER": str(folder), "WORKERS": 1})
    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    wrong = []
    for path in sorted(folder.glob("commune-*.gpkg")):
        code = path.name.split("-")[1]
        for mode in MODES:
            expected = EXPECTED[mode].get(code, [])
            if names(table(path, mode)) != expected:
                wrong.append(f"{path.name} {mode}: {names(table(path, mode))}, attendu {expected}")
    assert wrong == []
    for mode in MODES:
        check_table(folder / "commune-33063-bordeaux.gpkg", BORDEAUX, mode, border_features)
        check_table(folder / "commune-33069-le-bouscat.gpkg", BOUSCAT, mode, border_features)
