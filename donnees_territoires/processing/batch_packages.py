"""Algorithm « Produire un paquet par territoire » (donnees_territoires:batch_packages)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)

from .. import compat
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class BatchPackages(BaseAlgorithm):
    ALGORITHM_ID = "batch_packages"
    DISPLAY_NAME = "Produire un paquet par territoire"
    GROUP_ID = "paquets"
    GROUP = "Paquets territoriaux"

    PARENT = "PARENT"
    LEVEL = "LEVEL"
    DATASETS = "DATASETS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    POSTGIS_CONNECTION = "POSTGIS_CONNECTION"
    POSTGIS_LAYOUT = "POSTGIS_LAYOUT"
    POSTGIS_SCHEMA = "POSTGIS_SCHEMA"
    WORKERS = "WORKERS"
    REPORT = "REPORT"
    # the values of package.batch.LEVELS and LAYOUTS (not imported here: QGIS start-up stays fast)
    CHOICES = {LEVEL: ("commune", "epci"), POSTGIS_LAYOUT: ("schemas", "tables")}

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_territory_parameter(self.PARENT,
                                     self.tr("Territoire parent, par exemple departement:33 ou epci:243300316"))
        self.add_choice_parameter(
            self.LEVEL, self.tr("Un paquet par"),
            [self.tr("commune"), self.tr("EPCI (ayant des communes dans le parent)")], default="commune")
        self.add_vintage_parameter()
        self.add_datasets_parameter()
        self.add_buffer_parameter()
        self.add_crs_parameter()
        self._add(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Dossier des paquets (avec PostGIS : dossier du rapport)"), optional=True))
        connection = QgsProcessingParameterProviderConnection(
            self.POSTGIS_CONNECTION, self.tr("Ou connexion PostGIS (au lieu des GeoPackage)"), "postgres",
            optional=True)
        schema = QgsProcessingParameterString(
            self.POSTGIS_SCHEMA, self.tr("Schéma PostGIS : préfixe des schémas par territoire, ou schéma des tables "
                                         "(vide : commune_33063…, ou departement_33_communes)"), optional=True)
        workers = QgsProcessingParameterNumber(
            self.WORKERS, self.tr("Processus d'écriture en parallèle (0 : un par cœur du processeur, 4 au plus)"),
            compat.NUMBER_INTEGER, defaultValue=0, minValue=0, maxValue=64)
        connection.setFlags(connection.flags() | compat.PARAMETER_ADVANCED)
        self._add(connection)
        self.add_choice_parameter(
            self.POSTGIS_LAYOUT, self.tr("Organisation dans PostGIS"),
            [self.tr("un schéma par territoire"),
             self.tr("une table par jeu de données, avec une colonne code_territoire")], default="schemas",
            advanced=True)
        for parameter in (schema, workers):
            parameter.setFlags(parameter.flags() | compat.PARAMETER_ADVANCED)
            self._add(parameter)
        self.add_strict_parameter()
        self.add_max_loss_parameter()
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT_FOLDER, self.tr("Dossier des paquets")))
        self.addOutput(QgsProcessingOutputHtml(self.REPORT, self.tr("Rapport (HTML)")))
        self.addOutput(QgsProcessingOutputFile("REPORT_CSV", self.tr("Rapport (CSV)")))
        self.addOutput(QgsProcessingOutputNumber("WRITTEN", self.tr("Paquets écrits")))
        self.addOutput(QgsProcessingOutputNumber("UNCHANGED", self.tr("Paquets déjà à jour")))
        self.addOutput(QgsProcessingOutputNumber("FAILED", self.tr("Paquets en échec")))
        self.addOutput(QgsProcessingOutputNumber("WORKERS_USED", self.tr("Processus qui ont écrit les paquets")))
        self.addOutput(QgsProcessingOutputNumber("OBSOLETE", self.tr("Paquets obsolètes (territoire absent du COG)")))
        self.addOutput(QgsProcessingOutputNumber(
            "INCOMPLETE", self.tr("Paquets écrits ou à jour sans un ou plusieurs jeux de données en échec")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..package.batch import FAILED, OBSOLETE, UNCHANGED, WRITTEN, run_batch

        datasets = self.dataset_ids(parameters, context)
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        connection = self.parameterAsConnectionName(parameters, self.POSTGIS_CONNECTION, context)
        postgis = None
        if connection:  # without it nor a folder, run_batch says what to give
            postgis = {"connection": connection, "layout": self.choice(parameters, self.POSTGIS_LAYOUT, context),
                       "schema": self.parameterAsString(parameters, self.POSTGIS_SCHEMA, context).strip()}
        try:
            result = run_batch(self.parameterAsString(parameters, self.PARENT, context),
                               self.choice(parameters, self.LEVEL, context), datasets, folder,
                               context, feedback, vintage=self.parameterAsInt(parameters, self.VINTAGE, context),
                               buffer_m=self.parameterAsDouble(parameters, self.BUFFER, context),
                               crs=crs.authid() if crs.isValid() else "", postgis=postgis,
                               workers=self.parameterAsInt(parameters, self.WORKERS, context),
                               strict=self.parameterAsBool(parameters, self.STRICT, context),
                               max_loss_pct=self.max_loss(parameters, context))
        except ValueError as error:  # an unknown PostGIS layout (the plugin's own errors: base._said_in_french)
            raise QgsProcessingException(str(error)) from error
        failed = result.by_status(FAILED)
        feedback.pushInfo(self.tr("{written} paquet(s) écrit(s), {unchanged} déjà à jour, {failed} en échec "
                                  "({destination}) ; rapport : {report}").format(
            written=len(result.by_status(WRITTEN)), unchanged=len(result.by_status(UNCHANGED)), failed=len(failed),
            destination=result.destination, report=result.report_html))
        if failed:
            feedback.pushWarning(self.tr("Paquets en échec : {names}.").format(
                names=", ".join(f"{o.name} ({o.code})" for o in failed)))
        partial = [o for o in result.outcomes if o.partial]
        if partial:
            feedback.pushWarning(self.tr("Paquets en échec partiel, un ou plusieurs jeux de données en échec (leur "
                                         "table précédente gardée ; détail dans le rapport) : {names}.").format(
                names=", ".join(f"{o.name} ({o.code})" for o in partial)))
        for outcome in result.by_status(OBSOLETE):
            feedback.pushWarning(" ".join([outcome.label, *outcome.warnings]))
        return {self.OUTPUT_FOLDER: str(result.folder), self.REPORT: str(result.report_html),
                "REPORT_CSV": str(result.report_csv), "WRITTEN": len(result.by_status(WRITTEN)),
                "UNCHANGED": len(result.by_status(UNCHANGED)), "FAILED": len(failed), "WORKERS_USED": result.workers,
                "OBSOLETE": len(result.by_status(OBSOLETE)), "INCOMPLETE": len(partial)}
