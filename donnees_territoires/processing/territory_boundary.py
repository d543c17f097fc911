"""Algorithm « Contour d'un territoire » (donnees_territoires:territory_boundary)."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
)

from .. import compat
from ..territory.contours import build_boundaries
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm

FIELDS = (("type", "string", 20), ("code", "string", 254), ("nom", "string", 254), ("millesime", "int", 0),
          ("nb_communes", "int", 0), ("population", "int64", 0), ("source", "string", 254))


def boundary_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind, length in FIELDS:
        fields.append(compat.make_field(name, kind, length))
    return fields


class TerritoryBoundary(BaseAlgorithm):
    ALGORITHM_ID = "territory_boundary"
    DISPLAY_NAME = "Contour d'un territoire"
    GROUP_ID = "territoires"
    GROUP = "Territoires"

    DISSOLVE = "DISSOLVE"
    SIMPLIFY = "SIMPLIFY"
    OUTPUT = "OUTPUT"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_territory_parameter()
        self.add_vintage_parameter()
        self.add_buffer_parameter()
        self.addParameter(QgsProcessingParameterBoolean(
            self.DISSOLVE, self.tr("Réunir les territoires en un seul contour"), defaultValue=False))
        self.add_crs_parameter()
        simplify = QgsProcessingParameterNumber(
            self.SIMPLIFY, self.tr("Simplification pour l'affichage (tolérance en mètres, 0 : aucune)"),
            compat.NUMBER_DOUBLE, defaultValue=0.0, minValue=0.0)
        simplify.setFlags(simplify.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(simplify)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Contours")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        selection = self.selection(parameters, context)
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        result = build_boundaries(
            selection.territories, selection.vintage, buffer_m=selection.buffer_m,
            dissolve=self.parameterAsBool(parameters, self.DISSOLVE, context),
            crs=crs if crs.isValid() else None,
            simplify_m=self.parameterAsDouble(parameters, self.SIMPLIFY, context),
            transform_context=context.transformContext(), feedback=feedback)
        if feedback.isCanceled():
            return {}
        for warning in result.warnings:
            feedback.pushInfo(warning)
        if result.repaired or result.dropped:
            feedback.pushInfo(self.tr("Géométries de communes réparées : {repaired}, écartées (vides) : {dropped}.")
                              .format(repaired=result.repaired, dropped=result.dropped))

        fields = boundary_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                             compat.WKB_MULTIPOLYGON, result.crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for boundary in result.boundaries:
            feature = QgsFeature(fields)
            geometry = boundary.geometry
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([boundary.type, boundary.code, boundary.name, boundary.vintage,
                                   len(boundary.commune_codes), boundary.population, boundary.source])
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(self.writeFeatureError(sink, parameters, self.OUTPUT))
        feedback.pushInfo(self.tr("{count} contour(s) en {crs}.").format(count=len(result.boundaries),
                                                                         crs=result.crs.authid()))
        return {self.OUTPUT: dest_id}
