"""Algorithm « Découper une couche sur un territoire » (donnees_territoires:clip_to_territory)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterVectorLayer,
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
        from ..extract.shape import Shape, shape_layer  # not at QGIS start-up
        from ..territory.contours import build_boundaries

        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        mode = CutMode(self.choice(parameters, self.MODE, context))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        steps = QgsProcessingMultiStepFeedback(2, feedback)
        selection = self.selection(parameters, context)
        boundaries = build_boundaries(selection.territories, selection.vintage, buffer_m=selection.buffer_m,
                                      dissolve=True, transform_context=context.transformContext(), feedback=steps)
        if steps.isCanceled():
            return {}
        for warning in boundaries.warnings:
            feedback.pushInfo(warning)
        boundary = shape_layer(Shape.of_boundaries(boundaries), self.tr("territoire"))
        steps.setCurrentStep(1)
        output, report = cut_layer(layer, boundary, mode, crs if crs.isValid() else boundaries.crs,
                                   parameters[self.OUTPUT], context, steps, name=layer.name())
        for note in report.notes:
            feedback.pushInfo(note)
        feedback.pushInfo(self.tr("{kept} entité(s) gardée(s) sur {read} retenue(s) par le filtre ({mode}).").format(
            kept=report.kept, read=report.read, mode=mode.value))
        return {self.OUTPUT: output}
