"""The territory picker: search as you type, chips, vintages, recent territories, and shapes of one's own."""

import uuid

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsDoubleSpinBox, QgsMapMouseEvent, QgsMapToolPan
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QKeyEvent, QWheelEvent
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication

from donnees_territoires.gui import selection_memory
from donnees_territoires.gui.wdg_territory_picker import PolygonMapTool, TerritoryPicker
from donnees_territoires.territory import TerritoryReferenceError, latest_vintage


@pytest.fixture(autouse=True)
def memory_group(monkeypatch):
    """Recent territories and selections go to a throwaway settings group, removed afterwards."""
    from qgis.core import QgsSettings

    group = f"donnees_territoires_tests/{uuid.uuid4().hex}"
    monkeypatch.setattr(selection_memory, "SETTINGS_GROUP", group)
    yield group
    QgsSettings().remove("donnees_territoires_tests")


@pytest.fixture
def picker(qgis_canvas):
    widget = TerritoryPicker(canvas=qgis_canvas)
    widget.show()
    yield widget
    widget.unload()
    widget.hide()
    widget.deleteLater()


def type_text(widget, text):
    """Key presses carrying each character (QTest.keyClicks only knows ASCII)."""
    for char in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                 Qt.KeyboardModifier.NoModifier, char))


def count_changes(picker):
    calls = []
    picker.changed.connect(lambda: calls.append(1))
    return calls


def test_the_index_is_loaded_lazily_and_the_latest_vintage_is_the_default(qgis_canvas):
    from donnees_territoires.territory import TerritoryIndex

    TerritoryIndex._cache.clear()
    widget = TerritoryPicker(canvas=qgis_canvas)
    assert TerritoryIndex._cache == {}
    assert widget.vintage() == latest_vintage()
    type_text(widget.search.search_edit, "Bo")
    assert latest_vintage() in TerritoryIndex._cache
    widget.deleteLater()


def test_typing_then_choosing_the_first_completion_adds_the_territory(picker):
    changes = count_changes(picker)
    type_text(picker.search.search_edit, "Bordeaux Métropole")
    assert picker.search.completion_references()[0] == "epci:243300316"
    popup = picker.search.completer.popup()
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert picker.references() == ["epci:243300316"]
    assert picker.search.search_edit.text() == "" and not popup.isVisible()
    assert changes == [1]
    assert selection_memory.recent() == ["epci:243300316"]


def test_return_in_the_search_box_adds_the_first_result_and_pasted_references_are_read(picker):
    type_text(picker.search.search_edit, "33063")
    picker.search.completer.popup().hide()
    QTest.keyClick(picker.search.search_edit, Qt.Key.Key_Return)
    assert picker.references() == ["commune:33063"]
    picker.search.search_edit.setText("epci:243300316, departement:33")
    QTest.keyClick(picker.search.search_edit, Qt.Key.Key_Return)
    assert picker.references() == ["commune:33063", "epci:243300316", "departement:33"]
    picker.search.search_edit.setText("landes")  # set by program: searched when Return is pressed
    QTest.keyClick(picker.search.search_edit, Qt.Key.Key_Return)
    assert picker.references()[-1] == "departement:40" and len(picker.references()) == 4
    picker.search.search_edit.setText("commune:123")
    QTest.keyClick(picker.search.search_edit, Qt.Key.Key_Return)
    assert "invalide" in picker.message_label.text()
    assert len(picker.references()) == 4


def test_arrow_keys_choose_another_completion(picker):
    type_text(picker.search.search_edit, "bordeaux")
    popup = picker.search.completer.popup()
    second = picker.search.completion_references()[1]
    assert popup.currentIndex().row() == 0  # the first proposal is highlighted from the start
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert picker.references() == [second]


def test_return_in_the_open_popup_picks_the_first_proposal(picker):
    type_text(picker.search.search_edit, "bordeaux metropole")
    popup = picker.search.completer.popup()
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Return)  # where the key goes while the popup is open
    assert picker.references() == ["epci:243300316"]


