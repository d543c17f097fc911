"""build_package: a territorial package from a local mirror, written, reopened styled, loaded in groups."""

import gzip
import json
import re
import sqlite3

import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from tests.conftest import CONTOURS_2018
from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel


@pytest.fixture
def mirror(fetch_http, monkeypatch, tmp_path):
    monkeypatch.setenv("DONNEES_TERRITOIRES_MIRROR", fetch_http.url_for("/").rstrip("/"))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378),
            ban_row("33063", "Bordeaux", 2, -0.5701, 44.8412), ban_row("33281", "Mérignac", 3, -0.6459, 44.8386)]
    fetch_http.expect_request("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz") \
        .respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()), content_type="application/gzip")
    collection = {"type": "FeatureCollection", "features": [parcel("33063", n, -0.58 + n * 0.002, 44.84)
                                                            for n in range(1, 4)]}
    fetch_http.expect_request("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063/"
                              "cadastre-33063-parcelles.json.gz").respond_with_data(
        gzip.compress(json.dumps(collection).encode()), content_type="application/gzip")
    fetch_http.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    return fetch_http


def test_package_written_with_recipe_styles_and_loaded_in_groups(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    target = tmp_path / "bordeaux.gpkg"
    QgsProject.instance().clear()
    results = processing.runAndLoadResults("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT": str(target),
        "LOAD_RESULTS": True})
    assert results["OUTPUT"] == str(target)
    with sqlite3.connect(target) as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")}
        manifest = dict(db.execute("SELECT key, value FROM manifest"))
        styles = {row[0] for row in db.execute("SELECT f_table_name FROM layer_styles WHERE useAsDefault")}
    assert {"ban_adresses", "cadastre_parcelles"} <= tables
    assert styles == {"ban_adresses", "cadastre_parcelles"}
    recipe = json.loads(manifest["recipe"])
    assert recipe["territory"] == "commune:33063"
    assert recipe["datasets"] == ["ban-adresses", "cadastre-parcelles"]
    assert manifest["cog_vintage"] == "2026"

    addresses = QgsVectorLayer(f"{target}|layername=ban_adresses", "ban", "ogr")
    assert addresses.featureCount() == 2  # Bordeaux only: Mérignac is another commune
    assert addresses.crs().authid() == "EPSG:2154"
    assert addresses.renderer().type() != "" and addresses.metadata().title()

    root = QgsProject.instance().layerTreeRoot()
    group = root.findGroup("Bordeaux (33063)")
    assert group is not None
    themes = {child.name(): [layer.name() for layer in child.findLayers()] for child in group.children()}
    assert set(themes) == {"Adresses", "Cadastre"}
    assert all(len(names) == 1 for names in themes.values())
    QgsProject.instance().clear()


def test_a_second_run_on_unchanged_sources_leaves_the_package_as_it_is(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    target = tmp_path / "bordeaux.gpkg"
    parameters = {"TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT": str(target),
                  "LOAD_RESULTS": False}
    first = processing.run("donnees_territoires:build_package", parameters)
    assert first["UNCHANGED"] is False
    written = target.stat().st_mtime_ns
    second = processing.run("donnees_territoires:build_package", parameters)
    assert second["UNCHANGED"] is True
    assert target.stat().st_mtime_ns == written
    assert second["LAYERS"] == first["LAYERS"]
    # another recipe on the same file is written again
    third = processing.run("donnees_territoires:build_package", {**parameters, "DATASETS": "ban-adresses"})
    assert third["UNCHANGED"] is False and len(third["LAYERS"]) == 1


def test_a_rerun_from_processing_updates_the_loaded_layers_in_place(qgis_app, dt_processing, mirror, tmp_path):
    """Issue 15: producing the same package again used to add a second copy of every layer."""
    import processing

    target = tmp_path / "bordeaux.gpkg"
    parameters = {"TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT": str(target),
                  "LOAD_RESULTS": True}
    QgsProject.instance().clear()
    processing.runAndLoadResults("donnees_territoires:build_package", parameters)
    first = sorted(QgsProject.instance().mapLayers())
    assert len(first) == 2
    again = processing.runAndLoadResults("donnees_territoires:build_package", parameters)
    assert again["UNCHANGED"] is True
    assert sorted(QgsProject.instance().mapLayers()) == first
    target.unlink()  # written anew: the same layers read the new file
    processing.runAndLoadResults("donnees_territoires:build_package", parameters)
    assert sorted(QgsProject.instance().mapLayers()) == first
    assert all(layer.isValid() and layer.featureCount() for layer in QgsProject.instance().mapLayers().values())
    assert json.loads(again["DESTINATION"]) == {"kind": "gpkg", "path": str(target)}
    QgsProject.instance().clear()


def test_temporary_output_is_stored_as_temporary_layers(qgis_app, dt_processing, mirror):
    import processing

    results = processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": "ban-adresses", "OUTPUT": "TEMPORARY_OUTPUT", "LOAD_RESULTS": False})
    destination = json.loads(results["DESTINATION"])
    assert destination["kind"] == "memory" and destination["path"] == results["OUTPUT"]
    with sqlite3.connect(results["OUTPUT"]) as db:
        assert json.loads(dict(db.execute("SELECT key, value FROM manifest"))["recipe"])["output"] == destination


def test_unknown_ids_are_answered_with_the_closest_one(qgis_app, dt_processing, mirror, tmp_path):
    """Issue 15: « adresses, parcelles » gave « Jeux de données inconnus » with no suggestion."""
    import processing

    with pytest.raises(QgsProcessingException) as raised:
        processing.run("donnees_territoires:build_package", {
            "TERRITORY": "commune:33063", "DATASETS": "adresses, parcelles,ban-adresses,xyzzy",
            "OUTPUT": str(tmp_path / "p.gpkg"), "LOAD_RESULTS": False})
    message = str(raised.value)
    assert "adresses (voulez-vous dire ban-adresses ?)" in message
    assert "parcelles (voulez-vous dire cadastre-parcelles ?)" in message
    assert "xyzzy" in message and "xyzzy (" not in message
    assert not (tmp_path / "p.gpkg").exists()


def test_closest_id():
    from donnees_territoires.extract.acquisition import closest_id

    known = ["ban-adresses", "cadastre-parcelles", "cadastre-batiments", "dvf-mutations"]
    assert closest_id("Adresses", known) == "ban-adresses"
    assert closest_id("cadastre", known) in ("cadastre-parcelles", "cadastre-batiments")
    assert closest_id("ban_adresse", known) == "ban-adresses"
    assert closest_id("dvf mutation", known) == "dvf-mutations"
    assert closest_id("météo", known) is None
