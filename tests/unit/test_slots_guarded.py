"""No Python exception may escape a Qt slot: every Python callable handed to Qt is guarded (read from the sources).

On PyQt 5.15 (QGIS ≥ 3.40) an exception escaping a slot or a virtual override aborts the interpreter;
in QGIS Desktop it opens the Python error dialog. toolbelt/slots.guarded logs it and tells the user
in one French sentence. This test parses the package with `ast` (no QGIS) and fails on:
- a `.connect(x)`, `QTimer.singleShot(ms, x)`, `fromFunction(…, on_finished=x)` or
  `setRequestPreprocessor(x)` whose `x` is neither a guarded function or method, nor a call of
  `guarded(…)`, nor a C++ slot of Qt (ALLOWED_CPP_SLOTS);
- a Qt virtual override (QT_VIRTUALS) in gui/ or plugin.py, a QgsTask's run/finished or a layer
  post-processor anywhere, that is not guarded.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "donnees_territoires"

#: attribute names that are C++ slots or methods of Qt/QGIS objects: no Python frame runs, nothing to
#: guard. `emit` re-emits a signal (the Python slots it reaches are guarded themselves).
ALLOWED_CPP_SLOTS = {
    "quit": "QEventLoop.quit",
    "abort": "QNetworkReply.abort",
    "cancel": "QgsFeedback.cancel / QgsTask.cancel",
    "emit": "re-emits a signal; its own Python slots are checked here",
    "setText": "QLabel.setText and kin",
    "setValue": "QProgressBar.setValue and kin",
    "setProgress": "QgsFeedback.setProgress",
    "setEnabled": "QWidget.setEnabled",
    "setVisible": "QWidget.setVisible",
    "start": "QTimer.start",
    "stop": "QTimer.stop",
    "close": "QWidget.close",
    "deleteLater": "QObject.deleteLater",
}

#: Qt/QGIS virtual methods that C++ calls on a Python subclass (checked in gui/ and plugin.py).
#: Left out on purpose: clone, name, displayName, prefix, icon, createInstance — they return a
#: constant or a new object, and the neutral value a guard would return (None) is worse for C++
#: than the exception.
QT_VIRTUALS = {
    # locator filter
    "fetchResults", "triggerResult",
    # map tool
    "canvasPressEvent", "canvasReleaseEvent", "canvasMoveEvent", "canvasDoubleClickEvent", "wheelEvent",
    "keyPressEvent", "keyReleaseEvent", "activate", "deactivate",
    # options page and its factory
    "apply", "createWidget",
    # tasks
    "run", "finished",
    # widgets and event filters
    "event", "eventFilter", "showEvent", "hideEvent", "closeEvent", "paintEvent", "resizeEvent",
    "changeEvent", "timerEvent", "focusInEvent", "focusOutEvent", "contextMenuEvent",
    "mousePressEvent", "mouseReleaseEvent", "mouseMoveEvent", "mouseDoubleClickEvent",
    "dragEnterEvent", "dragMoveEvent", "dropEvent",
    # layouts
    "addItem", "count", "itemAt", "takeAt", "setGeometry", "sizeHint", "minimumSize",
    "hasHeightForWidth", "heightForWidth", "expandingDirections",
}
#: checked in every module: C++ calls them after a Processing run or in a task thread
VIRTUALS_EVERYWHERE = {"postProcessLayer"}
TASK_VIRTUALS = {"run", "finished"}

GUARD = "guarded"


def _is_guard_call(node: ast.AST) -> bool:
    """`guarded(…)` or `slots.guarded(…)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == GUARD) or (
        isinstance(func, ast.Attribute) and func.attr == GUARD)


def _is_guarded_def(node) -> bool:
    return any(_is_guard_call(decorator) for decorator in node.decorator_list)


@dataclass
class _Module:
    path: Path
    tree: ast.Module
    parents: dict = field(default_factory=dict)
    imported: set = field(default_factory=set)

    @classmethod
    def read(cls, path: Path) -> _Module:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = cls(path, tree)
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                module.parents[child] = node
            if isinstance(node, ast.Import):
                module.imported |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                module.imported |= {alias.asname or alias.name for alias in node.names}
        return module

    def enclosing(self, node, kinds):
        node = self.parents.get(node)
        while node is not None and not isinstance(node, kinds):
            node = self.parents.get(node)
        return node

    def scopes(self, node):
        """The functions around `node`, innermost first, then the module."""
        scope = self.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        while scope is not None:
            yield scope
            scope = self.enclosing(scope, (ast.FunctionDef, ast.AsyncFunctionDef))
        yield self.tree

    def where(self, node) -> str:
        return f"{self.path.as_posix()}:{node.lineno}"


def _defs_in(scope) -> dict[str, ast.FunctionDef]:
    """Functions defined directly in a function body or at module level (not in nested functions)."""
    found = {}
    body = list(scope.body)
    while body:
        node = body.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = node
        elif isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
            body.extend(getattr(node, "body", []) + getattr(node, "orelse", []) + getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                body.extend(handler.body)
    return found


def _parameters(function) -> list[str]:
    args = function.args
    return [a.arg for a in args.posonlyargs + args.args]


def _check_callable(module: _Module, site, target, forwarders: dict) -> str | None:
    """None when `target` (handed to Qt at `site`) is safe, else why not."""
    if _is_guard_call(target) or (isinstance(target, ast.Call) and _is_guard_call(target.func)):
        return None
    if isinstance(target, ast.Lambda):
        return "lambda non gardée (en faire une méthode @guarded, ou guarded(…)(lambda …))"
    if isinstance(target, ast.Attribute):
        if isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"):
            owner = module.enclosing(site, ast.ClassDef)
            method = next((n for n in owner.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and n.name == target.attr), None) if owner is not None else None
            if method is not None:
                return None if _is_guarded_def(method) else f"méthode {target.attr} sans @guarded"
        if target.attr in ALLOWED_CPP_SLOTS:
            return None
        return f"{ast.unparse(target)} n'est ni gardé ni un slot C++ connu"
    if isinstance(target, ast.Name):
        for scope in module.scopes(site):
            if scope is not module.tree and target.id in _parameters(scope):
                # a helper that connects what its caller gives: its call sites are checked instead
                forwarders[scope.name] = _parameters(scope).index(target.id)
                return None
            function = _defs_in(scope).get(target.id)
            if function is not None:
                return None if _is_guarded_def(function) else f"fonction {target.id} sans @guarded"
        return f"{target.id} : fonction introuvable ou non gardée"
    return f"{ast.unparse(target)} : cible non reconnue"


def _handed_to_qt(module: _Module, forwarders: dict):
    """(call, callable) for each Python callable given to Qt in the module."""
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name == "connect" and isinstance(func, ast.Attribute) and node.args:
            receiver = func.value
            if isinstance(receiver, ast.Name) and receiver.id in module.imported:
                continue  # sqlite3.connect and the like: not a signal
            yield node, node.args[0]
        elif name == "singleShot" and node.args:
            yield node, node.args[-1]
        elif name == "setRequestPreprocessor" and node.args:
            yield node, node.args[0]
        elif name == "fromFunction":
            for keyword in node.keywords:
                if keyword.arg == "on_finished":
                    yield node, keyword.value
        elif name in forwarders and len(node.args) > forwarders[name]:
            yield node, node.args[forwarders[name]]


def unguarded_callables(package: Path = PACKAGE) -> list[str]:
    """`path:line: why` for each Python callable handed to Qt without a guard."""
    modules = [_Module.read(path) for path in sorted(package.rglob("*.py"))]
    problems: list[str] = []
    forwarders: dict[str, int] = {}
    seen = -1
    while seen != len(forwarders):  # a forwarder found late: its call sites in earlier modules too
        seen = len(forwarders)
        problems = []
        for module in modules:
            for site, target in _handed_to_qt(module, forwarders):
                why = _check_callable(module, site, target, forwarders)
                if why:
                    problems.append(f"{module.where(site)}: {why}")
    return [p.replace(package.parent.as_posix() + "/", "") for p in problems]


def unguarded_overrides(package: Path = PACKAGE) -> list[str]:
    """`path:line: name` for each Qt virtual override that is not guarded."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        gui = path.name == "plugin.py" or "gui" in path.relative_to(package).parts[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            bases = {ast.unparse(base).split(".")[-1] for base in cls.bases}
            names = set(VIRTUALS_EVERYWHERE)
            if gui:
                names |= QT_VIRTUALS
            if any(base.endswith("Task") for base in bases):
                names |= TASK_VIRTUALS
            for method in cls.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name in names \
                        and not _is_guarded_def(method):
                    problems.append(f"{path.relative_to(package.parent).as_posix()}:{method.lineno}: "
                                    f"{cls.name}.{method.name}")
    return problems


# -- the package ---------------------------------------------------------------------------------------
def test_every_callable_handed_to_qt_is_guarded():
    problems = unguarded_callables()
    assert problems == [], ("appelables Python donnés à Qt sans toolbelt.slots.guarded :\n" + "\n".join(problems))


def test_every_qt_virtual_override_is_guarded():
    problems = unguarded_overrides()
    assert problems == [], ("surcharges Qt appelées par C++ sans @guarded :\n" + "\n".join(problems))


def test_the_package_hands_callables_to_qt_at_all():
    """The walk finds the connects it is meant to check (a parser change would make it see nothing)."""
    modules = [_Module.read(path) for path in sorted(PACKAGE.rglob("*.py"))]
    found = [target for module in modules for _site, target in _handed_to_qt(module, {})]
    assert len(found) > 40


# -- the checker itself ----------------------------------------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "donnees_territoires"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return package


def test_unguarded_connects_are_found(tmp_path):
    package = _package(tmp_path, {"gui/wdg_a.py": """
        import sqlite3
        from ..toolbelt.slots import guarded

        class Widget:
            def __init__(self):
                self.button.clicked.connect(self.on_click)        # line 7: not guarded
                self.button.clicked.connect(self.on_safe)
                self.edit.textChanged.connect(lambda t: self.x(t))  # line 9: lambda
                self.edit.textChanged.connect(guarded("l'essai")(lambda t: self.x(t)))
                self.edit.textChanged.connect(self.label.setText)
                self.edit.textChanged.connect(self.label.setWindowTitle)  # line 12: unknown C++ name
                self.done.connect(self.changed.emit)
                sqlite3.connect("x.db")

                @guarded("l'essai")
                def inner():
                    pass

                def bare():
                    pass

                self.timer.timeout.connect(inner)
                self.timer.timeout.connect(bare)                  # line 24
                QTimer.singleShot(0, self.on_click)               # line 25
                QgsTask.fromFunction("t", bare, on_finished=bare)  # line 26

            def on_click(self):
                pass

            @guarded("l'essai", default=False)
            def on_safe(self):
                return True
        """})
    lines = sorted(int(p.split(":")[1]) for p in unguarded_callables(package))
    assert lines == [7, 9, 12, 24, 25, 26]


def test_a_helper_connecting_its_argument_is_checked_at_its_call_sites(tmp_path):
    package = _package(tmp_path, {
        "compat.py": """
            def connect_text(feedback, slot):
                feedback.textChanged.connect(slot)
            """,
        "gui/wdg_b.py": """
            from .. import compat

            def wire(feedback, label, widget):
                compat.connect_text(feedback, label.setText)
                compat.connect_text(feedback, widget.refresh)
            """})
    assert unguarded_callables(package) == ["donnees_territoires/gui/wdg_b.py:6: widget.refresh n'est ni gardé "
                                            "ni un slot C++ connu"]


def test_unguarded_qt_overrides_are_found(tmp_path):
    package = _package(tmp_path, {
        "gui/wdg_c.py": """
            class Tool(QgsMapTool):
                def canvasReleaseEvent(self, event):
                    pass

                @guarded("le dessin")
                def canvasMoveEvent(self, event):
                    pass

                def helper(self):
                    pass
            """,
        "package/work.py": """
            class Job(QgsTask):
                def run(self):
                    return True

            class Batch:
                def run(self):
                    pass
            """})
    assert unguarded_overrides(package) == ["donnees_territoires/gui/wdg_c.py:3: Tool.canvasReleaseEvent",
                                            "donnees_territoires/package/work.py:3: Job.run"]
