"""Imports run one way: no module of the package imports, directly or through others, a module that imports it.

Every ``import`` statement counts, wherever it is: at the top, inside a
function (a cycle that only runs later is still a cycle a newcomer must keep in
their head), and under ``if TYPE_CHECKING:``. The walk finds the package's
modules on disk, so a module added later is covered without editing this file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "newsarticle"


def modules(package: Path) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (a package by its own name, for its ``__init__.py``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The package's modules that the module ``name`` at ``path`` imports, anywhere in its code."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # "import a.b.c" imports a, a.b and a.b.c; the innermost known one is what is used.
                parts = alias.name.split(".")
                targets = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
                edges.update(next(([t] for t in targets if t in known), []))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in known:  # "from newsarticle import hookspecs"
                    edges.add(submodule)
                elif base in known:  # "from newsarticle import Article": the package's __init__
                    edges.add(base)
    edges.discard(name)
    return edges


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    found = modules(package)
    return {name: imported(name, path, found) for name, path in found.items()}


def test_no_import_cycle_between_the_modules_of_the_package() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 20, "the walk found the package's modules"
    assert cycles(graph) == []


def test_plugins_and_rendering_share_the_plugin_api_and_import_one_way() -> None:
    graph = import_graph(PACKAGE)
    assert "newsarticle._plugin_api" in graph["newsarticle._plugins"]
    assert "newsarticle._plugins" in graph["newsarticle._render"]
    assert graph["newsarticle._plugin_api"] & {"newsarticle._plugins", "newsarticle._render"} == set()


CYCLIC = {
    "__init__.py": "from pkg import _low\n",
    "_low.py": "def later():\n    from pkg._high import x\n",
    "_high.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import _mid\nx = 1\n",
    "_mid.py": "import pkg._low\n",
    "_alone.py": "import os\nfrom pkg import _low\n",
}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (CYCLIC, [["pkg._high", "pkg._low", "pkg._mid"]]),
        ({**CYCLIC, "_mid.py": "import os\n"}, []),
        ({"__init__.py": "from pkg._a import f\n", "_a.py": "def f():\n    from pkg import g\n"}, [["pkg", "pkg._a"]]),
        ({"__init__.py": "", "sub/__init__.py": "from .. import _b\n", "_b.py": "from pkg.sub import c\n"}, None),
    ],
    ids=["through a function and TYPE_CHECKING", "no cycle", "through the package", "relative, in a subpackage"],
)
def test_the_walk_finds_cycles_of_every_kind_of_import(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]] | None
) -> None:
    package = tmp_path / "pkg"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    found = cycles(import_graph(package))
    assert found == (expected if expected is not None else [["pkg._b", "pkg.sub"]])


def test_every_module_has_its_row_on_the_architecture_page() -> None:
    page = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"`(newsarticle(?:\.\w+)*)`", page))
    assert sorted(set(modules(PACKAGE)) - rows) == []
    assert sorted(rows - set(modules(PACKAGE))) == []  # and no row for a module that is gone
