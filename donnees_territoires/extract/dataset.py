"""One catalog dataset for one territory written to a layer (download_dataset): the runner's acquisition and its
one cut (split.py), with a single territory."""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingUtils,
)

from ..toolbelt.i18n import tr
from .acquisition import Acquisition, check_datasets
from .cut import CutMode, CutReport, run_child
from .download import open_download
from .split import Share, split_layer
from .split_table import MemoryTable


@dataclass
class DatasetResult:
    """A dataset cut to a territory, and where every file came from."""

    dataset_id: str
    output: str  # the written layer (path or layer id in the context)
    crs: QgsCoordinateReferenceSystem
    fetches: list[dict] = field(default_factory=list)  # FetchResult.to_manifest() of each download
    feature_count: int = 0
    repaired: int = 0
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)


def cut_files(dataset, files: list, key: str, name: str, target: QgsCoordinateReferenceSystem, shape,
              transform_context, feedback: QgsProcessingFeedback | None = None) -> tuple:
    """(memory layer, CutReport): one territory's files of a dataset cut into one layer, each read once.

    What a package cuts for itself (files only it reads), and download_dataset. `shape`: the
    polygon of the spatial rules (shape.Shape), None for the others.
    """
    report, table = CutReport(CutMode(dataset.cut.rule)), None
    for downloaded in files:
        layer = open_download(downloaded, dataset)
        if table is None:
            table = MemoryTable(dataset.id, layer, target, multi=dataset.cut.rule == "clip")
        else:
            table.source_single_type(layer)
        share = Share(key, name, target, table, shape, tuple(downloaded.request.codes), report)
        split_layer(layer, dataset.id, dataset.cut.rule, [share], transform_context, code_field=dataset.cut.field,
                    feedback=feedback)
        if feedback is not None and feedback.isCanceled():
            break
    table.finish()
    return table.layer, report.add_notes(dataset.id)


def download_dataset(dataset, selection, output, context: QgsProcessingContext,
                     feedback: QgsProcessingFeedback | None = None, *, catalog=None, settings=None,
                     crs: QgsCoordinateReferenceSystem | None = None) -> DatasetResult:
    """Fetch `dataset` (a catalog id or Dataset) for a territory.Selection and write it, cut and reprojected,
    to `output`. A selection with a custom shape is still fetched for its territories but cut to the shape."""
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    settings = settings or current()
    if catalog is None:
        from ..catalog import configured_catalog

        catalog = configured_catalog(settings)
    dataset = catalog[dataset] if isinstance(dataset, str) else dataset
    check_datasets(catalog, [dataset.id])
    steps = QgsProcessingMultiStepFeedback(3, feedback)
    acquisition = Acquisition(catalog, settings, context.transformContext(), steps, crs=crs)
    (fetched,) = acquisition.fetch(dataset, [selection], 0, 3)
    if isinstance(fetched, str):
        raise QgsProcessingException(fetched)
    result = DatasetResult(dataset.id, "", fetched.target, fetches=list(fetched.fetches))
    if steps.isCanceled():
        return result
    steps.setCurrentStep(1)
    layer, report = cut_files(dataset, fetched.files, selection.reference, selection.name, fetched.target,
                              fetched.shape, context.transformContext(), steps)
    if steps.isCanceled():
        return result
    steps.setCurrentStep(2)
    result.output = run_child("native:extractbyexpression", {"INPUT": layer, "EXPRESSION": "true",
                                                             "OUTPUT": output}, context, steps)["OUTPUT"]
    result.warnings = list(dict.fromkeys(fetched.warnings + report.notes))
    result.repaired, result.dropped = report.repaired, report.dropped
    written = QgsProcessingUtils.mapLayerFromString(result.output, context)
    result.feature_count = written.featureCount() if written is not None else 0
    return result


def view_only_uri(dataset, settings=None, feedback: QgsProcessingFeedback | None = None) -> str:
    """The « wms » provider URI of a view-only catalog entry: a WMS layer as it is; a WMTS layer with its tile
    matrix set read from the service's capabilities (Pseudo-Mercator « PM » when offered). Network (WMTS): call it
    from a task."""
    from dataclasses import replace

    from ..catalog.sources import wms_layer_uri, wmts_capabilities_url, wmts_layer_uri, wmts_tile_matrix_sets
    from ..fetch import FetchError, fetch, mirrored_url
    from ..toolbelt.settings import current

    settings = settings or current()
    # QGIS's WMS provider reads the service itself: through the mirror too, when one is set
    served = replace(dataset, source=replace(dataset.source, url=mirrored_url(dataset.source.url,
                                                                              settings.mirror_url)))
    if dataset.source.kind == "wms":
        return wms_layer_uri(served)
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
    return wmts_layer_uri(served, matrix, "EPSG:3857" if matrix == "PM" else "EPSG:4326")
