"""One catalog dataset for one territory: requests expanded, fetched, each piece cut by the dataset's rule, merged.

This is the one way a dataset arrives: the download_dataset algorithm, the package builder and
the refresh all come through here.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from ..territory.contours import BUFFER_SEGMENTS
from ..toolbelt.i18n import tr
from .cut import CutMode, CutReport, _run, cut_layer


@dataclass
class DatasetResult:
    """A dataset cut to a territory, and where every piece came from (for the manifest)."""

    dataset_id: str
    output: str  # the written layer (path or layer id in the context)
    crs: QgsCoordinateReferenceSystem
    fetches: list[dict] = field(default_factory=list)  # FetchResult.to_manifest() of each download
    feature_count: int = 0
    repaired: int = 0
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)


def _polygon_layer(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, name: str) -> QgsVectorLayer:
    """A memory layer holding one polygon: what the cutting algorithms take as the territory."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid() or 'EPSG:4326'}", name, "memory")
    if not crs.authid():
        layer.setCrs(crs)
    feature = QgsFeature()
    feature.setGeometry(geometry)
    layer.dataProvider().addFeatures([feature])
    return layer


def boundary_layer(boundaries, crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    """The union of a BoundarySet as a polygon layer."""
    geometries = [b.geometry for b in boundaries]
    union = QgsGeometry.unaryUnion(geometries) if len(geometries) > 1 else QgsGeometry(geometries[0])
    return _polygon_layer(union, crs, "territoire")


def mask_layer(mask: dict, buffer_m: float, legal: QgsCoordinateReferenceSystem,
               context: QgsProcessingContext) -> QgsVectorLayer:
    """The custom shape as a polygon layer, buffered in metres in the territory's legal CRS."""
    geometry = QgsGeometry.fromWkt(mask["wkt"])
    if geometry.isNull() or geometry.isEmpty():
        raise QgsProcessingException(tr("L'emprise personnalisée est vide ou illisible."))
    source = QgsCoordinateReferenceSystem(mask.get("crs") or "EPSG:4326")
    transform = QgsCoordinateTransform(source, legal, context.transformContext())
    if geometry.transform(transform) != Qgis.GeometryOperationResult.Success:
        raise QgsProcessingException(tr("L'emprise personnalisée ne se reprojette pas de {source} vers {target}.")
                                     .format(source=source.authid(), target=legal.authid()))
    if not geometry.isGeosValid():
        geometry = geometry.makeValid()
    if buffer_m:
        geometry = geometry.buffer(buffer_m, BUFFER_SEGMENTS)
    return _polygon_layer(geometry, legal, tr("emprise"))


def wgs84_bbox(layer: QgsVectorLayer, context: QgsProcessingContext) -> tuple[float, float, float, float]:
    transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"),
                                       context.transformContext())
    extent = transform.transformBoundingBox(layer.extent())
    return (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())


@dataclass(frozen=True)
class Piece:
    """One downloaded file of a dataset: opened as a layer only when it is cut (an unchanged run never opens it)."""

    request: object  # catalog.sources.SourceRequest
    path: Path
    url: str
    member: str | None = None


def _download(request, dataset, settings, feedback) -> tuple[Piece | None, dict | None, str | None]:
    """(piece, fetch record, warning) for one request; a missing per-commune file is a warning, not a failure."""
    from ..catalog.datagouv import resolve
    from ..fetch import FetchError, HttpStatusError, fetch, list_data_files

    url = request.url
    if request.needs_resolution:
        url = resolve(dataset, lambda api: fetch(api, settings=settings, max_age_s=3600).json())["url"]
    if request.kind == "wfs":
        return _download_wfs(request, dataset, settings, feedback)
    try:
        result = fetch(url, settings=settings, feedback=feedback)
    except HttpStatusError as error:
        if error.status == 404 and request.unit.startswith("commune:"):
            return None, None, tr("« {dataset} » : pas de fichier pour {unit} ({url}).").format(
                dataset=dataset.id, unit=request.unit, url=url)
        raise QgsProcessingException(str(error)) from error
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    member = None
    if dataset.format.archive_member:  # a pattern: the producer's member name changes with each edition
        members = [m for m in list_data_files(result.path) if fnmatch.fnmatch(m, dataset.format.archive_member)]
        if not members:
            raise QgsProcessingException(tr("« {dataset} » : l'archive {url} ne contient aucun fichier « {pattern} » "
                                            "(contenu : {members}).").format(
                                                dataset=dataset.id, url=url, pattern=dataset.format.archive_member,
                                                members=", ".join(list_data_files(result.path)) or "—"))
        member = members[0]
    return Piece(request, Path(result.path), url, member), result.to_manifest(), None


