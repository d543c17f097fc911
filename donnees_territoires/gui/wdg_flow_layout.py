"""A layout that lines its items up left to right and wraps them, like words in a paragraph (the territory chips)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QPoint, QRect, QSize
from qgis.PyQt.QtWidgets import QLayout, QWidget, QWidgetItem

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

# what failed, in the user's words, when a Qt override below raises
LAYOUT = tr("la disposition des territoires choisis")


class FlowLayout(QLayout):
    """Lays its items out left to right, wrapping to the next line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items: list = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    @guarded(LAYOUT)
    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def insert_widget(self, position: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(max(0, min(position, len(self._items))), QWidgetItem(widget))
        self.invalidate()

    @guarded(LAYOUT, default=0)
    def count(self) -> int:
        return len(self._items)

    @guarded(LAYOUT)
    def itemAt(self, position: int):  # noqa: N802
        return self._items[position] if 0 <= position < len(self._items) else None

    @guarded(LAYOUT)
    def takeAt(self, position: int):  # noqa: N802
        return self._items.pop(position) if 0 <= position < len(self._items) else None

    @guarded(LAYOUT, default=False)
    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    @guarded(LAYOUT, default=-1)
    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    @guarded(LAYOUT)
    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    @guarded(LAYOUT, default=QSize())
    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    @guarded(LAYOUT, default=QSize())
    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize(0, 0)
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()
