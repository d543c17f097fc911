"""The territory picker of the dock: search the COG as you type, territories as chips, or a shape of your own."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry
from qgis.gui import QgsDoubleSpinBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import compat
from ..territory import Selection, TerritoryIndex, TerritoryReferenceError, parse_reference
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from . import selection_memory
from .maptool_polygon import PolygonMapTool
from .wdg_custom_shape import CustomShapeChoice
from .wdg_flow_layout import FlowLayout
from .wdg_territory_chip import TerritoryChip
from .wdg_territory_search import TerritorySearch, completion_text
from .wheel_focus import ignore_wheel_without_focus

# the picker's parts, importable from here as they were before they had modules of their own
__all__ = ["CustomShapeChoice", "FlowLayout", "PolygonMapTool", "TerritoryChip", "TerritoryPicker",
           "TerritorySearch", "completion_text"]


class TerritoryPicker(QWidget):
    """Territories of a COG vintage (as chips), an optional shape of the user's own, and a buffer.

    The COG index is loaded on the first keystroke (or when a territory is added), not when the
    dock is built. `canvas` (for the map extent and drawing) and `iface` (to follow the active
    layer) may be None. Its parts: `search` (TerritorySearch: the search box, the type and vintage
    filters, recent territories), the chips, `shape_choice` (CustomShapeChoice: map extent, drawing,
    selected features), the buffer and one message line.
    """

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None, canvas=None, iface=None):  # noqa: QGS105 - injected for tests
        super().__init__(parent)
        canvas = canvas if canvas is not None else (iface.mapCanvas() if iface is not None else None)
        self._references: list[str] = []
        self._chips: dict[str, TerritoryChip] = {}
        self._problems: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # built in the order Tab walks through them
        self.search = TerritorySearch(self, chosen_references=self.references)
        layout.addWidget(self.search)
        self._build_chips(layout)
        self.shape_choice = CustomShapeChoice(self, canvas=canvas, iface=iface)
        layout.addWidget(self.shape_choice)
        layout.addLayout(self._build_buffer_row())
        self._build_message(layout)
        self._wire_signals()
        self._update_empty_label()

    def _build_chips(self, layout: QVBoxLayout) -> None:
        """The chosen territories, or a line saying there is none."""
        self.chips_area = QWidget(self)
        self.chips_area.setObjectName("territoryChips")
        self.chips_layout = FlowLayout(self.chips_area)
        layout.addWidget(self.chips_area)
        self.empty_label = QLabel(tr("Aucun territoire choisi."), self)
        self.empty_label.setEnabled(False)
        layout.addWidget(self.empty_label)

    def _build_buffer_row(self) -> QHBoxLayout:
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
        ignore_wheel_without_focus(self.buffer_spin)  # the wheel over the dock once set 800 m unnoticed
        buffer_row.addWidget(self.buffer_spin, 1)
        return buffer_row

    def _build_message(self, layout: QVBoxLayout) -> None:
        """One line for a problem the user can fix, hidden until there is one."""
        self.message_label = QLabel(self)
        self.message_label.setObjectName("territoryMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b03a2e;")
        self.message_label.hide()
        layout.addWidget(self.message_label)

    def _wire_signals(self) -> None:
        self.changed.connect(self._on_changed)
        self.search.chosen.connect(self._on_chosen)
        self.search.problem.connect(self._show_message)
        self.search.vintage_changed.connect(self._on_vintage_changed)
        self.buffer_spin.valueChanged.connect(self.changed.emit)
        self.shape_choice.changed.connect(self.changed.emit)
        self.shape_choice.problem.connect(self._show_message)

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
        return self.search.vintage()

    def selection(self) -> Selection:
        """The chosen territories read once, with the vintage and the buffer (ValueError in French: none, or
        one the vintage does not have)."""
        return Selection.parse(self._references, self.vintage(), buffer_m=self.buffer_m())

    def set_vintage(self, vintage) -> None:
        self.search.set_vintage(vintage)

    def buffer_m(self) -> float:
        return float(self.buffer_spin.value())

    def set_buffer_m(self, metres: float) -> None:
        self.buffer_spin.setValue(float(metres or 0.0))

    def custom_shape(self) -> tuple[QgsGeometry, QgsCoordinateReferenceSystem] | None:
        """The user's own shape and its CRS, or None."""
        return self.shape_choice.custom_shape()

    def custom_shape_source(self) -> str:
        """How the custom shape was made: extent, selection or drawing ("" when there is none)."""
        return self.shape_choice.custom_shape_source()

    def set_custom_shape(self, geometry: QgsGeometry | None, crs: QgsCoordinateReferenceSystem | None = None,
                         source: str = "") -> None:
        self.shape_choice.set_custom_shape(geometry, crs, source)

    def clear(self) -> None:
        """No territory, no custom shape, no buffer, an empty search box (the vintage stays)."""
        self.blockSignals(True)
        try:
            self._remove_all_chips()
            self.set_custom_shape(None)
            self.buffer_spin.setValue(0.0)
            self.search.clear()
        finally:
            self.blockSignals(False)
        self._update_empty_label()
        self.changed.emit()

    def problems(self) -> dict[str, str]:
        """Chosen references absent from the selected vintage, with the index's explanation."""
        return dict(self._problems)

    def validate(self) -> str | None:
        """A French message when the choice cannot be used as is, else None."""
        shape = self.custom_shape()
        if not self._references and shape is None:
            return tr("Choisissez au moins un territoire, ou une emprise personnalisée.")
        if self._problems:
            return next(iter(self._problems.values()))
        if shape is not None and shape[0].type() != compat.GEOMETRY_POLYGON and self.buffer_m() <= 0:
            return tr("L'emprise personnalisée n'est pas un polygone (points ou lignes) : indiquez une zone tampon.")
        return None

    def unload(self) -> None:
        """Give the map back: stop drawing, remove the rubber band, stop following the active layer."""
        self.shape_choice.unload()

    # -- internals -----------------------------------------------------------------------------
    def _index(self) -> TerritoryIndex:
        return TerritoryIndex.load(self.vintage())

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

    @guarded(tr("l'ajout du territoire choisi"))
    def _on_chosen(self, reference: str) -> None:
        self.add_reference(reference)

    @guarded(tr("l'effacement du message"))
    def _on_changed(self) -> None:
        self._show_message("")

    @guarded(tr("le changement de millésime"))
    def _on_vintage_changed(self) -> None:
        for reference in list(self._references):
            self._make_chip(reference)
        self.changed.emit()

    @guarded(tr("l'affichage d'un message"))
    def _show_message(self, message: str) -> None:
        """A problem the user can fix (no selection, unreadable reference); cleared by the next change."""
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
