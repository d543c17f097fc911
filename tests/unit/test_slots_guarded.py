"""No Python exception may escape a Qt slot: every Python callable handed to Qt is guarded (read from the sources).

On PyQt 5.15 (QGIS ≥ 3.40) an exception escaping a slot or a virtual override aborts the interpreter;
in QGIS Desktop it opens the Python error dialog. toolbelt/slots.guarded logs it and tells the user
in one French sentence. This test parses the package with `ast` (no QGIS) and fails on:
- a `.connect(x)`, `QTimer.singleShot(ms, x)`, `fromFunction(…, on_finished=x)` or
  `setRequestPreprocessor(x)` whose `x` is neither a guarded function or method, nor a call of
  `guarded(…)`, nor a C++ slot of Qt: `receiver.slot` where `slot` is in ALLOWED_CPP_SLOTS and
  `receiver` is, by simple inference, an object of one of the Qt/QGIS classes listed for it (a local
  or `self.` attribute made by a Qt constructor, a parameter annotated with a Qt class, a class
  attribute `pyqtSignal(…)` for `emit`);
- a Qt virtual override (QT_VIRTUALS) in gui/ or plugin.py, a QgsTask's run/finished or a layer
  post-processor anywhere, that is not guarded;
- an override of a Processing virtual (PROCESSING_VIRTUALS, in a subclass of an algorithm or a
  provider) that QGIS does not protect, unless it is guarded, catches everything, or cannot raise.

The rule for Processing: QGIS wraps prepareAlgorithm, processAlgorithm, postProcessAlgorithm and
createInstance in its own error handler (SIP_VIRTUALERRORHANDLER(processing_exception_handler): the
exception becomes a QgsProcessingException and the run fails with its message), so they may raise —
that is how an algorithm reports an error. Every other virtual C++ calls (initAlgorithm from the
provider and create(), loadAlgorithms, checkParameterValues from qgis_process and the modeler,
shortHelpString from the dialog…) aborts the interpreter when it raises; its override must be
@guarded (with the neutral value C++ expects as default), or be one `try` whose handler catches
Exception (and answers in French), or be a single `return` of an expression that calls nothing but
tr/str/QIcon (a name, an attribute, a constant: nothing to guard).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "donnees_territoires"

#: C++ slots or methods of Qt/QGIS objects, with the classes whose objects may receive them (None: any
#: Qt or QGIS class, for QObject and QWidget slots): no Python frame runs, nothing to guard. The
#: receiver's class is inferred from the source (_receiver_class); `emit` re-emits a signal declared
#: with pyqtSignal (the Python slots it reaches are checked here themselves).
QT_WIDGETS_WITH_TEXT = {"QLabel", "QLineEdit", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton",
                        "QTextEdit", "QPlainTextEdit", "QTextBrowser", "QGroupBox"}
FEEDBACKS = {"QgsFeedback", "QgsProcessingFeedback", "QgsProcessingMultiStepFeedback"}
ALLOWED_CPP_SLOTS = {
    "quit": {"QEventLoop", "QCoreApplication", "QApplication"},
    "abort": {"QNetworkReply"},
    "cancel": FEEDBACKS | {"QgsTask"},
    "emit": {"pyqtSignal"},
    "setText": QT_WIDGETS_WITH_TEXT,
    "setValue": {"QProgressBar", "QSpinBox", "QDoubleSpinBox", "QgsSpinBox", "QgsDoubleSpinBox", "QSlider"},
    "setProgress": FEEDBACKS | {"QgsTask"},
    "setEnabled": None,
    "setVisible": None,
    "start": {"QTimer", "QElapsedTimer"},
    "stop": {"QTimer"},
    "close": None,
    "deleteLater": None,
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

#: virtual methods of QgsProcessingAlgorithm and QgsProcessingProvider (QGIS 3.22 to 3.44)
PROCESSING_VIRTUALS = {
    # QgsProcessingAlgorithm
    "name", "displayName", "shortDescription", "tags", "shortHelpString", "helpString", "helpUrl", "icon",
    "svgIconPath", "group", "groupId", "flags", "documentationFlags", "canExecute", "checkParameterValues",
    "preprocessParameters", "sinkProperties", "createCustomParametersWidget", "createExpressionContext",
    "validateInputCrs", "asPythonCommand", "asQgisProcessCommand", "asMap", "createInstance", "initAlgorithm",
    "prepareAlgorithm", "processAlgorithm", "postProcessAlgorithm",
    # QgsProcessingProvider
    "load", "unload", "id", "helpId", "longName", "versionInfo", "canBeActivated", "warningMessage", "isActive",
    "supportedOutputRasterLayerExtensions", "supportedOutputRasterLayerFormatAndOptions",
    "supportedOutputVectorLayerExtensions", "supportedOutputPointCloudLayerExtensions",
    "supportedOutputVectorTileLayerExtensions", "supportedOutputTableExtensions", "isSupportedOutputValue",
    "defaultVectorFileExtension", "defaultRasterFileExtension", "defaultPointCloudFileExtension",
    "defaultVectorTileFileExtension", "supportsNonFileBasedOutput", "loadAlgorithms",
}
#: protected by QGIS (processing_exception_handler): an exception there fails the run with its message
PROCESSING_PROTECTED = {"prepareAlgorithm", "processAlgorithm", "postProcessAlgorithm", "createInstance"}
#: calls a one-line `return` may make and still count as unable to raise
SAFE_CALLS = {"tr", "str", "QIcon"}

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


# -- the class of a C++ slot's receiver, inferred from the source ------------------------------------------
def _is_qt_class(name: str | None) -> bool:
    return bool(name) and re.match(r"Q[A-Z]|Qgs[A-Z]", name) is not None


def _class_named(node) -> str | None:
    """The class an annotation or a constructor call names: `QTimer`, `QtCore.QTimer`, "QLabel | None"."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # `QLabel | None`
        return _class_named(node.left) or _class_named(node.right)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _own_nodes(scope):
    """The nodes of a function or module body, without those of the functions and classes inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))


def _assigned_class(nodes, matches) -> str | None:
    """The class given to the first target `matches` accepts: `x = QTimer()` or `x: QLabel = …`."""
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and any(matches(target) for target in node.targets):
            return _class_named(node.value)
        if isinstance(node, ast.AnnAssign) and matches(node.target):
            return _class_named(node.annotation)
    return None


def _receiver_class(module: _Module, site, receiver) -> str | None:
    """The Qt/QGIS class of `receiver` where `site` uses it, when the source says it simply; else None.

    A local or module name: its parameter annotation or the constructor it was assigned from.
    `self.x`: the constructor or annotation of `self.x` in the class's methods, or a class attribute
    `x = pyqtSignal(…)` (class "pyqtSignal").
    """
    if isinstance(receiver, ast.Name):
        for scope in module.scopes(site):
            if scope is not module.tree and receiver.id in _parameters(scope):
                parameter = next(a for a in scope.args.posonlyargs + scope.args.args if a.arg == receiver.id)
                return _class_named(parameter.annotation) if parameter.annotation is not None else None
            found = _assigned_class(_own_nodes(scope),
                                    lambda target: isinstance(target, ast.Name) and target.id == receiver.id)
            if found is not None:
                return found
        return None
    if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) \
            and receiver.value.id == "self":
        owner = module.enclosing(site, ast.ClassDef)
        if owner is None:
            return None
        declared = _assigned_class(owner.body, lambda target: isinstance(target, ast.Name)
                                   and target.id == receiver.attr)
        if declared is not None:
            return declared
        return _assigned_class(
            (node for method in owner.body if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
             for node in ast.walk(method)),
            lambda target: isinstance(target, ast.Attribute) and target.attr == receiver.attr
            and isinstance(target.value, ast.Name) and target.value.id == "self")
    return None


def _check_cpp_slot(module: _Module, site, target: ast.Attribute) -> str | None:
    """None when `receiver.slot` is a C++ slot of the receiver's class (ALLOWED_CPP_SLOTS), else why not."""
    classes = ALLOWED_CPP_SLOTS[target.attr]
    found = _receiver_class(module, site, target.value)
    if found is not None and (found in classes if classes is not None else _is_qt_class(found)):
        return None
    receiver = ast.unparse(target.value)
    if found is None:
        return (f"{ast.unparse(target)} : {target.attr} est un slot C++ connu, mais la classe de « {receiver} » "
                "n'est pas reconnue (à construire par une classe Qt/QGIS, ou à annoter)")
    return f"{ast.unparse(target)} : {target.attr} n'est pas un slot C++ connu de {found}"


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
            return _check_cpp_slot(module, site, target)
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


