"""View-only catalog entries (WMTS base maps) added to the project's « Fonds de plan » group."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsProject, QgsRasterLayer, QgsTask

from .. import compat
from ..catalog.model import theme_label
from ..toolbelt import log
from ..toolbelt.i18n import tr, user_locale
from ..toolbelt.slots import guarded

#: the catalog theme of base maps, which names their group
THEME = "fonds_de_plan"


class BaseMaps:
    """Adds base maps: each service's capabilities are read in a task, the layer is added in the main thread."""

    def __init__(self, project: QgsProject | None = None):
        self.project = project
        self.tasks: dict[str, QgsTask] = {}  # dataset id → its task, kept alive while it runs

    @property
    def pending(self) -> bool:
        return bool(self.tasks)

    def add(self, datasets) -> None:
        """Add each view-only dataset (catalog.Dataset) to the project, in the background."""
        from ..extract.dataset import view_only_uri

        language = user_locale()
        for dataset in datasets:
            def compute(_task, dataset=dataset):
                return view_only_uri(dataset)

            @guarded(tr("l'ajout d'un fond de plan"))
            def done(error, uri=None, dataset=dataset):
                self.tasks.pop(dataset.id, None)
                if error is not None or not uri:
                    log.warning(tr("Fond de plan « {title} » non ajouté : {error}").format(
                        title=dataset.title_for(language), error=error), push=True)
                    return
                self._add_layer(QgsRasterLayer(uri, dataset.title_for(language), "wms"), uri)

            task = QgsTask.fromFunction(tr("Fond de plan « {title} »").format(title=dataset.title_for(language)),
                                        compute, on_finished=done, flags=compat.helper_task_flags())
            self.tasks[dataset.id] = task
            QgsApplication.taskManager().addTask(task)

    def _add_layer(self, layer: QgsRasterLayer, uri: str) -> None:
        if not layer.isValid():
            log.warning(tr("Fond de plan « {title} » illisible ({uri}).").format(title=layer.name(), uri=uri),
                        push=True)
            return
        project = self.project or QgsProject.instance()
        root = project.layerTreeRoot()
        label = theme_label(THEME)
        group = root.findGroup(label) or root.addGroup(label)
        if any(node.layer() is not None and node.layer().source() == layer.source() for node in group.findLayers()):
            return  # already shown: a rerun adds no second copy
        if project.addMapLayer(layer, False) is not None:
            group.addLayer(layer)
