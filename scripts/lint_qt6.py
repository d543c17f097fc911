"""Qt6 lint: fails on Qt5-only idioms so that the plugin keeps working in QGIS 4 (Qt6).

QGIS 4 cannot be installed here, so the check is made against what exists: every attribute chain
on a Qt name imported from `qgis.PyQt` is resolved in PyQt6 (a test dependency) the way QGIS 4's
`qgis.PyQt` exposes it, and every chain on a QGIS class is resolved in the installed QGIS bindings
to find enum values reached through their class instead of their enum (`QgsWkbTypes.Point`
instead of `QgsWkbTypes.Type.Point`: unscoped names are gone in QGIS 4); on QGIS >= 3.30, where
many enums moved to `Qgis.*` and the old names are aliases set on the old classes, the form given is
the enum's new home (`QgsWkbTypes.PolygonGeometry` -> `Qgis.GeometryType.Polygon`). Syntactic rules catch
the rest (`PyQt5` imports, `exec_`, `QRegExp`, `QVariant` types). `donnees_territoires/compat.py`
is exempt: it is where the version differences live.

    python scripts/lint_qt6.py [paths...]      (default: donnees_territoires scripts tests)
"""

from __future__ import annotations

import ast
import builtins
import enum
import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("donnees_territoires", "scripts", "tests")
EXEMPT = {
    "donnees_territoires/compat.py": "holds the differences between QGIS/Qt versions",
    "scripts/lint_qt6.py": "reads PyQt6 to check the others",
}
FORBIDDEN_MODULES = ("PyQt4", "PyQt5", "PyQt6", "PySide", "PySide2", "PySide6", "sip")
# What QGIS 4's qgis.PyQt adds to PyQt6's modules (python/PyQt/PyQt/*.py.in in QGIS's sources).
QT6_SHIMS = {
    "QtWidgets": {"QAction": ("QtGui", "QAction"), "QShortcut": ("QtGui", "QShortcut")},
    "QtCore": {"NULL": ("QtCore", "QVariant")},
}
_MISSING = object()


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


# -- where names come from --------------------------------------------------------------------------
def _qt6_module(name: str):
    """PyQt6's module behind `qgis.PyQt.<name>` in QGIS 4, or None when Qt6 has no such module."""
    full = f"PyQt6.{name}"
    if full in sys.modules:
        return sys.modules[full]
    if not name.isidentifier():
        return None
    # Once qgis.utils is imported (by a module the lint reads, or by pytest-qgis), QGIS >= 3.34 built on
    # Qt5 replaces builtins.__import__ with a hook that refuses every name containing "PyQt6": the
    # module is then looked up and imported with the import machinery itself, the hook put back after.
    hooked = builtins.__import__
    builtins.__import__ = importlib.__import__
    try:
        if importlib.util.find_spec(full) is None:
            return None
        return importlib.import_module(full)
    except ImportError as error:
        raise RuntimeError(f"PyQt6.{name} existe mais ne se charge pas : {error} "
                           f"(PyQt6.{name} is installed but cannot be imported)") from error
    finally:
        builtins.__import__ = hooked


def _qt6_attr(module_name: str, attr: str):
    shim = QT6_SHIMS.get(module_name, {}).get(attr)
    if shim is not None:
        module_name, attr = shim
    module = _qt6_module(module_name)
    return _MISSING if module is None else getattr(module, attr, _MISSING)


def _qgis_module(name: str):
    return importlib.import_module(name)


def _enum_member_type(parent: type, name: str, value) -> type | None:
    """The enum (sip enum or Python Enum) `value` is a member of, when `parent.name` is that member itself.

    Either `name` is the member's own name (`QgsWkbTypes.Point`, an unscoped sip enum of QGIS 3.22), or
    `name` is an alias stored on `parent` (`QgsWkbTypes.PolygonGeometry = Qgis.GeometryType.Polygon`,
    what QGIS >= 3.30 sets on the old classes when an enum moves to `Qgis`). A class constant whose
    value is an enum member (`Qgis.DEFAULT_SNAP_UNITS`, a sip variable descriptor) is neither.
    """
    kind = type(value)
    if isinstance(value, enum.Enum):
        named = name in kind.__members__
    elif type(kind).__name__ == "enumtype":  # sip enums
        named = getattr(kind, name, None) == value
    else:
        return None
    if named or inspect.getattr_static(parent, name, None) is value:
        return kind
    return None


def _member_name(value, written: str) -> str:
    """The canonical name of an enum member (the name behind an alias), for the suggestion."""
    return value.name if isinstance(value, enum.Enum) else written


def _qt6_enum_with(parent, member: str) -> str | None:
    """Name of the PyQt6 enum nested in `parent` that has a member `member` (for the suggestion)."""
    for name in dir(parent):
        candidate = getattr(parent, name, None)
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum) and member in candidate.__members__:
            return name
    return None