def _download_wfs(request, dataset, settings, feedback) -> tuple[Piece, dict, None]:
    """All pages of a WFS query, merged into one GeoJSON in the Processing temporary folder."""
    from ..fetch import FetchError
    from ..fetch.wfs import WfsQuery, get_features

    folder = Path(QgsProcessingUtils.tempFolder())
    target = folder / f"{dataset.id}-{hashlib.sha256(request.url.encode()).hexdigest()[:12]}.geojson"
    try:
        result = get_features(WfsQuery.from_url(request.url), target, settings=settings, feedback=feedback)
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    return Piece(request, Path(result.path), request.url), result.to_manifest(), None


def _open_piece(piece: Piece, dataset) -> QgsVectorLayer:
    from ..fetch import open_layer

    layer = open_layer(piece.path, f"{dataset.id} {piece.request.unit}", member=piece.member)
    if not layer.isValid():
        raise QgsProcessingException(tr("« {dataset} » : le fichier reçu de {url} ne s'ouvre pas comme une couche "
                                        "(format {type} attendu).").format(dataset=dataset.id, url=piece.url,
                                                                           type=dataset.format.type))
    if not layer.crs().isValid() and layer.isSpatial():
        layer.setCrs(QgsCoordinateReferenceSystem(dataset.format.crs))
    return layer


@dataclass
class FetchedDataset:
    """A dataset's pieces downloaded (or confirmed from the cache) for a territory, not cut yet."""

    dataset: object  # catalog.model.Dataset
    territory: str
    boundary: QgsVectorLayer  # the polygon to cut to (territory contour or custom shape), in the legal CRS
    target: QgsCoordinateReferenceSystem
    pieces: list = field(default_factory=list)  # Piece
    fetches: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def sources(self) -> list[tuple[str, str]]:
        """(url, sha256) of every download: equal lists mean the same data as last time."""
        return sorted((record.get("url", ""), record.get("sha256", "")) for record in self.fetches)


def territory_boundaries(territory: str, vintage: int | None, context: QgsProcessingContext, *,
                         buffer_m: float = 0.0, mask: dict | None = None):
    """The territory's dissolved contour, buffered unless a mask will be (what fetch_dataset cuts to)."""
    from ..territory.contours import build_boundaries

    return build_boundaries(territory, vintage, buffer_m=0.0 if mask else buffer_m, dissolve=True,
                            transform_context=context.transformContext())


def fetch_dataset(dataset, territory: str, vintage: int | None, context: QgsProcessingContext,
                  feedback: QgsProcessingFeedback | None = None, *, catalog=None, settings=None,
                  crs: QgsCoordinateReferenceSystem | None = None, buffer_m: float = 0.0,
                  mask: dict | None = None, boundaries=None) -> FetchedDataset:
    """Download every piece of `dataset` (a catalog id or Dataset) for `territory`; nothing is cut yet.

    With `mask` ({"wkt": …, "crs": authid}: a drawn polygon, the map extent…), the data is still
    fetched for `territory` but will be cut to the mask (buffered by `buffer_m`) instead of its contour.
    """
    from ..catalog import facts_from_index
    from ..catalog.templates import TemplateError
    from ..territory import TerritoryIndex
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    settings = settings or current()
    if catalog is None:
        from ..catalog import configured_catalog

        catalog = configured_catalog(settings)
    dataset = catalog[dataset] if isinstance(dataset, str) else dataset
    if dataset.is_view_only:
        raise QgsProcessingException(tr("« {dataset} » est un fond de plan en affichage seulement (WMTS) : "
                                        "ajoutez-le au projet, il ne se télécharge pas.").format(dataset=dataset.id))
    index = TerritoryIndex.load(vintage)
    if boundaries is None:  # a caller fetching several datasets computes them once (territory_boundaries)
        boundaries = territory_boundaries(territory, index.vintage, context, buffer_m=buffer_m, mask=mask)
    if mask:
        boundary = mask_layer(mask, buffer_m, boundaries.crs, context)
    else:
        boundary = boundary_layer(boundaries.boundaries, boundaries.crs)
    target = crs if crs is not None and crs.isValid() else None
    try:
        facts = facts_from_index(index, territory, bbox=wgs84_bbox(boundary, context),
                                 crs=target.authid() if target is not None else None)
        requests = catalog.expand_urls(dataset, facts)
        if target is None:
            target = QgsCoordinateReferenceSystem(catalog.target_crs(dataset, facts))
    except (TemplateError, ValueError) as error:
        raise QgsProcessingException(str(error)) from error

    fetched = FetchedDataset(dataset, territory, boundary, target, warnings=list(boundaries.warnings))
    steps = QgsProcessingMultiStepFeedback(max(1, len(requests)), feedback)
    for number, request in enumerate(requests):
        steps.setCurrentStep(number)
        if steps.isCanceled():
            break
        piece, record, warning = _download(request, dataset, settings, steps)
        if warning:
            fetched.warnings.append(warning)
            continue
        fetched.fetches.append(record)
        fetched.pieces.append(piece)
    if not fetched.pieces and not steps.isCanceled():
        raise QgsProcessingException(tr("« {dataset} » : aucune donnée reçue pour {territory}. {warnings}").format(
            dataset=dataset.id, territory=territory, warnings=" ".join(fetched.warnings)))
    return fetched


