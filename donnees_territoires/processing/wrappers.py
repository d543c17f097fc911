"""Processing widget wrappers (named in the parameters' metadata): the dialog shows a territory search and a
catalog tree; the batch dialog and the modeler, a text field (or the model's text inputs) — every one of
them gives Processing the same string, so models and qgis_process are unchanged.

Imported by Processing's dialogs only (it needs processing.gui); the parameters name the classes by
their path, so headless runs never import it.
"""

from __future__ import annotations

from processing.gui.wrappers import DIALOG_BATCH, DIALOG_MODELER, WidgetWrapper
from qgis.core import QgsProcessingOutputString, QgsProcessingParameterString
from qgis.PyQt.QtWidgets import QComboBox, QLineEdit


class _TextWrapper(WidgetWrapper):
    """A rich field in the algorithm's dialog; a line edit in the batch dialog, the model's strings in the modeler."""

    def rich_field(self):
        raise NotImplementedError

    def createWidget(self):  # noqa: N802
        if self.dialogType == DIALOG_MODELER:
            combo = QComboBox()
            combo.setEditable(True)
            for source in self.dialog.getAvailableValuesOfType(QgsProcessingParameterString,
                                                               QgsProcessingOutputString):
                combo.addItem(self.dialog.resolveValueDescription(source), source)
            return combo
        if self.dialogType == DIALOG_BATCH:
            return QLineEdit()
        return self.rich_field()

    def setValue(self, value):  # noqa: N802
        text = "" if value is None else str(value)
        if isinstance(self.widget, QComboBox):
            self.setComboValue(value)
        elif isinstance(self.widget, QLineEdit):
            self.widget.setText(text)
        else:
            self.widget.set_value(text)

    def value(self):
        if isinstance(self.widget, QComboBox):
            return self.comboValue()
        if isinstance(self.widget, QLineEdit):
            return self.widget.text().strip()
        return self.widget.value()


class TerritoryWrapper(_TextWrapper):
    def rich_field(self):
        from ..gui.processing_fields import TerritoryField

        return TerritoryField()


class DatasetsWrapper(_TextWrapper):
    def rich_field(self):
        from ..gui.processing_fields import DatasetsField

        return DatasetsField()
