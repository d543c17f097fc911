"""load/: a package into the project — territory group › theme in recipe order, styled, zoomed; a second load of the
same package (a rerun, a package already up to date, temporary layers made again) updates its layers in place."""

import pytest
from qgis.core import QgsProcessingContext, QgsProject, QgsRectangle
from test_package_gpkg import CATALOG, RECIPE, TERRITORY, package_layers, points, qml

from donnees_territoires.load import (
    KEY_PROPERTY,
    fetch_dates,
    load_on_completion,
    load_results,
    package_tables,
    update_loaded,
    zoom_to_extent,
)
from donnees_territoires.package import GeoPackage, Memory, PackageLayer
from donnees_territoires.package.recipe import Recipe, RunResult, TerritoryInfo

GROUP = "Bordeaux Métropole (243300316)"
ADDRESSES, ROADS = "Adresses (Base adresse nationale)", "Tronçons de route (BD TOPO)"
THEMES = {"Adresses": [ADDRESSES], "BD TOPO": [ROADS], "Cadastre": ["Parcelles cadastrales"],
          "Politiques publiques": ["Petites villes de demain"]}


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


def written(destination, layers=None):
    """A RunResult as run_recipe returns it after writing `layers` (default: the test package) at `destination`."""
    layers = layers or package_layers()
    report = destination.write(layers, RECIPE, TERRITORY)
    recipe = Recipe(TERRITORY["reference"], [layer.dataset_id for layer in layers], output=destination)
    territory = TerritoryInfo(TERRITORY["reference"], "Bordeaux Métropole", "243300316", 2024, "EPSG:2154")
    return RunResult(recipe, territory, report, layers, manifest=report.manifest)


def up_to_date(run):
    """The same package found up to date: no report, its tables from the manifest."""
    return RunResult(run.recipe, run.territory, None, [], unchanged=True, manifest=run.manifest)


def load(run, project):
    """What build_package does in its task (open, ask for loading), then what the dock does when it ends."""
    context = QgsProcessingContext()
    context.setProject(project)
    load_on_completion(run, package_tables(run), context, "OUTPUT")
    assert len(context.layersToLoadOnCompletion()) == len(run.manifest["layers"])
    load_results(context)


def tree(project):
    group = project.layerTreeRoot().findGroup(GROUP)
    return {child.name(): [node.layer().name() for node in child.findLayers()] for child in group.children()}


def package_layers_of(project):
    return [layer for layer in project.mapLayers().values() if layer.customProperty(KEY_PROPERTY)]


def test_a_package_goes_into_its_territory_group_by_theme_styled(project, tmp_path):
    run = written(GeoPackage(str(tmp_path / "bordeaux.gpkg")))
    load(run, project)
    assert tree(project) == THEMES
    parcels = project.mapLayersByName("Parcelles cadastrales")[0]
    assert parcels.isValid() and parcels.renderer().type() != "" and parcels.crs().authid() == "EPSG:2154"
    assert project.layerTreeRoot().children()[0].name() == GROUP  # at the top of the layer tree


def test_loading_the_same_package_again_updates_its_layers_in_place(project, tmp_path):
    package = GeoPackage(str(tmp_path / "bordeaux.gpkg"))
    run = written(package)
    load(run, project)
    before = {layer.name(): layer.id() for layer in package_layers_of(project)}
    routes = project.layerTreeRoot().findLayer(before[ROADS])
    routes.setItemVisibilityChecked(False)  # the user's choices stay
    project.mapLayer(before[ADDRESSES]).setName("Mes adresses")
    # the same package, up to date: nothing added
    load(up_to_date(run), project)
    assert len(package_layers_of(project)) == 4
    # written again with one more address: the same layers read it
    more = package_layers()
    more[0] = PackageLayer.from_dataset(CATALOG["ban-adresses"], points(), style_qml=qml("ban-adresses"))
    more[0].layer.dataProvider().addFeatures([next(points().getFeatures())])
    load(written(package, more), project)
    after = {layer.customProperty("donnees_territoires/table"): layer for layer in package_layers_of(project)}
    assert sorted(layer.id() for layer in after.values()) == sorted(before.values())
    assert after["ban_adresses"].name() == "Mes adresses" and after["ban_adresses"].featureCount() == 3
    assert not project.layerTreeRoot().findLayer(before[ROADS]).itemVisibilityChecked()
    assert len(project.layerTreeRoot().findGroups()) == 1


