"""scripts/lint_qt6.py, the checks that read the QGIS bindings: unscoped QGIS enums, names absent from QGIS."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import lint_qt6  # noqa: E402

# (source, form to write while the enum is declared where it was in QGIS 3.22, its home in Qgis once
# QGIS >= 3.30 moved it there: the old names are then aliases set on the old class, and the lint must
# still catch them). Which form is expected depends on the QGIS that runs the test.
BAD = [
    ("from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.Point", "QgsWkbTypes.Type.Point", "Qgis.WkbType.Point"),
    ("from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.PolygonGeometry",
     "QgsWkbTypes.GeometryType.PolygonGeometry", "Qgis.GeometryType.Polygon"),
    ("from qgis.core import QgsWkbTypes as T\nkind = T.LineGeometry", "T.GeometryType.LineGeometry",
     "Qgis.GeometryType.Line"),
    ("from qgis.core import Qgis\nlevel = Qgis.Warning", "Qgis.MessageLevel.Warning", None),
    ("from qgis.core import QgsProcessing\nkind = QgsProcessing.TypeVectorPolygon",
     "QgsProcessing.SourceType.TypeVectorPolygon", "Qgis.ProcessingSourceType.VectorPolygon"),
    ("from qgis.core import QgsFeatureRequest\nflag = QgsFeatureRequest.NoGeometry",
     "QgsFeatureRequest.Flag.NoGeometry", "Qgis.FeatureRequestFlag.NoGeometry"),
    ("from qgis.core import QgsVectorFileWriter as W\nok = W.NoError", "W.WriterError.NoError", None),
    ("from qgis.core import QgsLayoutItemPage\nc = QgsLayoutItemPage.UndoArrowHeadWidth",
     "QgsLayoutItem.UndoCommand.UndoArrowHeadWidth", None),
    ("def f():\n    from qgis.gui import QgsProjectionSelectionWidget as P\n    return P.CrsNotSet",
     "P.CrsOption.CrsNotSet", None),
]


def _names() -> dict:
    import qgis.core
    import qgis.gui

    return {**vars(qgis.core), **vars(qgis.gui), "W": qgis.core.QgsVectorFileWriter,
            "P": qgis.gui.QgsProjectionSelectionWidget, "T": qgis.core.QgsWkbTypes}


def _resolves(expression: str) -> bool:
    try:
        eval(expression, _names())
    except AttributeError:
        return False
    return True


@pytest.mark.parametrize(("source", "scoped", "moved"), BAD)
def test_an_unscoped_qgis_enum_is_caught_with_its_scoped_form(source, scoped, moved):
    findings = lint_qt6.lint_source(source)
    assert [f.code for f in findings] == ["QT607"], findings
    suggested = findings[0].message.split("écrire ", 1)[1].split(" (", 1)[0]
    written = source.rsplit("= ", 1)[1] if "= " in source else source.rsplit("return ", 1)[1]
    # the form the message gives is the same value, on the QGIS that runs the lint ...
    assert eval(suggested, _names()) == eval(written, _names())
    # ... and it is the enum's home there: Qgis.* once this QGIS has moved the enum
    assert suggested == (moved if moved is not None and _resolves(moved) else scoped)


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


def test_qt_modules_are_found_after_qgis_utils_is_imported():
    # QGIS >= 3.34 built on Qt5: importing qgis.utils hooks builtins.__import__ to refuse "PyQt6"
    # names; QtTest is not imported beforehand, so the lint must load it past the hook (then put it back)
    script = (
        "import builtins, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
        "import lint_qt6, qgis.utils\n"
        "hook = builtins.__import__\n"
        "assert 'PyQt6.QtTest' not in sys.modules\n"
        "source = 'from qgis.PyQt.QtTest import QTest\\nfrom qgis.PyQt.QtCore import Qt\\nx = Qt.AlignLeft'\n"
        "print([f.code for f in lint_qt6.lint_source(source)])\n"
        "assert builtins.__import__ is hook\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['QT606']"


def test_the_repository_passes_the_lint():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "lint_qt6.py")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
