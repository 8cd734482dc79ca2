"""The project's structure, computed from its imports: the layers of db/ that each package's docstring
states, no import circle anywhere (imports inside functions and for type checking count), and db/ kept to
a few top-level modules besides its packages."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("db", "desktop", "handout", "tumorboard")
MAX_TOP_LEVEL = 12


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imported(name: str, path: Path) -> Iterator[str]:
    """Every project module `name` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


GRAPH = {name: set(imported(name, path)) for name, path in MODULES.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1 or node in graph[node]:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_in_a_circle() -> None:
    assert circles(GRAPH) == []


def test_the_circle_finder_sees_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    (tmp_path / "x.py").write_text("def f():\n    from db.store import Store\n")
    assert "db.store" in set(imported("db.x", tmp_path / "x.py"))


FOUNDATIONS_LINE = re.compile(r"^Foundations: (.+)\.$", re.M)
MAY_IMPORT = re.compile(r"^May import: (.+?)\.?$", re.M)


def layer(name: str) -> str:
    """The part of db/ a module belongs to: its package (db.search), else itself (db.store)."""
    parts = name.split(".")
    return ".".join(parts[:2])


def foundations() -> set[str]:
    doc = ast.get_docstring(ast.parse((ROOT / "db" / "__init__.py").read_text(encoding="utf-8"))) or ""
    match = FOUNDATIONS_LINE.search(doc)
    assert match, "db/__init__.py names the foundations"
    return {n.strip() for n in match.group(1).split(",")}


def allowed(part: str) -> set[str]:
    """What a part of db/ says it may import (its package docstring, or a top-level module's own)."""
    path = MODULES[part]
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    match = MAY_IMPORT.search(doc)
    if part in foundations():
        return foundations()
    assert match, f"{path.relative_to(ROOT)} says what it may import ('May import: ...')"
    names = {n.strip() for n in match.group(1).replace(" and ", ", ").split(",")}
    return (names - {"the foundations"}) | (foundations() if "the foundations" in names else set())


DB_PARTS = sorted({layer(n) for n in MODULES if n.startswith("db.")})


@pytest.mark.parametrize("part", DB_PARTS)
def test_each_part_of_db_imports_only_what_its_docstring_allows(part: str) -> None:
    may = allowed(part) | {part}
    unknown = may - set(DB_PARTS) - {part}
    assert unknown == set(), f"{part} allows parts that do not exist: {unknown}"
    wrong = sorted(f"{m} imports {d}" for m in GRAPH if layer(m) == part
                   for d in GRAPH[m] if d.startswith("db.") and layer(d) not in may)
    assert wrong == []


def test_db_does_not_import_the_programs_above_it() -> None:
    wrong = sorted(f"{m} imports {d}" for m in GRAPH if m.startswith("db")
                   for d in GRAPH[m] if d.split(".")[0] in {"desktop", "handout", "tumorboard"})
    assert wrong == []


def test_db_keeps_its_top_level_modules_few() -> None:
    top = sorted(p.stem for p in (ROOT / "db").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MAX_TOP_LEVEL, top


def test_the_layer_check_reports_an_import_against_the_docstring() -> None:
    """The check above is not vacuous: the real graph, with one import against the layers added."""
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["db.dataset.model"].add("db.store")
    may = allowed("db.dataset") | {"db.dataset"}
    wrong = [d for m in graph if layer(m) == "db.dataset" for d in graph[m] if layer(d) not in may]
    assert wrong == ["db.store"]
