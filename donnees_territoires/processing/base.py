"""Base class of the plugin's algorithms: translation, icon, help read from resources/help."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingParameterCrs,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtGui import QIcon

from .. import compat
from ..__about__ import RESOURCES_DIR, __icon_path__, __uri_homepage__
from ..toolbelt.i18n import tr, user_locale


class BaseAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ALGORITHM_ID, DISPLAY_NAME (French), GROUP_ID and GROUP (French)."""

    ALGORITHM_ID = ""
    DISPLAY_NAME = ""
    GROUP_ID = ""
    GROUP = ""

    TERRITORY = "TERRITORY"
    VINTAGE = "VINTAGE"
    BUFFER = "BUFFER"
    CRS = "CRS"

    # -- the parameters every territory algorithm shares, declared once ----------------------------
    def _add(self, parameter) -> None:
        if not self.addParameter(parameter):  # only a programming error gets here: a name used twice
            raise ValueError(f"{self.ALGORITHM_ID}: parameter {parameter.name()} declared twice")

    def add_territory_parameter(self) -> None:
        self._add(QgsProcessingParameterString(
            self.TERRITORY, self.tr("Territoire(s), par exemple epci:243300316 ou commune:33063,commune:33281")))

    def add_vintage_parameter(self) -> None:
        from ..territory import available_vintages

        vintages = available_vintages()
        self._add(QgsProcessingParameterNumber(
            self.VINTAGE, self.tr("Millésime du COG"), compat.NUMBER_INTEGER, defaultValue=vintages[-1],
            minValue=vintages[0], maxValue=vintages[-1]))

    def add_buffer_parameter(self) -> None:
        self._add(QgsProcessingParameterNumber(
            self.BUFFER, self.tr("Zone tampon (mètres, dans la projection légale)"), compat.NUMBER_DOUBLE,
            defaultValue=0.0, minValue=0.0))

    def add_crs_parameter(self) -> None:
        self._add(QgsProcessingParameterCrs(
            self.CRS, self.tr("Système de coordonnées (vide : projection légale du territoire)"), optional=True))

    #: the parameters naming territories, checked before the run (the dialog says what is wrong at once)
    TERRITORY_PARAMETERS = ("TERRITORY", "PARENT")

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """Processing's checks, then: every territory named exists in the chosen COG (a French message if not)."""
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        for name in self.TERRITORY_PARAMETERS:
            if self.parameterDefinition(name) is None:
                continue
            message = self.territory_problem(self.parameterAsString(parameters, name, context), parameters, context)
            if message:
                return False, message
        return True, ""

    def territory_problem(self, text: str, parameters, context) -> str:
        """Why `text` does not name territories of the algorithm's COG vintage; "" when it does."""
        from ..territory import TerritoryIndex, TerritoryReferenceError, UnknownVintageError, parse_references

        vintage = None
        if self.parameterDefinition(self.VINTAGE) is not None and parameters.get(self.VINTAGE) not in (None, ""):
            vintage = self.parameterAsInt(parameters, self.VINTAGE, context)
        try:
            index = TerritoryIndex.load(vintage)
            for reference in parse_references(text):
                index.get(reference)
        except (TerritoryReferenceError, UnknownVintageError) as error:
            return str(error)
        return ""

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
