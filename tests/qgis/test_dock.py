"""The dock runs build_package as a background task: QGIS stays responsive, Cancel is quick and clean."""

import gzip
import json
import re
import time

import pytest
from qgis.core import QgsApplication, QgsProject, QgsTask
from qgis.PyQt.QtCore import QTimer
from werkzeug import Response

from tests.conftest import CONTOURS_2018
from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

BAN = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"


@pytest.fixture
def env(fetch_http, monkeypatch, tmp_path):
    monkeypatch.setenv("DONNEES_TERRITOIRES_MIRROR", fetch_http.url_for("/").rstrip("/"))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    from donnees_territoires.gui import selection_memory

    monkeypatch.setattr(selection_memory, "SETTINGS_GROUP", "donnees_territoires_tests/dock")
    return fetch_http


@pytest.fixture
def dock(qgis_app, qgis_iface, dt_processing, env):
    from donnees_territoires.gui.wdg_dock import TerritoryDock

    widget = TerritoryDock(None, canvas=qgis_iface.mapCanvas(), iface=qgis_iface)
    widget.ensure_built()
    yield widget
    widget.unload()
    from qgis.core import QgsSettings

    QgsSettings().remove("donnees_territoires_tests")


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)
    return condition()


def choose(dock, tmp_path, datasets):
    dock.picker.add_reference("commune:33063")
    dock.datasets.set_checked(datasets)
    target = tmp_path / "out" / "bordeaux.gpkg"
    target.parent.mkdir()
    dock.output.set_destination({"kind": "gpkg", "path": str(target)})
    dock.output.set_load_results(True)
    return target


def test_run_produces_the_package_and_loads_it_styled(dock, env, tmp_path):
    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378)]
    env.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()))
    collection = {"type": "FeatureCollection", "features": [parcel("33063", 1, -0.58, 44.84)]}
    env.expect_request("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063/"
                       "cadastre-33063-parcelles.json.gz").respond_with_data(gzip.compress(json.dumps(collection).encode()))
    QgsProject.instance().clear()
    target = choose(dock, tmp_path, ["ban-adresses", "cadastre-parcelles"])
    dock.run()
    assert dock.task is not None and not dock.run_button.isEnabled()
    assert wait_for(lambda: dock.task is None)
    assert target.is_file(), dock.status.text()
    group = QgsProject.instance().layerTreeRoot().findGroup("Bordeaux (33063)")
    assert group is not None
    layers = [node.layer() for node in group.findLayers()]
    assert len(layers) == 2 and all(layer.isValid() for layer in layers)
    assert "Paquet produit" in dock.status.text()
    # the info panel now knows when each dataset was downloaded, and so will the next session
    from donnees_territoires.gui.selection_memory import last_fetches

    assert set(last_fetches()) == {"ban-adresses", "cadastre-parcelles"}
    assert last_fetches()["ban-adresses"].startswith("20")
    QgsProject.instance().clear()


def test_running_again_with_temporary_layers_replaces_them_in_their_group(dock, env, tmp_path):
    from donnees_territoires.package import Memory

    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378)]
    env.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()))
    env.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    QgsProject.instance().clear()
    dock.picker.add_reference("commune:33063")
    dock.datasets.set_checked(["ban-adresses"])
    dock.output.set_destination(Memory())
    sources = []
    for _run in range(2):
        dock.run()
        assert wait_for(lambda: dock.task is None)
        # Processing's temporary file is not named: the user chose temporary layers
        assert dock.status.text() == "Couches temporaires produites : enregistrez-les pour les garder.", \
            dock.status.text()
        group = QgsProject.instance().layerTreeRoot().findGroup("Bordeaux (33063)")
        (layer,) = [node.layer() for node in group.findLayers()]  # one copy, however many runs
        assert layer.isValid() and layer.featureCount() == 1
        sources.append((layer.id(), layer.source()))
    assert sources[0][0] == sources[1][0] and sources[0][1] != sources[1][1]  # the same layer, on the new file
    QgsProject.instance().clear()


