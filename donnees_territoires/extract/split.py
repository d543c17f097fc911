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
        self.transform = None
        if layer.isSpatial() and share.target.isValid() and share.target != layer.crs():
            self.transform = QgsCoordinateTransform(layer.crs(), share.target, transform_context)

    def add(self, feature: QgsFeature, geometry: QgsGeometry | None) -> None:
        report = self.share.report
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
    if _taken_whole(layer, shares, QgsFeatureRequest(), transform_context):
        return
    outputs = [_Output(share, layer, transform_context) for share in shares]
    for number, feature in enumerate(layer.getFeatures()):
        if _canceled(feedback, number):
            return
        geometry = feature.geometry() if feature.hasGeometry() else None
        for output in outputs:
            output.share.report.read += 1
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
        if repairable and geometry is not None and not geometry.isGeosValid():
            geometry = _repaired(geometry, layer.geometryType(), [output.share.report for output in targets])
            if geometry is False:
                continue
        for output in targets:
            output.add(feature, geometry)


def _taken_whole(layer, shares, request: QgsFeatureRequest, transform_context) -> bool:
    """One territory in memory, every feature the request gives kept as it is: the provider's features go
    to the table in one call, reprojected on the way. False when it is not that case, or a feature cannot be
    reprojected (what was added is taken back: the feature by feature way drops it and counts it)."""
    if len(shares) != 1 or not isinstance(shares[0].table, MemoryTable):
        return False
    share = shares[0]
    if share.table.positions(layer) is not None:
        return False
    if layer.isSpatial() and share.target.isValid() and share.target != layer.crs():
        request.setDestinationCrs(share.target, transform_context)
    failed = []
    request.setTransformErrorCallback(lambda feature: failed.append(feature.id()))
    added = share.table.add_all(layer.getFeatures(request), share.key)
    if failed:
        share.table.discard(added, share.key)
        return False
    share.report.read += len(added)
    share.report.kept += len(added)
    return True


def _by_location(layer, dataset_id, mode: CutMode, shares, transform_context, feedback) -> None:
    if not layer.isSpatial():
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
        if repairable and not geometry.isGeosValid():
            geometry = _repaired(geometry, wanted, [output.share.report for output, _p, _e in found])
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
