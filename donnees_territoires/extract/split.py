"""The one cut: a downloaded file read once and its features given to every territory that asked for it.

One territory (build_package, download_dataset, a refresh) or many (batch_packages) go through the
same read. Per dataset rule:
- « attribute »: the provider keeps the features whose INSEE code field holds one of the codes asked
  for, and each goes to the territories of its code;
- « intersects », « within », « clip »: the features in the territories' extent are tested against a
  spatial index of their contours, then against each candidate's prepared polygon (GEOS, as
  native:extractbylocation does); a clip keeps the whole feature when the polygon contains it and
  the intersection otherwise, parts of the feature's own dimension only (as native:clip does);
- « none »: a per-commune file belongs to its territory whole.
Repairs follow clip_to_territory: a kept geometry that is invalid is made valid (parts of its own
type, as native:fixgeometries does; one that cannot be is dropped), counted in the territory's
CutReport. Every kept feature is reprojected to its territory's target CRS (one that cannot be is
dropped, and counted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
    QgsSpatialIndex,
    QgsWkbTypes,
)

from .. import compat
from ..toolbelt.i18n import tr
from .cut import CutMode, CutReport, code_filter_expression, no_code_field_message, no_geometry_message
from .split_table import MemoryTable

#: features read between two looks at the cancel button
CANCEL_EVERY = 1000
#: a geometry with more vertices than this is left out, and counted (GEOS and the writers choke on it)
MAX_VERTICES = 1_000_000
#: no coordinate of any CRS is this large: beyond it (as NaN and ±inf) a coordinate is taken for a broken one
MAX_COORDINATE = 1e12


@dataclass
class Share:
    """One territory's share of a dataset: its key in the split table, where its features go, what the cut did."""

    key: str  # what the table's territory column holds for it
    name: str  # the territory, for messages
    target: QgsCoordinateReferenceSystem
    table: object = None  # split_table.SplitTable
    shape: object = None  # shape.Shape: the polygon of the spatial rules
    codes: tuple[str, ...] = ()  # the INSEE codes of the attribute rule
    report: CutReport = field(default_factory=lambda: CutReport(CutMode.INTERSECTS))


def split_layer(layer, dataset_id: str, rule: str, shares: list[Share], transform_context, *,
                code_field: str | None = None, feedback=None) -> None:
    """Read `layer` once and give each of its features to the shares it belongs to, by the dataset's `rule`."""
    if rule == "attribute":
        _by_code(layer, dataset_id, shares, transform_context, code_field, feedback)
    elif rule == "none":
        _whole(layer, shares, transform_context, feedback)
    else:
        _by_location(layer, dataset_id, CutMode(rule), shares, transform_context, feedback)


class _Output:
    """Where one share's features go: its table, the positions of the table's fields, its reprojection."""

    def __init__(self, share: Share, layer, transform_context):
        self.share, self.table = share, share.table
        self.positions = share.table.positions(layer)
        self.spatial = layer.isSpatial()
        self.transform = None
        if layer.isSpatial() and share.target.isValid() and share.target != layer.crs():
            self.transform = QgsCoordinateTransform(layer.crs(), share.target, transform_context)

    def add(self, feature: QgsFeature, geometry: QgsGeometry | None) -> None:
        report = self.share.report
        if self.spatial and (geometry is None or geometry.isNull()):
            report.without_geometry += 1
        if geometry is not None and self.transform is not None and not geometry.isNull():
            geometry = QgsGeometry(geometry)
            try:
                failed = geometry.transform(self.transform) != 0
            except QgsCsException:
                failed = True
            if failed:
                report.unprojectable += 1
                return
        self.table.add(self.table.values(feature, self.positions), geometry, self.share.key)
        report.kept += 1


def _canceled(feedback, number: int) -> bool:
    return feedback is not None and number % CANCEL_EVERY == 0 and feedback.isCanceled()


def _whole(layer, shares, transform_context, feedback) -> None:
    repairable = _repairable(layer)
    if not repairable and _taken_whole(layer, shares, QgsFeatureRequest(), transform_context):
        return
    outputs = [_Output(share, layer, transform_context) for share in shares]
    reports = [output.share.report for output in outputs]
    for number, feature in enumerate(layer.getFeatures()):
        if _canceled(feedback, number):
            return
        geometry = feature.geometry() if feature.hasGeometry() else None
        for report in reports:
            report.read += 1
        geometry = _checked(geometry, layer.geometryType(), reports, repairable)
        if geometry is False:
            continue
        for output in outputs:
            output.add(feature, geometry)


