"""The dataset tree of the dock: catalog entries by theme, a live search, checkboxes and an info panel."""

from __future__ import annotations

import html

from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import QDateTime, QLocale, Qt, pyqtSignal
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..catalog import theme_label
from ..toolbelt import log
from ..toolbelt.i18n import tr, user_locale
from ..toolbelt.slots import guarded

DATASET_ROLE = Qt.ItemDataRole.UserRole
THEME_ROLE = Qt.ItemDataRole.UserRole


def frequency_label(frequency: str) -> str:
    """French label of a catalog update_frequency value."""
    labels = {
        "continuous": tr("en continu"),
        "daily": tr("quotidienne"),
        "weekly": tr("hebdomadaire"),
        "monthly": tr("mensuelle"),
        "quarterly": tr("trimestrielle"),
        "semiannual": tr("semestrielle"),
        "annual": tr("annuelle"),
        "irregular": tr("irrégulière"),
    }
    return labels.get(frequency, frequency or "—")


def _link(url: str, text: str | None = None) -> str:
    if not url:
        return "—"
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text or url)}</a>'


def _date_text(iso_text: str) -> str:
    """An ISO date or date-time in the user's short locale format (the text itself when unreadable)."""
    moment = QDateTime.fromString(iso_text, Qt.DateFormat.ISODate)
    if moment.isValid():
        if "T" not in iso_text and " " not in iso_text.strip():
            return QLocale().toString(moment.date(), QLocale.FormatType.ShortFormat)
        return QLocale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)
    return iso_text


def loaded_catalog(push: bool = False):
    """The catalogs the settings name (built-in, organisation, user); the built-in one alone, with a warning
    (in the message bar too with `push`), when another cannot be read: a broken user catalog must not break
    the panel or a dialog."""
    from ..catalog import Catalog, configured_catalog

    try:
        return configured_catalog()
    except Exception as error:  # noqa: BLE001 - whatever the catalog file holds
        log.warning(tr("Catalogues supplémentaires illisibles : {error}").format(error=error), push=push)
        return Catalog.load()


