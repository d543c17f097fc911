"""One chosen territory in the picker, shown as a chip: its name and a × that removes it."""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded


class TerritoryChip(QFrame):
    """One chosen territory: its name, and a × button (reachable with Tab) that removes it."""

    remove_requested = pyqtSignal(str)

    def __init__(self, reference: str, label: str, tooltip: str, problem: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.reference = reference
        self.problem = problem
        self.setObjectName("territoryChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 1, 1)
        layout.setSpacing(2)
        self.label = QLabel(("⚠ " if problem else "") + label, self)
        self.label.setToolTip(tooltip)
        layout.addWidget(self.label)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.remove_button.setToolTip(tr("Retirer {label}").format(label=label))
        self.remove_button.setAccessibleName(tr("Retirer {label}").format(label=label))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        layout.addWidget(self.remove_button)
        self.setToolTip(tooltip)

    @guarded(tr("le retrait du territoire"))
    def _on_remove_clicked(self) -> None:
        self.remove_requested.emit(self.reference)
