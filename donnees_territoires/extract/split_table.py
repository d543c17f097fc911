"""Where the one cut puts a dataset's features: one temporary GeoPackage table per dataset (and target CRS),
each feature tagged with the territory it was given to, so memory stays one territory's worth.

Each package reads back only its own rows (read_share, by the indexed territory column). The « one
table per dataset » PostGIS layout writes the table itself, with its code_territoire column.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsMemoryProviderUtils,
    QgsProcessingException,
    QgsProcessingUtils,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from .. import compat
from ..toolbelt.i18n import tr

#: column of a split table naming the territory each feature was given to
TERRITORY_KEY = "dt_batch_territory"
#: feature id column of a split table (a source may have a « fid » column of its own)
TABLE_FID = "dt_batch_fid"
#: the GeoPackage layer of a split table
TABLE_LAYER = "spill"
#: features sent to the writer at once
CHUNK = 2000


class SplitTable:
    """The features of one dataset given to the territories, on disk."""

    def __init__(self, name: str, source: QgsVectorLayer, crs: QgsCoordinateReferenceSystem, transform_context, *,
                 key: str = TERRITORY_KEY, keep_fid: bool = False, multi: bool = False):
        self.source_fields = QgsFields(source.fields())
        self.wkb = source.wkbType()
        # a package table takes the source's type unless a geometry needs several parts (read_share), or
        # `multi` says it must be multi-part whatever it holds (a clip's output, as native:clip makes it)
        self.single_wkb = None if multi or QgsWkbTypes.isMultiType(self.wkb) else int(self.wkb)
        if source.isSpatial() and source.geometryType() != compat.GEOMETRY_POINT:
            self.wkb = QgsWkbTypes.multiType(self.wkb)  # a clip or a repair may turn a polygon into several
        self.crs, self.name, self.key = crs, name, key
        self.counts: Counter = Counter()
        fields = QgsFields(self.source_fields)
        fields.append(compat.make_field(key, "string"))
        self.fields = fields
        fid = "fid" if keep_fid and "fid" not in {n.lower() for n in self.source_fields.names()} else TABLE_FID
        self.path = Path(QgsProcessingUtils.tempFolder()) / f"batch-{name}-{uuid.uuid4().hex[:8]}.gpkg"
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = TABLE_LAYER
        options.layerOptions = ["SPATIAL_INDEX=NO", f"FID={fid}"]
        self.writer = QgsVectorFileWriter.create(str(self.path), fields, self.wkb, crs, transform_context, options)
        if self.writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            raise QgsProcessingException(tr("Fichier de travail {path} impossible à créer : {error}").format(
                path=self.path, error=self.writer.errorMessage()))
        self._waiting: list[QgsFeature] = []

    def positions(self, layer) -> list[int] | None:
        """Where each of the table's source fields is in `layer` (-1: absent); None when the fields are the same."""
        if layer.fields().names() == self.source_fields.names():
            return None
        return [layer.fields().lookupField(name) for name in self.source_fields.names()]

    def source_single_type(self, layer) -> None:
        """Another source goes into this table: a package table is of a single-part type only if every source is."""
        if QgsWkbTypes.isMultiType(layer.wkbType()):
            self.single_wkb = None

    def values(self, feature: QgsFeature, positions: list[int] | None) -> list:
        """The feature's attributes in the table's order; `positions` from positions()."""
        values = feature.attributes()
        if positions is None:
            return values
        return [values[position] if position >= 0 else None for position in positions]

    def add(self, values: list, geometry: QgsGeometry | None, territory: str) -> None:
        """A feature for `territory`: its values (values()) and its geometry, already in the table's CRS."""
        copy = QgsFeature(self.fields)
        if geometry is not None:
            copy.setGeometry(geometry)
        copy.setAttributes(values + [territory])
        self._waiting.append(copy)
        self.counts[territory] += 1
        if len(self._waiting) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._waiting and not self.writer.addFeatures(self._waiting):
            raise QgsProcessingException(tr("Fichier de travail {path} : écriture impossible ({error}).").format(
                path=self.path, error=self.writer.errorMessage()))
        self._waiting = []

    def finish(self) -> None:
        """Close the writer and index the territory column."""
        if self.writer is None:
            return
        self._flush()
        self.writer = None  # deleting the writer flushes and closes the file
        with sqlite3.connect(self.path) as db:
            db.execute(f'CREATE INDEX spill_territory ON {TABLE_LAYER} ("{self.key}")')
        db.close()

    def layer(self) -> QgsVectorLayer:
        """The whole table as a layer (the « one table per dataset » layout)."""
        self.finish()
        return QgsVectorLayer(f"{self.path}|layername={TABLE_LAYER}", self.name, "ogr")

    def to_dict(self) -> dict:
        """What a package job needs to read its share (read_share)."""
        return {"path": str(self.path), "name": self.name, "single_wkb": self.single_wkb}

    def remove(self) -> None:
        self.writer = None
        self._waiting = []
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:  # still open (Windows): the Processing temporary folder goes at exit
                pass


