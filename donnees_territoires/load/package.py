"""A package's tables into the project after a run: through Processing's post-processing, or the dock's task end.

The run (a task thread) only opens the layers and asks for them to be loaded on completion, each
with an IntoTerritoryGroup post-processor; everything touching the project happens in the main
thread: in Processing's result handling for a run from the toolbox, in load_results() for the dock.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)

from ..catalog.model import theme_label
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .group import drop_stale, place_layer
from .zoom import zoom_to_extent

#: post-processors alive until they have been used: Processing calls them after the run, when the
#: algorithm copy that made them (QgsProcessingAlgorithm.run works on a copy) is gone
_PENDING: list = []


@dataclass(frozen=True)
class PackageTable:
    """One table of a package as the project opens it."""

    address: str  # the QGIS data source (Destination.layer_address)
    provider: str
    title: str
    theme: str  # catalog theme id
    table: str


def package_tables(run) -> list[PackageTable]:
    """The tables of a run's package (recipe.RunResult), in recipe order, written now or already up to date."""
    destination = run.recipe.output
    if run.report is not None:
        themes = [layer.theme for layer in run.layers]
        return [PackageTable(table.uri, destination.PROVIDER, table.title, theme, table.table)
                for table, theme in zip(run.report.layers, themes)]
    return [PackageTable(destination.layer_address(layer["table_name"]), destination.PROVIDER,
                         layer.get("title") or layer["table_name"], layer.get("theme") or "", layer["table_name"])
            for layer in (run.manifest or {}).get("layers", [])]


class IntoTerritoryGroup(QgsProcessingLayerPostProcessorInterface):
    """Puts a loaded layer in « <Territoire> (<code>) » › <thème> at its rank, updating the package's layer
    already there in place; the package's last layer also drops the tables it no longer has and zooms."""

    def __init__(self, group: str, theme: str, position: int, key: str, table: str, tables=(), extent=None,
                 extent_crs=None):
        super().__init__()
        self.group, self.theme, self.position, self.key, self.table = group, theme, position, key, table
        self.tables, self.extent, self.extent_crs = tuple(tables), extent, extent_crs

    @guarded(tr("le rangement d'une couche dans le groupe du territoire"))  # called by QGIS after the run
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        try:
            project = context.project() or QgsProject.instance()
            place_layer(project, layer, self.group, self.theme, self.position, self.key, self.table)
            if self.tables:
                drop_stale(project, self.group, self.key, self.tables)
            if self.extent is not None:
                zoom_to_extent(self.extent, self.extent_crs, project=project)
        finally:
            if self in _PENDING:
                _PENDING.remove(self)


def load_on_completion(run, tables: list[PackageTable], context: QgsProcessingContext, output_name: str) -> None:
    """Open the package's layers and ask for them on completion, into the territory's group (any thread: the
    project is touched by the post-processors, in the main thread)."""
    destination = run.recipe.output
    extent, extent_crs = None, None
    for number, item in enumerate(tables):
        layer = QgsVectorLayer(item.address, item.title, item.provider)  # comes up with the package's default style
        if not layer.isValid():
            raise QgsProcessingException(tr("Couche {uri} illisible après écriture.").format(uri=item.address))
        if layer.isSpatial() and layer.featureCount():
            if extent is None:
                extent, extent_crs = layer.extent(), layer.crs()
            else:
                extent.combineExtentWith(layer.extent())
        if context.temporaryLayerStore().addMapLayer(layer) is None:
            raise QgsProcessingException(tr("Couche {uri} illisible après écriture.").format(uri=item.address))
        details = QgsProcessingContext.LayerDetails(item.title, context.project(), output_name)
        last = number == len(tables) - 1
        post = IntoTerritoryGroup(run.territory.group_name, theme_label(item.theme), number, destination.load_key,
                                  item.table, [t.table for t in tables] if last else (),
                                  extent if last else None, extent_crs if last else None)
        _PENDING.append(post)
        details.setPostProcessor(post)
        context.addLayerToLoadOnCompletion(layer.id(), details)


def load_results(context: QgsProcessingContext, feedback: QgsProcessingFeedback | None = None) -> int:
    """Main thread, once an algorithm run as a task has finished: the layers it asked to load
    (layersToLoadOnCompletion) into their project, each through its post-processor — what Processing
    does after a run from its own dialogs. How many were handled."""
    feedback = feedback or QgsProcessingFeedback()
    store = context.temporaryLayerStore()
    added = []
    for layer_id, details in context.layersToLoadOnCompletion().items():
        layer = store.mapLayer(layer_id) or QgsProcessingUtils.mapLayerFromString(layer_id, context)
        if layer is None:
            log.warning(tr("Couche de résultat introuvable : {layer}").format(layer=layer_id))
            continue
        if details.name:
            layer.setName(details.name)
        project = details.project or context.project() or QgsProject.instance()
        owned = store.takeMapLayer(layer)
        if project.addMapLayer(owned or layer, details.postProcessor() is None) is None:
            log.warning(tr("Couche de résultat refusée par le projet : {layer}").format(layer=layer.name()))
            continue
        added.append((layer, details))
    # every layer is in its project first: a post-processor may then rearrange the tree
    for layer, details in added:
        if details.postProcessor() is not None:
            details.postProcessor().postProcessLayer(layer, context, feedback)  # may drop it (update in place)
    return len(added)


def update_loaded(destination, project: QgsProject | None = None) -> int:
    """After a refresh: the project's layers on the package `destination` read it again; how many."""
    count = 0
    for layer in (project or QgsProject.instance()).mapLayers().values():
        if destination.table_of(layer) is not None:
            layer.dataProvider().reloadData()
            if hasattr(layer, "updateExtents"):
                layer.updateExtents()
            layer.triggerRepaint()
            count += 1
    return count


def fetch_dates(destination) -> dict[str, str]:
    """{dataset id: when it was downloaded (ISO 8601)} of the package `destination`, from its manifest;
    empty (and logged) when it cannot be read."""
    from ..package import PackageError

    try:
        manifest = destination.read_manifest()
    except PackageError as error:
        log.warning(str(error))
        return {}
    return {layer["dataset_id"]: layer.get("fetched_at") or "" for layer in manifest.get("layers", [])}
