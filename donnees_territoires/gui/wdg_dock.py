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

    def __init__(self, parent: QWidget | None = None, open_settings=None, canvas=None):
        super().__init__(__title__, parent)
        self._canvas = canvas
        self._zoom_task = None
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
        self.zoom_to(territory.reference)

    def zoom_to(self, reference: str) -> None:
        """Zoom the map to the territory; its contour is computed in a background task."""
        if self._canvas is None:
            return
        from qgis.core import QgsApplication, QgsProject, QgsTask

        from ..territory.contours import build_boundaries

        crs = self._canvas.mapSettings().destinationCrs()
        transform_context = QgsProject.instance().transformContext()  # read here, on the main thread

        def compute(_task):
            # a coarse contour is enough to frame the map
            return build_boundaries(reference, crs=crs if crs.isValid() else None, simplify_m=50,
                                    transform_context=transform_context)

        def done(error, result=None):
            self._zoom_task = None
            if error is not None or result is None or not result.boundaries:
                from ..toolbelt import log

                log.warning(tr("Impossible de cadrer la carte sur {reference} : {error}").format(
                    reference=reference, error=error))
                return
            extent = result.boundaries[0].geometry.boundingBox()
            for boundary in result.boundaries[1:]:
                extent.combineExtentWith(boundary.geometry.boundingBox())
            if not crs.isValid():
                self._canvas.setDestinationCrs(result.crs)
            extent.scale(1.05)
            self._canvas.setExtent(extent)
            self._canvas.refresh()

        self._zoom_task = QgsTask.fromFunction(tr("Cadrage sur {reference}").format(reference=reference),
                                               compute, on_finished=done)
        QgsApplication.taskManager().addTask(self._zoom_task)

    def _on_settings(self) -> None:
        if self._open_settings is not None:
            self._open_settings()