# -- the checker ------------------------------------------------------------------------------------
class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.AST, qgis: bool):
        self.path = path
        self.qgis = qgis
        self.findings: list[Finding] = []
        self.qt_names: dict[str, tuple[str, str | None]] = {}  # local name -> (Qt module, attribute or None)
        self.qgis_names: dict[str, tuple[str, str]] = {}  # local name -> (qgis module, attribute)
        self.sip_names: set[str] = set()
        self.inner: set[int] = set()  # Attribute nodes that are the base of a longer chain
        self._collect_imports(tree)

    def report(self, node: ast.AST, code: str, message: str) -> None:
        self.findings.append(Finding(self.path, node.lineno, node.col_offset + 1, code, message))

    # imports ---------------------------------------------------------------------------------------
    def _collect_imports(self, tree: ast.AST) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                        self._forbidden_import(node, alias.name)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                self._import_from(node)

    def _forbidden_import(self, node: ast.AST, module: str) -> None:
        hint = "from qgis.PyQt import sip" if module.split(".")[0] == "sip" else "from qgis.PyQt.<module> import …"
        self.report(node, "QT601", f"import de {module} : passer par qgis.PyQt, écrire `{hint}` "
                                   f"(import {module} directly: only qgis.PyQt follows the Qt version)")

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = node.module
        if module.split(".")[0] in FORBIDDEN_MODULES:
            self._forbidden_import(node, module)
            return
        if module == "qgis.PyQt":
            for alias in node.names:
                if alias.name == "sip":
                    self.sip_names.add(alias.asname or "sip")
                elif _qt6_module(alias.name) is None:
                    self.report(node, "QT608", f"qgis.PyQt.{alias.name} n'existe pas en Qt6 "
                                               f"(module absent from PyQt6 / QGIS 4)")
                else:
                    self.qt_names[alias.asname or alias.name] = (alias.name, None)
        elif module.startswith("qgis.PyQt."):
            qt_module = module.split(".")[2]
            if _qt6_module(qt_module) is None:
                self.report(node, "QT608", f"{module} n'existe pas en Qt6 (module absent from PyQt6 / QGIS 4)")
                return
            for alias in node.names:
                if alias.name == "*":
                    continue
                if alias.name.startswith("QRegExp"):
                    self._qregexp(node, alias.name)
                elif _qt6_attr(qt_module, alias.name) is _MISSING:
                    self.report(node, "QT608", f"{alias.name} n'existe pas dans {module} en Qt6 "
                                               f"(not in PyQt6.{qt_module}: removed or moved in Qt6)")
                else:
                    self.qt_names[alias.asname or alias.name] = (qt_module, alias.name)
        elif module.split(".")[0] == "qgis":
            for alias in node.names:
                if alias.name != "*":
                    self.qgis_names[alias.asname or alias.name] = (module, alias.name)

    # syntactic rules -------------------------------------------------------------------------------
    def _qregexp(self, node: ast.AST, name: str) -> None:
        self.report(node, "QT603", f"{name} n'existe plus en Qt6 : utiliser QRegularExpression "
                                   f"(QRegExp was removed in Qt6)")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("QRegExp"):
            self._qregexp(node, node.id)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and self.qt_names.get(func.id, ("", ""))[1] == "QVariant":
            self.report(node, "QT604", "QVariant(…) : valeur Qt5 ; écrire None (ou NULL) pour une valeur nulle, "
                                       "compat.make_field pour un type de champ (QVariant values are Qt5 idioms)")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Attribute):
            self.inner.add(id(node.value))
        if node.attr == "exec_":
            self.report(node, "QT602", "exec_() n'existe plus en Qt6 : écrire exec() (exec_ was removed in PyQt6)")
        elif node.attr.startswith("QRegExp"):
            self._qregexp(node, node.attr)
        if id(node) not in self.inner:
            chain = _chain(node)
            if chain:
                self._check_chain(node, chain)
        self.generic_visit(node)

    # attribute chains ------------------------------------------------------------------------------
    def _check_chain(self, node: ast.Attribute, chain: list[str]) -> None:
        root = chain[0]
        if root in self.sip_names:
            self._check_sip(node, chain)
        elif root in self.qt_names:
            self._check_qt(node, chain)
        elif root in self.qgis_names and self.qgis:
            self._check_qgis(node, chain)

    def _check_sip(self, node: ast.Attribute, chain: list[str]) -> None:
        sip6 = _qt6_module("sip")
        if not hasattr(sip6, chain[1]):
            self.report(node, "QT605", f"sip.{chain[1]} n'existe pas dans le sip de PyQt6 "
                                       f"(PyQt5-only sip API)")

    def _check_qt(self, node: ast.Attribute, chain: list[str]) -> None:
        qt_module, attr = self.qt_names[chain[0]]
        if attr is None:  # `from qgis.PyQt import QtCore`, then QtCore.Qt.…
            if _qt6_attr(qt_module, chain[1]) is _MISSING:
                self.report(node, "QT608", f"{chain[0]}.{chain[1]} n'existe pas en Qt6 (not in PyQt6.{qt_module})")
                return
            obj, done = _qt6_attr(qt_module, chain[1]), 2
        else:
            obj, done = _qt6_attr(qt_module, attr), 1
        for index in range(done, len(chain)):
            if not isinstance(obj, type):
                return  # an enum member, a function: no further class to resolve
            value = getattr(obj, chain[index], _MISSING)
            if value is _MISSING:
                self._missing_in_qt6(node, chain[: index + 1], obj)
                return
            obj = value

    def _missing_in_qt6(self, node: ast.Attribute, chain: list[str], parent: type) -> None:
        written = ".".join(chain)
        if parent.__name__ == "QVariant":
            self.report(node, "QT604", f"{written} : type QVariant de Qt5 ; compat.make_field pour un type de champ, "
                                       f"QMetaType.Type sinon (QVariant.Type is gone in Qt6)")
            return
        scope = _qt6_enum_with(parent, chain[-1])
        if scope is not None:
            scoped = ".".join([*chain[:-1], scope, chain[-1]])
            self.report(node, "QT606", f"énumération non qualifiée {written} : écrire {scoped} "
                                       f"(unscoped enum, absent from PyQt6)")
        else:
            self.report(node, "QT606", f"{written} n'existe pas en PyQt6 (removed or renamed in Qt6)")

    def _check_qgis(self, node: ast.Attribute, chain: list[str]) -> None:
        module, attr = self.qgis_names[chain[0]]
        try:
            obj = getattr(_qgis_module(module), attr, _MISSING)
        except ImportError:
            return
        for index in range(1, len(chain)):
            if not isinstance(obj, type):
                return
            value = getattr(obj, chain[index], _MISSING)
            if value is _MISSING:
                version = _qgis_module("qgis.core").Qgis.QGIS_VERSION.split("-")[0]
                self.report(node, "QT609", f"{'.'.join(chain[: index + 1])} n'existe pas dans QGIS {version} : "
                                           f"mettre la différence de version dans compat.py "
                                           f"(absent from the QGIS {version} bindings)")
                return
            member_of = _enum_member_type(obj, chain[index], value)
            if member_of is not None and member_of is not obj:
                self._unscoped_qgis(node, chain[: index + 1], obj, member_of, value)
                return
            obj = value

    def _unscoped_qgis(self, node: ast.Attribute, chain: list[str], parent: type, member_of: type, value) -> None:
        member = _member_name(value, chain[-1])
        nested = (getattr(parent, member_of.__name__, None) is member_of
                  and member_of.__qualname__ == f"{parent.__qualname__}.{member_of.__name__}")
        if nested and member == chain[-1]:  # the enum is declared in that class: keep the name as written
            scoped = ".".join([*chain[:-1], member_of.__name__, member])
        else:  # its home elsewhere: a base class, or Qgis where QGIS >= 3.30 moved it (old names are aliases)
            scoped = f"{member_of.__qualname__}.{member}"
        self.report(node, "QT607", f"énumération QGIS non qualifiée {'.'.join(chain)} : écrire {scoped} "
                                   f"(unscoped QGIS enum, gone in QGIS 4)")


