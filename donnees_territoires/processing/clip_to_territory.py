"""Algorithm « Découper une couche sur un territoire » (donnees_territoires:clip_to_territory)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
)

from .. import compat
from ..extract.cut import SPATIAL_MODES, CutMode, cut_layer
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class ClipToTerritory(BaseAlgorithm):
    ALGORITHM_ID = "clip_to_territory"
    DISPLAY_NAME = "Découper une couche sur un territoire"
    GROUP_ID = "extraction"
    GROUP = "Extraction"

    INPUT = "INPUT"
    MODE = "MODE"
    CHOICES = {MODE: tuple(mode.value for mode in SPATIAL_MODES)}
    OUTPUT = "OUTPUT"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.INPUT, self.tr("Couche à découper (par exemple un fichier national)"),
            [compat.SOURCE_VECTOR_ANY_GEOMETRY]))
        self.add_territory_parameter()
        self.add_vintage_parameter()
        self.add_choice_parameter(
            self.MODE, self.tr("Mode de découpe"),
            [self.tr("intersection (entités entières qui touchent le territoire)"),
             self.tr("découpe (géométries coupées à la limite)"),
             self.tr("inclusion (entités entièrement dans le territoire)")],
            default=CutMode.INTERSECTS.value)
        self.add_buffer_parameter()
        self.add_crs_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Couche découpée")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from qgis import processing

        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        mode = CutMode(self.choice(parameters, self.MODE, context))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        steps = QgsProcessingMultiStepFeedback(2, feedback)

        boundary = processing.run("donnees_territoires:territory_boundary", {
            "TERRITORY": self.parameterAsString(parameters, self.TERRITORY, context),
            "VINTAGE": self.parameterAsInt(parameters, self.VINTAGE, context),
            "BUFFER": self.parameterAsDouble(parameters, self.BUFFER, context),
            "DISSOLVE": True, "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT,
        }, context=context, feedback=steps, is_child_algorithm=True)["OUTPUT"]
        if steps.isCanceled():
            return {}
        boundary_crs = QgsProcessingUtils.mapLayerFromString(boundary, context).crs()
        steps.setCurrentStep(1)
        output, report = cut_layer(layer, boundary, mode, crs if crs.isValid() else boundary_crs,
                                   parameters[self.OUTPUT], context, steps, name=layer.name())
        for note in report.notes:
            feedback.pushInfo(note)
        feedback.pushInfo(self.tr("{kept} entité(s) gardée(s) sur {read} retenue(s) par le filtre ({mode}).").format(
            kept=report.kept, read=report.read, mode=mode.value))
        return {self.OUTPUT: output}
