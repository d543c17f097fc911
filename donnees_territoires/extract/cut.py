"""CUT: a layer cut to a territory with Processing child algorithms — filter, repair, clip, reproject.

The spatial filter is native:extractbylocation: it asks the provider for the features in the
territory's bounding box (the provider's spatial index does the prefilter) and tests each one
against the prepared territory geometry. Only the kept features are repaired, clipped and
reprojected, so the cost follows the territory, not the national file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from .. import compat
from ..toolbelt.i18n import tr


class CutMode(str, Enum):
    """How a dataset is cut to a territory."""

    INTERSECTS = "intersects"  # keep whole features touching the territory
    CLIP = "clip"  # cut geometries at the boundary
    WITHIN = "within"  # keep features entirely inside
    ATTRIBUTE = "attribute"  # keep features whose INSEE code field is one of the territory's communes
    WHOLE = "none"  # a per-commune file: the territory's whole


#: the spatial modes offered by clip_to_territory, in the order of its MODE enum
SPATIAL_MODES = (CutMode.INTERSECTS, CutMode.CLIP, CutMode.WITHIN)
#: native:extractbylocation predicates
_PREDICATES = {CutMode.INTERSECTS: 0, CutMode.CLIP: 0, CutMode.WITHIN: 6}


@dataclass
class CutReport:
    """What the cut did, for the log and the package manifest."""

    mode: CutMode
    read: int = 0  # features kept by the filter (before repair and clip)
    kept: int = 0  # features written
    repaired: int = 0  # invalid geometries made valid
    dropped: int = 0  # features lost because their geometry could not be repaired or clipped away
    unprojectable: int = 0  # features lost because their geometry could not be reprojected
    impossible: int = 0  # features left out: coordinates that are not numbers (NaN, infinite, absurd)
    too_complex: int = 0  # features left out: more vertices than split.MAX_VERTICES
    without_geometry: int = 0  # features of a spatial layer kept without geometry (no coordinates, or unprojectable)
    notes: list[str] = field(default_factory=list)

    def add_notes(self, name: str) -> CutReport:
        """What the log and the package say about it: an empty result, repairs, features left out."""
        if self.kept == 0:
            self.notes.append(tr("Aucune entité de « {name} » sur le territoire : la couche produite est vide.")
                              .format(name=name))
        if self.repaired:
            self.notes.append(tr("{repaired} géométrie(s) invalide(s) réparée(s), {dropped} entité(s) écartée(s).")
                              .format(repaired=self.repaired, dropped=self.dropped))
        if self.impossible:
            self.notes.append(tr("« {dataset} » : {count} entité(s) écartée(s), coordonnées impossibles (NaN, infini "
                                 "ou hors de toute projection).").format(dataset=name, count=self.impossible))
        if self.too_complex:
            self.notes.append(tr("« {dataset} » : {count} entité(s) écartée(s), géométrie de plus de {limit} "
                                 "sommets.").format(dataset=name, count=self.too_complex, limit="1 000 000"))
        if self.without_geometry:
            self.notes.append(tr("« {dataset} » : {count} entité(s) sans géométrie (coordonnées absentes, illisibles "
                                 "ou impossibles à reprojeter).").format(dataset=name, count=self.without_geometry))
        if self.unprojectable:
            self.notes.append(tr("« {dataset} » : {count} entité(s) écartée(s), géométrie non reprojetable.").format(
                dataset=name, count=self.unprojectable))
        return self


def no_geometry_message(name: str) -> str:
    """A dataset cut by location that has no geometry."""
    return tr("« {name} » n'a pas de géométrie : découpez-la par code INSEE (filtre attributaire) plutôt que par "
              "emplacement.").format(name=name)


def no_code_field_message(name: str, field_name: str | None, names: list[str]) -> str:
    """A dataset cut by INSEE code whose file lacks the code field."""
    return tr("« {name} » n'a pas de champ « {field} » pour le filtre par code INSEE : champs présents : "
              "{fields}.").format(name=name, field=field_name, fields=", ".join(names[:20]))


def run_child(algorithm: str, parameters: dict, context: QgsProcessingContext, feedback) -> dict:
    """A Processing algorithm run as a child of the running one."""
    from qgis import processing

    return processing.run(algorithm, parameters, context=context, feedback=feedback, is_child_algorithm=True)


def _layer(value, context: QgsProcessingContext) -> QgsVectorLayer:
    layer = value if isinstance(value, QgsVectorLayer) else QgsProcessingUtils.mapLayerFromString(value, context)
    if layer is None:
        raise QgsProcessingException(tr("Couche intermédiaire introuvable : {value}.").format(value=value))
    return layer


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def code_filter_expression(field_name: str, codes) -> str:
    """`"code_insee" IN ('33063','33281')`: the attribute cut, evaluated by the provider when it can."""
    quoted = ",".join(_quote(code) for code in sorted(set(codes)))
    return f'"{field_name.replace(chr(34), chr(34) * 2)}" IN ({quoted})'


def _count_invalid(layer: QgsVectorLayer) -> int:
    invalid = 0
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if not geometry.isNull() and not geometry.isGeosValid():
            invalid += 1
    return invalid


def cut_layer(source, boundary, mode: CutMode, target_crs: QgsCoordinateReferenceSystem | None, output,
              context: QgsProcessingContext, feedback: QgsProcessingFeedback | None = None, *,
              code_field: str | None = None, codes=None, name: str = "") -> tuple[str, CutReport]:
    """Cut `source` (a layer or a layer string) to `boundary` (a polygon layer) and write `output`.

    Steps, each a child algorithm with its share of the progress: filter (by location, or by
    INSEE code in ATTRIBUTE mode), repair invalid geometries of what was kept, clip (CLIP mode),
    reproject to `target_crs` into `output`. An empty result is a valid empty layer with a note.
    """
    feedback = feedback or QgsProcessingFeedback()
    name = name or str(getattr(source, "name", lambda: source)())
    source_layer = _layer(source, context)
    report = CutReport(mode)
    if mode is not CutMode.ATTRIBUTE and not source_layer.isSpatial():
        raise QgsProcessingException(no_geometry_message(name))
    steps = QgsProcessingMultiStepFeedback(4, feedback)
    # invalid input geometries are repaired below, once filtered, and counted: Processing must not
    # stop on them (its default) nor silently skip them
    previous_check = context.invalidGeometryCheck()
    context.setInvalidGeometryCheck(compat.INVALID_GEOMETRY_NO_CHECK)
    try:
        return _cut(source, source_layer, boundary, mode, target_crs, output, context, steps, report, name,
                    code_field, codes)
    finally:
        context.setInvalidGeometryCheck(previous_check)


def _cut(source, source_layer, boundary, mode, target_crs, output, context, steps, report, name, code_field,
         codes) -> tuple[str, CutReport]:
    target = target_crs if target_crs is not None and target_crs.isValid() else source_layer.crs()
    # a point is never invalid and is never cut: with no reprojection either (or no geometry at all),
    # the filter writes the output itself, with no intermediate copy
    direct = mode is not CutMode.CLIP and (not source_layer.isSpatial() or (
        source_layer.geometryType() == compat.GEOMETRY_POINT and target == source_layer.crs()))
    first = output if direct else QgsProcessing.TEMPORARY_OUTPUT

    if mode is not CutMode.ATTRIBUTE:
        kept = run_child("native:extractbylocation", {"INPUT": source, "PREDICATE": [_PREDICATES[mode]],
                                                 "INTERSECT": boundary, "OUTPUT": first}, context, steps)["OUTPUT"]
    else:
        if not code_field or codes is None:
            raise QgsProcessingException(tr("Filtre attributaire de « {name} » sans champ de code INSEE : "
                                            "précisez le champ dans le catalogue.").format(name=name))
        if source_layer.fields().lookupField(code_field) < 0:
            raise QgsProcessingException(no_code_field_message(name, code_field, source_layer.fields().names()))
        kept = run_child("native:extractbyexpression", {"INPUT": source, "EXPRESSION": code_filter_expression(
            code_field, codes), "OUTPUT": first}, context, steps)["OUTPUT"]
    if steps.isCanceled():
        return "", report
    kept_layer = _layer(kept, context)
    report.read = kept_layer.featureCount()
    if direct:
        report.kept = report.read
        return kept, report.add_notes(name)

    steps.setCurrentStep(1)
    if kept_layer.isSpatial() and report.read and kept_layer.geometryType() != compat.GEOMETRY_POINT:
        report.repaired = _count_invalid(kept_layer)
        if report.repaired:
            kept = run_child("native:fixgeometries", {"INPUT": kept, "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT}, context,
                        steps)["OUTPUT"]
            fixed = _layer(kept, context).featureCount()
            report.dropped += report.read - fixed

    steps.setCurrentStep(2)
    if mode is CutMode.CLIP and report.read:
        before = _layer(kept, context).featureCount()
        kept = run_child("native:clip", {"INPUT": kept, "OVERLAY": boundary,
                                    "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT}, context, steps)["OUTPUT"]
        report.dropped += before - _layer(kept, context).featureCount()

    steps.setCurrentStep(3)
    result = run_child("native:reprojectlayer", {"INPUT": kept, "TARGET_CRS": target, "OUTPUT": output}, context,
                  steps)["OUTPUT"]
    report.kept = _layer(result, context).featureCount() if report.read else 0
    return result, report.add_notes(name)