class DatasetTree(QWidget):
    """Catalog datasets grouped by theme, to check; the current one is described below the tree."""

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None, catalog=None, language: str | None = None):
        super().__init__(parent)
        self._catalog = None
        self._language = language
        self._last_fetch: dict[str, str] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._updating = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QgsFilterLineEdit(self)
        self.search_edit.setObjectName("datasetSearch")
        self.search_edit.setShowSearchIcon(True)
        self.search_edit.setPlaceholderText(tr("Chercher un jeu de données (cadastre, bâtiments, IGN…)"))
        layout.addWidget(self.search_edit)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(splitter)
        self.tree.setObjectName("datasetTree")
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.info = QTextBrowser(splitter)
        self.info.setObjectName("datasetInfo")
        self.info.setOpenExternalLinks(True)
        self.info.setPlaceholderText(tr("Choisissez un jeu de données pour voir sa description."))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("datasetSummary")
        layout.addWidget(self.summary_label)

        self.search_edit.textChanged.connect(self._apply_filter)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        if catalog is not None:
            self.set_catalog(catalog)
        else:
            self._update_summary()

    # -- public API ------------------------------------------------------------------------------
    def language(self) -> str:
        return self._language or user_locale()

    def catalog(self):
        return self._catalog

    def set_catalog(self, catalog) -> None:
        """Show the datasets of `catalog` (checked datasets that it still holds stay checked)."""
        checked = self.checked_ids()
        self._catalog = catalog
        language = self.language()
        self._updating = True
        try:
            self.tree.clear()
            self._items.clear()
            for theme in catalog.themes():
                theme_item = QTreeWidgetItem(self.tree, [theme_label(theme)])
                theme_item.setData(0, THEME_ROLE, None)
                theme_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                    | Qt.ItemFlag.ItemIsUserCheckable)
                theme_item.setCheckState(0, Qt.CheckState.Unchecked)
                font = QFont(theme_item.font(0))
                font.setBold(True)
                theme_item.setFont(0, font)
                for dataset in catalog.by_theme(theme, language):
                    title = dataset.title_for(language)
                    if dataset.is_view_only:
                        title = tr("{title} (affichage)").format(title=title)
                    item = QTreeWidgetItem(theme_item, [title])
                    item.setData(0, DATASET_ROLE, dataset.id)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren)
                    item.setCheckState(0, Qt.CheckState.Checked if dataset.id in checked else Qt.CheckState.Unchecked)
                    item.setToolTip(0, dataset.description_for(language))
                    if not dataset.verified:
                        font = QFont(item.font(0))
                        font.setItalic(True)
                        item.setFont(0, font)
                    self._items[dataset.id] = item
                self._sync_theme(theme_item)
        finally:
            self._updating = False
        self._apply_filter(self.search_edit.text())
        self._show_info(None)
        self._update_summary()
        self.changed.emit()

    def checked_ids(self) -> list[str]:
        """Checked dataset ids, in catalog order."""
        if self._catalog is None:
            return []
        return [dataset_id for dataset_id in self._catalog.ids()
                if dataset_id in self._items and self._items[dataset_id].checkState(0) == Qt.CheckState.Checked]

    def set_checked(self, ids) -> list[str]:
        """Check exactly `ids`; returns those absent from the catalog."""
        wanted = set(ids or [])
        self._updating = True
        try:
            for dataset_id, item in self._items.items():
                item.setCheckState(0, Qt.CheckState.Checked if dataset_id in wanted else Qt.CheckState.Unchecked)
            for position in range(self.tree.topLevelItemCount()):
                self._sync_theme(self.tree.topLevelItem(position))
        finally:
            self._updating = False
        self._update_summary()
        self.changed.emit()
        return [dataset_id for dataset_id in ids or [] if dataset_id not in self._items]

    def set_last_fetch(self, dataset_id: str, iso_text: str | None) -> None:
        """When the dataset was last downloaded (ISO 8601), shown in the info panel; None forgets it."""
        if iso_text:
            self._last_fetch[dataset_id] = str(iso_text)
        else:
            self._last_fetch.pop(dataset_id, None)
        current = self.tree.currentItem()
        if current is not None and current.data(0, DATASET_ROLE) == dataset_id:
            self._show_info(current)

    def visible_ids(self) -> list[str]:
        """Datasets the search leaves visible, in tree order."""
        return [item.data(0, DATASET_ROLE) for item in self._dataset_items() if not item.isHidden()]

    def theme_item(self, theme: str) -> QTreeWidgetItem | None:
        label = theme_label(theme)
        for position in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(position)
            if item.text(0) == label:
                return item
        return None

    def dataset_item(self, dataset_id: str) -> QTreeWidgetItem | None:
        return self._items.get(dataset_id)

    def select_dataset(self, dataset_id: str) -> None:
        """Make a dataset the current item (its description shows in the info panel)."""
        item = self._items.get(dataset_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def info_html(self) -> str:
        return self.info.toHtml()

    # -- internals -----------------------------------------------------------------------------
    def _dataset_items(self) -> list[QTreeWidgetItem]:
        items = []
        for position in range(self.tree.topLevelItemCount()):
            theme_item = self.tree.topLevelItem(position)
            items.extend(theme_item.child(row) for row in range(theme_item.childCount()))
        return items

    @guarded(tr("la recherche d'un jeu de données"))
    def _apply_filter(self, text: str) -> None:
        if self._catalog is None:
            return
        query = (text or "").strip()
        shown = None if not query else {dataset.id for dataset in self._catalog.search(query, self.language())}
        for position in range(self.tree.topLevelItemCount()):
            theme_item = self.tree.topLevelItem(position)
            visible = 0
            for row in range(theme_item.childCount()):
                item = theme_item.child(row)
                hidden = shown is not None and item.data(0, DATASET_ROLE) not in shown
                item.setHidden(hidden)
                visible += not hidden
            theme_item.setHidden(visible == 0)
            theme_item.setExpanded(bool(query) and visible > 0)

    @guarded(tr("le choix d'un jeu de données"))
    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            if item.parent() is None:
                # a theme: its state goes to the datasets the search shows
                state = item.checkState(0)
                if state == Qt.CheckState.PartiallyChecked:
                    state = Qt.CheckState.Checked
                for row in range(item.childCount()):
                    child = item.child(row)
                    if not child.isHidden():
                        child.setCheckState(0, state)
                self._sync_theme(item)
            else:
                self._sync_theme(item.parent())
        finally:
            self._updating = False
        self._update_summary()
        self.changed.emit()

    @staticmethod
    def _sync_theme(theme_item: QTreeWidgetItem) -> None:
        states = {theme_item.child(row).checkState(0) for row in range(theme_item.childCount())}
        if states == {Qt.CheckState.Checked}:
            state = Qt.CheckState.Checked
        elif Qt.CheckState.Checked in states:
            state = Qt.CheckState.PartiallyChecked
        else:
            state = Qt.CheckState.Unchecked
        theme_item.setCheckState(0, state)

    def _update_summary(self) -> None:
        count = len(self.checked_ids())
        if count == 0:
            self.summary_label.setText(tr("Aucun jeu de données choisi."))
        elif count == 1:
            self.summary_label.setText(tr("1 jeu de données choisi."))
        else:
            self.summary_label.setText(tr("{count} jeux de données choisis.").format(count=count))

    @guarded(tr("la description d'un jeu de données"))
    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        self._show_info(current)

    def _show_info(self, item: QTreeWidgetItem | None) -> None:
        dataset_id = item.data(0, DATASET_ROLE) if item is not None else None
        dataset = self._catalog.get(dataset_id) if (self._catalog is not None and dataset_id) else None
        if dataset is None:
            self.info.clear()
            return
        language = self.language()
        rows = [
            (tr("Producteur"), html.escape(dataset.producer or "—")),
            (tr("Licence"), _link(dataset.licence.url, dataset.licence.name) if dataset.licence.url
             else html.escape(dataset.licence.name or "—")),
            (tr("Mise à jour"), html.escape(frequency_label(dataset.update_frequency))),
            (tr("Page de référence"), _link(dataset.homepage)),
        ]
        last = self._last_fetch.get(dataset.id)
        if last:
            rows.append((tr("Dernier téléchargement"), html.escape(_date_text(last))))
        if not dataset.origin.is_builtin:
            rows.append((tr("Catalogue"), html.escape(dataset.origin.label)))
        parts = [f"<p><b>{html.escape(dataset.title_for(language))}</b></p>"]
        description = dataset.description_for(language)
        if description:
            parts.append(f"<p>{html.escape(description)}</p>")
        parts.append("<table>" + "".join(
            f"<tr><td><i>{html.escape(name)}</i>&nbsp;:&nbsp;</td><td>{value}</td></tr>" for name, value in rows)
            + "</table>")
        notes = []
        if dataset.is_view_only:
            notes.append(tr("Affichage seulement : ce fond de plan (WMTS) est ajouté au projet, il n'est ni "
                            "téléchargé ni découpé."))
        if not dataset.verified:
            notes.append(tr("Non vérifié : l'adresse de ce jeu de données vient de sa documentation et n'a pas "
                            "encore été vérifiée en ligne."))
        for note in notes:
            parts.append(f"<p><i>{html.escape(note)}</i></p>")
        self.info.setHtml("".join(parts))
