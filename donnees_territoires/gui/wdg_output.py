"""Where the dock writes the result: temporary layers, a GeoPackage or a PostGIS schema, and in which CRS."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem
from qgis.gui import QgsFileWidget, QgsProjectionSelectionWidget, QgsProviderConnectionComboBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..package import EXAMPLE_SCHEMA, Destination, GeoPackage, Memory, PostgisSchema, destination_from_dict
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

DEFAULT_SCHEMA = EXAMPLE_SCHEMA


class OutputChoice(QWidget):
    """Destination (package.Destination), CRS and « load into the project »; `destination()` and `crs()` feed the
    package algorithm."""

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.memory_radio = QRadioButton(tr("Couches temporaires"), self)
        self.memory_radio.setToolTip(tr("Les couches restent en mémoire : elles disparaissent à la fermeture du "
                                        "projet si elles ne sont pas enregistrées."))
        self.gpkg_radio = QRadioButton(tr("GeoPackage"), self)
        self.gpkg_radio.setToolTip(tr("Un fichier autodocumenté (styles, métadonnées, recette) que l'on peut "
                                      "mettre à jour plus tard"))
        self.postgis_radio = QRadioButton(tr("PostGIS"), self)
        self.postgis_radio.setToolTip(tr("Un schéma d'une base PostgreSQL/PostGIS, par une connexion enregistrée "
                                         "dans QGIS"))
        self.kind_group = QButtonGroup(self)
        for position, radio in enumerate((self.memory_radio, self.gpkg_radio, self.postgis_radio)):
            self.kind_group.addButton(radio, position)
        #: each kind of destination: its radio button, and what shows a destination of that kind in the panels
        self._editors = {Memory.KIND: (self.memory_radio, lambda _fields: None),
                         GeoPackage.KIND: (self.gpkg_radio, self._show_gpkg),
                         PostgisSchema.KIND: (self.postgis_radio, self._show_postgis)}

        layout.addWidget(self.memory_radio)

        layout.addWidget(self.gpkg_radio)
        self.gpkg_panel = QWidget(self)
        gpkg_layout = QHBoxLayout(self.gpkg_panel)
        gpkg_layout.setContentsMargins(20, 0, 0, 0)
        self.file_widget = QgsFileWidget(self.gpkg_panel)
        self.file_widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.file_widget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.file_widget.setConfirmOverwrite(False)  # an existing package is updated, not replaced
        self.file_widget.setDialogTitle(tr("GeoPackage de destination"))
        self.file_widget.lineEdit().setPlaceholderText(tr("Fichier .gpkg à créer ou à mettre à jour"))
        gpkg_layout.addWidget(self.file_widget)
        layout.addWidget(self.gpkg_panel)

        layout.addWidget(self.postgis_radio)
        self.postgis_panel = QWidget(self)
        postgis_layout = QFormLayout(self.postgis_panel)
        postgis_layout.setContentsMargins(20, 0, 0, 0)
        self.connection_combo = QgsProviderConnectionComboBox("postgres", self.postgis_panel)
        self.connection_combo.setToolTip(tr("Connexions PostgreSQL enregistrées dans QGIS (Explorateur > "
                                            "PostgreSQL > Nouvelle connexion)"))
        self.schema_edit = QLineEdit(self.postgis_panel)
        self.schema_edit.setPlaceholderText(DEFAULT_SCHEMA)
        self.schema_edit.setToolTip(tr("Schéma PostgreSQL où écrire les tables"))
        postgis_layout.addRow(tr("Connexion"), self.connection_combo)
        postgis_layout.addRow(tr("Schéma"), self.schema_edit)
        self.no_connection_label = QLabel(tr("Aucune connexion PostgreSQL enregistrée dans QGIS."), self.postgis_panel)
        self.no_connection_label.setWordWrap(True)
        postgis_layout.addRow(self.no_connection_label)
        layout.addWidget(self.postgis_panel)

        crs_row = QFormLayout()
        self.crs_widget = QgsProjectionSelectionWidget(self)
        self.crs_widget.setOptionVisible(QgsProjectionSelectionWidget.CrsOption.CrsNotSet, True)
        self.crs_widget.setNotSetText(tr("Projection légale du territoire"))
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem())
        self.crs_widget.setToolTip(tr("Vide : la projection légale du territoire (Lambert-93 en métropole, "
                                      "UTM en outre-mer)"))
        crs_row.addRow(tr("Projection"), self.crs_widget)
        layout.addLayout(crs_row)

        self.load_check = QCheckBox(tr("Charger le résultat dans le projet"), self)
        self.load_check.setChecked(True)
        self._load_choice = True
        layout.addWidget(self.load_check)

        self.memory_radio.setChecked(True)
        self._update_panels()

        self.kind_group.buttonToggled.connect(self._on_kind_toggled)
        self.file_widget.fileChanged.connect(self.changed.emit)
        self.connection_combo.connectionChanged.connect(self._on_connection_changed)
        self.schema_edit.textChanged.connect(self.changed.emit)
        self.crs_widget.crsChanged.connect(self.changed.emit)
        self.load_check.toggled.connect(self.changed.emit)

    # -- public API ------------------------------------------------------------------------------
    def kind(self) -> str:
        """The stored « kind » of the chosen destination (memory, gpkg or postgis)."""
        return self.destination().KIND

    def destination(self) -> Destination:
        """Memory(), GeoPackage(path) or PostgisSchema(connection, schema), as the panels show it."""
        if self.gpkg_radio.isChecked():
            return GeoPackage(self.gpkg_path())
        if self.postgis_radio.isChecked():
            return PostgisSchema(self.connection_combo.currentConnection() or "", self.schema_edit.text().strip())
        return Memory()

    def set_destination(self, destination: Destination | dict | None) -> None:
        """Show a destination (a Destination, or the dict it is stored as; unknown kinds give temporary layers)."""
        destination = destination_from_dict(destination, unknown=Memory)
        radio, show = self._editors[destination.KIND]
        show(destination.to_dict())
        radio.setChecked(True)

    def _show_gpkg(self, fields: dict) -> None:
        self.file_widget.setFilePath(str(fields.get("path") or ""))

    def _show_postgis(self, fields: dict) -> None:
        if fields.get("connection"):
            self.connection_combo.setConnection(str(fields["connection"]))
        self.schema_edit.setText(str(fields.get("schema") or ""))

    def gpkg_path(self) -> str:
        """The chosen GeoPackage, with the .gpkg extension added when the name has none."""
        text = (self.file_widget.filePath() or "").strip().strip('"')
        if text and not Path(text).suffix:
            text += ".gpkg"
        return text

    def crs(self) -> QgsCoordinateReferenceSystem | None:
        """The chosen CRS; None: the legal CRS of the territory."""
        crs = self.crs_widget.crs()
        return crs if crs.isValid() else None

    def set_crs(self, crs) -> None:
        """A QgsCoordinateReferenceSystem, an authid (« EPSG:2154 »), or None/"" for the legal CRS."""
        if isinstance(crs, QgsCoordinateReferenceSystem):
            value = crs
        else:
            value = QgsCoordinateReferenceSystem(str(crs)) if crs else QgsCoordinateReferenceSystem()
        self.crs_widget.setCrs(value)

    def load_results(self) -> bool:
        """Always True for temporary layers: not loaded, they would be lost at once."""
        return True if self.destination().must_load else self.load_check.isChecked()

    def set_load_results(self, load: bool) -> None:
        if self.destination().must_load:
            self._load_choice = bool(load)
        else:
            self.load_check.setChecked(bool(load))

    def validate(self) -> str | None:
        """A French message saying what is missing, or None when the destination can be used."""
        return self.destination().problem()

    def refresh_connections(self) -> None:
        """Re-read the saved PostgreSQL connections (the combo also follows new and removed ones)."""
        current = self.connection_combo.currentConnection()
        self.connection_combo.setProvider("postgres")
        if current:
            self.connection_combo.setConnection(current)
        self._update_panels()

    # -- internals -----------------------------------------------------------------------------
    @guarded(tr("le choix de la sortie"))
    def _on_kind_toggled(self, _button, checked: bool) -> None:
        if checked:
            self._update_panels()
            self.changed.emit()

    @guarded(tr("le choix de la connexion PostgreSQL"))
    def _on_connection_changed(self, _name: str) -> None:
        self._update_panels()
        self.changed.emit()

    def _update_panels(self) -> None:
        self.gpkg_panel.setVisible(self.gpkg_radio.isChecked())
        self.postgis_panel.setVisible(self.postgis_radio.isChecked())
        has_connections = self.connection_combo.count() > 0
        self.connection_combo.setEnabled(has_connections)
        self.no_connection_label.setVisible(not has_connections)
        always_loaded = self.destination().must_load
        was_always_loaded = not self.load_check.isEnabled()
        self.load_check.blockSignals(True)
        try:
            if always_loaded and not was_always_loaded:
                # temporary layers are always loaded: show it, and give the user's choice back later
                self._load_choice = self.load_check.isChecked()
                self.load_check.setChecked(True)
            elif not always_loaded and was_always_loaded:
                self.load_check.setChecked(self._load_choice)
        finally:
            self.load_check.blockSignals(False)
        self.load_check.setEnabled(not always_loaded)
        self.load_check.setToolTip(tr("Les couches temporaires sont toujours chargées dans le projet.")
                                   if always_loaded else "")
