"""scripts/lint_qt6.py: each Qt5-only idiom is caught, its Qt6 form passes (checks needing QGIS: tests/qgis)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import lint_qt6  # noqa: E402


def codes(source: str) -> list[str]:
    return [finding.code for finding in lint_qt6.lint_source(source, qgis=False)]


BAD = [
    ("QT601", "from PyQt5.QtCore import QTimer"),
    ("QT601", "import PyQt5.QtWidgets"),
    ("QT601", "from PyQt4 import QtGui"),
    ("QT601", "from PyQt6.QtCore import Qt"),
    ("QT601", "import sip"),
    ("QT602", "def run(dialog):\n    return dialog.exec_()"),
    ("QT602", "from qgis.PyQt.QtCore import QEventLoop\nQEventLoop().exec_()"),
    ("QT603", "from qgis.PyQt.QtCore import QRegExp"),
    ("QT603", "from qgis.PyQt.QtGui import QRegExpValidator"),
    ("QT603", "from qgis.PyQt import QtCore\npattern = QtCore.QRegExp('a+')"),
    ("QT604", "from qgis.PyQt.QtCore import QVariant\nkind = QVariant.Int"),
    ("QT604", "from qgis.PyQt.QtCore import QVariant\nkind = QVariant.Type.String"),
    ("QT604", "from qgis.PyQt.QtCore import QVariant\nnull = QVariant()"),
    ("QT605", "from qgis.PyQt import sip\nsip.setapi('QString', 2)"),
    ("QT606", "from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignLeft"),
    ("QT606", "from qgis.PyQt import QtCore\nalign = QtCore.Qt.AlignRight"),
    ("QT606", "from qgis.PyQt.QtWidgets import QMessageBox\nanswer = QMessageBox.Yes"),
    ("QT606", "from qgis.PyQt.QtWidgets import QDialog as Dialog\nok = Dialog.Accepted"),
    ("QT606", "from qgis.PyQt.QtCore import Qt\nflags = Qt.ItemFlags()"),
    ("QT606", "def f():\n    from qgis.PyQt.QtNetwork import QNetworkReply\n    return QNetworkReply.NoError"),
    ("QT608", "from qgis.PyQt.QtWidgets import QDesktopWidget"),
    ("QT608", "from qgis.PyQt.QtWebKit import QWebView"),
    ("QT608", "from qgis.PyQt import QtWebKitWidgets"),
]


@pytest.mark.parametrize(("code", "source"), BAD)
def test_each_qt5_idiom_is_caught(code, source):
    assert code in codes(source), lint_qt6.lint_source(source, qgis=False)


GOOD = """
from qgis.PyQt import QtCore, sip
from qgis.PyQt.QtCore import QEventLoop, QMetaType, QRegularExpression, Qt, QVariant
from qgis.PyQt.QtWidgets import QAction, QDialog, QMessageBox, QShortcut

align = Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop
flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
answer = QMessageBox.StandardButton.Yes
accepted = QDialog.DialogCode.Accepted
kind = QMetaType.Type.QString
pattern = QRegularExpression("a+")
loop = QEventLoop.exec
deleted = sip.isdeleted
value = QVariant.isNull
shortcut = QShortcut, QAction


def run(dialog, value):
    if isinstance(value, QVariant) and value.isNull():
        return None
    return dialog.exec()
"""


def test_qt6_forms_pass():
    assert lint_qt6.lint_source(GOOD, qgis=False) == []


def test_a_finding_says_where_and_what_to_write():
    finding, = lint_qt6.lint_source("from qgis.PyQt.QtCore import Qt\n\nx = Qt.AlignLeft\n", "m.py", qgis=False)
    assert str(finding).startswith("m.py:3:5: QT606 ")
    assert "Qt.AlignmentFlag.AlignLeft" in finding.message


def test_compat_is_exempt_and_the_plugin_is_scanned():
    assert "donnees_territoires/compat.py" in lint_qt6.EXEMPT
    files = {p.relative_to(ROOT).as_posix() for p in lint_qt6.python_files(lint_qt6.DEFAULT_PATHS)}
    assert "donnees_territoires/plugin.py" in files and "donnees_territoires/compat.py" in files
