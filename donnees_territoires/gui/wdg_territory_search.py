"""The search part of the territory picker: names and codes as you type, type and vintage filters, recent ones."""

from __future__ import annotations

from collections.abc import Callable

from qgis.PyQt.QtCore import QModelIndex, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..territory import (
    COMMUNE_KINDS,
    TerritoryIndex,
    TerritoryKind,
    TerritoryReferenceError,
    available_vintages,
    latest_vintage,
    parse_references,
)
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from . import selection_memory

MAX_COMPLETIONS = 12
MIN_QUERY_LENGTH = 2
REFERENCE_ROLE = Qt.ItemDataRole.UserRole
# what failed, in the user's words, when a slot below raises
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


class TerritorySearch(QWidget):
    """The search box and its completion list, the type and vintage filters, and the « Récents » menu.

    It finds territories; the picker keeps them. `chosen` carries each reference the user picks (a
    proposal, Return, pasted references, a recent territory), `problem` a French sentence about what
    was typed. `chosen_references` says which territories the picker holds already (greyed out in
    the recent menu). The COG index is loaded on the first keystroke, not when the widget is built.
    """

    chosen = pyqtSignal(str)
    problem = pyqtSignal(str)
    vintage_changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None, chosen_references: Callable[[], list[str]] = list):
        super().__init__(parent)
        self._chosen_references = chosen_references
        self._kind_filters = _kind_filters()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_search_row())
        layout.addLayout(self._build_filters())
        self._build_completer()
        self._wire_signals()

    def _build_search_row(self) -> QHBoxLayout:
        """The text to search, and the recent territories."""
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
        self.recent_button.setMenu(self.recent_menu)
        search_row.addWidget(self.recent_button)
        return search_row

    def _build_filters(self) -> QHBoxLayout:
        """The type of territory proposed, and the COG vintage (the latest by default)."""
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
        return options_row

    def _build_completer(self) -> None:
        self._model = QStandardItemModel(self)
        self._model_query = ""  # the text the completions were searched for
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(MAX_COMPLETIONS)
        # the completer is attached with setWidget (not QLineEdit.setCompleter) so that choosing an
        # entry adds a chip instead of overwriting the search text
        self.completer.setWidget(self.search_edit)

    def _wire_signals(self) -> None:
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.completer.activated[QModelIndex].connect(self._on_completion_activated)
        self.search_edit.textEdited.connect(self._refresh_completions)
        self.search_edit.returnPressed.connect(self._on_return)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.vintage_combo.currentIndexChanged.connect(self._on_vintage_changed)

    # -- public API ------------------------------------------------------------------------------
    def vintage(self) -> int:
        return int(self.vintage_combo.currentData())

    def set_vintage(self, vintage) -> None:
        position = self.vintage_combo.findData(int(vintage)) if vintage else -1
        if position >= 0:
            self.vintage_combo.setCurrentIndex(position)

    def completion_references(self) -> list[str]:
        """References currently offered by the completion list, in order."""
        return [self._model.item(row).data(REFERENCE_ROLE) for row in range(self._model.rowCount())]

    def clear(self) -> None:
        """An empty search box and no proposal (the filters stay)."""
        self.search_edit.clear()
        self._clear_completions()

    # -- internals -----------------------------------------------------------------------------
    def _index(self) -> TerritoryIndex:
        return TerritoryIndex.load(self.vintage())

    def _kinds(self):
        return self._kind_filters[max(0, self.kind_combo.currentIndex())][1]

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
                self.problem.emit(str(error))
                return
            for reference in references:
                self.chosen.emit(reference)
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
        self.chosen.emit(reference)

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
        chosen = self._chosen_references()
        for reference in references:
            try:
                territory = self._index().get(reference)
                text = f"{territory.label} — {territory.kind.label}"
            except TerritoryReferenceError:
                text = reference
            action = self.recent_menu.addAction(text)
            action.setData(reference)
            action.setEnabled(reference not in chosen)
            action.triggered.connect(guarded(tr("l'ajout d'un territoire récent"))(
                lambda _checked=False, ref=reference: self.chosen.emit(ref)))
        self.recent_menu.addSeparator()
        forget = self.recent_menu.addAction(tr("Oublier les territoires récents"))
        forget.triggered.connect(self._forget_recent)

    @guarded(tr("l'effacement des territoires récents"))
    def _forget_recent(self) -> None:
        selection_memory.clear_recent()

    @guarded(SEARCH)
    def _on_kind_changed(self, _position: int) -> None:
        self._refresh_completions(self.search_edit.text(), show_popup=False)

    @guarded(tr("le changement de millésime"))
    def _on_vintage_changed(self, _position: int) -> None:
        self._refresh_completions(self.search_edit.text(), show_popup=False)
        self.vintage_changed.emit()  # last: the picker's chips and its `changed` follow the new vintage
