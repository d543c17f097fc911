"""The « Données et territoires » Processing provider (id donnees_territoires)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..__about__ import PLUGIN_ID, __icon_path__, __title__, __version__
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded


def algorithm_classes() -> list[type]:
    """Every algorithm of the provider; imported here, when Processing asks, not at start-up."""
    from .batch_packages import BatchPackages
    from .build_package import BuildPackage
    from .clip_to_territory import ClipToTerritory
    from .convert_cog_codes import ConvertCogCodes
    from .download_dataset import DownloadDataset
    from .publish_package import PublishPackage
    from .refresh_package import RefreshPackage
    from .territory_boundary import TerritoryBoundary

    return [ConvertCogCodes, TerritoryBoundary, ClipToTerritory, DownloadDataset, BuildPackage, RefreshPackage,
            BatchPackages, PublishPackage]


class Provider(QgsProcessingProvider):
    def id(self) -> str:
        return PLUGIN_ID

    def name(self) -> str:
        return __title__

    def longName(self) -> str:  # noqa: N802
        return f"{__title__} {__version__}"

    def icon(self) -> QIcon:
        return QIcon(str(__icon_path__))

    def svgIconPath(self) -> str:  # noqa: N802
        return str(__icon_path__)

    @guarded(tr("le chargement des algorithmes de Données et territoires"))
    def loadAlgorithms(self) -> None:  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
