"""The Processing dialog's fields for the plugin's text parameters: they store the very same strings.

TerritoryField: the territory string (« epci:243300316,commune:33063 ») in a line edit, with the
panel's territory search above it (a chosen territory is added to the string). DatasetsField: the
panel's catalog tree, searchable and checkable, for the comma-separated dataset ids. Models,
batch runs and `qgis_process` keep passing strings.
"""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from ..toolbelt.text import comma_list
from .wdg_dataset_tree import DatasetTree, loaded_catalog
from .wdg_territory_search import TerritorySearch


class TerritoryField(QWidget):
    """Territory references as text, filled by searching names (the COG of the algorithm's VINTAGE decides)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = TerritorySearch(self, chosen_references=self.references)
        self.search.vintage_combo.setVisible(False)  # the algorithm has its own VINTAGE parameter
        self.search.search_edit.setPlaceholderText(tr("Chercher : nom, code INSEE, SIREN, code postal…"))
        self.edit = QLineEdit(self)
        self.edit.setObjectName("territoryReferences")
        self.edit.setPlaceholderText("epci:243300316,commune:33063")
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020")
        self.problem_label.setVisible(False)
        layout.addWidget(self.search)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem_label)
        self.search.chosen.connect(self._add)
        self.search.problem.connect(self._show_problem)

    def value(self) -> str:
        return ",".join(self.references())

    def set_value(self, text) -> None:
        self.edit.setText(",".join(comma_list(text)))

    def references(self) -> list[str]:
        return comma_list(self.edit.text())

    @guarded(tr("l'ajout du territoire choisi"))
    def _add(self, reference: str) -> None:
        references = self.references()
        if reference not in references:
            references.append(reference)
        self.edit.setText(",".join(references))
        self.problem_label.setVisible(False)

    @guarded(tr("l'affichage d'un territoire mal écrit"))
    def _show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.setVisible(True)


class DatasetsField(QWidget):
    """The catalog's datasets to tick (searchable, by theme, described); its value is the ids, comma-separated.
    Ids that the catalogs do not hold are kept as they are, and said."""

    def __init__(self, parent: QWidget | None = None, catalog=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = DatasetTree(self, catalog=catalog if catalog is not None else loaded_catalog())
        self.tree.setMinimumHeight(260)
        self.unknown_label = QLabel(self)
        self.unknown_label.setWordWrap(True)
        self.unknown_label.setVisible(False)
        layout.addWidget(self.tree)
        layout.addWidget(self.unknown_label)
        self._unknown: list[str] = []

    def value(self) -> str:
        return ",".join(self.tree.checked_ids() + self._unknown)

    def set_value(self, text) -> None:
        self._unknown = self.tree.set_checked(comma_list(text))
        self.unknown_label.setText(tr("Gardés tels quels, absents des catalogues chargés : {ids}").format(
            ids=", ".join(self._unknown)))
        self.unknown_label.setVisible(bool(self._unknown))