def _body(function) -> list:
    """The statements of `function`, without its docstring."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _catches_everything(function) -> bool:
    """The body is one `try` with a handler of Exception (or wider) that raises nothing again."""
    body = _body(function)
    if len(body) != 1 or not isinstance(body[0], ast.Try):
        return False
    for handler in body[0].handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(kind is None or _class_named(kind) in ("Exception", "BaseException") for kind in kinds) \
                and not any(isinstance(node, ast.Raise) for node in ast.walk(handler)):
            return True
    return False


def _cannot_raise(node) -> bool:
    """A constant, a name, an attribute, an f-string of those, or tr/str/QIcon of those."""
    if node is None or isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.Attribute):
        return _cannot_raise(node.value)
    if isinstance(node, ast.JoinedStr):
        return all(_cannot_raise(value) for value in node.values)
    if isinstance(node, ast.FormattedValue):
        return _cannot_raise(node.value)
    if isinstance(node, ast.Call):
        func = node.func
        named = (isinstance(func, ast.Name) and func.id in SAFE_CALLS) or (
            isinstance(func, ast.Attribute) and func.attr in SAFE_CALLS and isinstance(func.value, ast.Name)
            and func.value.id == "self")
        return named and all(_cannot_raise(arg) for arg in node.args) \
            and all(_cannot_raise(keyword.value) for keyword in node.keywords)
    return False


def _safe_processing_override(method) -> bool:
    body = _body(method)
    simple_return = len(body) == 1 and isinstance(body[0], ast.Return) and _cannot_raise(body[0].value)
    return _is_guarded_def(method) or _catches_everything(method) or simple_return


def _processing_classes(trees) -> set[str]:
    """Names of the package's classes that derive from a Processing algorithm or provider, directly or not."""
    bases = {cls.name: {ast.unparse(base).split(".")[-1] for base in cls.bases}
             for tree in trees for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)}
    found = {name for name, names in bases.items()
             if any(base.startswith("QgsProcessing") and base.endswith(("Algorithm", "Provider")) for base in names)}
    while True:
        more = {name for name, names in bases.items() if names & found} - found
        if not more:
            return found
        found |= more


