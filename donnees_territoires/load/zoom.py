"""The map framed on a territory or on a loaded package: one helper for the dock and the algorithms."""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProject,
    QgsRectangle,
    QgsTask,
)

from .. import compat
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

#: the margin around what is framed
MARGIN = 1.05


def main_canvas():
    """QGIS Desktop's map canvas; None without one (qgis_process, a script)."""
    try:
        from qgis.utils import iface
    except ImportError:
        return None
    return iface.mapCanvas() if iface is not None and hasattr(iface, "mapCanvas") else None


def zoom_to_extent(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem, canvas=None,
                   project: QgsProject | None = None) -> bool:
    """Frame `canvas` (default: QGIS's) on `extent`, given in `crs`, with a margin; a canvas without a CRS takes
    `crs`. Main thread only. False when there is no canvas or the extent does not reproject."""
    canvas = canvas if canvas is not None else main_canvas()
    if canvas is None or extent is None or extent.isNull():
        return False
    target = canvas.mapSettings().destinationCrs()
    if not target.isValid():
        canvas.setDestinationCrs(crs)
        box = QgsRectangle(extent)
    else:
        try:
            box = QgsCoordinateTransform(crs, target, project or QgsProject.instance()).transformBoundingBox(extent)
        except QgsCsException as error:
            log.warning(tr("Cadrage impossible : l'emprise ne se reprojette pas dans la projection de la carte "
                           "({error}).").format(error=error))
            return False
    box.scale(MARGIN)
    canvas.setExtent(box)
    canvas.refresh()
    return True


def contours_in_background(title: str, references, canvas, on_done, *, vintage: int | None = None,
                           buffer_m: float = 0.0, dissolve: bool = False, simplify_m: float = 50) -> QgsTask:
    """Start a background task computing the contours of `references` in `canvas`'s CRS (its own when it has
    none); `on_done(error, result)` is then called in the main thread (guard it). Returns the task: keep it
    while it runs."""
    from ..territory.contours import build_boundaries

    crs = canvas.mapSettings().destinationCrs()
    transform_context = QgsProject.instance().transformContext()  # read here, on the main thread

    def compute(_task):
        return build_boundaries(references, vintage, buffer_m=buffer_m, dissolve=dissolve,
                                crs=crs if crs.isValid() else None, simplify_m=simplify_m,
                                transform_context=transform_context)

    task = QgsTask.fromFunction(title, compute, on_finished=on_done, flags=compat.helper_task_flags())
    QgsApplication.taskManager().addTask(task)
    return task


def zoom_to_territory(reference: str, canvas, finished=None) -> QgsTask | None:
    """Frame `canvas` on a territory (« epci:243300316 »): its contour is computed in a background task, the
    one returned (keep it while it runs); `finished()` is called at its end, in the main thread."""
    if canvas is None:
        return None

    @guarded(tr("le cadrage de la carte sur le territoire"))
    def done(error, result=None):
        try:
            if error is not None or result is None or not result.boundaries:
                log.warning(tr("Impossible de cadrer la carte sur {reference} : {error}").format(
                    reference=reference, error=error))
                return
            extent = QgsRectangle(result.boundaries[0].geometry.boundingBox())
            for boundary in result.boundaries[1:]:
                extent.combineExtentWith(boundary.geometry.boundingBox())
            zoom_to_extent(extent, result.crs, canvas)
        finally:
            if finished is not None:
                finished()

    # a coarse contour is enough to frame the map
    return contours_in_background(tr("Cadrage sur {reference}").format(reference=reference), reference, canvas,
                                  done, simplify_m=50)
