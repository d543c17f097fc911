"""The custom shape part of the territory picker: the map extent, a polygon drawn on the map, or selected features."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsDistanceArea, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from .. import compat
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .maptool_polygon import DRAWING, PolygonMapTool


class CustomShapeChoice(QWidget):
    """A shape of the user's own, in its CRS, to use with or instead of territories.

    `canvas` (for the map extent and drawing) and `iface` (to follow the active layer) may be None.
    `changed` is emitted whenever the shape is set or removed; `problem` carries a French sentence
    about what the user must do first (zoom, select features).
    """

    changed = pyqtSignal()
    problem = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None, canvas=None, iface=None):  # noqa: QGS105 - injected for tests
        super().__init__(parent)
        self._iface = iface
        self._canvas = canvas
        self._shape: QgsGeometry | None = None
        self._shape_crs = QgsCoordinateReferenceSystem()
        self._shape_source = ""
        self._map_tool: PolygonMapTool | None = None
        self._previous_tool = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_sources())
        layout.addLayout(self._build_shape_row())
        self._wire_signals()

    def _build_sources(self) -> QGridLayout:
        """Where the shape comes from: the map extent, a drawing, the selected features of a layer."""
        shape_box = QGridLayout()
        self.extent_button = QPushButton(tr("Étendue de la carte"), self)
        self.extent_button.setToolTip(tr("Utiliser l'étendue actuelle de la carte comme emprise"))
        self.draw_button = QPushButton(tr("Dessiner un polygone"), self)
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip(tr("Clic gauche : ajouter un sommet ; clic droit : terminer ; "
                                       "Retour arrière : effacer le dernier sommet ; Échap : annuler"))
        self.selection_button = QPushButton(tr("Entités sélectionnées de"), self)
        self.selection_button.setToolTip(tr("Utiliser l'union des entités sélectionnées de la couche comme emprise"))
        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setFilters(compat.LAYER_FILTER_HAS_GEOMETRY)  # spatial vector layers only
        shape_box.addWidget(self.extent_button, 0, 0)
        shape_box.addWidget(self.draw_button, 0, 1)
        shape_box.addWidget(self.selection_button, 1, 0)
        shape_box.addWidget(self.layer_combo, 1, 1)
        has_canvas = self._canvas is not None
        self.extent_button.setEnabled(has_canvas)
        self.draw_button.setEnabled(has_canvas)
        return shape_box

    def _build_shape_row(self) -> QHBoxLayout:
        """What the shape is (source, area, CRS), and the × that removes it."""
        shape_row = QHBoxLayout()
        self.shape_label = QLabel(tr("Aucune emprise personnalisée."), self)
        self.shape_label.setWordWrap(True)
        shape_row.addWidget(self.shape_label, 1)
        self.clear_shape_button = QToolButton(self)
        self.clear_shape_button.setText("×")
        self.clear_shape_button.setToolTip(tr("Retirer l'emprise personnalisée"))
        self.clear_shape_button.setAccessibleName(tr("Retirer l'emprise personnalisée"))
        self.clear_shape_button.setEnabled(False)
        shape_row.addWidget(self.clear_shape_button)
        return shape_row

    def _wire_signals(self) -> None:
        self.extent_button.clicked.connect(self.use_map_extent)
        self.selection_button.clicked.connect(self.use_selected_features)
        self.draw_button.clicked.connect(self._on_draw_clicked)
        self.clear_shape_button.clicked.connect(self.clear_custom_shape)
        if self._iface is not None:
            self._follow_active_layer(self._iface.activeLayer())
            self._iface.currentLayerChanged.connect(self._follow_active_layer)

    # -- public API ------------------------------------------------------------------------------
    def custom_shape(self) -> tuple[QgsGeometry, QgsCoordinateReferenceSystem] | None:
        """The user's own shape and its CRS, or None."""
        if self._shape is None:
            return None
        return QgsGeometry(self._shape), QgsCoordinateReferenceSystem(self._shape_crs)

    def custom_shape_source(self) -> str:
        """How the custom shape was made: extent, selection or drawing ("" when there is none)."""
        return self._shape_source

    def set_custom_shape(self, geometry: QgsGeometry | None, crs: QgsCoordinateReferenceSystem | None = None,
                         source: str = "") -> None:
        if geometry is None or geometry.isEmpty():
            self._shape, self._shape_crs, self._shape_source = None, QgsCoordinateReferenceSystem(), ""
        else:
            self._shape = QgsGeometry(geometry)
            self._shape_crs = QgsCoordinateReferenceSystem(crs) if crs is not None else QgsCoordinateReferenceSystem()
            self._shape_source = source
        self._update_shape_label()
        self.changed.emit()

    @guarded(tr("le retrait de l'emprise personnalisée"))
    def clear_custom_shape(self) -> None:
        self.set_custom_shape(None)

    @guarded(tr("l'utilisation de l'étendue de la carte"), default=False)
    def use_map_extent(self) -> bool:
        if self._canvas is None:
            return False
        extent = self._canvas.extent()
        if extent.isEmpty():
            self.problem.emit(tr("La carte n'a pas encore d'étendue : ajoutez une couche ou zoomez d'abord."))
            return False
        self.set_custom_shape(QgsGeometry.fromRect(extent), self._canvas.mapSettings().destinationCrs(), "extent")
        return True

    @guarded(tr("l'utilisation des entités sélectionnées"), default=False)
    def use_selected_features(self) -> bool:
        layer = self.layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer) or not layer.isSpatial():
            self.problem.emit(tr("Choisissez une couche vecteur, puis sélectionnez-y des entités."))
            return False
        geometries = [feature.geometry() for feature in layer.getSelectedFeatures()
                      if feature.hasGeometry() and not feature.geometry().isEmpty()]
        if not geometries:
            self.problem.emit(tr("Aucune entité sélectionnée dans la couche « {layer} » : sélectionnez-en "
                                 "au moins une.").format(layer=layer.name()))
            return False
        union = QgsGeometry.unaryUnion(geometries) if len(geometries) > 1 else QgsGeometry(geometries[0])
        if union.isNull() or union.isEmpty():
            self.problem.emit(tr("Les entités sélectionnées de « {layer} » n'ont pas pu être réunies : "
                                 "vérifiez leurs géométries.").format(layer=layer.name()))
            return False
        self.set_custom_shape(union, layer.crs(), "selection")
        return True

    def start_drawing(self) -> PolygonMapTool | None:
        """Make the drawing tool the canvas's map tool (the previous one comes back afterwards)."""
        if self._canvas is None:
            return None
        if self._map_tool is None:
            self._map_tool = PolygonMapTool(self._canvas)
            self._map_tool.finished.connect(self._on_drawn)
            self._map_tool.canceled.connect(self._on_draw_canceled)
            self._map_tool.deactivated.connect(self._on_tool_deactivated)
        current = self._canvas.mapTool()
        if current is not self._map_tool:
            self._previous_tool = current
            self._canvas.setMapTool(self._map_tool)
        self.draw_button.setChecked(True)
        self._canvas.setFocus()
        return self._map_tool

    def cancel_drawing(self) -> None:
        if self._map_tool is not None and self._is_drawing():
            self._map_tool.cancel()

    def map_tool(self) -> PolygonMapTool | None:
        return self._map_tool

    def unload(self) -> None:
        """Give the map back: stop drawing, remove the rubber band, stop following the active layer."""
        self.cancel_drawing()
        if self._map_tool is not None:
            self._map_tool.remove_rubber_band()
            if self._canvas is not None and not sip.isdeleted(self._canvas):
                self._canvas.unsetMapTool(self._map_tool)
            self._map_tool.deleteLater()
            self._map_tool = None
        if self._iface is not None:
            try:
                self._iface.currentLayerChanged.disconnect(self._follow_active_layer)
            except (TypeError, RuntimeError):
                pass
            self._iface = None

    # -- internals -----------------------------------------------------------------------------
    @guarded(tr("le suivi de la couche active"))
    def _follow_active_layer(self, layer) -> None:
        # a signal queued before its layer was removed from the project may still arrive
        if isinstance(layer, QgsVectorLayer) and not sip.isdeleted(layer) and layer.isSpatial():
            self.layer_combo.setLayer(layer)

    def _update_shape_label(self) -> None:
        self.clear_shape_button.setEnabled(self._shape is not None)
        if self._shape is None:
            self.shape_label.setText(tr("Aucune emprise personnalisée."))
            return
        sources = {"extent": tr("étendue de la carte"), "selection": tr("entités sélectionnées"),
                   "drawing": tr("polygone dessiné")}
        source = sources.get(self._shape_source, tr("emprise fournie"))
        area = self._area_km2()
        crs = self._shape_crs.authid() or self._shape_crs.description() or tr("SCR non défini")
        if area is None:
            text = tr("Emprise personnalisée : {source} ({crs}).").format(source=source, crs=crs)
        else:
            text = tr("Emprise personnalisée : {source}, {area} km² ({crs}).").format(
                source=source, area=f"{area:,.1f}".replace(",", "\u202f").replace(".", ","), crs=crs)
        self.shape_label.setText(text)

    def _area_km2(self) -> float | None:
        if self._shape is None or self._shape.type() != compat.GEOMETRY_POLYGON or not self._shape_crs.isValid():
            return None
        measure = QgsDistanceArea()
        measure.setSourceCrs(self._shape_crs, QgsProject.instance().transformContext())
        if not measure.setEllipsoid(self._shape_crs.ellipsoidAcronym() or "EPSG:7019"):
            return None
        try:
            return measure.measureArea(self._shape) / 1e6
        except Exception:  # noqa: BLE001 - a label only: no area rather than no shape
            return None

    def _is_drawing(self) -> bool:
        return (self._canvas is not None and self._map_tool is not None
                and self._canvas.mapTool() is self._map_tool)

    @guarded(DRAWING)
    def _on_draw_clicked(self, checked: bool) -> None:
        if checked:
            self.start_drawing()
        else:
            self.cancel_drawing()

    def _restore_previous_tool(self) -> None:
        previous, self._previous_tool = self._previous_tool, None
        if self._canvas is None or self._map_tool is None:
            return
        if previous is not None and not sip.isdeleted(previous) and previous is not self._map_tool:
            self._canvas.setMapTool(previous)
        else:
            self._canvas.unsetMapTool(self._map_tool)
        self.draw_button.setChecked(False)

    @guarded(DRAWING)
    def _on_drawn(self, geometry: QgsGeometry) -> None:
        crs = self._canvas.mapSettings().destinationCrs()
        self._restore_previous_tool()
        self.set_custom_shape(geometry, crs, "drawing")

    @guarded(DRAWING)
    def _on_draw_canceled(self) -> None:
        self._restore_previous_tool()

    @guarded(DRAWING)
    def _on_tool_deactivated(self) -> None:
        # another map tool was chosen while drawing: forget the one to come back to
        self.draw_button.setChecked(False)