def test_temporary_layers_made_again_replace_the_previous_ones(project, tmp_path):
    first = written(Memory(str(tmp_path / "premier.gpkg")))
    load(first, project)
    ids = sorted(layer.id() for layer in package_layers_of(project))
    load(written(Memory(str(tmp_path / "second.gpkg"))), project)
    layers = package_layers_of(project)
    assert sorted(layer.id() for layer in layers) == ids  # same layers, now on the new file
    assert all("second.gpkg" in layer.source() and layer.isValid() for layer in layers)


def test_another_package_of_the_same_territory_gets_its_own_layers(project, tmp_path):
    load(written(GeoPackage(str(tmp_path / "a.gpkg"))), project)
    load(written(GeoPackage(str(tmp_path / "b.gpkg"))), project)
    assert len(package_layers_of(project)) == 8
    assert len(tree(project)["Cadastre"]) == 2


def test_a_table_the_package_no_longer_has_leaves_the_group(project, tmp_path):
    package = GeoPackage(str(tmp_path / "bordeaux.gpkg"))
    load(written(package), project)
    load(written(package, package_layers()[:2]), project)
    assert {layer.name() for layer in package_layers_of(project)} == {ADDRESSES, ROADS}
    assert "Cadastre" not in tree(project)  # its theme, left empty, goes too


def test_layers_keep_recipe_order_within_a_theme_whatever_the_loading_order(project, tmp_path):
    second = PackageLayer.from_dataset(CATALOG["ban-adresses"], points(), name="adresses_bis",
                                       style_qml=qml("ban-adresses"))
    second.dataset_id, second.title = "ban-adresses-bis", "A d'abord par son nom"  # loaded first: ids sort by name
    layers = [package_layers()[0], second]
    load(written(GeoPackage(str(tmp_path / "bordeaux.gpkg")), layers), project)
    assert tree(project)["Adresses"] == [ADDRESSES, "A d'abord par son nom"]


def test_layers_loaded_by_an_earlier_version_are_taken_over_not_doubled(project, tmp_path):
    run = written(GeoPackage(str(tmp_path / "bordeaux.gpkg")))
    load(run, project)
    ids = sorted(project.mapLayers())
    for layer in project.mapLayers().values():
        layer.removeCustomProperty(KEY_PROPERTY)  # as the plugin left them before load/ marked its layers
    load(up_to_date(run), project)
    assert sorted(project.mapLayers()) == ids


def test_after_a_refresh_the_loaded_layers_read_the_new_package(project, tmp_path):
    package = GeoPackage(str(tmp_path / "bordeaux.gpkg"))
    load(written(package), project)
    addresses = project.mapLayersByName(ADDRESSES)[0]
    more = package_layers()
    more[0].layer.dataProvider().addFeatures([next(points().getFeatures())])
    written(package, more)
    assert update_loaded(package, project) == 4
    assert addresses.featureCount() == 3
    assert update_loaded(GeoPackage(str(tmp_path / "autre.gpkg")), project) == 0


def test_zoom_frames_the_canvas_in_its_own_projection(qgis_iface):
    from qgis.core import QgsCoordinateReferenceSystem

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.resize(400, 400)
    extent = QgsRectangle(417000, 6423000, 418000, 6424000)  # Lambert-93, in Bordeaux
    assert zoom_to_extent(extent, QgsCoordinateReferenceSystem("EPSG:2154"), canvas)
    shown = canvas.extent()
    assert -70000 < shown.center().x() < -60000 and 5590000 < shown.center().y() < 5600000  # Web Mercator


def test_fetch_dates_from_the_manifest(qgis_app, tmp_path):
    package = GeoPackage(str(tmp_path / "bordeaux.gpkg"))
    written(package)
    dates = fetch_dates(package)
    assert set(dates) == {"ban-adresses", "bdtopo-routes", "cadastre-parcelles", "petites-villes-de-demain"}
    assert dates["cadastre-parcelles"] == "2024-05-02T09:30:00+00:00"
    assert fetch_dates(GeoPackage(str(tmp_path / "absent.gpkg"))) == {}
