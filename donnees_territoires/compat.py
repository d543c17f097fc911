"""The few differences between QGIS 3.22 (Qt5) and later QGIS / QGIS 4 (Qt6), in one place."""

from __future__ import annotations

from qgis.core import Qgis, QgsField
from qgis.PyQt.QtCore import QT_VERSION_STR

QGIS_VERSION_INT: int = Qgis.QGIS_VERSION_INT
QT6 = QT_VERSION_STR.startswith("6")


def make_field(name: str, type_name: str, length: int = 0, precision: int = 0) -> QgsField:
    """A QgsField from a portable type name: 'string', 'int', 'int64', 'double', 'date', 'datetime', 'bool'.

    QgsField(name, QMetaType.Type) only exists from QGIS 3.38; before, it takes QVariant.Type.
    """
    if QGIS_VERSION_INT >= 33800:
        from qgis.PyQt.QtCore import QMetaType

        types = {
            "string": QMetaType.Type.QString, "int": QMetaType.Type.Int,
            "int64": QMetaType.Type.LongLong, "double": QMetaType.Type.Double,
            "date": QMetaType.Type.QDate, "datetime": QMetaType.Type.QDateTime,
            "bool": QMetaType.Type.Bool,
        }
    else:
        from qgis.PyQt.QtCore import QVariant

        types = {
            "string": QVariant.String, "int": QVariant.Int, "int64": QVariant.LongLong,
            "double": QVariant.Double, "date": QVariant.Date, "datetime": QVariant.DateTime,
            "bool": QVariant.Bool,
        }
    return QgsField(name, types[type_name], len=length, prec=precision)
