"""The territory picker of the dock: search the COG as you type, territories as chips, or a shape of your own."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsDoubleSpinBox, QgsMapLayerComboBox, QgsMapTool, QgsRubberBand
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor, QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from .. import compat
from ..territory import (
    TerritoryIndex,
    TerritoryKind,
    TerritoryReferenceError,
    available_vintages,
    latest_vintage,
    parse_reference,
    parse_references,
)
from ..territory.model import COMMUNE_KINDS
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from . import selection_memory

MAX_COMPLETIONS = 12
MIN_QUERY_LENGTH = 2
REFERENCE_ROLE = Qt.ItemDataRole.UserRole
# what failed, in the user's words, when a slot or a Qt override below raises
LAYOUT = tr("la disposition des territoires choisis")
DRAWING = tr("le dessin d'un polygone sur la carte")
SEARCH = tr("la recherche d'un territoire")


def _kind_filters() -> list[tuple[str, frozenset | None]]:
    """(label, kinds) of the type filter; None means every kind."""
    return [
        (tr("Tous"), None),
        (tr("Commune"), frozenset(COMMUNE_KINDS)),
        (tr("EPCI"), frozenset({TerritoryKind.EPCI})),
        (tr("EPT"), frozenset({TerritoryKind.EPT})),
        (tr("Département"), frozenset({TerritoryKind.DEPARTEMENT})),
        (tr("Région"), frozenset({TerritoryKind.REGION})),
    ]


def completion_text(territory) -> str:
    """One line of the completion list: name, kind, population, reference."""
    details = [territory.kind.label]
    if territory.population:
        details.append(tr("{population} hab.").format(population=f"{territory.population:,}".replace(",", "\u202f")))
    details.append(territory.reference)
    return f"{territory.label} — {' · '.join(details)}"


# -- chips -------------------------------------------------------------------------------------------
class FlowLayout(QLayout):
    """Lays its items out left to right, wrapping to the next line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items: list = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    @guarded(LAYOUT)
    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def insert_widget(self, position: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(max(0, min(position, len(self._items))), QWidgetItem(widget))
        self.invalidate()

    @guarded(LAYOUT, default=0)
    def count(self) -> int:
        return len(self._items)

    @guarded(LAYOUT)
    def itemAt(self, position: int):  # noqa: N802
        return self._items[position] if 0 <= position < len(self._items) else None

    @guarded(LAYOUT)
    def takeAt(self, position: int):  # noqa: N802
        return self._items.pop(position) if 0 <= position < len(self._items) else None

    @guarded(LAYOUT, default=False)
    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    @guarded(LAYOUT, default=-1)
    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    @guarded(LAYOUT)
    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    @guarded(LAYOUT, default=QSize())
    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    @guarded(LAYOUT, default=QSize())
    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize(0, 0)
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class TerritoryChip(QFrame):
    """One chosen territory: its name, and a × button (reachable with Tab) that removes it."""

    remove_requested = pyqtSignal(str)

    def __init__(self, reference: str, label: str, tooltip: str, problem: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.reference = reference
        self.problem = problem
        self.setObjectName("territoryChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 1, 1)
        layout.setSpacing(2)
        self.label = QLabel(("⚠ " if problem else "") + label, self)
        self.label.setToolTip(tooltip)
        layout.addWidget(self.label)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.remove_button.setToolTip(tr("Retirer {label}").format(label=label))
        self.remove_button.setAccessibleName(tr("Retirer {label}").format(label=label))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        layout.addWidget(self.remove_button)
        self.setToolTip(tooltip)

    @guarded(tr("le retrait du territoire"))
    def _on_remove_clicked(self) -> None:
        self.remove_requested.emit(self.reference)


# -- drawing a polygon on the map ---------------------------------------------------------------------
class PolygonMapTool(QgsMapTool):
    """Left click adds a vertex, right click finishes (3 vertices at least), Esc cancels, Backspace undoes."""

    finished = pyqtSignal(QgsGeometry)
    canceled = pyqtSignal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self._points: list[QgsPointXY] = []
        self._band: QgsRubberBand | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    @property
    def points(self) -> list[QgsPointXY]:
        return list(self._points)

    def _rubber_band(self) -> QgsRubberBand:
        if self._band is None:
            self._band = QgsRubberBand(self.canvas(), compat.GEOMETRY_POLYGON)
            self._band.setColor(QColor(220, 60, 30, 220))
            self._band.setFillColor(QColor(220, 60, 30, 50))
            self._band.setWidth(2)
        return self._band

    def _show(self, extra: QgsPointXY | None = None) -> None:
        band = self._rubber_band()
        band.reset(compat.GEOMETRY_POLYGON)
        points = self._points + ([extra] if extra is not None else [])
        for position, point in enumerate(points):
            band.addPoint(point, position == len(points) - 1)

    @guarded(DRAWING)
    def canvasMoveEvent(self, event) -> None:  # noqa: N802
        if self._points:
            self._show(event.mapPoint())

    @guarded(DRAWING)
    def canvasReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._points.append(QgsPointXY(event.mapPoint()))
            self._show()
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    @guarded(DRAWING)
    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancel()
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self._points:
            event.accept()
            self._points.pop()
            self._show()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.finish()
        else:
            event.ignore()

    def finish(self) -> None:
        """End the polygon; fewer than 3 vertices is a cancel."""
        points = self._points
        self.reset()
        if len(points) < 3:
            self.canceled.emit()
            return
        geometry = QgsGeometry.fromPolygonXY([points + [points[0]]])
        if not geometry.isGeosValid():
            geometry = geometry.makeValid()  # a figure-of-eight drawn by mistake
        self.finished.emit(geometry)

    def cancel(self) -> None:
        self.reset()
        self.canceled.emit()

    def reset(self) -> None:
        self._points = []
        if self._band is not None:
            self._band.reset(compat.GEOMETRY_POLYGON)

    @guarded(DRAWING)
    def deactivate(self) -> None:
        self.reset()
        super().deactivate()

    def remove_rubber_band(self) -> None:
        if self._band is not None and not sip.isdeleted(self._band):
            self.canvas().scene().removeItem(self._band)
        self._band = None


# -- the picker ----------------------------------------------------------------------------------------
class TerritoryPicker(QWidget):
    """Territories of a COG vintage (as chips), an optional shape of the user's own, and a buffer.

    The COG index is loaded on the first keystroke (or when a territory is added), not when the
    dock is built. `canvas` (for the map extent and drawing) and `iface` (to follow the active
    layer) may be None.
    """

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None, canvas=None, iface=None):  # noqa: QGS105 - injected for tests
        super().__init__(parent)
        self._iface = iface
        self._canvas = canvas if canvas is not None else (iface.mapCanvas() if iface is not None else None)
        self._references: list[str] = []
        self._chips: dict[str, TerritoryChip] = {}
        self._problems: dict[str, str] = {}
        self._shape: QgsGeometry | None = None
        self._shape_crs = QgsCoordinateReferenceSystem()
        self._shape_source = ""
        self._map_tool: PolygonMapTool | None = None
        self._previous_tool = None
        self._kind_filters = _kind_filters()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        # search line: text, type, vintage, recent
        search_row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("territorySearch")
        self.search_edit.setPlaceholderText(tr("Nom ou code : commune, EPCI, département…"))
        self.search_edit.setToolTip(tr("Tapez un nom, un code INSEE, un code postal ou un SIREN, puis Entrée pour "
                                       "ajouter le premier résultat. Plusieurs références séparées par des "
                                       "virgules sont acceptées (commune:33063,epci:243300316)."))
        self.search_edit.setClearButtonEnabled(True)
        search_row.addWidget(self.search_edit, 1)
        self.recent_button = QToolButton(self)
        self.recent_button.setText(tr("Récents"))
        self.recent_button.setToolTip(tr("Territoires choisis récemment"))
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.recent_button.setMenu(self.recent_menu)
        search_row.addWidget(self.recent_button)
        layout.addLayout(search_row)

        options_row = QHBoxLayout()
        self.kind_combo = QComboBox(self)
        self.kind_combo.setToolTip(tr("Types de territoires proposés par la recherche"))
        for label, _kinds in self._kind_filters:
            self.kind_combo.addItem(label)
        options_row.addWidget(QLabel(tr("Type"), self))
        options_row.addWidget(self.kind_combo, 1)
        self.vintage_combo = QComboBox(self)
        self.vintage_combo.setToolTip(tr("Millésime du Code officiel géographique (COG)"))
        for year in sorted(available_vintages(), reverse=True):
            self.vintage_combo.addItem(tr("COG {year}").format(year=year), year)
        self.vintage_combo.setCurrentIndex(max(0, self.vintage_combo.findData(latest_vintage())))
        options_row.addWidget(self.vintage_combo, 1)
        layout.addLayout(options_row)

        self._model = QStandardItemModel(self)
        self._model_query = ""  # the text the completions were searched for
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(MAX_COMPLETIONS)
        # the completer is attached with setWidget (not QLineEdit.setCompleter) so that choosing an
        # entry adds a chip instead of overwriting the search text
        self.completer.setWidget(self.search_edit)
        self.completer.activated[QModelIndex].connect(self._on_completion_activated)

        # chosen territories
        self.chips_area = QWidget(self)
        self.chips_area.setObjectName("territoryChips")
        self.chips_layout = FlowLayout(self.chips_area)
        layout.addWidget(self.chips_area)
        self.empty_label = QLabel(tr("Aucun territoire choisi."), self)
        self.empty_label.setEnabled(False)
        layout.addWidget(self.empty_label)

        # a shape of one's own
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
        layout.addLayout(shape_box)
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
        layout.addLayout(shape_row)

        buffer_row = QHBoxLayout()
        buffer_row.addWidget(QLabel(tr("Zone tampon"), self))
        self.buffer_spin = QgsDoubleSpinBox(self)
        self.buffer_spin.setRange(0.0, 100_000.0)
        self.buffer_spin.setDecimals(0)
        self.buffer_spin.setSingleStep(100.0)
        self.buffer_spin.setSuffix(" m")
        self.buffer_spin.setClearValue(0.0)
        self.buffer_spin.setShowClearButton(True)
        self.buffer_spin.setToolTip(tr("Élargit le territoire (ou l'emprise) de cette distance, en mètres"))
        buffer_row.addWidget(self.buffer_spin, 1)
        layout.addLayout(buffer_row)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("territoryMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b03a2e;")
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.changed.connect(self._on_changed)

        has_canvas = self._canvas is not None
        self.extent_button.setEnabled(has_canvas)
        self.draw_button.setEnabled(has_canvas)

        self.search_edit.textEdited.connect(self._refresh_completions)
        self.search_edit.returnPressed.connect(self._on_return)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.vintage_combo.currentIndexChanged.connect(self._on_vintage_changed)
        self.buffer_spin.valueChanged.connect(self.changed.emit)
        self.extent_button.clicked.connect(self.use_map_extent)
        self.selection_button.clicked.connect(self.use_selected_features)
        self.draw_button.clicked.connect(self._on_draw_clicked)
        self.clear_shape_button.clicked.connect(self.clear_custom_shape)
        if iface is not None:
            self._follow_active_layer(iface.activeLayer())
            iface.currentLayerChanged.connect(self._follow_active_layer)
        self._update_empty_label()

    # -- public API ------------------------------------------------------------------------------
    def references(self) -> list[str]:
        """Chosen territories, in the order they were added: ['epci:243300316', 'commune:33063']."""
        return list(self._references)

    def set_references(self, references) -> list[str]:
        """Replace the chosen territories; returns the messages of the references that could not be read."""
        errors = []
        self._remove_all_chips()
        for reference in references or []:
            try:
                self._add(str(reference))
            except TerritoryReferenceError as error:
                errors.append(str(error))
        self._update_empty_label()
        self.changed.emit()
        return errors

    def add_reference(self, reference: str) -> bool:
        """Add one territory (a reference string); False when it is chosen already.

        Raises TerritoryReferenceError when the reference cannot be read. The territory goes to
        the recent list.
        """
        added = self._add(reference)
        selection_memory.push_recent(str(parse_reference(reference)))
        if added:
            self._update_empty_label()
            self.changed.emit()
        return added

    @guarded(tr("le retrait du territoire"))
    def remove_reference(self, reference: str) -> None:
        reference = str(parse_reference(reference))
        if reference not in self._references:
            return
        self._references.remove(reference)
        self._problems.pop(reference, None)
        chip = self._chips.pop(reference)
        self.chips_layout.removeWidget(chip)
        chip.hide()
        chip.deleteLater()
        self._update_empty_label()
        self.changed.emit()

    def vintage(self) -> int:
        return int(self.vintage_combo.currentData())

    def set_vintage(self, vintage) -> None:
        position = self.vintage_combo.findData(int(vintage)) if vintage else -1
        if position >= 0:
            self.vintage_combo.setCurrentIndex(position)

    def buffer_m(self) -> float:
        return float(self.buffer_spin.value())

    def set_buffer_m(self, metres: float) -> None:
        self.buffer_spin.setValue(float(metres or 0.0))

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

    def clear(self) -> None:
        """No territory, no custom shape, no buffer, an empty search box (the vintage stays)."""
        self.blockSignals(True)
        try:
            self._remove_all_chips()
            self.set_custom_shape(None)
            self.buffer_spin.setValue(0.0)
            self.search_edit.clear()
            self._clear_completions()
        finally:
            self.blockSignals(False)
        self._update_empty_label()
        self.changed.emit()

    def problems(self) -> dict[str, str]:
        """Chosen references absent from the selected vintage, with the index's explanation."""
        return dict(self._problems)

    def validate(self) -> str | None:
        """A French message when the choice cannot be used as is, else None."""
        if not self._references and self._shape is None:
            return tr("Choisissez au moins un territoire, ou une emprise personnalisée.")
        if self._problems:
            return next(iter(self._problems.values()))
        if (self._shape is not None and self._shape.type() != compat.GEOMETRY_POLYGON
                and self.buffer_m() <= 0):
            return tr("L'emprise personnalisée n'est pas un polygone (points ou lignes) : indiquez une zone tampon.")
        return None

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

    # -- custom shape sources ------------------------------------------------------------------
    @guarded(tr("l'utilisation de l'étendue de la carte"), default=False)
    def use_map_extent(self) -> bool:
        if self._canvas is None:
            return False
        extent = self._canvas.extent()
        if extent.isEmpty():
            self._show_message(tr("La carte n'a pas encore d'étendue : ajoutez une couche ou zoomez d'abord."))
            return False
        self.set_custom_shape(QgsGeometry.fromRect(extent), self._canvas.mapSettings().destinationCrs(), "extent")
        return True

    @guarded(tr("l'utilisation des entités sélectionnées"), default=False)
    def use_selected_features(self) -> bool:
        layer = self.layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer) or not layer.isSpatial():
            self._show_message(tr("Choisissez une couche vecteur, puis sélectionnez-y des entités."))
            return False
        geometries = [feature.geometry() for feature in layer.getSelectedFeatures()
                      if feature.hasGeometry() and not feature.geometry().isEmpty()]
        if not geometries:
            self._show_message(tr("Aucune entité sélectionnée dans la couche « {layer} » : sélectionnez-en "
                                      "au moins une.").format(layer=layer.name()))
            return False
        union = QgsGeometry.unaryUnion(geometries) if len(geometries) > 1 else QgsGeometry(geometries[0])
        if union.isNull() or union.isEmpty():
            self._show_message(tr("Les entités sélectionnées de « {layer} » n'ont pas pu être réunies : "
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

    # -- internals -----------------------------------------------------------------------------
    def _index(self) -> TerritoryIndex:
        return TerritoryIndex.load(self.vintage())

    def _kinds(self):
        return self._kind_filters[max(0, self.kind_combo.currentIndex())][1]

    def _add(self, reference: str) -> bool:
        text = str(parse_reference(reference))
        if text in self._references:
            return False
        self._references.append(text)
        self._make_chip(text)
        return True

    def _make_chip(self, reference: str) -> None:
        try:
            territory = self._index().get(reference)
        except TerritoryReferenceError as error:
            self._problems[reference] = str(error)
            label, tooltip, problem = reference, str(error), True
        else:
            self._problems.pop(reference, None)
            label = territory.label
            tooltip = f"{territory.kind.label} · {territory.reference}"
            problem = False
        chip = TerritoryChip(reference, label, tooltip, problem, self.chips_area)
        chip.remove_requested.connect(self.remove_reference)
        position = self._references.index(reference)
        old = self._chips.get(reference)
        if old is not None:
            self.chips_layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._chips[reference] = chip
        self.chips_layout.insert_widget(position, chip)  # the order of the references
        chip.show()

    def _remove_all_chips(self) -> None:
        for chip in self._chips.values():
            self.chips_layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips.clear()
        self._references.clear()
        self._problems.clear()

    def _update_empty_label(self) -> None:
        self.empty_label.setVisible(not self._references)
        self.chips_area.setVisible(bool(self._references))

    @guarded(SEARCH)
    def _refresh_completions(self, text: str, show_popup: bool = True) -> None:
        self._model.clear()
        query = (text or "").strip()
        self._model_query = query
        if len(query) < MIN_QUERY_LENGTH:
            self.completer.popup().hide()
            return
        for found in self._index().search(query, limit=MAX_COMPLETIONS, kinds=self._kinds()):
            item = QStandardItem(completion_text(found.territory))
            item.setData(found.territory.reference, REFERENCE_ROLE)
            item.setToolTip(found.territory.reference)
            item.setEditable(False)
            self._model.appendRow(item)
        if self._model.rowCount() and (show_popup or self.completer.popup().isVisible()):
            self.completer.complete()
            # the first proposal is highlighted: Return picks it (a visible popup takes the key from
            # the search box, and with nothing highlighted would just close)
            self.completer.popup().setCurrentIndex(self.completer.completionModel().index(0, 0))
        elif not self._model.rowCount():
            self.completer.popup().hide()

    def completion_references(self) -> list[str]:
        """References currently offered by the completion list, in order."""
        return [self._model.item(row).data(REFERENCE_ROLE) for row in range(self._model.rowCount())]

    @guarded(tr("l'ajout du territoire choisi"))
    def _on_completion_activated(self, index) -> None:
        reference = index.data(REFERENCE_ROLE)
        if reference:
            self._choose(str(reference))

    @guarded(tr("l'ajout du territoire saisi"))
    def _on_return(self) -> None:
        popup = self.completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            return  # the completer activates the highlighted entry itself
        text = self.search_edit.text().strip()
        if not text:
            return
        if ":" in text or text.lower() == "france":
            try:
                references = [str(ref) for ref in parse_references(text)]
            except TerritoryReferenceError as error:
                self._show_message(str(error))
                return
            for reference in references:
                self.add_reference(reference)
            self.search_edit.clear()
            self._clear_completions()
            return
        if self._model_query != text:  # set by program, not typed: search now
            self._refresh_completions(text, show_popup=False)
        if self._model.rowCount():
            self._choose(str(self._model.item(0).data(REFERENCE_ROLE)))

    def _choose(self, reference: str) -> None:
        self.completer.popup().hide()
        self.search_edit.clear()
        # the completer may still be inside its activation signal: empty its model afterwards
        QTimer.singleShot(0, self._clear_stale_completions)
        self.add_reference(reference)

    @guarded(SEARCH)
    def _clear_stale_completions(self) -> None:
        if not self.search_edit.text().strip():
            self._clear_completions()

    def _clear_completions(self) -> None:
        self.completer.popup().hide()
        self._model.clear()
        self._model_query = ""

    @guarded(tr("l'affichage des territoires récents"))
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        references = selection_memory.recent()
        if not references:
            action = self.recent_menu.addAction(tr("Aucun territoire récent"))
            action.setEnabled(False)
            return
        for reference in references:
            try:
                territory = self._index().get(reference)
                text = f"{territory.label} — {territory.kind.label}"
            except TerritoryReferenceError:
                text = reference
            action = self.recent_menu.addAction(text)
            action.setData(reference)
            action.setEnabled(reference not in self._references)
            action.triggered.connect(guarded(tr("l'ajout d'un territoire récent"))(
                lambda _checked=False, ref=reference: self.add_reference(ref)))
        self.recent_menu.addSeparator()
        forget = self.recent_menu.addAction(tr("Oublier les territoires récents"))
        forget.triggered.connect(self._forget_recent)

    @guarded(tr("l'effacement des territoires récents"))
    def _forget_recent(self) -> None:
        selection_memory.clear_recent()

    @guarded(SEARCH)
    def _on_kind_changed(self, _position: int) -> None:
        self._refresh_completions(self.search_edit.text(), show_popup=False)

    @guarded(tr("l'effacement du message"))
    def _on_changed(self) -> None:
        self._show_message("")

    @guarded(tr("le changement de millésime"))
    def _on_vintage_changed(self, _position: int) -> None:
        for reference in list(self._references):
            self._make_chip(reference)
        self._refresh_completions(self.search_edit.text(), show_popup=False)
        self.changed.emit()

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

    def _show_message(self, message: str) -> None:
        """A problem the user can fix (no selection, unreadable reference); cleared by the next change."""
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

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
