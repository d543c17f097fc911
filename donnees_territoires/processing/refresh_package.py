"""Algorithm « Mettre à jour un paquet » (donnees_territoires:refresh_package)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from .. import compat
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class RefreshPackage(BaseAlgorithm):
    ALGORITHM_ID = "refresh_package"
    DISPLAY_NAME = "Mettre à jour un paquet"
    GROUP_ID = "paquets"
    GROUP = "Paquets territoriaux"

    TO_VINTAGE = "TO_VINTAGE"
    REPORT = "REPORT"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_package_parameters(self.tr("Paquet GeoPackage à mettre à jour"))
        self._add(QgsProcessingParameterNumber(
            self.TO_VINTAGE, self.tr("Millésime du COG visé (vide : le plus récent)"), compat.NUMBER_INTEGER,
            optional=True, minValue=2021, maxValue=2100))
        self.add_max_loss_parameter(optional=True)
        self._add(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Rapport des changements (Markdown ; vide : à côté du paquet)"),
            self.tr("Markdown (*.md)"), optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputString("OUTPUT", self.tr("Paquet")))
        for name, label in (("ADDED", self.tr("Entités ajoutées")), ("REMOVED", self.tr("Entités supprimées")),
                            ("MODIFIED", self.tr("Entités modifiées"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.add_failure_outputs()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..package.refresh import refresh_package

        destination = self.package_destination(
            parameters, context, without_schema=self.tr("Indiquez le schéma PostGIS du paquet à mettre à jour."),
            without_package=self.tr("Indiquez le paquet GeoPackage (ou la connexion PostGIS) à mettre à jour."))
        report = self.parameterAsFileOutput(parameters, self.REPORT, context) if parameters.get(self.REPORT) else ""
        to_vintage = self.parameterAsInt(parameters, self.TO_VINTAGE, context) \
            if parameters.get(self.TO_VINTAGE) not in (None, "") else None
        result = refresh_package(destination, context, feedback, to_vintage=to_vintage,
                                 report_path=Path(report) if report else None,
                                 max_loss_pct=self.max_loss(parameters, context))
        for warning in result.run.warnings:
            feedback.pushWarning(warning)
        self.report_failures(result.run.missing, feedback)
        for change in result.changes:
            feedback.pushInfo(self.tr("{title} : +{added} / -{removed} / ~{modified}").format(
                title=change.title, added=change.added, removed=change.removed, modified=change.modified))
        added, removed, modified = result.totals
        if result.report_path is not None:
            feedback.pushInfo(self.tr("Rapport des changements : {path}").format(path=result.report_path))
        return {"OUTPUT": destination.label,
                self.REPORT: str(result.report_path or ""), "ADDED": added, "REMOVED": removed,
                "MODIFIED": modified, **self.failure_results(result.run.missing)}