def _chain(node: ast.Attribute) -> list[str] | None:
    """`a.b.c` as ['a', 'b', 'c'] when the chain starts from a plain name; None otherwise."""
    parts = []
    current: ast.AST = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(current.id)
    return parts[::-1]


# -- entry points -----------------------------------------------------------------------------------
def lint_source(source: str, path: str = "<snippet>", qgis: bool = True) -> list[Finding]:
    """Findings for one module's source; `qgis=False` skips the checks that need the QGIS bindings."""
    tree = ast.parse(source, filename=path)
    checker = _Checker(path, tree, qgis)
    checker.visit(tree)
    unique = {(f.line, f.col, f.code): f for f in checker.findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.col, f.code))


def python_files(paths) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        path = path if path.is_absolute() else ROOT / path
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def lint_paths(paths=DEFAULT_PATHS) -> list[Finding]:
    findings: list[Finding] = []
    for file in python_files(paths):
        relative = file.resolve().relative_to(ROOT).as_posix() if file.resolve().is_relative_to(ROOT) else str(file)
        if relative in EXEMPT:
            continue
        findings.extend(lint_source(file.read_text(encoding="utf-8"), relative))
    return findings


def main(argv: list[str]) -> int:
    try:
        import PyQt6.QtCore  # noqa: F401
    except ImportError:
        print("lint_qt6 : PyQt6 manquant dans l'environnement, lancer `make setup` (PyQt6 is missing)",
              file=sys.stderr)
        return 2
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        print("lint_qt6 : les bindings QGIS sont introuvables (the QGIS bindings are needed)", file=sys.stderr)
        return 2
    try:
        findings = lint_paths(argv or DEFAULT_PATHS)
    except RuntimeError as error:
        print(f"lint_qt6 : {error}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if findings:
        print(f"lint_qt6 : {len(findings)} idiome(s) Qt5 à corriger pour QGIS 4 / Qt6 "
              f"({len(findings)} Qt5-only idiom(s))", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