def unguarded_overrides(package: Path = PACKAGE) -> list[str]:
    """`path:line: Class.name` for each override C++ calls that may let an exception through.

    Qt virtuals (gui/ and plugin.py), task and layer post-processor virtuals: guarded. Processing
    virtuals QGIS does not protect: guarded, catching everything, or unable to raise (see the module).
    """
    problems = []
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
             for path in sorted(package.rglob("*.py"))}
    processing_classes = _processing_classes(trees.values())
    for path, tree in trees.items():
        gui = path.name == "plugin.py" or "gui" in path.relative_to(package).parts[:-1]
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            bases = {ast.unparse(base).split(".")[-1] for base in cls.bases}
            names = set(VIRTUALS_EVERYWHERE)
            if gui:
                names |= QT_VIRTUALS
            if any(base.endswith("Task") for base in bases):
                names |= TASK_VIRTUALS
            processing = cls.name in processing_classes
            for method in cls.body:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if method.name in names:
                    unsafe = not _is_guarded_def(method)
                elif processing and method.name in PROCESSING_VIRTUALS - PROCESSING_PROTECTED:
                    unsafe = not _safe_processing_override(method)
                else:
                    continue
                if unsafe:
                    problems.append(f"{path.relative_to(package.parent).as_posix()}:{method.lineno}: "
                                    f"{cls.name}.{method.name}")
    return problems


# -- the package ---------------------------------------------------------------------------------------
def test_every_callable_handed_to_qt_is_guarded():
    problems = unguarded_callables()
    assert problems == [], ("appelables Python donnés à Qt sans toolbelt.slots.guarded :\n" + "\n".join(problems))


def test_every_qt_virtual_override_is_guarded():
    problems = unguarded_overrides()
    assert problems == [], ("surcharges appelées par C++ qui peuvent laisser passer une exception (Qt : "
                            "@guarded ; Processing hors processAlgorithm & co : @guarded, try … except Exception "
                            "ou simple return) :\n" + "\n".join(problems))