def test_the_type_filter_restricts_results(picker):
    type_text(picker.search.search_edit, "bordeaux")
    everything = picker.search.completion_references()
    assert "commune:33063" in everything and "epci:243300316" in everything
    picker.search.kind_combo.setCurrentIndex(picker.search.kind_combo.findText("EPCI"))
    only_epci = picker.search.completion_references()
    assert only_epci and all(ref.startswith("epci:") for ref in only_epci)
    assert only_epci[0] == "epci:243300316"
    picker.search.kind_combo.setCurrentIndex(picker.search.kind_combo.findText("Département"))
    assert picker.search.completion_references() == []  # no département is called Bordeaux
    picker.search.search_edit.clear()
    type_text(picker.search.search_edit, "gironde")
    assert picker.search.completion_references() == ["departement:33"]


def test_chips_show_the_territories_and_remove_them(picker):
    picker.set_references(["epci:243300316", "commune:33063"])
    chips = picker._chips
    assert [chip.label.text() for chip in chips.values()] == ["Bordeaux Métropole", "Bordeaux (33)"]
    assert picker.chips_layout.count() == 2
    changes = count_changes(picker)
    bordeaux = chips["commune:33063"]
    assert bordeaux.remove_button.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert "Bordeaux (33)" in bordeaux.remove_button.accessibleName()
    QTest.keyClick(bordeaux.remove_button, Qt.Key.Key_Space)  # keyboard: Tab to the ×, then Space
    assert picker.references() == ["epci:243300316"]
    assert picker.chips_layout.count() == 1
    QTest.mouseClick(picker._chips["epci:243300316"].remove_button, Qt.MouseButton.LeftButton)
    assert picker.references() == []
    assert changes == [1, 1]
    assert picker.empty_label.isVisibleTo(picker)


def test_set_references_round_trips_and_add_reference_deduplicates(picker):
    references = ["epci:243300316", "commune:33063", "departement:2A", "region:75", "france"]
    assert picker.set_references(references) == []
    assert picker.references() == references
    assert picker.add_reference("commune:33063") is False
    assert picker.add_reference(" Commune:33281 ") is True
    assert picker.references()[-1] == "commune:33281"
    with pytest.raises(TerritoryReferenceError):
        picker.add_reference("33063")
    errors = picker.set_references(["commune:33063", "nimporte", "epci:243300316"])
    assert picker.references() == ["commune:33063", "epci:243300316"]
    assert len(errors) == 1 and "nimporte" in errors[0]
    picker.set_vintage(2021)
    picker.set_buffer_m(500)
    assert picker.vintage() == 2021 and picker.buffer_m() == 500.0
    picker.clear()
    assert picker.references() == [] and picker.buffer_m() == 0.0 and picker.custom_shape() is None
    assert picker.vintage() == 2021


def test_a_territory_absent_from_the_vintage_is_flagged(picker):
    picker.set_references(["ept:200057867"])  # the EPT are in the index from COG 2023 only
    assert picker.problems() == {} and picker.validate() is None
    picker.set_vintage(2022)
    assert "ept:200057867" in picker.problems()
    assert picker.validate() == picker.problems()["ept:200057867"]
    assert picker._chips["ept:200057867"].label.text().startswith("⚠")
    picker.set_vintage(latest_vintage())
    assert picker.problems() == {}