def _by_code(layer, dataset_id, shares, transform_context, code_field, feedback) -> None:
    from ..territory import normalize_commune_code

    if not code_field or layer.fields().lookupField(code_field) < 0:
        raise QgsProcessingException(no_code_field_message(dataset_id, code_field, layer.fields().names()))
    outputs = {id(share): _Output(share, layer, transform_context) for share in shares}
    owners: dict[str, list] = {}
    for share in shares:
        for code in share.codes:
            owners.setdefault(code, []).append(outputs[id(share)])
    repairable = _repairable(layer)
    position = layer.fields().lookupField(code_field)
    request = QgsFeatureRequest().setFilterExpression(code_filter_expression(code_field, owners))
    if not repairable and _taken_whole(layer, shares, QgsFeatureRequest(request), transform_context):
        return
    for number, feature in enumerate(layer.getFeatures(request)):
        if _canceled(feedback, number):
            return
        value = feature[position]
        code = value if isinstance(value, str) else normalize_commune_code(value)
        targets = owners.get(code, ())
        if not targets:
            continue
        geometry = feature.geometry() if feature.hasGeometry() else None
        for output in targets:
            output.share.report.read += 1
        geometry = _checked(geometry, layer.geometryType(), [output.share.report for output in targets], repairable)
        if geometry is False:
            continue
        for output in targets:
            output.add(feature, geometry)


def _taken_whole(layer, shares, request: QgsFeatureRequest, transform_context) -> bool:
    """One territory in memory, every feature the request gives kept as it is: the provider's features go
    to the table in one call, reprojected on the way, then those with impossible coordinates taken back and
    counted. False when it is not that case."""
    if len(shares) != 1 or not isinstance(shares[0].table, MemoryTable):
        return False
    share = shares[0]
    if share.table.positions(layer) is not None:
        return False
    if layer.isSpatial() and share.target.isValid() and share.target != layer.crs():
        request.setDestinationCrs(share.target, transform_context)
    # no transform error callback: addFeatures() releases Python's lock while it reads the iterator, and a
    # Python callback called then crashed QGIS (an infinite coordinate did it). A feature that cannot be
    # reprojected comes without geometry; one with NaN, infinite or absurd coordinates is taken back below.
    added = share.table.add_all(layer.getFeatures(request), share.key)
    share.report.read += len(added)
    bad = _impossible_points(share.table, added, share.report) if layer.isSpatial() else []
    share.table.discard(bad, share.key)
    share.report.kept += len(added) - len(bad)
    return True


def _by_location(layer, dataset_id, mode: CutMode, shares, transform_context, feedback) -> None:
    if not layer.isSpatial():
        if layer.featureCount() == 0:
            return  # an empty answer (a feed without shapes): nothing to cut, not a file without geometry
        raise QgsProcessingException(no_geometry_message(dataset_id))
    index, candidates, extent = QgsSpatialIndex(), {}, None
    for number, share in enumerate(shares):
        polygon = share.shape.in_crs(layer.crs(), transform_context, share.name, dataset_id)
        engine = QgsGeometry.createGeometryEngine(polygon.constGet())
        engine.prepareGeometry()
        candidates[number] = (_Output(share, layer, transform_context), polygon, engine)
        item = QgsFeature(number)
        item.setGeometry(polygon)
        if not index.addFeature(item):
            raise QgsProcessingException(tr("Index spatial des contours impossible à construire."))
        if extent is None:
            extent = QgsRectangle(polygon.boundingBox())
        else:
            extent.combineExtentWith(polygon.boundingBox())
    repairable = _repairable(layer)
    wanted = layer.geometryType()
    request = QgsFeatureRequest()
    if extent is not None:
        request.setFilterRect(extent)
    for number, feature in enumerate(layer.getFeatures(request)):
        if _canceled(feedback, number):
            return
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        found = []
        for candidate in index.intersects(geometry.boundingBox()):
            output, polygon, engine = candidates[candidate]
            kept = engine.contains(geometry.constGet()) if mode is CutMode.WITHIN \
                else engine.intersects(geometry.constGet())
            if kept:
                output.share.report.read += 1
                found.append((output, polygon, engine))
        if not found:
            continue
        geometry = _checked(geometry, wanted, [output.share.report for output, _p, _e in found], repairable)
        if geometry is False:
            continue
        for output, polygon, engine in found:
            if mode is CutMode.CLIP:
                clipped = None if geometry.isNull() else _clipped(geometry, polygon, engine, wanted)
                if clipped is None:
                    output.share.report.dropped += 1
                    continue
                output.add(feature, clipped)
            else:
                output.add(feature, geometry)


