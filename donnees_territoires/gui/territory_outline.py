"""The chosen territories' outline on the map, before anything is produced (a rubber band, not a layer)."""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsTask
from qgis.gui import QgsRubberBand
from qgis.PyQt import sip
from qgis.PyQt.QtGui import QColor

from .. import compat
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

#: a coarse contour is enough to show where the territory is
SIMPLIFY_M = 20
STROKE = QColor(200, 30, 90, 230)


class TerritoryOutline:
    """Draws the dissolved contour (buffer included) of the chosen territories on `canvas`; its contour is
    computed in a background task, and a newer choice makes an older result void."""

    def __init__(self, canvas) -> None:
        self._canvas = canvas
        self._band: QgsRubberBand | None = None
        self._generation = 0
        self.task: QgsTask | None = None
        self.shown_for: tuple = ()

    def show(self, references: list[str], vintage: int | None = None, buffer_m: float = 0.0) -> None:
        """Outline `references` (an empty list: nothing); the drawing follows when its contour is ready."""
        self._generation += 1
        generation = self._generation
        if self._canvas is None or not references:
            self.clear()
            return
        from ..load import contours_in_background

        wanted = (tuple(references), vintage, buffer_m)

        @guarded(tr("le contour du territoire sur la carte"))
        def done(error, result=None):
            if generation != self._generation:
                return  # another choice since
            self.task = None
            if error is not None or result is None or not result.boundaries:
                log.info(tr("Contour de {references} non affiché : {error}").format(
                    references=", ".join(references), error=error))
                self.clear()
                return
            self._draw(QgsGeometry.unaryUnion([b.geometry for b in result.boundaries]), result.crs)
            self.shown_for = wanted

        self.task = contours_in_background(tr("Contour de {references}").format(references=", ".join(references)),
                                           list(references), self._canvas, done, vintage=vintage, buffer_m=buffer_m,
                                           dissolve=True, simplify_m=SIMPLIFY_M)

    def geometry(self) -> QgsGeometry | None:
        """What is drawn, in the canvas CRS (None: nothing)."""
        if self._band is None or sip.isdeleted(self._band) or self._band.numberOfVertices() == 0:
            return None
        return self._band.asGeometry()

    def clear(self) -> None:
        self.shown_for = ()
        if self._band is not None and not sip.isdeleted(self._band):
            self._band.reset(compat.GEOMETRY_POLYGON)

    def unload(self) -> None:
        """Remove the band from the map (plugin unload, dock closed for good)."""
        self._generation += 1
        band, self._band = self._band, None
        if band is not None and not sip.isdeleted(band):
            band.reset(compat.GEOMETRY_POLYGON)
            scene = self._canvas.scene() if self._canvas is not None else None
            if scene is not None:
                scene.removeItem(band)
            sip.delete(band)

    def _draw(self, geometry: QgsGeometry, crs) -> None:
        if self._canvas is None:
            return
        if self._band is None or sip.isdeleted(self._band):
            self._band = QgsRubberBand(self._canvas, compat.GEOMETRY_POLYGON)
            self._band.setStrokeColor(STROKE)
            self._band.setFillColor(QColor(0, 0, 0, 0))
            self._band.setWidth(2)
        self._band.setToGeometry(geometry, crs)