@pytest.fixture
def task_notices():
    """What QGIS's own notice says when a task ends: QGIS shows the task's description (« Tâche complète »,
    « Tâche échouée ») on the task manager's statusChanged, which comes right after the task's own end."""
    said = []

    def notice(task_id, status):
        task = QgsApplication.taskManager().task(task_id)
        # the territory's outline is a helper task of its own (hidden from QGIS's notices from QGIS 3.26)
        if task is not None and status in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated) \
                and not task.description().startswith("Contour de "):
            said.append((status == QgsTask.TaskStatus.Complete, task.description()))

    QgsApplication.taskManager().statusChanged.connect(notice)
    yield said
    QgsApplication.taskManager().statusChanged.disconnect(notice)


def test_qgis_own_task_notice_says_the_result_not_the_algorithm_name(dock, env, tmp_path, task_notices):
    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378)]
    env.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()))
    env.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    QgsProject.instance().clear()
    choose(dock, tmp_path, ["ban-adresses"])
    dock.run()
    assert wait_for(lambda: dock.task is None and task_notices)
    assert task_notices == [(True, "Paquet produit : bordeaux.gpkg")], task_notices
    dock.datasets.set_checked(["cadastre-parcelles"])  # 404: nothing to write, the run fails
    dock.run()
    assert wait_for(lambda: dock.task is None and len(task_notices) == 2)
    succeeded, said = task_notices[1]
    assert not succeeded and said.startswith("Échec : ") and said == dock.status.text().splitlines()[0]
    QgsProject.instance().clear()


def test_missing_choices_are_said_before_anything_runs(dock):
    dock.picker.clear()
    dock.run()
    assert dock.task is None
    assert "territoire" in dock.status.text()


def test_cancel_during_a_slow_download_is_quick_and_writes_nothing(dock, env, tmp_path):
    def slow(_request):
        def body():
            yield gzip.compress((BAN_HEADER + "\n").encode())[:10]
            for _ in range(200):  # 20 s at most: far longer than the test waits
                time.sleep(0.1)
                yield b" "
        return Response(body(), content_type="application/gzip", headers={"Content-Length": "100000"})

    env.expect_request(BAN).respond_with_handler(slow)
    env.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    target = choose(dock, tmp_path, ["ban-adresses"])
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    dock.run()
    wait_for(lambda: False, seconds=1.5)  # the download is under way
    assert dock.task is not None
    assert len(ticks) > 20  # the event loop kept turning: QGIS is not frozen
    cancelled_at = time.monotonic()
    dock.cancel()
    assert wait_for(lambda: dock.task is None, seconds=10)
    assert time.monotonic() - cancelled_at < 2.0
    timer.stop()
    assert "Annulé" in dock.status.text()
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file either


def test_refresh_button_updates_the_package_of_the_active_layer(dock, env, tmp_path, qgis_iface):
    from qgis.core import QgsVectorLayer

    rows = [BAN_HEADER, ban_row("33063", "Bordeaux", 1, -0.5792, 44.8378)]
    env.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()))
    env.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    target = choose(dock, tmp_path, ["ban-adresses"])
    dock.output.set_load_results(False)
    dock.run()
    assert wait_for(lambda: dock.task is None) and target.is_file()
    layer = QgsVectorLayer(f"{target}|layername=ban_adresses", "adresses", "ogr")
    QgsProject.instance().addMapLayer(layer)
    qgis_iface.activeLayer = lambda: layer
    rows.append(ban_row("33063", "Bordeaux", 2, -0.57, 44.84))
    env.clear()
    env.expect_request(BAN).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()))
    env.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)
    dock.refresh_active()
    assert dock.task is not None
    assert wait_for(lambda: dock.task is None)
    assert "1 ajoutée(s), 0 supprimée(s), 0 modifiée(s)" in dock.status.text(), dock.status.text()
    assert layer.featureCount() == 2  # the loaded layer reads the new package
    assert (target.parent / "bordeaux.changements.md").is_file()
    QgsProject.instance().clear()


