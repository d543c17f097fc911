"""Every module of the plugin imports under PyQt6, as in QGIS 4, with stand-ins for QGIS itself.

QGIS 4 cannot be installed here; PyQt6 (pinned in requirements-test.txt) can. The import runs in
a fresh interpreter (tests/unit/qt6_standins.py) where qgis.PyQt is PyQt6 and the real QGIS,
PyQt5 and a bare `sip` cannot be imported: what runs at import time must be Qt6-clean.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("qt6_standins.py")


def import_all(root: Path, package: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-I", "-B", str(RUNNER), str(root), package],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_module_imports_under_pyqt6():
    result = import_all(ROOT, "donnees_territoires")
    report = "\n".join(f"--- {module}\n{trace}" for module, trace in result["failures"].items())
    assert not result["failures"], f"modules qui ne s'importent pas sous PyQt6 / QGIS 4 :\n{report}"
    assert "donnees_territoires.plugin" in result["imported"]
    assert len(result["imported"]) == len(list((ROOT / "donnees_territoires").rglob("*.py")))
    assert result["leaks"] == [], "the real QGIS or PyQt5 got imported"


# -- the stand-in environment itself: it lets Qt6-clean code through and stops Qt5 idioms -----------
GOOD = """
import sys

from qgis.core import Qgis, QgsProcessingAlgorithm, QgsWkbTypes
from qgis.gui import QgsDockWidget
from qgis.PyQt import sip, uic
from qgis.PyQt.QtCore import NULL, QT_VERSION_STR, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QAction, QShortcut, QWidget
from qgis.utils import iface
import processing

assert QT_VERSION_STR.startswith("6") and Qgis.QGIS_VERSION_INT >= 40000
ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
FLAGS = Qgis.ProcessingParameterFlag.Advanced | Qgis.ProcessingParameterFlag.Optional
KIND = QgsWkbTypes.geometryType(Qgis.WkbType.MultiPolygon)
assert callable(sip.isdeleted) and callable(uic.loadUiType) and iface is not None
assert not hasattr(sys.modules["qgis.core"], "__file__")  # a stand-in, not the QGIS 3.22 bindings


class Algorithm(QgsProcessingAlgorithm):
    done = pyqtSignal()

    def name(self):
        return "algorithm"


class Dock(QgsDockWidget):
    pass


assert Algorithm().name() == "algorithm" and processing.run is not None
assert QAction.__module__.startswith("PyQt6.QtGui") and issubclass(QWidget, sip.wrapper)
"""

BAD = {
    "pyqt5_import": "from PyQt5.QtCore import QTimer\n",
    "bare_sip": "import sip\n",
    "unscoped_qt_enum": "from qgis.PyQt.QtCore import Qt\nALIGN = Qt.AlignLeft\n",
    "unscoped_widget_enum": "from qgis.PyQt.QtWidgets import QDialog\nACCEPTED = QDialog.Accepted\n",
    "qregexp": "from qgis.PyQt.QtCore import QRegExp\n",
    "qvariant_type": "from qgis.PyQt.QtCore import QVariant\nKIND = QVariant.Int\n",
    "qt5_only_module": "from qgis.PyQt.QtWebKit import QWebView\n",
    "exec_": "from qgis.PyQt.QtWidgets import QApplication\nRUN = QApplication.exec_\n",
}


@pytest.fixture(scope="module")
def fake_plugin(tmp_path_factory):
    root = tmp_path_factory.mktemp("qt6")
    package = root / "fake_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text(textwrap.dedent(GOOD))
    for name, source in BAD.items():
        (package / f"{name}.py").write_text(source)
    return import_all(root, "fake_plugin")


def test_qt6_clean_code_imports_with_the_stand_ins(fake_plugin):
    assert "fake_plugin.good" in fake_plugin["imported"], fake_plugin["failures"].get("fake_plugin.good")
    assert fake_plugin["leaks"] == []


@pytest.mark.parametrize("idiom", sorted(BAD))
def test_a_qt5_idiom_run_at_import_fails(fake_plugin, idiom):
    assert f"fake_plugin.{idiom}" in fake_plugin["failures"], f"{idiom} imported under PyQt6"
