"""scripts/lint_qt6.py, the checks that read the QGIS bindings: unscoped QGIS enums, names absent from 3.22."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import lint_qt6  # noqa: E402

BAD = [
    ("from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.Point", "QgsWkbTypes.Type.Point"),
    ("from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.PolygonGeometry",
     "QgsWkbTypes.GeometryType.PolygonGeometry"),
    ("from qgis.core import Qgis\nlevel = Qgis.Warning", "Qgis.MessageLevel.Warning"),
    ("from qgis.core import QgsProcessing\nkind = QgsProcessing.TypeVectorPolygon",
     "QgsProcessing.SourceType.TypeVectorPolygon"),
    ("from qgis.core import QgsFeatureRequest\nflag = QgsFeatureRequest.NoGeometry",
     "QgsFeatureRequest.Flag.NoGeometry"),
    ("from qgis.core import QgsVectorFileWriter as W\nok = W.NoError", "W.WriterError.NoError"),
    ("from qgis.core import QgsLayoutItemPage\nc = QgsLayoutItemPage.UndoArrowHeadWidth",
     "QgsLayoutItem.UndoCommand.UndoArrowHeadWidth"),
    ("def f():\n    from qgis.gui import QgsProjectionSelectionWidget as P\n    return P.CrsNotSet",
     "P.CrsOption.CrsNotSet"),
]


def _names() -> dict:
    import qgis.core
    import qgis.gui

    return {**vars(qgis.core), **vars(qgis.gui), "W": qgis.core.QgsVectorFileWriter,
            "P": qgis.gui.QgsProjectionSelectionWidget}


@pytest.mark.parametrize(("source", "scoped"), BAD)
def test_an_unscoped_qgis_enum_is_caught_with_its_scoped_form(source, scoped):
    from qgis.core import Qgis

    findings = lint_qt6.lint_source(source)
    assert [f.code for f in findings] == ["QT607"], findings
    suggested = findings[0].message.split("écrire ", 1)[1].split(" (", 1)[0]
    written = source.rsplit("= ", 1)[1] if "= " in source else source.rsplit("return ", 1)[1]
    # the form the message gives is the same value, on the QGIS that runs the lint
    assert eval(suggested, _names()) == eval(written, _names())
    if Qgis.QGIS_VERSION_INT < 33000:  # later QGIS moved many enums to Qgis.*: the form names the new home
        assert suggested == scoped


def test_a_name_absent_from_the_qgis_bindings_belongs_in_compat():
    source = "from qgis.core import Qgis\nkind = Qgis.NoSuchEnum.Vector"
    assert [f.code for f in lint_qt6.lint_source(source)] == ["QT609"]


GOOD = """
from qgis.core import Qgis, QgsFeatureRequest, QgsMapLayer, QgsProcessing, QgsWkbTypes
from qgis.gui import QgsProjectionSelectionWidget

level = Qgis.MessageLevel.Info
version = Qgis.QGIS_VERSION_INT
kind = QgsWkbTypes.Type.Point
geometry = QgsWkbTypes.GeometryType.PolygonGeometry
multi = QgsWkbTypes.multiType(kind)
flag = QgsFeatureRequest.Flag.NoGeometry
style = QgsMapLayer.StyleCategory.Symbology | QgsMapLayer.StyleCategory.Labeling
output = QgsProcessing.TEMPORARY_OUTPUT
crs = QgsProjectionSelectionWidget.CrsOption.CrsNotSet
snap = Qgis.DEFAULT_SNAP_UNITS
"""


def test_scoped_qgis_enums_and_constants_pass():
    assert lint_qt6.lint_source(GOOD) == []


def test_the_repository_passes_the_lint():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "lint_qt6.py")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