def cut_dataset(fetched: FetchedDataset, output, context: QgsProcessingContext,
                feedback: QgsProcessingFeedback | None = None) -> DatasetResult:
    """Cut each fetched piece by the dataset's rule, merge the pieces, reproject, write `output`."""
    feedback = feedback or QgsProcessingFeedback()
    dataset, boundary, target = fetched.dataset, fetched.boundary, fetched.target
    result = DatasetResult(dataset.id, "", target, fetches=list(fetched.fetches), warnings=list(fetched.warnings))
    steps = QgsProcessingMultiStepFeedback(len(fetched.pieces) + 1, feedback)
    single = len(fetched.pieces) == 1
    pieces = []
    rule = dataset.cut.rule
    for number, piece in enumerate(fetched.pieces):
        steps.setCurrentStep(number)
        if steps.isCanceled():
            return result
        layer, request = _open_piece(piece, dataset), piece.request
        piece_output = output if single else QgsProcessing.TEMPORARY_OUTPUT
        if rule == "none":  # the file is already the territory's (a per-commune file)
            piece, report = _reproject(layer, target, piece_output, context, steps)
        elif rule == "attribute":
            piece, report = cut_layer(layer, boundary, CutMode.ATTRIBUTE, target, piece_output, context, steps,
                                      code_field=dataset.cut.field, codes=request.codes, name=dataset.id)
        else:
            piece, report = cut_layer(layer, boundary, CutMode(rule), target, piece_output, context, steps,
                                      name=dataset.id)
        result.repaired += report.repaired
        result.dropped += report.dropped
        pieces.append(piece)
    steps.setCurrentStep(len(fetched.pieces))
    if single:
        result.output = pieces[0]
    else:
        merged = _run("native:mergevectorlayers", {"LAYERS": pieces, "CRS": target,
                                                   "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT}, context, steps)["OUTPUT"]
        result.output = _run("native:deletecolumn", {"INPUT": merged, "COLUMN": ["layer", "path"], "OUTPUT": output},
                             context, steps)["OUTPUT"]
    written = QgsProcessingUtils.mapLayerFromString(result.output, context)
    result.feature_count = written.featureCount() if written is not None else 0
    return result


def download_dataset(dataset, territory: str, vintage: int | None, output, context: QgsProcessingContext,
                     feedback: QgsProcessingFeedback | None = None, **options) -> DatasetResult:
    """Fetch `dataset` for `territory` and write it, cut and reprojected, to `output` (see fetch_dataset)."""
    steps = QgsProcessingMultiStepFeedback(2, feedback or QgsProcessingFeedback())
    fetched = fetch_dataset(dataset, territory, vintage, context, steps, **options)
    steps.setCurrentStep(1)
    return cut_dataset(fetched, output, context, steps)


def _reproject(layer, target, output, context, feedback):
    report = CutReport(CutMode.INTERSECTS)
    if not layer.isSpatial():
        written = _run("native:extractbyexpression", {"INPUT": layer, "EXPRESSION": "true", "OUTPUT": output},
                       context, feedback)["OUTPUT"]
    else:
        written = _run("native:reprojectlayer", {"INPUT": layer, "TARGET_CRS": target, "OUTPUT": output}, context,
                       feedback)["OUTPUT"]
    report.kept = report.read = layer.featureCount()
    return written, report



def view_only_uri(dataset, settings=None, feedback: QgsProcessingFeedback | None = None) -> str:
    """The « wms » provider URI of a view-only (WMTS) catalog entry, its tile matrix set read from the
    service's capabilities (Pseudo-Mercator « PM » when offered). Network: call it from a task."""
    from dataclasses import replace

    from ..catalog.sources import wmts_capabilities_url, wmts_layer_uri, wmts_tile_matrix_sets
    from ..fetch import FetchError, fetch, mirrored_url
    from ..toolbelt.settings import current

    settings = settings or current()
    url = wmts_capabilities_url(dataset.source.url)
    try:
        capabilities = fetch(url, settings=settings, feedback=feedback, max_age_s=86400).read_bytes()
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    sets = wmts_tile_matrix_sets(capabilities, dataset.source.layer)
    if not sets:
        raise QgsProcessingException(tr("Le service {url} ne propose pas la couche « {layer} » : vérifiez l'entrée "
                                        "« {dataset} » du catalogue.").format(url=url, layer=dataset.source.layer,
                                                                             dataset=dataset.id))
    matrix = "PM" if "PM" in sets else sets[0]
    # QGIS's WMS provider reads the service itself: through the mirror too, when one is set
    served = replace(dataset, source=replace(dataset.source, url=mirrored_url(dataset.source.url,
                                                                              settings.mirror_url)))
    return wmts_layer_uri(served, matrix, "EPSG:3857" if matrix == "PM" else "EPSG:4326")