def test_refresh_without_a_package_layer_says_what_to_do(dock, qgis_iface):
    qgis_iface.activeLayer = lambda: None
    dock.refresh_active()
    assert dock.task is None and "couche d'un paquet" in dock.status.text()


WMTS_CAPABILITIES = """<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
 xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
 <ows:ServiceIdentification><ows:Title>Service WMTS</ows:Title><ows:ServiceType>OGC WMTS</ows:ServiceType>
 <ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification>
 <Contents>
  <Layer><ows:Title>Plan IGN v2</ows:Title><ows:Identifier>GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2</ows:Identifier>
   <ows:WGS84BoundingBox><ows:LowerCorner>-180 -86</ows:LowerCorner><ows:UpperCorner>180 84</ows:UpperCorner>
   </ows:WGS84BoundingBox>
   <Style isDefault="true"><ows:Identifier>normal</ows:Identifier></Style><Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>PM</TileMatrixSet></TileMatrixSetLink>
   <ResourceURL format="image/png" resourceType="tile"
    template="{base}/wmts?layer=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&amp;TileMatrix={{TileMatrix}}&amp;TileRow={{TileRow}}&amp;TileCol={{TileCol}}"/>
  </Layer>
  <TileMatrixSet><ows:Identifier>PM</ows:Identifier><ows:SupportedCRS>EPSG:3857</ows:SupportedCRS>
   <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>559082264.0287178</ScaleDenominator>
    <TopLeftCorner>-20037508 20037508</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>
    <MatrixWidth>1</MatrixWidth><MatrixHeight>1</MatrixHeight></TileMatrix>
  </TileMatrixSet>
 </Contents>
</Capabilities>
"""


def test_a_view_only_base_map_is_added_to_the_project(dock, env):
    base = env.url_for("/data.geopf.fr").rstrip("/")
    env.expect_request("/data.geopf.fr/wmts").respond_with_data(WMTS_CAPABILITIES.format(base=base),
                                                                content_type="application/xml")
    QgsProject.instance().clear()
    dock.picker.add_reference("commune:33063")
    dock.datasets.set_checked(["ign-plan"])
    for _run in range(2):  # a second run adds no second copy
        dock.run()
        assert dock.task is None  # nothing to produce: only a base map to show
        assert wait_for(lambda: not dock.base_maps.pending)
    group = QgsProject.instance().layerTreeRoot().findGroup("Fonds de plan")
    assert group is not None
    (layer,) = [node.layer() for node in group.findLayers()]
    assert layer.isValid() and layer.providerType() == "wms"
    assert "tileMatrixSet=PM" in layer.source() and "127.0.0.1" in layer.source()
    QgsProject.instance().clear()


# -- a panel that can't break (issue 15 item 4) ------------------------------------------------------
def test_the_wheel_changes_no_combo_or_spin_box_of_the_panel_without_focus(dock):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QAbstractSpinBox, QComboBox

    from tests.qgis.test_gui_picker import wheel_up

    boxes = dock.widget().findChildren(QComboBox) + dock.widget().findChildren(QAbstractSpinBox)
    combos = [box for box in boxes if isinstance(box, QComboBox) and box.count() > 1 and box.isEnabled()]
    assert len(combos) >= 3  # the search's kind and COG vintage, the projection selector's
    assert all(box.focusPolicy() == Qt.FocusPolicy.StrongFocus for box in boxes)
    plain = QComboBox()  # the same notch does move a combo box without the guard
    plain.addItems(["a", "b"])
    plain.setCurrentIndex(1)
    wheel_up(plain)
    assert plain.currentIndex() == 0
    for combo in combos:
        combo.setCurrentIndex(1)
        before = combo.currentIndex()  # a projection selector may put its current CRS first again
        wheel_up(combo)
        assert combo.currentIndex() == before, (combo.objectName(), type(combo.parent()).__name__)


