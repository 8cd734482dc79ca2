"""A Qt warning fails the test that causes it (pytest-qt's qt_log_level_fail, set in pyproject.toml), except
the offscreen plugin's notes about itself. Shown by running a small test file under the project's settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

INNER = '''
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QWidget


def test_a_program_warning(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    qWarning("QWidget::setLayout: Attempting to set QLayout on QWidget, which already has a layout")


def test_the_offscreen_plugin_about_itself(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    qWarning("This plugin does not support propagateSizeHints()")
'''


def test_a_qt_warning_fails_its_test_and_the_offscreen_plugins_notes_do_not(tmp_path: Path) -> None:
    inner = tmp_path / "test_inner.py"
    inner.write_text(INNER, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
                           str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(inner)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "1 failed, 1 passed" in out, out
    assert "test_a_program_warning" in out and "Qt messages with level WARNING or above emitted" in out