def test_recent_territories_are_offered(picker):
    picker.add_reference("commune:33063")
    picker.add_reference("epci:243300316")
    picker.clear()
    picker.search._fill_recent_menu()
    actions = [a for a in picker.search.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == ["epci:243300316", "commune:33063"]
    assert actions[1].text().startswith("Bordeaux (33)")
    actions[1].trigger()
    assert picker.references() == ["commune:33063"]
    assert selection_memory.recent()[0] == "commune:33063"


def test_validate_asks_for_a_territory_or_a_shape(picker):
    assert "territoire" in picker.validate()
    picker.add_reference("commune:33063")
    assert picker.validate() is None


def test_tab_walks_the_picker_in_reading_order(picker):
    """Search, filters, shape sources, buffer: the order the widgets were built in, whatever file builds them."""
    search, shape = picker.search, picker.shape_choice
    expected = [search.search_edit, search.recent_button, search.kind_combo, search.vintage_combo,
                shape.extent_button, shape.draw_button, shape.selection_button, shape.layer_combo,
                shape.clear_shape_button, picker.buffer_spin]
    walked, widget = [], search.search_edit
    for _step in range(200):
        if widget in expected and widget not in walked:
            walked.append(widget)
        widget = widget.nextInFocusChain()
    assert walked == expected


# -- custom shapes ----------------------------------------------------------------------------------
def test_map_extent_gives_a_polygon_equal_to_the_canvas_extent(picker, qgis_canvas):
    crs = QgsCoordinateReferenceSystem("EPSG:2154")
    qgis_canvas.setDestinationCrs(crs)
    qgis_canvas.setExtent(QgsRectangle(400000, 6400000, 450000, 6450000))
    changes = count_changes(picker)
    picker.shape_choice.extent_button.click()
    geometry, shape_crs = picker.custom_shape()
    assert geometry.equals(QgsGeometry.fromRect(qgis_canvas.extent()))
    assert geometry.boundingBox() == qgis_canvas.extent()
    assert shape_crs.authid() == "EPSG:2154"
    assert picker.custom_shape_source() == "extent"
    assert changes == [1]
    assert "km²" in picker.shape_choice.shape_label.text()
    picker.shape_choice.clear_shape_button.click()
    assert picker.custom_shape() is None


@pytest.fixture
def squares():
    layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "parcelles", "memory")
    features = []
    for x in (0, 10, 50):
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 0, x + 10, 10)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    yield layer
    QgsProject.instance().removeMapLayer(layer.id())


def test_selected_features_are_unioned(picker, squares):
    picker.shape_choice.layer_combo.setLayer(squares)
    assert picker.shape_choice.use_selected_features() is False
    assert "Aucune entité sélectionnée" in picker.message_label.text()
    ids = [feature.id() for feature in squares.getFeatures()]
    squares.selectByIds(ids[:2])
    picker.shape_choice.selection_button.click()
    geometry, crs = picker.custom_shape()
    expected = QgsGeometry.fromRect(QgsRectangle(0, 0, 20, 10))
    assert geometry.area() == pytest.approx(200.0)
    assert geometry.symDifference(expected).area() == pytest.approx(0.0)
    assert crs.authid() == "EPSG:2154"
    assert picker.custom_shape_source() == "selection"
    assert not picker.message_label.isVisibleTo(picker)


def test_selected_points_need_a_buffer(picker):
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "sites", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(5, 5)))
    layer.dataProvider().addFeatures([feature])
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectAll()
        picker.shape_choice.layer_combo.setLayer(layer)
        assert picker.shape_choice.use_selected_features()
        assert "zone tampon" in picker.validate()
        picker.set_buffer_m(1000)
        assert picker.validate() is None
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def click(tool, canvas, x, y, button=Qt.MouseButton.LeftButton):
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, QPoint(x, y), button))