def test_a_long_failure_shows_a_few_lines_and_a_link_to_the_whole_text(dock, qgis_iface):
    from donnees_territoires.gui.wdg_status import MAX_CHARS, MAX_LINES

    url = "https://files.data.gouv.fr/geo-dvf/latest/csv/2024/communes/33/{code}.csv"
    message = "« DVF » (dvf-mutations) : aucun fichier pour 28 communes × 5 années : " + " ; ".join(
        url.format(code=33000 + n) for n in range(180))  # about 14,000 characters, as reported
    width = dock.minimumSizeHint().width()
    opened = []
    qgis_iface.openMessageLog = lambda: opened.append(True)

    dock._show_status(message, error=True)

    shown = dock.status.text()
    assert len(shown) <= MAX_CHARS and shown.count("\n") < MAX_LINES
    assert shown.startswith("« DVF » (dvf-mutations) : aucun fichier") and shown.endswith("…")
    assert dock.status.full_text == message
    link = dock.status.details_link
    assert not link.isHidden() and "Détails" in link.text()
    # the panel keeps its width: the label follows the dock, a long address is clipped
    assert dock.minimumSizeHint().width() <= width
    line = dock.status.fontMetrics().lineSpacing()
    assert dock.status.maximumHeight() <= line * 2 * MAX_LINES  # the lines shown, two rows each at most
    link.linkActivated.emit("journal")
    assert opened == [True]

    dock._show_status("Paquet produit : /tmp/bordeaux.gpkg")
    assert dock.status.text() == "Paquet produit : /tmp/bordeaux.gpkg" and link.isHidden()


def test_the_chosen_territories_are_outlined_on_the_map_before_producing(dock, qgis_iface):
    """Issue 15 item 5: the territory's outline on the map (a rubber band), following the choice."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    bordeaux = QgsPointXY(417500, 6423500)  # Lambert-93
    merignac = QgsPointXY(409000, 6420500)

    dock.picker.add_reference("commune:33063")
    assert wait_for(lambda: dock.outline.geometry() is not None and dock.outline.task is None)
    drawn = dock.outline.geometry()
    assert drawn.contains(bordeaux) and not drawn.contains(merignac)  # in the map's CRS, Bordeaux only

    dock.picker.add_reference("commune:33281")
    assert wait_for(lambda: dock.outline.shown_for[:1] == (("commune:33063", "commune:33281"),))
    drawn = dock.outline.geometry()
    assert drawn.contains(bordeaux) and drawn.contains(merignac)
    assert not drawn.isMultipart() or drawn.constGet().numGeometries() == 1  # one dissolved outline

    dock.picker.buffer_spin.setValue(1000)
    assert wait_for(lambda: dock.outline.shown_for[2:] == (1000.0,))
    assert dock.outline.geometry().area() > drawn.area()

    dock.picker.clear()
    assert wait_for(lambda: dock.outline.geometry() is None)
    dock.picker.add_reference("commune:33063")
    assert wait_for(lambda: dock.outline.geometry() is not None and dock.outline.task is None)
    dock.unload()
    assert dock.outline.geometry() is None  # gone from the map with the panel


def test_a_result_and_its_failed_datasets_each_keep_a_line():
    from donnees_territoires.gui.wdg_status import MAX_CHARS, MAX_LINES, shortened

    lines = ["Paquet produit : bordeaux.gpkg"] + [f"jeu-{n} : " + "fichier absent " * 20 for n in range(5)]
    short, cut = shortened("\n".join(lines))
    shown = short.splitlines()
    assert cut and len(shown) == MAX_LINES and len(short) <= MAX_CHARS + MAX_LINES + 2
    assert shown[0] == lines[0]
    assert [line.split(" :")[0] for line in shown[1:]] == ["jeu-0", "jeu-1", "jeu-2"]  # each seen, each cut
    assert all(len(line) <= MAX_CHARS // MAX_LINES and line.endswith("…") for line in shown[1:])
    assert shortened("Paquet produit : a.gpkg\njeu : absent.") == ("Paquet produit : a.gpkg\njeu : absent.", False)
