"""Base class of the plugin's algorithms: translation, icon, help read from resources/help."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtGui import QIcon

from ..__about__ import RESOURCES_DIR, __icon_path__, __uri_homepage__
from ..toolbelt.i18n import tr, user_locale


class BaseAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ALGORITHM_ID, DISPLAY_NAME (French), GROUP_ID and GROUP (French)."""

    ALGORITHM_ID = ""
    DISPLAY_NAME = ""
    GROUP_ID = ""
    GROUP = ""

    def tr(self, text: str) -> str:
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def name(self) -> str:
        return self.ALGORITHM_ID

    def displayName(self) -> str:  # noqa: N802
        return self.tr(self.DISPLAY_NAME)

    def group(self) -> str:
        return self.tr(self.GROUP)

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP_ID

    def icon(self) -> QIcon:
        return QIcon(str(__icon_path__))

    def helpUrl(self) -> str:  # noqa: N802
        return f"{__uri_homepage__}#{self.ALGORITHM_ID}"

    def shortHelpString(self) -> str:  # noqa: N802
        """The help text from resources/help/<lang>/<algorithm>.md (French as a fallback)."""
        for language in (user_locale(), "fr"):
            path = RESOURCES_DIR / "help" / language / f"{self.ALGORITHM_ID}.md"
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return ""