def test_drawing_a_polygon_with_clicks_then_right_click(picker, qgis_canvas):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    qgis_canvas.setExtent(QgsRectangle(400000, 6400000, 450000, 6450000))
    pan = QgsMapToolPan(qgis_canvas)
    qgis_canvas.setMapTool(pan)
    picker.shape_choice.draw_button.click()
    tool = qgis_canvas.mapTool()
    assert isinstance(tool, PolygonMapTool) and picker.shape_choice.draw_button.isChecked()
    pixels = [(10, 10), (200, 10), (200, 150)]
    for x, y in pixels:
        click(tool, qgis_canvas, x, y)
    assert len(tool.points) == 3
    to_map = qgis_canvas.getCoordinateTransform()
    expected = QgsGeometry.fromPolygonXY([[to_map.toMapCoordinates(x, y) for x, y in pixels + pixels[:1]]])
    click(tool, qgis_canvas, 0, 0, Qt.MouseButton.RightButton)
    geometry, crs = picker.custom_shape()
    assert geometry.equals(expected) or geometry.symDifference(expected).area() == pytest.approx(0.0)
    assert geometry.area() > 0
    assert crs.authid() == "EPSG:2154"
    assert picker.custom_shape_source() == "drawing"
    assert qgis_canvas.mapTool() is pan  # the previous tool is back
    assert not picker.shape_choice.draw_button.isChecked()
    qgis_canvas.unsetMapTool(pan)


def test_escape_cancels_the_drawing_and_restores_the_previous_tool(picker, qgis_canvas):
    pan = QgsMapToolPan(qgis_canvas)
    qgis_canvas.setMapTool(pan)
    tool = picker.shape_choice.start_drawing()
    click(tool, qgis_canvas, 10, 10)
    click(tool, qgis_canvas, 100, 10)
    tool.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    assert picker.custom_shape() is None
    assert tool.points == []
    assert qgis_canvas.mapTool() is pan
    assert not picker.shape_choice.draw_button.isChecked()
    # fewer than three vertices is no polygon either
    tool = picker.shape_choice.start_drawing()
    click(tool, qgis_canvas, 10, 10)
    click(tool, qgis_canvas, 0, 0, Qt.MouseButton.RightButton)
    assert picker.custom_shape() is None and qgis_canvas.mapTool() is pan
    qgis_canvas.unsetMapTool(pan)


def test_unload_gives_the_map_back(qgis_canvas):
    widget = TerritoryPicker(canvas=qgis_canvas)
    tool = widget.shape_choice.start_drawing()
    assert qgis_canvas.mapTool() is tool
    widget.unload()
    assert qgis_canvas.mapTool() is not tool
    assert widget.shape_choice.map_tool() is None
    widget.deleteLater()


def test_without_canvas_the_map_options_are_disabled():
    widget = TerritoryPicker()
    assert not widget.shape_choice.extent_button.isEnabled() and not widget.shape_choice.draw_button.isEnabled()
    assert widget.shape_choice.use_map_extent() is False and widget.shape_choice.start_drawing() is None
    widget.deleteLater()


def test_iface_gives_the_canvas_and_the_active_layer(qgis_iface, squares):
    qgis_iface.setActiveLayer(squares)
    widget = TerritoryPicker(iface=qgis_iface)
    assert widget.shape_choice.extent_button.isEnabled()
    assert widget.shape_choice.layer_combo.currentLayer() is squares
    widget.unload()
    widget.deleteLater()


# -- the mouse wheel -----------------------------------------------------------------------------------
def wheel_up(widget):
    """One notch of the mouse wheel, turned away from the user, over the middle of `widget`."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event


def test_the_wheel_does_not_change_the_buffer_without_focus(picker):
    """Issue 15: scrolling the dock over « Zone tampon » once set 800 m unnoticed."""
    spin = picker.buffer_spin
    plain = QgsDoubleSpinBox()  # the same event does turn a spin box that has no such guard
    plain.setRange(0.0, 1000.0)
    plain.setSingleStep(100.0)
    wheel_up(plain)
    assert plain.value() == 100.0
    changes = count_changes(picker)
    assert not spin.hasFocus()
    event = wheel_up(spin)
    assert picker.buffer_m() == 0.0 and changes == []
    assert not event.isAccepted()  # left to the scroll area behind
    assert spin.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel does not give it the focus either
    # clicked or tabbed into, it takes the wheel as usual
    picker.window().activateWindow()
    QTest.qWaitForWindowActive(picker.window())
    spin.setFocus()
    assert spin.hasFocus()
    wheel_up(spin)
    assert picker.buffer_m() == 100.0 and changes == [1]
