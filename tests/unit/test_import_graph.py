"""The plugin's modules import one another without a circle, and never a private name of another module.

Every import counts, those inside functions too (an import moved into a function still ties the two
modules: a circle there is the tangle issue 13 undid, recipe → batch → recipe). The graph is read
from the source with `ast`: QGIS is not needed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "donnees_territoires"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, package: str) -> tuple[dict[str, set[str]], list[str]]:
    """(module → the package's modules it imports, the private names imported from another module)."""
    modules = {module_name(path, root): path for path in (root / package).rglob("*.py")}
    edges: dict[str, set[str]] = {name: set() for name in modules}
    private = []
    for name, path in modules.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                if not target.startswith(package):
                    continue
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    imported = full if full in modules else target
                    if imported in modules and imported != name:
                        edges[name].add(imported)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{path.relative_to(root)}:{node.lineno}: {alias.name} de {target}")
            elif isinstance(node, ast.Import):
                edges[name].update(alias.name for alias in node.names if alias.name in modules and alias.name != name)
    return edges, private


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_in_the_plugin():
    edges, _private = import_graph(ROOT, PACKAGE)
    assert len(edges) > 100  # the whole package was read
    assert circles(edges) == []


def test_no_private_name_imported_from_another_module():
    _edges, private = import_graph(ROOT, PACKAGE)
    assert private == []


def test_the_check_sees_a_circle_through_an_import_inside_a_function(tmp_path):
    package = tmp_path / "paquet"
    (package / "sous").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sous" / "__init__.py").write_text("from .b import B\n")
    (package / "a.py").write_text("from .sous import B\n\nA = 1\n")
    (package / "sous" / "b.py").write_text("def f():\n    from ..a import A\n    from ..a import _cache\n\nB = 2\n")
    (package / "c.py").write_text("import paquet.a\n")

    edges, private = import_graph(tmp_path, "paquet")

    assert edges["paquet.c"] == {"paquet.a"}
    assert circles(edges) == [["paquet.a", "paquet.sous", "paquet.sous.b"]]
    assert private == ["paquet/sous/b.py:3: _cache de paquet.a"]


LAYERS = ("catalog", "extract", "fetch", "load", "package", "territory")


def test_the_panel_uses_only_the_public_entry_points_of_the_other_layers():
    """Issue 13, item 4: gui/ imports `..package`, `..load`… (their __init__), never one of their modules."""
    reached = []
    for path in sorted((ROOT / PACKAGE / "gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                layer, _, module = node.module.partition(".")
                if layer in LAYERS and module:
                    reached.append(f"{path.relative_to(ROOT)}:{node.lineno}: ..{node.module}")
    assert reached == []
