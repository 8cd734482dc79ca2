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


def test_a_test_file_not_yet_added_to_git_is_in_the_copy_and_an_ignored_file_is_not(tmp_path: Path) -> None:
    import subprocess

    from mutation.runner import copy_project

    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "tiny.py").write_text(TINY, encoding="utf-8")
    (project / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "tiny.py", ".gitignore"], cwd=project, check=True)
    (project / "tests" / "test_tiny.py").write_text(TESTS, encoding="utf-8")  # written, not yet added
    (project / "scratch").mkdir()
    (project / "scratch" / "out.txt").write_text("left over", encoding="utf-8")
    copy = copy_project(project, tmp_path / "copy")
    assert (copy / "tests" / "test_tiny.py").read_text(encoding="utf-8") == TESTS
    assert (copy / "tiny.py").exists() and not (copy / "scratch").exists()


def test_a_mutant_judged_equivalent_is_left_out_of_the_rate_once_and_only_while_it_survives() -> None:
    from mutation.__main__ import summary
    from mutation.runner import TIMEOUT, Outcome

    rows = [Outcome("tiny.py", f"{n}: a -> b", "compare", status) for n, status in
            enumerate([KILLED, KILLED, TIMEOUT, SURVIVED, SURVIVED, BROKEN], 1)]
    judged = {("tiny.py", "3: a -> b"): "a timeout is a kill", ("tiny.py", "4: a -> b"): "cannot show",
              ("tiny.py", "6: a -> b"): "not run"}
    lines, open_ = summary({(o.path, o.key): o for o in rows}, ["tiny.py"], judged)
    # 6 mutants: 3 killed (one a timeout), 1 equivalent, 1 not run, 1 alive -> 3 / 4
    assert " 1 equivalent " in lines[0] and lines[0].endswith("75.0%"), lines[0]
    assert open_ == ["tiny.py:5: a -> b  [survived]"]


def test_the_tests_that_killed_other_mutants_of_the_module_go_first_and_a_failed_id_is_read_whole() -> None:
    from mutation.runner import failed_id, killers_first, within

    line = [f"tests/test_{n}.py::test_fast" for n in "abcdefgh"] + ["tests/test_order.py::test_ranks[phase 3, rand]"]
    killed = {"tests/test_order.py::test_ranks[phase 3, rand]": 4, "tests/test_b.py::test_fast": 1,
              "tests/test_elsewhere.py::test_other_line": 9}
    ordered = killers_first(line, killed)
    assert ordered[:2] == ["tests/test_order.py::test_ranks[phase 3, rand]", "tests/test_b.py::test_fast"]
    assert sorted(ordered) == sorted(line)
    assert "tests/test_order.py::test_ranks[phase 3, rand]" in within(ordered, {t: 1.0 for t in line}, 2.0)
    assert failed_id("FAILED tests/test_order.py::test_ranks[phase 3, rand] - AssertionError: 1 != 0") == (
        "tests/test_order.py::test_ranks[phase 3, rand]")


def test_the_test_files_that_import_the_module_by_name_go_first(tmp_path: Path) -> None:
    from mutation.runner import importers, importers_first

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_rank.py").write_text("from db.presentation.evidence import design_rank\n")
    (tmp_path / "tests" / "test_words.py").write_text("from db.presentation import present, evidence\n")
    (tmp_path / "tests" / "test_other.py").write_text("from db.presentation import present  # evidence_key\n")
    found = importers(tmp_path, "db/presentation/evidence.py")
    assert found == {"tests/test_rank.py", "tests/test_words.py"}
    line = ["tests/test_other.py::test_a", "tests/test_rank.py::test_b", "tests/test_other.py::test_c",
            "tests/test_words.py::test_d"]
    assert importers_first(line, found) == ["tests/test_rank.py::test_b", "tests/test_words.py::test_d",
                                            "tests/test_other.py::test_a", "tests/test_other.py::test_c"]


def test_a_judgement_whose_line_moved_is_named_stale() -> None:
    from mutation.__main__ import stale

    same = {("tiny.py", "8: ki67 < LIMIT -> ki67 >= LIMIT"): "why",
            ("tiny.py", "7: ki67 < LIMIT -> ki67 >= LIMIT"): "why",  # the line it was on before one was added
            ("other.py", "1: a -> b"): "not run now"}
    current = {"tiny.py": {m.key for m in mutants(TINY)}}
    assert stale(same, current) == ["tiny.py | 7: ki67 < LIMIT -> ki67 >= LIMIT"]
