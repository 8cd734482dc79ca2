"""The mutation tool (mutation/, docs/development.md) on a tiny module of its own: the mutants it makes,
the tests it finds for a line, and a mutant killed or surviving as the tests say."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mutation.coverage_map import measure, node_id
from mutation.mutants import mutants
from mutation.runner import BROKEN, KILLED, SURVIVED, run_one

TINY = '''"""A module docstring stays."""

LIMIT = 3


def grade(ki67: float, mitoses: int = 0) -> str:
    """G1 below the limit."""
    if ki67 < LIMIT and not mitoses:
        return "G1"
    return "G2"
'''

TESTS = '''import pytest

from tiny import grade


def test_low_ki67_is_g1():
    assert grade(1) == "G1"


def test_high_ki67_is_g2():
    assert grade(10) == "G2"


@pytest.mark.parametrize("case", ["ki67 20, no mitoses"])
def test_a_case_named_with_spaces(case):
    assert grade(20) == "G2"
'''


def test_each_mutant_changes_one_thing_on_one_line_and_still_parses() -> None:
    found = mutants(TINY)
    original = TINY.splitlines()
    assert {m.kind for m in found} >= {"compare", "boolop", "operand", "not", "constant", "string"}
    for m in found:
        ast.parse(m.source)
        changed = [n for n, (a, b) in enumerate(zip(original, m.source.splitlines(), strict=True), 1) if a != b]
        assert changed == [m.line], m.describe()
    described = {m.describe() for m in found}
    assert "8: ki67 < LIMIT -> ki67 >= LIMIT" in described and "3: 3 -> 4" in described
    assert not any(m.line in (1, 7) for m in found)  # docstrings
    assert not any("float" in m.old or m.old == "str" for m in found)  # annotations


def test_a_context_names_its_pytest_node() -> None:
    assert node_id("tests/test_x.py::test_y[a|b]|setup") == ("tests/test_x.py::test_y[a|b]", "setup")
    assert node_id("") is None


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    (tmp_path / "tiny.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "tests" / "test_tiny.py").write_text(TESTS, encoding="utf-8")
    return tmp_path


def test_the_tests_of_a_line_are_found_and_a_mutant_is_killed_or_survives_as_they_say(tiny: Path) -> None:
    cover = measure(tiny, ["tiny.py"], ["tests"], tiny)
    low, high = "tests/test_tiny.py::test_low_ki67_is_g1", "tests/test_tiny.py::test_high_ki67_is_g2"
    spaced = "tests/test_tiny.py::test_a_case_named_with_spaces[ki67 20, no mitoses]"  # the whole id
    assert set(cover.for_line("tiny.py", 8)) == {low, high, spaced}
    assert cover.for_line("tiny.py", 9) == [low]
    assert set(cover.for_line("tiny.py", 10)) == {high, spaced}
    by_text = {m.describe(): m for m in mutants(TINY)}
    flipped, boundary = by_text["8: ki67 < LIMIT -> ki67 >= LIMIT"], by_text["3: 3 -> 4"]
    tests = cover.for_line("tiny.py", 8)
    assert run_one(tiny, "tiny.py", flipped, tests, 1.0, [], {}).status == KILLED
    assert run_one(tiny, "tiny.py", boundary, tests, 1.0, [], {}).status == SURVIVED  # no test at ki67 3
    assert run_one(tiny, "tiny.py", flipped, ["tests/test_tiny.py::no_such_test"], 1.0, [], {}).status == BROKEN
    assert (tiny / "tiny.py").read_text(encoding="utf-8") == TINY


def test_the_examples_in_the_tools_docstrings_hold() -> None:
    import doctest

    import mutation.mutants

    assert doctest.testmod(mutation.mutants, report=False).failed == 0
