"""The few differences between QGIS 3.22 (Qt5) and later QGIS / QGIS 4 (Qt6), in one place."""

from __future__ import annotations

from qgis.core import Qgis, QgsException, QgsField, QgsNotSupportedException, QgsProviderConnectionException
from qgis.PyQt.QtCore import QT_VERSION_STR

QGIS_VERSION_INT: int = Qgis.QGIS_VERSION_INT
QT6 = QT_VERSION_STR.startswith("6")

# What QGIS's provider and database connection calls raise. None derives from QgsException in Python,
# and which one a failure raises depends on the version: a refused PostgreSQL connection is a
# QgsException on 3.22 and a QgsProviderConnectionException from 3.28 on.
QGIS_ERRORS = (QgsException, QgsProviderConnectionException, QgsNotSupportedException)


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


# -- Processing and feature enums: scoped in Qgis.* from 3.36, the old homes are gone in QGIS 4 ----
if QGIS_VERSION_INT >= 33600:
    SOURCE_VECTOR_ANY = Qgis.ProcessingSourceType.Vector
    SOURCE_VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
    SOURCE_VECTOR_ANY_GEOMETRY = Qgis.ProcessingSourceType.VectorAnyGeometry
    NUMBER_INTEGER = Qgis.ProcessingNumberParameterType.Integer
    NUMBER_DOUBLE = Qgis.ProcessingNumberParameterType.Double
    FIELD_ANY = Qgis.ProcessingFieldParameterDataType.Any
    REQUEST_NO_GEOMETRY = Qgis.FeatureRequestFlag.NoGeometry
    PARAMETER_ADVANCED = Qgis.ProcessingParameterFlag.Advanced
    PARAMETER_OPTIONAL = Qgis.ProcessingParameterFlag.Optional
    INVALID_GEOMETRY_NO_CHECK = Qgis.InvalidGeometryCheck.NoCheck
    WKB_MULTIPOLYGON = Qgis.WkbType.MultiPolygon
    WKB_TYPE = Qgis.WkbType  # WKB_TYPE(3): a type from its number
    WKB_UNKNOWN = Qgis.WkbType.Unknown
    WKB_COLLECTION = Qgis.WkbType.GeometryCollection
    GEOMETRY_POLYGON = Qgis.GeometryType.Polygon
    GEOMETRY_POINT = Qgis.GeometryType.Point
    GEOMETRY_UNKNOWN = Qgis.GeometryType.Unknown
    FILE_BEHAVIOR_FOLDER = Qgis.ProcessingFileParameterBehavior.Folder
else:
    from qgis.core import (
        QgsFeatureRequest,
        QgsProcessing,
        QgsProcessingParameterDefinition,
        QgsProcessingParameterField,
        QgsProcessingParameterFile,
        QgsProcessingParameterNumber,
        QgsWkbTypes,
    )

    SOURCE_VECTOR_ANY = QgsProcessing.SourceType.TypeVector
    SOURCE_VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
    SOURCE_VECTOR_ANY_GEOMETRY = QgsProcessing.SourceType.TypeVectorAnyGeometry
    NUMBER_INTEGER = QgsProcessingParameterNumber.Type.Integer
    NUMBER_DOUBLE = QgsProcessingParameterNumber.Type.Double
    FIELD_ANY = QgsProcessingParameterField.DataType.Any
    REQUEST_NO_GEOMETRY = QgsFeatureRequest.Flag.NoGeometry
    PARAMETER_ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced
    PARAMETER_OPTIONAL = QgsProcessingParameterDefinition.Flag.FlagOptional
    INVALID_GEOMETRY_NO_CHECK = QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck
    WKB_MULTIPOLYGON = QgsWkbTypes.Type.MultiPolygon
    WKB_TYPE = QgsWkbTypes.Type
    WKB_UNKNOWN = QgsWkbTypes.Type.Unknown
    WKB_COLLECTION = QgsWkbTypes.Type.GeometryCollection
    GEOMETRY_POLYGON = QgsWkbTypes.GeometryType.PolygonGeometry
    GEOMETRY_POINT = QgsWkbTypes.GeometryType.PointGeometry
    GEOMETRY_UNKNOWN = QgsWkbTypes.GeometryType.UnknownGeometry
    FILE_BEHAVIOR_FOLDER = QgsProcessingParameterFile.Behavior.Folder


# -- locator results: a public `userData` member until 3.34, then userData()/setUserData() --------
def locator_score_role() -> int:
    """The role under which QgsLocatorModel gives a result's score (QgsLocatorModel.CustomRole from 3.36)."""
    from qgis.core import QgsLocatorModel

    if hasattr(QgsLocatorModel, "CustomRole"):
        return int(QgsLocatorModel.CustomRole.ResultScore)
    return int(QgsLocatorModel.ResultScoreRole)


def set_locator_data(result, value) -> None:
    if hasattr(result, "setUserData"):
        result.setUserData(value)
    else:
        result.userData = value


def locator_data(result):
    data = result.userData
    return data() if callable(data) else data


# -- layer filters of the map layer combo box: Qgis.LayerFilter from 3.34 -------------------------
if QGIS_VERSION_INT >= 33400:
    LAYER_FILTER_HAS_GEOMETRY = Qgis.LayerFilter.HasGeometry
else:
    from qgis.core import QgsMapLayerProxyModel

    LAYER_FILTER_HAS_GEOMETRY = QgsMapLayerProxyModel.Filter.HasGeometry


# -- a helper task (a territory's outline, a base map's capabilities) kept out of QGIS's task list and its
# « Tâche complète » notice: QgsTask.Hidden exists from QGIS 3.26; before, every task is listed and noticed
def helper_task_flags():
    from qgis.core import QgsTask

    hidden = getattr(QgsTask.Flag, "Hidden", None)
    return QgsTask.Flag.CanCancel | hidden if hidden is not None else QgsTask.Flag.CanCancel


# -- a symbol layer's data-defined size: QgsSymbolLayer.Property.Size in recent QGIS, PropertySize before --
def symbol_size_property():
    from qgis.core import QgsSymbolLayer

    properties = QgsSymbolLayer.Property
    return properties.Size if hasattr(properties, "Size") else properties.PropertySize


def connect_progress_text(feedback, slot) -> None:
    """QgsProcessingFeedback.progressTextChanged exists from QGIS 3.24; before, there is no step text to show."""
    signal = getattr(feedback, "progressTextChanged", None)
    if signal is not None:
        signal.connect(slot)


def export_sld(layer) -> str:
    """The layer's style as SLD text: exportSldStyleV3 from QGIS 3.44, where exportSldStyle is deprecated."""
    if QGIS_VERSION_INT >= 34400:
        from qgis.core import QgsSldExportContext

        return layer.exportSldStyleV3(QgsSldExportContext()).toString()
    from qgis.PyQt.QtXml import QDomDocument

    document = QDomDocument()
    layer.exportSldStyle(document, "")
    return document.toString()
