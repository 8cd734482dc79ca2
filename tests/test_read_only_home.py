"""A read-only data folder (issue 21, untried case): with a dataset already there the program
shows it and opens the notes read-only, saying so; with none, the command line names the folder
and exits 1.

The folder is made truly read-only: as root (who ignores permissions, so chmod would change
nothing) the command runs in its own mount namespace (`unshare -m`) where the folder is bind-mounted
read-only, so every write fails with EROFS as on a read-only share; as another user the folder is
chmod 0555 (EACCES). Without either, the tests are skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.notes.notebook import NotesStore
from tests.conftest import ROOT

MOUNT = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'


def _can_mount_read_only(tmp_path: Path) -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(["unshare", "-m", "sh", "-c", MOUNT, str(probe), "touch", str(probe / "x")],
                          capture_output=True, timeout=10)
    probe.rmdir()
    return done.returncode != 0 and b"Read-only file system" in done.stderr


def run_read_only(home: Path, tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUMORBOARD_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TUMORBOARD_RELEASES", None)
    env["TUMORBOARD_CONFIG"] = str(tmp_path / "no-such.ini")
    if _can_mount_read_only(tmp_path):
        argv = ["unshare", "-m", "sh", "-c", MOUNT, str(home), *command]
        return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if os.geteuid() == 0:
        pytest.skip("running as root without mount namespaces: no way to make a folder read-only")
    home.chmod(0o555)
    try:
        return subprocess.run(list(command), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        home.chmod(0o755)


def _tumorboard(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "tumorboard", *args)


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with a built dataset and one note, as a previous run left it."""
    home = tmp_path / "home"
    monkeypatch.setenv("TUMORBOARD_HOME", str(home))
    env = {**os.environ, "TUMORBOARD_HOME": str(home)}
    assert subprocess.run(_tumorboard("build"), cwd=ROOT, env=env, capture_output=True, timeout=300).returncode == 0
    notes = NotesStore(home / "notes.sqlite3")
    notes.save("study", "radiant-3", "Pharmacy stocks it")
    notes.close()
    return home


def test_with_a_dataset_the_command_line_searches_and_exports_notes_and_says_they_are_read_only(
        filled: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in filled.iterdir())
    found = run_read_only(filled, tmp_path, *_tumorboard("search", "everolimus"))
    assert found.returncode == 0, found.stderr
    assert "radiant-3" in found.stdout
    out = tmp_path / "notes.json"
    exported = run_read_only(filled, tmp_path, *_tumorboard("notes", "export", str(out)))
    assert exported.returncode == 0, exported.stderr
    assert "exported 1 note(s)" in exported.stdout and "Pharmacy stocks it" in out.read_text(encoding="utf-8")
    assert f"the data folder {filled} cannot be written" in exported.stderr and "read-only" in exported.stderr
    imported = run_read_only(filled, tmp_path, *_tumorboard("notes", "import", str(out)))
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert f"the data folder {filled} cannot be written" in imported.stderr
    assert sorted(p.name for p in filled.iterdir()) == before


STORE_LAYER = """
from db.notes.notebook import NotesStore
from db.opening import open_store
store = open_store()
print("warning:", *store.warnings, sep="\\n")
print("dataset:", store.meta()["dataset_version"])
notes = NotesStore()
print("read_only:", notes.read_only)
print("note:", notes.get("study", "radiant-3").text)
print("problem:", notes.problem)
"""


def test_with_a_dataset_the_store_opens_and_the_notes_open_read_only(filled: Path, tmp_path: Path) -> None:
    done = run_read_only(filled, tmp_path, sys.executable, "-c", STORE_LAYER)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "read_only: True" in lines and "note: Pharmacy stocks it" in lines
    assert any(line.startswith("problem: ") and str(filled) in line for line in lines), lines
    assert any(f"The data folder {filled} cannot be written" in line for line in lines), lines
    assert "dataset: 2026.12.1" in lines


def test_with_no_dataset_the_command_line_names_the_folder_and_exits_1(tmp_path: Path) -> None:
    home = tmp_path / "empty home"
    home.mkdir()
    for args in (("search", "everolimus"), ("notes", "export", str(tmp_path / "n.json"))):
        done = run_read_only(home, tmp_path, *_tumorboard(*args))
        assert done.returncode == 1, done.stdout
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("tumorboard") and f"cannot use the data folder {home}: " in line, line
        assert "TUMORBOARD_HOME" in line
    assert list(home.iterdir()) == []


def test_with_a_dataset_the_window_opens_says_so_and_the_note_is_read_only(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated in this process (a window cannot be moved into a mount namespace): the data
    folder's write probe fails with EROFS and os.access reports it unwritable, as on a read-only
    medium; the command-line tests above use a real read-only mount."""
    import errno

    from PySide6.QtCore import Qt

    import db.paths
    from db.opening import open_store
    from tests.window_support import start_window

    open_store().close()
    notes = NotesStore()
    notes.save("study", "radiant-3", "Pharmacy stocks it")
    notes.close()

    def refuse(folder: Path | None = None) -> Path:
        cause = OSError(errno.EROFS, "Read-only file system")
        raise db.paths.DataFolderError(f"cannot use the data folder {home}: Read-only file system") from cause

    real_access = os.access
    monkeypatch.setattr(db.paths, "writable_home", refuse)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == home and mode == os.W_OK
                        else real_access(p, mode, **kw))
    win, tasks = start_window(qtbot)
    banner = win.banner.text.text()
    assert f"The data folder {home} cannot be written" in banner and "notes are read-only" in banner
    win.focus_search()
    qtbot.keyClicks(win.search.field, "radiant-3")
    qtbot.waitUntil(lambda: win.search.model.rowCount() > 0, timeout=5_000)
    qtbot.keyClick(win.search.field, Qt.Key.Key_Return)
    panel = win.tab("Trials").notes_panel
    qtbot.waitUntil(lambda: panel.entity == "radiant-3", timeout=5_000)
    assert panel.editor.toPlainText() == "Pharmacy stocks it" and panel.editor.isReadOnly()
    assert panel.status.text().startswith(f"Read-only: the data folder {home} cannot be written")
    win.close()
    tasks.shutdown()
