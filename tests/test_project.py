"""Project-level promises: the layering, the documented command line, a clean lint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tumorboard.cli import parser


def test_db_never_imports_qt() -> None:
    code = ("import sys, pkgutil, importlib, db\n"
            "for m in pkgutil.iter_modules(db.__path__): importlib.import_module('db.' + m.name)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph', 'desktop'))]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_db_sources_do_not_mention_qt() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|pyqtgraph|desktop)\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "db").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def subcommands() -> list[str]:
    action = next(a for a in parser()._actions if a.dest == "command")
    return sorted(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", subcommands())
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"tumorboard {command}" in readme


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help(command: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "tumorboard", command, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"usage: tumorboard {command}")


PAINTS = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
class Painted(QWidget):
    def paintEvent(self, event):
        pass
w = Painted()
w.show()
before = sys.getrefcount(None)
for _ in range(8000):
    w.repaint()
    w.setWindowTitle("x")
print(before - sys.getrefcount(None))
"""


def test_the_qt_binding_does_not_leak_references_to_none() -> None:
    """PySide6 6.12 on Python 3.11 loses a reference to None per call and aborts the
    interpreter ("none_dealloc") after a few thousand paints; pyproject excludes it."""
    proc = subprocess.run([sys.executable, "-c", PAINTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert int(proc.stdout.strip()) < 100


def test_mypy_strict_on_db() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


MISSPELT = """
from db.store import Store


def short_names(store: Store) -> list[str]:
    return [s["shrot"] for s in store.sources()] + [d["nmae"] for d in store.diseases()]


def figures(store: Store) -> list[str]:
    study = store.study("radiant-3")
    assert study is not None
    return [study["acronim"] or ""] + [o["vaule_text"] for a in study["arms"] for o in a["outcomes"]] + [
        ae["hihg_text"] or "" for a in study["arms"] for ae in a["adverse_events"]] + [
        c["vs_arm"] for c in study["comparisons"]]
"""


def test_a_misspelt_key_of_a_typed_record_fails_mypy(tmp_path: Path) -> None:
    """The store's sources, diseases, vocabularies and nested studies (arms, outcomes, adverse events,
    comparisons) are TypedDicts (db/dataset/record.py): a key spelt wrong in a module that reads them is caught
    before it runs."""
    module = tmp_path / "misspelt.py"
    module.write_text(MISSPELT, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(module)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert '"SourceRecord" has no key "shrot"' in proc.stdout and '"DiseaseRecord" has no key "nmae"' in proc.stdout
    for record, key in (("StudyRecord", "acronim"), ("OutcomeRecord", "vaule_text"),
                        ("AdverseEventRecord", "hihg_text"), ("ComparisonRecord", "vs_arm")):
        assert f'"{record}" has no key "{key}"' in proc.stdout, proc.stdout


def test_ruff_is_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
