"""Two writers on one note (two stores in one process, two processes), `notes import` beside an
open editor, and SIGKILL inside a save (issue 21, untried cases)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.notes.notebook import NotesConflict, NotesStore, notes_path
from tests.conftest import ROOT

FIRST, SECOND = "Dose reduced to 14 mg", "Check blood pressure weekly"


def test_the_second_of_two_stores_meets_the_revision_check_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    one, two = NotesStore(path), NotesStore(path)
    assert one.get("study", "select") is None and two.get("study", "select") is None  # both start from revision 0
    one.save("study", "select", FIRST, revision=0)
    with pytest.raises(NotesConflict) as raised:
        two.save("study", "select", SECOND, revision=0)
    assert raised.value.stored is not None and raised.value.stored.text == FIRST
    stored = NotesStore(path).get("study", "select")
    assert stored is not None and (stored.text, stored.revision) == (FIRST, 1)


@pytest.mark.parametrize(("choice", "expected"), [
    ("both", f"{SECOND}\n\n— changed elsewhere, "), ("mine", SECOND), ("theirs", FIRST)])
def test_each_conflict_choice_between_two_windows_keeps_what_it_says(qtbot, tmp_path: Path, choice: str,  # type: ignore[no-untyped-def]
                                                                     expected: str) -> None:
    from desktop.notes_panel import NotesPanel

    path = tmp_path / "notes.sqlite3"
    first, second = NotesPanel(NotesStore(path), "study"), NotesPanel(NotesStore(path), "study")
    for panel in (first, second):
        qtbot.addWidget(panel)
        panel.show_entity("select", "SELECT")
    qtbot.keyClicks(first.editor, FIRST)
    assert first.flush()
    asked = []
    second.resolve_conflict = lambda stored, mine: asked.append((stored.text, mine)) or choice
    qtbot.keyClicks(second.editor, SECOND)
    assert second.flush()
    assert asked == [(FIRST, SECOND)]
    stored = NotesStore(path).get("study", "select")
    assert stored is not None and stored.text.startswith(expected)
    if choice == "both":
        assert stored.text.endswith(f"UTC —\n{FIRST}")
    assert second.editor.toPlainText() == stored.text


WRITER = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from db.notes.notebook import NotesStore
from desktop.notes_panel import NotesPanel
app = QApplication([])
panel = NotesPanel(NotesStore(Path(sys.argv[1])), "study")
panel.show_entity("select", "SELECT")
asked = []
panel.resolve_conflict = lambda stored, mine: asked.append(stored.text) or sys.argv[3]
panel.editor.setPlainText(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
ok = panel.flush()
print("conflict with: " + asked[0] if asked else "saved", flush=True)
print("flushed" if ok else "not saved", flush=True)
"""


@pytest.mark.parametrize("choice", ["both", "mine", "theirs"])
def test_two_processes_saving_one_note_at_once_meet_the_revision_check(tmp_path: Path, choice: str) -> None:
    """Both editors load revision 0 and are released together: exactly one saves, the other is
    asked (the choice it makes is kept), so neither text is lost without asking."""
    path = tmp_path / "notes.sqlite3"
    NotesStore(path).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), text, choice], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for text in (FIRST, SECOND)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outs.append(out.splitlines())
    assert all(o[-1] == "flushed" for o in outs), outs
    results = sorted(o[0] for o in outs)
    [asked, saved] = results
    assert saved == "saved" and asked.startswith("conflict with: "), results
    winner = asked.removeprefix("conflict with: ")
    loser = SECOND if winner == FIRST else FIRST
    stored = NotesStore(path).get("study", "select")
    assert stored is not None
    if choice == "both":
        assert stored.text.startswith(loser) and stored.text.endswith(winner)
    else:
        assert stored.text == (loser if choice == "mine" else winner)


def _export(tmp_path: Path, text: str, when: datetime) -> Path:
    out = tmp_path / f"import-{when:%H%M%S}.json"
    out.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [
        {"entity_kind": "study", "entity_id": "radiant-3", "text": text, "availability": "",
         "updated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}]}), encoding="utf-8")
    return out


def test_notes_import_beside_an_open_store_keeps_the_newer_and_the_editor_then_meets_the_check(
        home: Path, tmp_path: Path) -> None:
    editor = NotesStore()
    saved = editor.save("study", "radiant-3", "Saved in the open window", revision=0)
    env = {**os.environ}

    def notes_import(path: Path) -> str:
        done = subprocess.run([sys.executable, "-m", "tumorboard", "notes", "import", str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    now = datetime.now(UTC)
    assert "1 kept" in notes_import(_export(tmp_path, "Older, from another workstation", now - timedelta(days=3)))
    assert editor.get("study", "radiant-3").text == "Saved in the open window"  # type: ignore[union-attr]
    assert "1 updated" in notes_import(_export(tmp_path, "Newer, from another workstation", now + timedelta(hours=1)))
    assert NotesStore(notes_path()).get("study", "radiant-3").text == "Newer, from another workstation"  # type: ignore[union-attr]
    with pytest.raises(NotesConflict) as raised:  # the window still holds the revision it loaded
        editor.save("study", "radiant-3", "Edited in the open window", revision=saved.revision)
    assert raised.value.stored is not None and raised.value.stored.text == "Newer, from another workstation"


KILLED_INSIDE = """
import sys, time
from pathlib import Path
from db.notes.notebook import NotesStore
notes = NotesStore(Path(sys.argv[1]))
notes.save("study", "radiant-3", "Committed version")
def stop(statement):
    if statement.strip().upper() == "COMMIT":
        print("inside the save", flush=True)
        time.sleep(60)
notes.conn.set_trace_callback(stop)
notes.save("study", "radiant-3", "Never committed version " * 50)
print("the save returned", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_sigkill_inside_a_save_keeps_the_last_committed_note(tmp_path: Path) -> None:
    """The child is stopped at its second save's COMMIT (written, not committed) and killed there."""
    path = tmp_path / "notes.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_INSIDE, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "inside the save"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    notes = NotesStore(path)
    assert notes.moved_aside is None and notes.wal_moved_aside is None
    stored = notes.get("study", "radiant-3")
    assert stored is not None and (stored.text, stored.revision) == ("Committed version", 1)
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
