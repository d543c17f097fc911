"""The « Données et territoires » dock panel (a shell until the territory picker and dataset tree land)."""

from __future__ import annotations

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..__about__ import __icon_path__, __title__, __version__
from ..toolbelt.i18n import tr

DOCK_OBJECT_NAME = "DonneesTerritoiresDock"


class TerritoryDock(QgsDockWidget):
    """Dock panel; heavy content is built on first show so that QGIS start-up stays fast."""

    def __init__(self, parent: QWidget | None = None, open_settings=None):
        super().__init__(__title__, parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.setWindowIcon(QIcon(str(__icon_path__)))
        self._open_settings = open_settings

        body = QWidget(self)
        layout = QVBoxLayout(body)
        header = QHBoxLayout()
        icon = QLabel(body)
        icon.setPixmap(QIcon(str(__icon_path__)).pixmap(32, 32))
        header.addWidget(icon)
        title = QLabel(f"<b>{__title__}</b> <small>{__version__}</small>", body)
        header.addWidget(title, 1)
        layout.addLayout(header)

        self.intro = QLabel(
            tr("Choisissez un territoire et des jeux de données de référence : ils seront "
               "téléchargés, découpés sur le territoire et chargés stylés dans le projet."),
            body,
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.territory_label = QLabel(tr("Aucun territoire choisi (Ctrl+K puis « ter » et un nom ou un code)."), body)
        self.territory_label.setObjectName("territoryLabel")
        self.territory_label.setWordWrap(True)
        layout.addWidget(self.territory_label)
        self.selected: list[str] = []

        self.settings_button = QPushButton(tr("Paramètres…"), body)
        self.settings_button.setToolTip(tr("Miroir, contours locaux, cache, mode hors ligne"))
        self.settings_button.clicked.connect(self._on_settings)
        layout.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(body)

    def select_territory(self, reference: str) -> None:
        """Make `reference` (e.g. « epci:243300316 ») the chosen territory and show the dock."""
        from ..territory import TerritoryIndex

        territory = TerritoryIndex.load().get(reference)
        self.selected = [territory.reference]
        self.territory_label.setText(tr("Territoire : {label} — {kind}, {reference}").format(
            label=territory.label, kind=territory.kind.label, reference=territory.reference))
        self.show()
        self.raise_()

    def _on_settings(self) -> None:
        if self._open_settings is not None:
            self._open_settings()
