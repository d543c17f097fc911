"""Base class of the plugin's algorithms: translation, icon, help read from resources/help."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtGui import QIcon

from .. import compat
from ..__about__ import RESOURCES_DIR, __icon_path__, __uri_homepage__
from ..toolbelt import slots
from ..toolbelt.i18n import tr, user_locale
from ..toolbelt.slots import guarded
from ..toolbelt.text import comma_list, elided

#: where the dialogs' widget wrappers are (imported by Processing's dialogs only: they need processing.gui)
WRAPPERS = f"{__package__}.wrappers"

#: a failure line's length at most: the whole message is in the log
FAILURE_LINE = 160


def failure_line(dataset_id: str, message: str) -> str:
    """« dvf-mutations : 5 fichiers absents… »: a dataset's failure in one line of at most FAILURE_LINE
    characters (its message names it by title and id: the id is enough here)."""
    line = (message.strip().splitlines() or [""])[0]
    named = f"({dataset_id}) : "
    if named in line:
        line = line.split(named, 1)[1]
    # a URL said by its file (« …/adresses-33.csv.gz »): whole, it would fill the line; it is in the log
    line = _URL.sub(_by_its_file, line)
    return elided(f"{dataset_id} : {line}", FAILURE_LINE)


#: an http(s) URL or an absolute file path in a sentence (the punctuation after it is not part of it)
_URL = re.compile(r"(?:https?://|(?<![\w/.])/(?=[^\s/]+/)|\b[A-Za-z]:\\)[^\s]+?(?=[.,;:)»]*(?:\s|$))")


def _by_its_file(found) -> str:
    text = found.group(0)
    path = (urlsplit(text).path if "://" in text else text).replace("\\", "/").rstrip("/")
    return "…/" + path.rsplit("/", 1)[-1] if path else text


#: what failed when an algorithm's initAlgorithm raised (guarded: QGIS calls it from C++ without an
#: error handler, in the provider's loadAlgorithms and in create())
DECLARING = tr("la déclaration des paramètres d'un algorithme")
READING_HELP = tr("la lecture de l'aide d'un algorithme")  # the dialog asks for it from C++


def _said_errors() -> tuple:
    """The plugin's exceptions whose message is a sentence meant for the user."""
    from ..fetch.errors import FetchError
    from ..package.model import PackageError
    from ..territory.contour_sources import ContourError
    from ..territory.index import UnknownVintageError
    from ..territory.legal_crs import MixedCrsZonesError
    from ..territory.model import TerritoryReferenceError

    return FetchError, PackageError, ContourError, UnknownVintageError, MixedCrsZonesError, TerritoryReferenceError


def _said_in_french(process):
    """processAlgorithm, whose unexpected exceptions (a bug) end as one French sentence, the traceback in the
    log: QGIS would otherwise show the traceback itself as the algorithm's error."""
    @functools.wraps(process)
    def wrapper(self, parameters, context, feedback):
        try:
            return process(self, parameters, context, feedback)
        except QgsProcessingException:
            raise
        except _said_errors() as error:  # the plugin's own errors: their message is the French sentence
            raise QgsProcessingException(str(error)) from error
        except Exception as error:  # noqa: BLE001 - a bug: said in one sentence, the traceback in the log
            raise QgsProcessingException(slots.report_exception(slots.unexpected(
                tr("« {algorithm} »").format(algorithm=self.displayName())), show=False)) from error
    return wrapper


class BaseAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ALGORITHM_ID, DISPLAY_NAME (French), GROUP_ID and GROUP (French).

    A subclass's processAlgorithm is wrapped (_said_in_french): whatever it raises reaches the user as a
    French sentence, never as a Python traceback.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "processAlgorithm" in cls.__dict__:
            cls.processAlgorithm = _said_in_french(cls.__dict__["processAlgorithm"])

    ALGORITHM_ID = ""
    DISPLAY_NAME = ""
    GROUP_ID = ""
    GROUP = ""

    TERRITORY = "TERRITORY"
    VINTAGE = "VINTAGE"
    BUFFER = "BUFFER"
    CRS = "CRS"
    STRICT = "STRICT"
    DATASETS = "DATASETS"

    # -- the parameters every territory algorithm shares, declared once ----------------------------
    def _add(self, parameter) -> None:
        if not self.addParameter(parameter):  # only a programming error gets here: a name used twice
            raise ValueError(f"{self.ALGORITHM_ID}: parameter {parameter.name()} declared twice")

    def add_territory_parameter(self, name: str = "", description: str = "") -> None:
        """TERRITORY (or `name`): references as text; the dialog shows a territory search that fills it."""
        parameter = QgsProcessingParameterString(
            name or self.TERRITORY,
            description or self.tr("Territoire(s), par exemple epci:243300316 ou commune:33063,commune:33281"))
        parameter.setMetadata({"widget_wrapper": {"class": f"{WRAPPERS}.TerritoryWrapper"}})
        self._add(parameter)

    def dataset_ids(self, parameters, context) -> list[str]:
        """The ids given to DATASETS, in order."""
        return comma_list(self.parameterAsString(parameters, self.DATASETS, context))

    def add_datasets_parameter(self) -> None:
        """DATASETS: catalog ids separated by commas; the dialog shows the catalog tree to tick."""
        parameter = QgsProcessingParameterString(
            self.DATASETS, self.tr("Jeux de données (identifiants du catalogue séparés par des virgules)"))
        parameter.setMetadata({"widget_wrapper": {"class": f"{WRAPPERS}.DatasetsWrapper"}})
        self._add(parameter)

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

    def add_strict_parameter(self) -> None:
        """STRICT (advanced, off by default): a dataset that fails fails the package instead of being left out."""
        parameter = QgsProcessingParameterBoolean(
            self.STRICT, self.tr("Tout ou rien : un jeu de données en échec fait échouer le paquet (sinon il est "
                                 "laissé de côté, ou garde sa couche précédente)"), defaultValue=False)
        parameter.setFlags(parameter.flags() | compat.PARAMETER_ADVANCED)
        self._add(parameter)

    PACKAGE = "PACKAGE"
    POSTGIS_CONNECTION = "POSTGIS_CONNECTION"
    POSTGIS_SCHEMA = "POSTGIS_SCHEMA"

    def add_package_parameters(self, label: str) -> None:
        """PACKAGE (a GeoPackage, `label`), or POSTGIS_CONNECTION and POSTGIS_SCHEMA (advanced): a package to work
        on; read with package_destination."""
        self._add(QgsProcessingParameterFile(self.PACKAGE, label, extension="gpkg", optional=True))
        connection = QgsProcessingParameterProviderConnection(
            self.POSTGIS_CONNECTION, self.tr("Ou connexion PostGIS du paquet"), "postgres", optional=True)
        connection.setFlags(connection.flags() | compat.PARAMETER_ADVANCED)
        self._add(connection)
        schema = QgsProcessingParameterString(self.POSTGIS_SCHEMA, self.tr("Schéma PostGIS du paquet"),
                                              optional=True)
        schema.setFlags(schema.flags() | compat.PARAMETER_ADVANCED)
        self._add(schema)

    def package_destination(self, parameters, context, *, without_schema: str, without_package: str):
        """The package PACKAGE names, or POSTGIS_CONNECTION and POSTGIS_SCHEMA (the connection first); the French
        `without_schema` or `without_package` as QgsProcessingException when they name none."""
        from ..package import destination_from_parameters

        connection = self.parameterAsConnectionName(parameters, self.POSTGIS_CONNECTION, context)
        schema = self.parameterAsString(parameters, self.POSTGIS_SCHEMA, context).strip()
        if connection and not schema:
            raise QgsProcessingException(without_schema)
        destination = destination_from_parameters(
            connection=connection, schema=schema,
            path="" if connection else self.parameterAsFile(parameters, self.PACKAGE, context))
        if destination is None:
            raise QgsProcessingException(without_package)
        return destination

    MAX_LOSS = "MAX_LOSS"

    def add_max_loss_parameter(self, optional: bool = False) -> None:
        """MAX_LOSS (advanced): the share of a dataset's features that may disappear since the package there
        before the source is held as failed (its previous table kept). `optional`: empty = the recipe's."""
        from ..package.recipe import DEFAULT_MAX_LOSS

        parameter = QgsProcessingParameterNumber(
            self.MAX_LOSS, self.tr("Perte admise d'un jeu de données par rapport au paquet précédent (%) : au-delà, "
                                   "sa table précédente est gardée (100 : aucun contrôle)"), compat.NUMBER_INTEGER,
            defaultValue=None if optional else DEFAULT_MAX_LOSS, minValue=0, maxValue=100, optional=optional)
        parameter.setFlags(parameter.flags() | compat.PARAMETER_ADVANCED)
        self._add(parameter)

    def max_loss(self, parameters, context) -> int | None:
        """MAX_LOSS as given; None when left empty."""
        if parameters.get(self.MAX_LOSS) in (None, ""):
            return None
        return self.parameterAsInt(parameters, self.MAX_LOSS, context)

    # -- datasets that failed while the others were written -----------------------------------------
    def add_failure_outputs(self) -> None:
        outputs = (QgsProcessingOutputString("FAILED_DATASETS", self.tr(
                       "Jeux de données en échec, laissés de côté ou gardés tels quels (identifiants séparés par "
                       "des virgules)")),
                   QgsProcessingOutputString("FAILURES", self.tr(
                       "Une ligne par jeu de données en échec : ce qui a échoué")))
        for output in outputs:
            if not self.addOutput(output):  # only a programming error gets here: a name used twice
                raise ValueError(f"{self.ALGORITHM_ID}: output {output.name()} declared twice")

    def report_failures(self, missing: dict, feedback) -> None:
        """Each failed dataset's whole message in the log of the run."""
        for message in missing.values():
            feedback.reportError(message)

    @staticmethod
    def failure_results(missing: dict) -> dict:
        """FAILED_DATASETS and FAILURES of a run whose `missing` datasets failed ({id: message})."""
        return {"FAILED_DATASETS": ",".join(missing),
                "FAILURES": "\n".join(failure_line(dataset_id, message) for dataset_id, message in missing.items())}

    def add_crs_parameter(self) -> None:
        self._add(QgsProcessingParameterCrs(
            self.CRS, self.tr("Système de coordonnées (vide : projection légale du territoire)"), optional=True))

    # -- choices: a French label in the dialog, a stable English name everywhere else ---------------
    #
    # QgsProcessingParameterEnum with static strings shows the strings themselves in the dialog, so
    # the labels could not be French with an English translation. The enum keeps translated labels
    # (the dialog and saved models hold an index); `MODE=intersects` is taken as well, in qgis_process,
    # processing.run() and hand-written models, and indexes keep working.

    #: the stable names of each choice parameter, in the order of its labels
    CHOICES: dict[str, tuple[str, ...]] = {}

    def add_choice_parameter(self, name: str, description: str, labels: list[str], default: str,
                             advanced: bool = False) -> None:
        """An enum of CHOICES[name], shown with the French `labels`; read it with `choice()`."""
        names = self.CHOICES[name]
        if len(labels) != len(names):  # only a programming error gets here
            raise ValueError(f"{self.ALGORITHM_ID}: {name} has {len(names)} names and {len(labels)} labels")
        parameter = QgsProcessingParameterEnum(name, description, labels, defaultValue=names.index(default))
        if advanced:
            parameter.setFlags(parameter.flags() | compat.PARAMETER_ADVANCED)
        # the names are told in the parameter's tooltip, for qgis_process and the Python console
        parameter.setHelp(self.tr("Valeurs : {names} (ou leur rang, à partir de 0)").format(names=", ".join(names)))
        self._add(parameter)

    def choice(self, parameters: dict, name: str, context) -> str:
        """The stable name chosen for the choice parameter `name`, given as a name or as an index."""
        names = self.CHOICES[name]
        value = parameters.get(name)
        if isinstance(value, str) and value.strip().lower() in names:
            return value.strip().lower()
        return names[self.parameterAsEnum(parameters, name, context)]

    def _choice_problem(self, parameters: dict) -> str:
        """Why a choice given by name is not one of its names; "" when every choice is fine."""
        for name, names in self.CHOICES.items():
            value = parameters.get(name)
            if isinstance(value, str) and value.strip() and not value.strip().isdigit() \
                    and value.strip().lower() not in names:
                definition = self.parameterDefinition(name)
                return self.tr("« {value} » n'est pas une valeur possible de « {parameter} » : choisissez parmi "
                               "{names} (ou leur rang, à partir de 0).").format(
                                   value=value, parameter=definition.description() if definition else name,
                                   names=", ".join(names))
        return ""

    def _value_problem(self, parameters: dict) -> str:
        """Said in French, with what is allowed, before QGIS's generic « Incorrect parameter value »: a required
        text left empty, a number out of its range, a CRS that does not exist; "" when all is fine."""
        for definition in self.parameterDefinitions():
            name, label = definition.name(), definition.description()
            value = parameters.get(name)
            if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip()):
                problem = self._one_value_problem(definition, name, label, value)
                if problem:
                    return problem
            elif value in (None, "") and not definition.flags() & compat.PARAMETER_OPTIONAL \
                    and definition.defaultValue() in (None, "") \
                    and isinstance(definition, QgsProcessingParameterString):
                return self.tr("« {label} » ({name}) est à remplir.").format(label=label, name=name)
        return ""

    def _one_value_problem(self, definition, name: str, label: str, value) -> str:
        if isinstance(definition, QgsProcessingParameterNumber):
            try:
                number = float(value)
            except ValueError:
                return self.tr("« {label} » ({name}) attend un nombre, pas « {value} ».").format(
                    label=label, name=name, value=value)
            low, high = definition.minimum(), definition.maximum()
            if number < low or number > high:
                allowed = self.tr("entre {low:g} et {high:g}").format(low=low, high=high) if high < 1e12 else \
                    self.tr("supérieure ou égale à {low:g}").format(low=low)
                return self.tr("« {label} » ({name}) vaut {value} : choisissez une valeur {allowed}.").format(
                    label=label, name=name, value=value, allowed=allowed)
        elif isinstance(definition, QgsProcessingParameterCrs) and isinstance(value, str) \
                and not QgsCoordinateReferenceSystem(value.strip()).isValid():
            return self.tr("Projection « {value} » inconnue ({name}) : donnez un code qui existe, par exemple "
                           "EPSG:2154 (Lambert-93), ou laissez vide pour la projection légale du territoire.").format(
                value=value, name=name)
        return ""

    def _with_choice_indexes(self, parameters: dict) -> dict:
        """`parameters` with every choice given by name replaced by its index, for Processing's own checks."""
        converted = dict(parameters)
        for name, names in self.CHOICES.items():
            value = converted.get(name)
            if isinstance(value, str) and value.strip().lower() in names:
                converted[name] = names.index(value.strip().lower())
        return converted

    #: the parameters naming territories, checked before the run (the dialog says what is wrong at once)
    TERRITORY_PARAMETERS = ("TERRITORY", "PARENT")

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """Processing's checks, then: every territory named exists in the chosen COG (a French message if not).

        Never raises: C++ calls it (qgis_process, the modeler) and QGIS puts no error handler around
        it; an unexpected exception (an unreadable territory index…) is logged with its traceback and
        refuses the run with one French sentence.
        """
        try:
            return self._check_parameter_values(parameters, context)
        except Exception:  # noqa: BLE001 - a virtual called by C++: nothing may escape to Qt
            return False, slots.report_exception(slots.unexpected(tr("la vérification des paramètres")),
                                                 show=False)

    def _check_parameter_values(self, parameters, context) -> tuple[bool, str]:
        problem = self._choice_problem(parameters) or self._value_problem(parameters)
        if problem:
            return False, problem
        ok, message = super().checkParameterValues(self._with_choice_indexes(parameters), context)
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
        from ..territory import Selection, TerritoryReferenceError, UnknownVintageError

        try:
            Selection.parse(text, self._vintage(parameters, context))
        except (TerritoryReferenceError, UnknownVintageError) as error:
            return str(error)
        return ""

    def selection(self, parameters, context, name: str = "TERRITORY", mask: dict | None = None):
        """The territories parameter `name` names, read once here (territory.Selection), with the COG vintage
        and the buffer of the parameters; QgsProcessingException (French) when they are not of that COG."""
        from ..territory import Selection, TerritoryReferenceError, UnknownVintageError

        buffer_m = self.parameterAsDouble(parameters, self.BUFFER, context) \
            if self.parameterDefinition(self.BUFFER) is not None else 0.0
        try:
            return Selection.parse(self.parameterAsString(parameters, name, context),
                                   self._vintage(parameters, context), buffer_m=buffer_m, mask=mask)
        except (TerritoryReferenceError, UnknownVintageError) as error:
            raise QgsProcessingException(str(error)) from error

    def _vintage(self, parameters, context) -> int | None:
        if self.parameterDefinition(self.VINTAGE) is not None and parameters.get(self.VINTAGE) not in (None, ""):
            return self.parameterAsInt(parameters, self.VINTAGE, context)
        return None

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

    @guarded(READING_HELP, default="")
    def shortHelpString(self) -> str:  # noqa: N802
        """The help from resources/help/<lang>/<algorithm>.md (French as a fallback), as HTML."""
        from .help import help_html

        for language in (user_locale(), "fr"):
            path = RESOURCES_DIR / "help" / language / f"{self.ALGORITHM_ID}.md"
            if path.is_file():
                return help_html(path.read_text(encoding="utf-8"))
        return ""
