"""The project's structure, computed from its sources: the layers of db/ that each package's docstring
states, no import circle anywhere (imports inside functions and for type checking count), db/ kept to
a few top-level modules besides its packages, and SQL only in the query modules."""

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
MAY_IMPORT = re.compile(r"^May import: (.+?)(?:\n\n|\Z)", re.M | re.S)
NAMED = re.compile(r"\bdb(?:\.\w+)+")


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
    said = match.group(1)
    return set(NAMED.findall(said)) | (foundations() if "the foundations" in said else set())


DB_PARTS = sorted({layer(n) for n in MODULES if n.startswith("db.")})


@pytest.mark.parametrize("part", DB_PARTS)
def test_each_part_of_db_imports_only_what_its_docstring_allows(part: str) -> None:
    may = allowed(part) | {part}
    unknown = may - set(DB_PARTS) - set(MODULES)
    assert unknown == set(), f"{part} allows parts that do not exist: {unknown}"
    wrong = sorted(f"{m} imports {d}" for m in GRAPH if layer(m) == part
                   for d in GRAPH[m] if d.startswith("db.") and layer(d) not in may and d not in may)
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


SQL_CALLS = {"execute", "executemany", "executescript"}
# Besides the dataset store (db/store.py) and its rooms (every `*queries.py`), SQL runs only where a
# module owns a database of its own or writes the dataset's.
OTHER_DATABASES = {
    "db/building/build.py": "the one writer of the dataset database",
    "db/notes/notebook.py": "the user's notes database",
    "db/releases/check.py": "a release's shipped database, row by row against one built from its seeds",
    "db/releases/serve.py": "the copy of the dataset that Datasette serves",
}


def sql_calls(path: Path) -> list[int]:
    """The lines of `path` that call execute, executemany or executescript on anything."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS]


def query_module(relative: str) -> bool:
    return relative == "db/store.py" or relative.endswith("queries.py") or relative in OTHER_DATABASES


def test_sql_runs_only_in_the_query_modules() -> None:
    found = {str(p.relative_to(ROOT)): sql_calls(p) for p in MODULES.values()}
    outside = sorted(f"{f}:{lines[0]}" for f, lines in found.items() if lines and not query_module(f))
    assert outside == []
    assert all(found[f] for f in OTHER_DATABASES), "each listed exception still runs SQL (else drop it)"
    assert sum(len(lines) for f, lines in found.items() if f.endswith("queries.py")) > 50


def test_the_sql_check_sees_a_statement_in_a_function(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("def f(store):\n    return store.conn.execute('SELECT 1')\n")
    assert sql_calls(tmp_path / "x.py") == [2] and not query_module("db/trials/table.py")


def test_every_package_is_in_the_wheel() -> None:
    """pyproject lists its packages by name: a package left out installs nowhere but a checkout (the Case
    tab's db.case was, for a while)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {module_name(p) for package in PACKAGES for p in (ROOT / package).rglob("__init__.py")}
    assert found - listed == set()
