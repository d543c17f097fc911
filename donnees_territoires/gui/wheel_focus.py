"""The mouse wheel scrolls the dock rather than change a value the user is not editing (a spin box, a combo box)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QEvent, QObject, Qt
from qgis.PyQt.QtWidgets import QWidget

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded


class WheelNeedsFocus(QObject):
    """Event filter: a wheel turn over the watched widget goes to its parents unless the widget has the focus."""

    @guarded(tr("le défilement à la molette"), default=False)
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored, not accepted: Qt hands the turn on to the scroll area behind
            return True
        return False


def ignore_wheel_without_focus(widget: QWidget) -> None:
    """The wheel changes `widget` only once the user has clicked or tabbed into it.

    Spin boxes take the focus from the wheel itself by default (Qt.WheelFocus): the turn that was
    meant to scroll the panel would give them the focus and change their value at once.
    """
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(WheelNeedsFocus(widget))