class MemoryTable:
    """One territory's features of a dataset, in memory: what a package cuts its own files into (a file only
    it reads, or every file when it is the only territory of its run). Its layer is the package's table."""

    key = ""  # one territory: no territory column

    def __init__(self, name: str, source: QgsVectorLayer, crs: QgsCoordinateReferenceSystem, *, multi: bool = False):
        self.name, self.crs = name, crs
        self.source_fields = QgsFields(source.fields())
        wkb = source.wkbType()
        self.spatial = source.isSpatial() and source.geometryType() != compat.GEOMETRY_POINT
        if multi and self.spatial:
            wkb = QgsWkbTypes.multiType(wkb)  # a clip's output, as native:clip makes it
        self.counts: Counter = Counter()
        self.layer = QgsMemoryProviderUtils.createMemoryLayer(name, self.source_fields, wkb, crs)
        self._waiting: list[QgsFeature] = []

    positions = SplitTable.positions
    values = SplitTable.values

    @property
    def single(self) -> bool:
        return not QgsWkbTypes.isMultiType(self.layer.wkbType())

    def source_single_type(self, layer) -> None:
        """Another file goes into this table: a multi-part one makes the table multi-part."""
        if self.spatial and self.single and QgsWkbTypes.isMultiType(layer.wkbType()):
            self._promote()

    def add(self, values: list, geometry: QgsGeometry | None, territory: str) -> None:
        """A feature: its values (values()) and its geometry, already in the table's CRS."""
        feature = QgsFeature(self.layer.fields())
        if geometry is not None and not geometry.isNull():
            if self.spatial and self.single and geometry.isMultipart():
                if geometry.constGet().numGeometries() > 1:
                    self._promote()
                else:
                    geometry = QgsGeometry(geometry)
                    geometry = geometry if geometry.convertToSingleType() else QgsGeometry()
            feature.setGeometry(geometry)
        feature.setAttributes(values)
        self._waiting.append(feature)
        self.counts[territory] += 1
        if len(self._waiting) >= CHUNK:
            self.finish()

    def add_all(self, features, territory: str) -> list[int]:
        """Features as they come (an iterator: their fields and CRS are the table's); the ids they were given."""
        self.finish()
        ok, added = self.layer.dataProvider().addFeatures(features)
        if not ok:
            raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail.").format(
                dataset=self.name))
        self.counts[territory] += len(added)
        return [feature.id() for feature in added]

    def discard(self, ids: list[int], territory: str) -> None:
        """Take back features add_all() added."""
        if ids and not self.layer.dataProvider().deleteFeatures(ids):
            raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail.").format(
                dataset=self.name))
        self.counts[territory] -= len(ids)

    def finish(self) -> None:
        if self._waiting and not self.layer.dataProvider().addFeatures(self._waiting)[0]:
            raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail.").format(
                dataset=self.name))
        self._waiting = []

    def _promote(self) -> None:
        """From now on multi-part: the features already there are copied into a multi-part layer."""
        self.finish()
        layer = QgsMemoryProviderUtils.createMemoryLayer(self.name, self.source_fields,
                                                         QgsWkbTypes.multiType(self.layer.wkbType()), self.crs)
        features = []
        for feature in self.layer.getFeatures():
            if feature.hasGeometry():
                geometry = feature.geometry()
                feature.setGeometry(geometry if geometry.convertToMultiType() else QgsGeometry())
            features.append(feature)
        if not layer.dataProvider().addFeatures(features)[0]:
            raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail.").format(
                dataset=self.name))
        self.layer = layer

    def remove(self) -> None:
        self._waiting = []


#: split tables opened by this process (path → layer): opened once, not once per territory
_OPENED: dict[str, QgsVectorLayer] = {}


def forget_opened_tables() -> None:
    """Close the split tables this process has opened (before they are deleted)."""
    _OPENED.clear()


def read_share(table: dict, territory: str, crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    """A memory layer with the features of `territory` in a split table (SplitTable.to_dict()), in `crs`.

    Its type is the sources' single-part type when they had one and no geometry needs several parts.
    """
    from .cut import code_filter_expression

    path, name = table["path"], table["name"]
    opened = _OPENED.get(path)
    if opened is None:
        opened = QgsVectorLayer(f"{path}|layername={TABLE_LAYER}", name, "ogr")
        if not opened.isValid():
            raise QgsProcessingException(tr("« {dataset} » : fichier de travail {path} illisible.").format(
                dataset=name, path=path))
        _OPENED[path] = opened
    fields = QgsFields()
    positions = []
    for position, table_field in enumerate(opened.fields()):
        if table_field.name() not in (TERRITORY_KEY, TABLE_FID):
            fields.append(table_field)
            positions.append(position)
    single = table.get("single_wkb")
    request = QgsFeatureRequest().setFilterExpression(code_filter_expression(TERRITORY_KEY, [territory]))
    features = []
    for feature in opened.getFeatures(request):
        copy = QgsFeature(fields)
        values = feature.attributes()
        copy.setAttributes([values[position] for position in positions])
        if feature.hasGeometry():
            geometry = feature.geometry()
            if single is not None and geometry.isMultipart():
                single = None if geometry.constGet().numGeometries() > 1 else single
            copy.setGeometry(geometry)
        features.append(copy)
    wkb = opened.wkbType() if single is None else compat.WKB_TYPE(single)
    if single is not None:
        for feature in features:
            if feature.hasGeometry() and feature.geometry().isMultipart():
                geometry = feature.geometry()
                # one part at most (looked at above): only an empty collection has none to keep
                feature.setGeometry(geometry if geometry.convertToSingleType() else QgsGeometry())
    layer = QgsMemoryProviderUtils.createMemoryLayer(name, fields, wkb, crs)
    if not layer.dataProvider().addFeatures(features)[0]:
        raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail de {name}.")
                                     .format(dataset=name, name=territory))
    return layer