def _checked(geometry: QgsGeometry | None, wanted, reports: list[CutReport], repairable: bool):
    """The geometry a feature goes on with: as it is, repaired (lines and polygons), or False when the feature is
    left out (counted in `reports`): coordinates that are not numbers, too many vertices, beyond repair."""
    if geometry is None or geometry.isNull():
        return geometry
    problem = _impossible(geometry)
    if not problem and repairable and not geometry.isGeosValid():
        # GEOS finds NaN coordinates invalid: they are told from a repairable geometry before any repair
        problem = "impossible" if not _coordinates_finite(geometry) else ""
        if not problem:
            return _repaired(geometry, wanted, reports)
    if problem:
        for report in reports:
            setattr(report, problem, getattr(report, problem) + 1)
        return False
    return geometry


def _impossible(geometry: QgsGeometry) -> str:
    """"" for a geometry that may go on; the CutReport counter of why it may not ("too_complex", "impossible")."""
    abstract = geometry.constGet()
    if abstract.nCoordinates() > MAX_VERTICES:
        return "too_complex"
    box = abstract.boundingBox()
    if not all(math.isfinite(v) and abs(v) < MAX_COORDINATE
               for v in (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())):
        return "impossible"
    if geometry.type() == compat.GEOMETRY_POINT and not _coordinates_finite(geometry):
        return "impossible"  # a box ignores a NaN coordinate: points are few to look at
    return ""


def _coordinates_finite(geometry: QgsGeometry) -> bool:
    return all(math.isfinite(vertex.x()) and math.isfinite(vertex.y()) for vertex in geometry.vertices())


def _impossible_points(table, added: list[int], report: CutReport) -> list[int]:
    """The ids among `added` (points taken whole) whose coordinates are not numbers, counted in `report` (and
    those that came without geometry counted, kept as the feature-by-feature way keeps them)."""
    request = QgsFeatureRequest().setFilterFids(added).setNoAttributes()
    bad = []
    for feature in table.layer.getFeatures(request):
        if not feature.hasGeometry():
            report.without_geometry += 1
        elif feature.geometry().isEmpty() or _impossible(feature.geometry()):
            bad.append(feature.id())
    report.impossible += len(bad)
    return bad


def _repairable(layer) -> bool:
    """Points are never invalid: only lines and polygons are looked at."""
    return layer.isSpatial() and layer.geometryType() != compat.GEOMETRY_POINT


def _repaired(geometry: QgsGeometry, wanted, reports: list[CutReport]):
    """The geometry made valid (parts of its own type, multi-part), an empty one when GEOS gives nothing back
    (the feature is kept without geometry), or False when what is left is of another type (dropped)."""
    for report in reports:
        report.repaired += 1
    fixed = geometry.makeValid()
    if fixed.isNull():
        return QgsGeometry()
    if _collection(fixed):
        parts = [part for part in fixed.asGeometryCollection() if part.type() == wanted]
        fixed = QgsGeometry.collectGeometry(parts) if parts else QgsGeometry()
    if fixed.isNull() or not fixed.convertToMultiType() or fixed.type() != wanted:
        for report in reports:
            report.dropped += 1
        return False
    return fixed


def _collection(geometry: QgsGeometry) -> bool:
    """GEOS gave back a collection (or something QGIS cannot type): only parts of one dimension are kept."""
    wkb = geometry.wkbType()
    return wkb == compat.WKB_UNKNOWN or QgsWkbTypes.flatType(wkb) == compat.WKB_COLLECTION


def _clipped(geometry: QgsGeometry, polygon: QgsGeometry, engine, wanted) -> QgsGeometry | None:
    """What native:clip keeps of `geometry` (multi-part), None when nothing of its own dimension is left."""
    if engine.contains(geometry.constGet()):
        result = QgsGeometry(geometry)
    else:
        result = polygon.intersection(geometry)
        if _collection(result):
            combined, different = geometry.combine(result), geometry.symDifference(result)
            result = combined.difference(different)
    if result.isNull() or result.isEmpty():
        return None
    if _collection(result):
        parts = [part for part in result.asGeometryCollection() if part.type() == wanted]
        if not parts:
            return None
        result = QgsGeometry.collectGeometry(parts)
    if result.type() != wanted or (wanted != compat.GEOMETRY_POINT and not result.convertToMultiType()):
        return None
    return result