def test_report_exception_is_called_through_its_module():
    """tests/qgis/conftest.py watches slots.report_exception: a name imported from the module would escape it."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offenders += [f"{path.relative_to(PACKAGE.parent).as_posix()}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("slots")
                      and any(alias.name == "report_exception" for alias in node.names)]
    assert offenders == [], "importer le module (from ..toolbelt import slots) : " + ", ".join(offenders)


def test_the_package_hands_callables_to_qt_at_all():
    """The walk finds the connects it is meant to check (a parser change would make it see nothing)."""
    modules = [_Module.read(path) for path in sorted(PACKAGE.rglob("*.py"))]
    found = [target for module in modules for _site, target in _handed_to_qt(module, {})]
    assert len(found) > 40


#: folders whose code runs in task threads (downloads, cuts, package writes, contours): there, only
#: C++ slots may be connected. A Python callable connected in a worker thread makes PyQt create a slot
#: proxy in that thread, and PyQt's table of proxies is walked without a lock by the main thread's
#: garbage collector: QGIS died on signal 11 in QHashData::nextNode while downloads ran in a task.
THREAD_FOLDERS = ("fetch", "extract", "package", "territory", "catalog")
#: modules of those folders that run as the main thread of a process of their own
OWN_PROCESS = {"package/batch_worker.py"}


def python_slots_in_task_code(package: Path = PACKAGE) -> list[str]:
    """`path:line: target` for each Python callable connected to a signal in code that runs in tasks."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.split("/")[0] not in THREAD_FOLDERS or relative in OWN_PROCESS:
            continue
        module = _Module.read(path)
        for site, target in _handed_to_qt(module, {}):
            name = site.func.attr if isinstance(site.func, ast.Attribute) else getattr(site.func, "id", "")
            if name not in ("connect", "singleShot"):
                continue  # a request preprocessor is a callback, not a signal connection
            if isinstance(target, ast.Attribute) and target.attr in ALLOWED_CPP_SLOTS \
                    and _check_cpp_slot(module, site, target) is None:
                continue
            problems.append(f"{module.where(site)}: {ast.unparse(target)}")
    return [p.replace(package.parent.as_posix() + "/", "") for p in problems]


def test_code_that_runs_in_tasks_connects_cpp_slots_only():
    problems = python_slots_in_task_code()
    assert problems == [], ("slots Python branchés dans du code qui tourne dans une tâche (ne brancher que des "
                            "slots C++, par exemple la fin d'une boucle locale, et lire l'état entre deux tours "
                            "de boucle) :\n" + "\n".join(problems))


def test_a_python_slot_in_task_code_is_found(tmp_path):
    package = _package(tmp_path, {
        "fetch/a.py": """
            from qgis.PyQt.QtCore import QEventLoop, QTimer
            from ..toolbelt.slots import guarded

            class Exchange:
                def __init__(self, reply):
                    self.loop = QEventLoop()
                    self.timer = QTimer()
                    reply.finished.connect(self.loop.quit)
                    self.timer.timeout.connect(self.on_tick)   # line 10: guarded, but Python
                    reply.readyRead.connect(lambda: None)       # line 11

                @guarded("l'essai")
                def on_tick(self):
                    pass
            """,
        "gui/wdg_b.py": """
            class Widget:
                def __init__(self):
                    self.button.clicked.connect(self.on_click)  # the main thread: not this rule's business
            """,
        "package/batch_worker.py": """
            class Worker:
                def __init__(self):
                    self.progressChanged.connect(self._look)   # a process of its own
            """})
    assert python_slots_in_task_code(package) == ["donnees_territoires/fetch/a.py:10: self.on_tick",
                                                  "donnees_territoires/fetch/a.py:11: lambda: None"]


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
            changed = pyqtSignal()

            def __init__(self):
                self.button.clicked.connect(self.on_click)        # line 9: not guarded
                self.button.clicked.connect(self.on_safe)
                self.edit.textChanged.connect(lambda t: self.x(t))  # line 11: lambda
                self.edit.textChanged.connect(guarded("l'essai")(lambda t: self.x(t)))
                self.edit.textChanged.connect(self.label.setText)
                self.edit.textChanged.connect(self.label.setWindowTitle)  # line 14: unknown C++ name
                self.done.connect(self.changed.emit)
                sqlite3.connect("x.db")

                @guarded("l'essai")
                def inner():
                    pass

                def bare():
                    pass

                self.timer.timeout.connect(inner)
                self.timer.timeout.connect(bare)                  # line 26
                QTimer.singleShot(0, self.on_click)               # line 27
                QgsTask.fromFunction("t", bare, on_finished=bare)  # line 28

            def on_click(self):
                pass

            @guarded("l'essai", default=False)
            def on_safe(self):
                return True

            def build(self):
                self.label = QLabel()
        """})
    lines = sorted(int(p.split(":")[1]) for p in unguarded_callables(package))
    assert lines == [9, 11, 14, 26, 27, 28]


def test_a_helper_connecting_its_argument_is_checked_at_its_call_sites(tmp_path):
    package = _package(tmp_path, {
        "compat.py": """
            def connect_text(feedback, slot):
                feedback.textChanged.connect(slot)
            """,
        "gui/wdg_b.py": """
            from .. import compat

            def wire(feedback, label: "QLabel", widget):
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


