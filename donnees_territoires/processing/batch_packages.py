"""Algorithm « Produire un paquet par territoire » (donnees_territoires:batch_packages)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)

from ..territory import TerritoryReferenceError, UnknownVintageError
from ..territory.contour_sources import ContourError
from .base import BaseAlgorithm


class BatchPackages(BaseAlgorithm):
    ALGORITHM_ID = "batch_packages"
    DISPLAY_NAME = "Produire un paquet par territoire"
    GROUP_ID = "paquets"
    GROUP = "Paquets territoriaux"

    PARENT = "PARENT"
    LEVEL = "LEVEL"
    DATASETS = "DATASETS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    REPORT = "REPORT"

    def initAlgorithm(self, config=None):  # noqa: N802
        self._add(QgsProcessingParameterString(
            self.PARENT, self.tr("Territoire parent, par exemple departement:33 ou epci:243300316")))
        self._add(QgsProcessingParameterEnum(
            self.LEVEL, self.tr("Un paquet par"), [self.tr("commune"), self.tr("EPCI (ayant des communes dans le "
                                                                             "parent)")], defaultValue=0))
        self.add_vintage_parameter()
        self._add(QgsProcessingParameterString(
            self.DATASETS, self.tr("Jeux de données (identifiants du catalogue séparés par des virgules)")))
        self.add_buffer_parameter()
        self.add_crs_parameter()
        self._add(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Dossier des paquets")))
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT_FOLDER, self.tr("Dossier des paquets")))
        self.addOutput(QgsProcessingOutputHtml(self.REPORT, self.tr("Rapport (HTML)")))
        self.addOutput(QgsProcessingOutputFile("REPORT_CSV", self.tr("Rapport (CSV)")))
        self.addOutput(QgsProcessingOutputNumber("WRITTEN", self.tr("Paquets écrits")))
        self.addOutput(QgsProcessingOutputNumber("UNCHANGED", self.tr("Paquets déjà à jour")))
        self.addOutput(QgsProcessingOutputNumber("FAILED", self.tr("Paquets en échec")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..package import PackageError
        from ..package.batch import FAILED, LEVELS, UNCHANGED, WRITTEN, run_batch

        datasets = [d.strip() for d in self.parameterAsString(parameters, self.DATASETS, context).split(",")
                    if d.strip()]
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        if not folder:
            raise QgsProcessingException(self.tr("Indiquez un dossier pour les paquets."))
        try:
            result = run_batch(self.parameterAsString(parameters, self.PARENT, context),
                               LEVELS[self.parameterAsEnum(parameters, self.LEVEL, context)], datasets, folder,
                               context, feedback, vintage=self.parameterAsInt(parameters, self.VINTAGE, context),
                               buffer_m=self.parameterAsDouble(parameters, self.BUFFER, context),
                               crs=crs.authid() if crs.isValid() else "")
        except (ContourError, TerritoryReferenceError, UnknownVintageError, PackageError, ValueError) as error:
            raise QgsProcessingException(str(error)) from error
        failed = result.by_status(FAILED)
        feedback.pushInfo(self.tr("{written} paquet(s) écrit(s), {unchanged} déjà à jour, {failed} en échec ; "
                                  "rapport : {report}").format(
            written=len(result.by_status(WRITTEN)), unchanged=len(result.by_status(UNCHANGED)), failed=len(failed),
            report=result.report_html))
        if failed:
            feedback.pushWarning(self.tr("Paquets en échec : {names}.").format(
                names=", ".join(f"{o.name} ({o.code})" for o in failed)))
        return {self.OUTPUT_FOLDER: str(result.folder), self.REPORT: str(result.report_html),
                "REPORT_CSV": str(result.report_csv), "WRITTEN": len(result.by_status(WRITTEN)),
                "UNCHANGED": len(result.by_status(UNCHANGED)), "FAILED": len(failed)}
