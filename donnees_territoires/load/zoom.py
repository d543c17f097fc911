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


def zoom_to_territory(reference: str, canvas, finished=None) -> QgsTask | None:
    """Frame `canvas` on a territory (« epci:243300316 »): its contour is computed in a background task, the
    one returned (keep it while it runs); `finished()` is called at its end, in the main thread."""
    if canvas is None:
        return None
    from ..territory.contours import build_boundaries

    crs = canvas.mapSettings().destinationCrs()
    transform_context = QgsProject.instance().transformContext()  # read here, on the main thread

    def compute(_task):
        # a coarse contour is enough to frame the map
        return build_boundaries(reference, crs=crs if crs.isValid() else None, simplify_m=50,
                                transform_context=transform_context)

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

    task = QgsTask.fromFunction(tr("Cadrage sur {reference}").format(reference=reference), compute,
                                on_finished=done)
    QgsApplication.taskManager().addTask(task)
    return task
