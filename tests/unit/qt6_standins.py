"""Imports every module of the plugin as QGIS 4 would see it: qgis.PyQt on PyQt6, stand-ins for QGIS.

Run in a fresh interpreter by test_qt6_imports.py (never imported by pytest):

    python -I -B tests/unit/qt6_standins.py ROOT PACKAGE

`qgis.PyQt.<module>` is PyQt6's module plus what QGIS 4's qgis.PyQt adds (QAction and QShortcut
in QtWidgets, NULL in QtCore); a module Qt6 lacks cannot be imported. `qgis.core`, `qgis.gui`,
`qgis.utils`… and `processing` are stand-in modules whose every name is a permissive class:
subclassable, callable, any attribute chain works (`Qgis.ProcessingSourceType.Vector`), and
`Qgis.QGIS_VERSION_INT` says 4.0. The real QGIS, PyQt5 and a bare `sip` cannot be imported.
Prints one JSON object: {"failures": {module: traceback}, "imported": [...], "leaks": [...]}.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import json
import sys
import traceback
import types
from pathlib import Path

QGIS4_VERSION_INT = 40000
BLOCKED = ("PyQt4", "PyQt5", "PySide2", "PySide6", "sip")
# What QGIS 4's qgis.PyQt adds to PyQt6 (python/PyQt/PyQt/*.py.in in QGIS's sources).
QT6_EXTRAS = {"QtWidgets": {"QAction": ("QtGui", "QAction"), "QShortcut": ("QtGui", "QShortcut")}}


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


class _StandInType(type):
    """Class-level permissiveness: `QgsX.Anything.Else` is a stand-in class, and flags combine."""

    def __getattr__(cls, name):
        if _is_dunder(name):
            raise AttributeError(name)
        member = _StandInType(name, (StandIn,), {"__module__": cls.__module__,
                                                  "__qualname__": f"{cls.__qualname__}.{name}"})
        type.__setattr__(cls, name, member)
        return member

    def __or__(cls, other):
        return cls

    __ror__ = __and__ = __rand__ = __xor__ = __rxor__ = __or__

    def __invert__(cls):
        return cls

    def __int__(cls):
        return 0

    __index__ = __int__

    def __iter__(cls):
        return iter(())


class StandIn(metaclass=_StandInType):
    """Instance-level permissiveness: any call, any attribute; a base class for the plugin's subclasses."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if _is_dunder(name):
            raise AttributeError(name)
        return getattr(type(self), name)

    def __call__(self, *args, **kwargs):
        return StandIn()

    def __or__(self, other):
        return self

    __ror__ = __and__ = __rand__ = __xor__ = __rxor__ = __or__

    def __iter__(self):
        return iter(())

    def __int__(self):
        return 0

    __index__ = __int__


class _StandInModule(types.ModuleType):
    def __getattr__(self, name):
        if _is_dunder(name):
            raise AttributeError(name)
        member = _StandInType(name, (StandIn,), {"__module__": self.__name__, "__qualname__": name})
        setattr(self, name, member)
        return member


def _stand_in_module(name: str) -> types.ModuleType:
    module = _StandInModule(name)
    module.__path__ = []  # a package: `processing.core.Processing` and the like import too
    if name == "qgis.core":
        qgis_class = module.Qgis
        qgis_class.QGIS_VERSION_INT = QGIS4_VERSION_INT
        qgis_class.QGIS_VERSION = "4.0.0"
    return module


def _pyqt6(name: str) -> types.ModuleType:
    try:
        return importlib.import_module(f"PyQt6.{name}")
    except ImportError as error:
        raise ImportError(f"qgis.PyQt.{name}: no such module in PyQt6 (QGIS 4)") from error


def _qt6_module(name: str) -> types.ModuleType:
    """`qgis.PyQt.<name>` as in QGIS 4: `from PyQt6.<name> import *` plus QGIS's additions."""
    source = _pyqt6(name)
    module = types.ModuleType(f"qgis.PyQt.{name}")
    module.__dict__.update({k: v for k, v in vars(source).items() if not k.startswith("_")})
    for attr, (home, real) in QT6_EXTRAS.get(name, {}).items():
        setattr(module, attr, getattr(_pyqt6(home), real))
    if name == "QtCore":
        module.NULL = source.QVariant(source.QMetaType.Type.Int)  # as QGIS 4's qgis.PyQt.QtCore
    return module


class _Qgis4Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves qgis.*, qgis.PyQt.* and processing.*; refuses PyQt5, a bare sip and the like."""

    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in BLOCKED:
            raise ImportError(f"{name} cannot be imported under QGIS 4 / Qt6: use qgis.PyQt")
        if top not in ("qgis", "processing"):
            return None
        is_package = True
        if name.startswith("qgis.PyQt."):  # a package only where PyQt6's module is one (uic)
            is_package = hasattr(_pyqt6(name.split(".", 2)[2]), "__path__")
        return importlib.machinery.ModuleSpec(name, self, is_package=is_package)

    def create_module(self, spec):
        name = spec.name
        if name in ("qgis", "qgis.PyQt"):
            module = types.ModuleType(name)
            module.__path__ = []
            return module
        if name.startswith("qgis.PyQt."):
            return _qt6_module(name.split(".", 2)[2])
        return _stand_in_module(name)

    def exec_module(self, module):
        pass


def _real_homes() -> list[str]:
    """Folders of the real QGIS bindings and PyQt5, found without importing them."""
    homes = []
    for name in ("qgis", "PyQt5"):
        spec = importlib.machinery.PathFinder.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            homes.append(str(Path(folder).resolve()) + "/")
    return homes


def _leaks(homes: list[str]) -> list[str]:
    """Modules of the real QGIS or of PyQt5 that got in anyway."""
    leaks = []
    for name, module in list(sys.modules.items()):
        file = str(Path(getattr(module, "__file__", None) or "/").resolve())
        if name.split(".")[0] in BLOCKED or any(file.startswith(home) for home in homes):
            leaks.append(name)
    return leaks


def module_names(root: Path, package: str) -> list[str]:
    names = []
    for file in sorted((root / package).rglob("*.py")):
        if "__pycache__" in file.parts:
            continue
        parts = list(file.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def main(root: Path, package: str) -> dict:
    homes = _real_homes()
    sys.meta_path.insert(0, _Qgis4Finder())
    sys.path.insert(0, str(root))
    failures, imported = {}, []
    for name in module_names(root, package):
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: B036 - a module's import may raise anything; report it all
            failures[name] = traceback.format_exc()
        else:
            imported.append(name)
    return {"failures": failures, "imported": imported, "leaks": _leaks(homes)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