def test_a_cpp_slot_needs_a_receiver_of_a_qt_class_that_has_it(tmp_path):
    package = _package(tmp_path, {"fetch/wait.py": """
        from qgis.PyQt.QtCore import QEventLoop, QObject, QTimer, pyqtSignal
        from qgis.core import QgsFeedback

        class Waiter(QObject):
            changed = pyqtSignal()

            def __init__(self, job):
                super().__init__()
                self.timer = QTimer(self)
                self.job = job
                self.bar: QProgressBar | None = None

            def wire(self, reply, feedback: QgsFeedback, inner: "QgsFeedback | None", other):
                loop = QEventLoop()
                job = Job()
                reply.finished.connect(loop.quit)
                reply.finished.connect(self.timer.start)
                reply.finished.connect(self.changed.emit)
                feedback.canceled.connect(inner.cancel)
                reply.finished.connect(self.bar.setEnabled)      # any Qt widget has setEnabled
                reply.finished.connect(job.cancel)               # line 22: a Python object's cancel
                reply.finished.connect(self.job.cancel)          # line 23: class unknown
                reply.finished.connect(other.quit)               # line 24: parameter without annotation
                reply.finished.connect(self.timer.setText)       # line 25: QTimer has no setText
                reply.finished.connect(self.finished.emit)       # line 26: not a pyqtSignal of the class
        """})
    problems = unguarded_callables(package)
    assert [int(p.split(":")[1]) for p in problems] == [22, 23, 24, 25, 26]
    assert problems[0].endswith("job.cancel : cancel n'est pas un slot C++ connu de Job")
    assert problems[1].endswith("self.job.cancel : cancel est un slot C++ connu, mais la classe de « self.job » "
                                "n'est pas reconnue (à construire par une classe Qt/QGIS, ou à annoter)")
    assert problems[3].endswith("self.timer.setText : setText n'est pas un slot C++ connu de QTimer")


def test_processing_overrides_qgis_does_not_protect_must_not_raise(tmp_path):
    package = _package(tmp_path, {"processing/algs.py": """
        class Base(QgsProcessingAlgorithm):
            def name(self):
                return self.ALGORITHM_ID

            def displayName(self):
                \"\"\"Translated.\"\"\"
                return self.tr(self.DISPLAY_NAME)

            def icon(self):
                return QIcon(str(ICON))

            def helpUrl(self):
                return f"{HOME}#{self.ALGORITHM_ID}"

            def createInstance(self):          # protected by QGIS
                return type(self)()

            def shortHelpString(self):         # line 19: reads a file
                return (HELP / self.name()).read_text()

            def checkParameterValues(self, parameters, context):
                try:
                    return self._check(parameters, context)
                except Exception:
                    return False, "Erreur inattendue"

            def add_territory_parameter(self):  # the plugin's own helper: Python calls it
                raise ValueError

        class Alg(Base):
            @guarded("la déclaration")
            def initAlgorithm(self, config=None):
                self.add_territory_parameter()

            def processAlgorithm(self, parameters, context, feedback):  # protected by QGIS
                raise QgsProcessingException("refusé")

            def checkParameterValues(self, parameters, context):  # line 39: catches too little
                try:
                    return self._check(parameters, context)
                except ValueError:
                    return False, "non"

        class Other(Base):
            def initAlgorithm(self, config=None):  # line 46
                self.add_territory_parameter()

            def checkParameterValues(self, parameters, context):  # line 49: says, then raises again
                try:
                    return self._check(parameters, context)
                except Exception:
                    log("non")
                    raise

        class Provider(QgsProcessingProvider):
            def id(self):
                return "donnees_territoires"

            def loadAlgorithms(self):  # line 60
                for cls in algorithm_classes():
                    self.addAlgorithm(cls())
        """})
    assert unguarded_overrides(package) == [
        "donnees_territoires/processing/algs.py:19: Base.shortHelpString",
        "donnees_territoires/processing/algs.py:39: Alg.checkParameterValues",
        "donnees_territoires/processing/algs.py:46: Other.initAlgorithm",
        "donnees_territoires/processing/algs.py:49: Other.checkParameterValues",
        "donnees_territoires/processing/algs.py:60: Provider.loadAlgorithms",
    ]
