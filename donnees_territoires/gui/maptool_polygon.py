"""The map tool that draws a polygon on the canvas, for a territory shape of the user's own."""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsPointXY
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from .. import compat
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

# what failed, in the user's words, when a slot or a Qt override about drawing raises
DRAWING = tr("le dessin d'un polygone sur la carte")


class PolygonMapTool(QgsMapTool):
    """Left click adds a vertex, right click finishes (3 vertices at least), Esc cancels, Backspace undoes."""

    finished = pyqtSignal(QgsGeometry)
    canceled = pyqtSignal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self._points: list[QgsPointXY] = []
        self._band: QgsRubberBand | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    @property
    def points(self) -> list[QgsPointXY]:
        return list(self._points)

    def _rubber_band(self) -> QgsRubberBand:
        if self._band is None:
            self._band = QgsRubberBand(self.canvas(), compat.GEOMETRY_POLYGON)
            self._band.setColor(QColor(220, 60, 30, 220))
            self._band.setFillColor(QColor(220, 60, 30, 50))
            self._band.setWidth(2)
        return self._band

    def _show(self, extra: QgsPointXY | None = None) -> None:
        band = self._rubber_band()
        band.reset(compat.GEOMETRY_POLYGON)
        points = self._points + ([extra] if extra is not None else [])
        for position, point in enumerate(points):
            band.addPoint(point, position == len(points) - 1)

    @guarded(DRAWING)
    def canvasMoveEvent(self, event) -> None:  # noqa: N802
        if self._points:
            self._show(event.mapPoint())

    @guarded(DRAWING)
    def canvasReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._points.append(QgsPointXY(event.mapPoint()))
            self._show()
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    @guarded(DRAWING)
    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancel()
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self._points:
            event.accept()
            self._points.pop()
            self._show()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.finish()
        else:
            event.ignore()

    def finish(self) -> None:
        """End the polygon; fewer than 3 vertices is a cancel."""
        points = self._points
        self.reset()
        if len(points) < 3:
            self.canceled.emit()
            return
        geometry = QgsGeometry.fromPolygonXY([points + [points[0]]])
        if not geometry.isGeosValid():
            geometry = geometry.makeValid()  # a figure-of-eight drawn by mistake
        self.finished.emit(geometry)

    def cancel(self) -> None:
        self.reset()
        self.canceled.emit()

    def reset(self) -> None:
        self._points = []
        if self._band is not None:
            self._band.reset(compat.GEOMETRY_POLYGON)

    @guarded(DRAWING)
    def deactivate(self) -> None:
        self.reset()
        super().deactivate()

    def remove_rubber_band(self) -> None:
        if self._band is not None and not sip.isdeleted(self._band):
            self.canvas().scene().removeItem(self._band)
        self._band = None
