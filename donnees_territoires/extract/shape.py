"""The polygon a territory's data is cut to: its contour (buffered), or a custom shape, in the legal CRS."""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorLayer,
)

from ..territory.contours import BUFFER_SEGMENTS
from ..toolbelt.i18n import tr


@dataclass
class Shape:
    """A polygon and its CRS, with what computing it had to say (contour sources' warnings)."""

    geometry: QgsGeometry
    crs: QgsCoordinateReferenceSystem
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of_boundaries(cls, boundaries) -> Shape:
        """The union of a territory.contours.BoundarySet."""
        geometries = [b.geometry for b in boundaries.boundaries]
        union = QgsGeometry.unaryUnion(geometries) if len(geometries) > 1 else QgsGeometry(geometries[0])
        return cls(union, boundaries.crs, list(boundaries.warnings))

    @classmethod
    def of_mask(cls, mask: dict, buffer_m: float, legal: QgsCoordinateReferenceSystem,
                transform_context: QgsCoordinateTransformContext) -> Shape:
        """A custom shape ({"wkt": …, "crs": authid}), buffered in metres in the territory's legal CRS."""
        geometry = QgsGeometry.fromWkt(mask["wkt"])
        if geometry.isNull() or geometry.isEmpty():
            raise QgsProcessingException(tr("L'emprise personnalisée est vide ou illisible."))
        source = QgsCoordinateReferenceSystem(mask.get("crs") or "EPSG:4326")
        transform = QgsCoordinateTransform(source, legal, transform_context)
        if geometry.transform(transform) != Qgis.GeometryOperationResult.Success:
            raise QgsProcessingException(tr("L'emprise personnalisée ne se reprojette pas de {source} vers {target}.")
                                         .format(source=source.authid(), target=legal.authid()))
        if not geometry.isGeosValid():
            geometry = geometry.makeValid()
        if buffer_m:
            geometry = geometry.buffer(buffer_m, BUFFER_SEGMENTS)
        return cls(geometry, legal)

    def to_dict(self) -> dict:
        """Plain JSON (a package job's): the polygon as WKB, its CRS by authority id or WKT."""
        return {"wkb": bytes(self.geometry.asWkb()).hex(), "crs": self.crs.authid() or self.crs.toWkt(),
                "warnings": list(self.warnings)}

    @classmethod
    def from_dict(cls, data: dict) -> Shape:
        geometry = QgsGeometry()
        geometry.fromWkb(bytes.fromhex(data["wkb"]))
        return cls(geometry, QgsCoordinateReferenceSystem(data["crs"]), list(data.get("warnings") or []))

    def wgs84_bbox(self, transform_context: QgsCoordinateTransformContext) -> tuple[float, float, float, float]:
        """(west, south, east, north): what the catalog's {bbox} and WFS queries take."""
        transform = QgsCoordinateTransform(self.crs, QgsCoordinateReferenceSystem("EPSG:4326"), transform_context)
        extent = transform.transformBoundingBox(self.geometry.boundingBox())
        return (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())

    def in_crs(self, crs: QgsCoordinateReferenceSystem, transform_context: QgsCoordinateTransformContext,
               name: str, dataset_id: str) -> QgsGeometry:
        """A copy of the polygon in `crs` (a source's), for testing the source's features where they are."""
        geometry = QgsGeometry(self.geometry)
        if crs != self.crs and geometry.transform(QgsCoordinateTransform(self.crs, crs, transform_context)) != 0:
            raise QgsProcessingException(tr("Le contour de {name} ne se reprojette pas dans la projection de "
                                            "« {dataset} ».").format(name=name, dataset=dataset_id))
        return geometry


def shape_layer(shape: Shape, name: str) -> QgsVectorLayer:
    """A memory layer holding the polygon: what Processing's cutting algorithms take as the territory."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={shape.crs.authid() or 'EPSG:4326'}", name, "memory")
    if not shape.crs.authid():
        layer.setCrs(shape.crs)
    feature = QgsFeature()
    feature.setGeometry(shape.geometry)
    if not layer.dataProvider().addFeatures([feature])[0]:
        raise QgsProcessingException(tr("Contour du territoire impossible à préparer pour la découpe."))
    return layer


def territory_shape(selection, transform_context: QgsCoordinateTransformContext) -> Shape:
    """What the data of a territory.Selection is cut to: its territories' dissolved contour buffered, or its
    custom shape buffered."""
    from ..territory.contours import build_boundaries

    boundaries = build_boundaries(selection.territories, selection.vintage,
                                  buffer_m=0.0 if selection.mask else selection.buffer_m, dissolve=True,
                                  transform_context=transform_context)
    if selection.mask:
        shape = Shape.of_mask(selection.mask, selection.buffer_m, boundaries.crs, transform_context)
        shape.warnings = list(boundaries.warnings)
        return shape
    return Shape.of_boundaries(boundaries)
