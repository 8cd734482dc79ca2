"""The tests themselves: no absolute path to a file of this machine (a test must run from any checkout,
reading ../shared as the others do), and no skip that does not say what is missing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# a file or folder of one machine; /dev, /sys and /proc are the system's own, which tests use on purpose
ABSOLUTE = re.compile(r"^(/(work|home|tmp|usr|opt|root|mnt|media|var|srv|etc|Users|Volumes)(/|$)|[A-Za-z]:[\\/])")
SKIPS = {"skip", "skipif", "importorskip", "xfail"}


def _sources() -> dict[str, ast.Module]:
    files = {p.name: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(TESTS.glob("*.py"))}
    assert len(files) > 50 and "conftest.py" in files, sorted(files)
    return files


PURE = {"PurePath", "PurePosixPath", "PureWindowsPath"}  # a path as text, never opened: fine


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """Each string literal, and the leading literal part of each f-string, except a pure path's."""
    pure = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in PURE for arg in node.args}
    found = []
    for node in ast.walk(tree):
        if id(node) in pure:
            continue
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            found.append((node.lineno, str(node.values[0].value)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def absolute_paths(tree: ast.Module) -> list[tuple[int, str]]:
    return sorted({(line, text) for line, text in _strings(tree) if ABSOLUTE.match(text)})


def _reason(call: ast.Call, name: str) -> str:
    """The reason a skip gives: `reason=` or, for skip/xfail, the first argument; '' when it gives none."""
    words = [k.value for k in call.keywords if k.arg in ("reason", "msg")]
    if name in ("skip", "xfail") and call.args:
        words.append(call.args[0])
    for node in words:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.strip()
        if isinstance(node, ast.JoinedStr):
            return "f-string"
    return ""


def silent_skips(tree: ast.Module) -> list[tuple[int, str]]:
    """Skips (pytest.skip, mark.skip, mark.skipif, importorskip, xfail, unittest's skipTest) without a reason."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if id(node) in called:
            continue
        target = node.func if isinstance(node, ast.Call) else node
        name = target.attr if isinstance(target, ast.Attribute) else ""
        if name == "skipTest" and isinstance(node, ast.Call) and not node.args:
            found.append((node.lineno, name))
        if name not in SKIPS or not isinstance(target.value, ast.Attribute | ast.Name):  # type: ignore[union-attr]
            continue
        if not isinstance(node, ast.Call):
            if isinstance(target.value, ast.Attribute) and target.value.attr == "mark":  # type: ignore[union-attr]
                found.append((node.lineno, f"@pytest.mark.{name} without a reason"))
            continue
        if len(_reason(node, name).split()) < 2:
            found.append((node.lineno, f"{name}: the reason does not say what is missing"))
    return found


def test_no_test_reads_an_absolute_path() -> None:
    found = {name: hits for name, tree in _sources().items() if (hits := absolute_paths(tree))}
    assert not found, f"absolute paths in tests (use ROOT.parent / 'shared' / ... or tmp_path): {found}"


def test_every_skip_says_what_is_missing() -> None:
    found = {name: hits for name, tree in _sources().items() if (hits := silent_skips(tree))}
    assert not found, found


def test_the_scans_find_what_they_look_for() -> None:
    """Each scan, on a sample that breaks its rule, names it; and passes the sample that keeps it."""
    broken = ast.parse('CSV = Path("/work/shared/data/x.csv")\nTMP = f"/tmp/{name}"\nWIN = "C:\\\\data\\\\x.csv"\n'
                       'ok = ("/dev/zero", "/sys", "/Resources", "a/b", PurePosixPath("/srv/d.db"))\n')
    assert [line for line, _text in absolute_paths(broken)] == [1, 2, 3]
    skips = ast.parse("import pytest\n"
                      "@pytest.mark.skip\ndef test_a(): pass\n"
                      "@pytest.mark.skipif(True)\ndef test_b(): pytest.skip()\n"
                      "def test_c(): pytest.skip('')\n"
                      "datasette = pytest.importorskip('datasette')\n"
                      "@pytest.mark.skipif(True, reason='needs /dev/zero')\n"
                      "def test_d(): pytest.skip('pdftotext is not installed')\n")
    assert sorted(line for line, _what in silent_skips(skips)) == [2, 4, 5, 6, 7]
