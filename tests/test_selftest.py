"""`tumorboard --self-test` as IT runs it: a separate process, a fresh or broken data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["install", "data", "dataset", "notes", "window", "search", "chart", "handout"]


def self_test(home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(TUMORBOARD_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tumorboard", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.gui
def test_passes_and_rebuilds_a_damaged_dataset(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "dataset.sqlite3").write_bytes(b"not a database, a half-copied file")
    done = self_test(home)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in STEPS:
        assert any(re.match(rf"\s+ok\s+{step}\s+\d+ ms\s+\S", line) for line in lines), (step, done.stdout)
    assert "was damaged, rebuilt" in done.stdout
    assert "“RADIANT-3”" in done.stdout and "in the Trials tab" in done.stdout
    assert re.search(r"dataset \S+, \d+ studies", done.stdout)
    assert re.search(r"self-test passed in [\d.]+ s", done.stdout)
    folder = re.search(r"page\(s\), \d+ kB in (\S+) ", done.stdout)
    assert folder and not Path(folder.group(1)).exists()
    assert not list(home.glob("*.pdf"))


def test_a_data_folder_that_is_a_file_fails_with_a_clear_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("in the way")
    done = self_test(home)
    assert done.returncode == 1
    assert f"FAILED at data: the data folder {home} is a file, not a folder" in done.stderr
    assert "TUMORBOARD_HOME" in done.stderr and "Traceback" not in done.stderr
    assert "ok  install" in done.stdout and "self-test passed" not in done.stdout


def test_a_damaged_notes_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    notes = home / "notes.sqlite3"
    notes.write_bytes(b"x" * 4096)
    done = self_test(home)
    assert done.returncode == 1
    assert f"FAILED at notes: the notes database {notes} cannot be read" in done.stderr
    assert notes.read_bytes() == b"x" * 4096
