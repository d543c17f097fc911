"""The mouse wheel scrolls the dock rather than change a value the user is not editing (a spin box, a combo box)."""

from __future__ import annotations

from qgis.gui import QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import QEvent, QObject, Qt
from qgis.PyQt.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

#: set on a widget once its filter is installed
_DONE = "donnees_territoires_wheel_needs_focus"


class WheelNeedsFocus(QObject):
    """Event filter: a wheel turn over the watched widget goes to its parents unless the widget has the focus."""

    @guarded(tr("le défilement à la molette"), default=False)
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not _has_focus(watched):
            event.ignore()  # ignored, not accepted: Qt hands the turn on to the scroll area behind
            return True
        return False


def _has_focus(widget: QWidget) -> bool:
    """`widget` or a widget inside it (the combo box of a QGIS selector) has the focus."""
    focused = QApplication.focusWidget()
    return widget.hasFocus() or (focused is not None and widget.isAncestorOf(focused))


def ignore_wheel_without_focus(widget: QWidget, event_filter: WheelNeedsFocus | None = None) -> None:
    """The wheel changes `widget` only once the user has clicked or tabbed into it (through `event_filter`,
    by default one of its own).

    Spin boxes take the focus from the wheel itself by default (Qt.WheelFocus): the turn that was
    meant to scroll the panel would give them the focus and change their value at once.
    """
    if widget.property(_DONE):
        return
    widget.setProperty(_DONE, True)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(event_filter if event_filter is not None else WheelNeedsFocus(widget))


def ignore_wheel_in(container: QWidget) -> WheelNeedsFocus:
    """Every spin box, combo box and projection selector inside `container` changes under the wheel only with
    the focus. Returns the one event filter they share: keep it (a filter whose Python object is collected
    does nothing any more, and the wrappers of widgets QGIS made, as the selector's combo box, are short-lived)."""
    shared = WheelNeedsFocus(container)
    # a QGIS selector hands a wheel turn its combo box ignored on to itself, and turns the combo box
    for kind in (QComboBox, QAbstractSpinBox, QgsProjectionSelectionWidget):
        for widget in container.findChildren(kind):
            ignore_wheel_without_focus(widget, shared)
    return shared
