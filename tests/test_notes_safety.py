"""Notes are never lost, round two: failed saves, locks, damage and hostile files (docs/reliability.md).

Each test reproduces a fault found by an adversarial run; on the code before the fix it fails.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.notes.notebook import MIGRATIONS, NotesBusy, NotesError, NotesStore, notes_path
from tests.conftest import ROOT
from tests.window_support import start_window
from tumorboard.cli import main

LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE" if sys.argv[2] == "exclusive" else "BEGIN IMMEDIATE")
conn.execute("UPDATE notes SET text = text")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


class Locked:
    """Another process holding the notes database until the block ends: its write lock (others
    can read, not write), or `exclusive`ly (others can do neither)."""

    def __init__(self, path: Path, mode: str = "write") -> None:
        self.path = path
        self.mode = mode

    def __enter__(self) -> Locked:
        self.proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(self.path), self.mode], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


_window = start_window


def _open_study(qtbot, win, study_id: str):  # type: ignore[no-untyped-def]
    """Through the search field, as a user does: type the id, press Enter."""
    win.focus_search()
    search = win.search.field
    search.selectAll()
    qtbot.keyClicks(search, study_id)
    qtbot.waitUntil(lambda: win.search.model.rowCount() > 0, timeout=5_000)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    trials = win.tab("Trials")
    qtbot.waitUntil(lambda: trials.notes_panel.entity == study_id, timeout=5_000)
    return trials.notes_panel


# -- 1. a failed save keeps the text ------------------------------------------------------------

def test_text_that_cannot_be_saved_survives_switching_study_and_a_restart(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    NotesStore().close()
    win, tasks = _window(qtbot)
    panel = _open_study(qtbot, win, "radiant-3")
    with Locked(notes_path()):
        qtbot.keyClicks(panel.editor, "Typed while another program held the notes")
        started = time.perf_counter()
        panel.editor.clearFocus()  # leaving the field saves: here it cannot
        qtbot.waitUntil(lambda: "in use by another program" in panel.status.text(), timeout=5_000)
        assert time.perf_counter() - started < 2.0, "the window waited on the lock for seconds"
        _open_study(qtbot, win, "select")  # moving on keeps the text as a draft
        win.close()
        tasks.shutdown()
    assert NotesStore().get("study", "radiant-3") is None  # it really was never saved
    win2, tasks2 = _window(qtbot)
    assert "could not be saved last time (study radiant-3)" in win2.banner.text.text()
    panel2 = _open_study(qtbot, win2, "radiant-3")
    assert panel2.editor.toPlainText() == "Typed while another program held the notes"
    assert "could not be saved" not in panel2.status.text() and not panel2.unsaved
    assert NotesStore().get("study", "radiant-3").text == "Typed while another program held the notes"  # type: ignore[union-attr]
    win2.close()
    tasks2.shutdown()


def test_a_note_over_the_length_limit_is_kept_as_a_draft(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from db.notes.notebook import MAX_TEXT

    win, tasks = _window(qtbot)
    panel = _open_study(qtbot, win, "decision")
    long_text = "x" * (MAX_TEXT + 5)
    QApplication.clipboard().setText(long_text)
    panel.editor.setFocus()
    qtbot.keyClick(panel.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "limited to" in panel.status.text(), timeout=5_000)
    _open_study(qtbot, win, "select")
    panel = _open_study(qtbot, win, "decision")
    assert panel.editor.toPlainText() == long_text
    win.close()
    tasks.shutdown()


def test_where_not_even_a_draft_can_be_written_the_user_is_asked(qtbot, home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import desktop.notes_panel as module

    def full(*args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "write_draft", full)
    NotesStore().close()
    win, tasks = _window(qtbot)
    panel = _open_study(qtbot, win, "radiant-4")
    asked: list[str] = []
    panel.ask_unsaved = lambda why, text: asked.append(text) or False  # "Stay"
    with Locked(notes_path()):
        qtbot.keyClicks(panel.editor, "Only in the editor")
        win.close()  # the user chose to stay: the window stays open, the text stays
        assert win.isVisible() and asked == ["Only in the editor"]
        assert panel.editor.toPlainText() == "Only in the editor"
    qtbot.waitUntil(lambda: panel.flush(), timeout=5_000)
    assert NotesStore().get("study", "radiant-4").text == "Only in the editor"  # type: ignore[union-attr]
    win.close()
    tasks.shutdown()


def test_two_windows_editing_one_note_never_overwrite_silently(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.notes_panel import BOTH, NotesPanel

    path = tmp_path / "notes.sqlite3"
    first, second = NotesPanel(NotesStore(path), "study"), NotesPanel(NotesStore(path), "study")
    for panel in (first, second):
        qtbot.addWidget(panel)
        panel.show_entity("select", "SELECT")
    qtbot.keyClicks(first.editor, "Dose reduced to 14 mg")
    assert first.flush()
    asked = []
    second.resolve_conflict = lambda stored, mine: asked.append(stored.text) or BOTH
    qtbot.keyClicks(second.editor, "Check blood pressure weekly")
    assert second.flush()
    assert asked == ["Dose reduced to 14 mg"]
    stored = NotesStore(path).get("study", "select")
    assert stored is not None
    assert "Check blood pressure weekly" in stored.text and "Dose reduced to 14 mg" in stored.text


def test_a_copy_of_the_notes_is_kept_before_a_schema_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO notes VALUES ('study', 'luna', 'from version 1', '', '2026-01-01T00:00:00Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    notes = NotesStore(path)
    assert notes.backup is not None and notes.backup.name.startswith("notes.before-upgrade-v1-")
    old = sqlite3.connect(notes.backup)
    assert old.execute("SELECT text FROM notes").fetchall() == [("from version 1",)]
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert notes.get("study", "luna").text == "from version 1"  # type: ignore[union-attr]


# -- 2. a lock is not damage ------------------------------------------------------------------------

def test_a_locked_notes_database_is_a_wait_never_damage(home: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    notes = NotesStore()
    notes.save("study", "radiant-3", "Healthy note")
    notes.close()  # the other program is the only one with the file open
    before = notes_path().read_bytes()
    with Locked(notes_path(), "exclusive"):
        assert main(["notes", "export", str(tmp_path / "n.json")]) == 1
        err = capsys.readouterr().err
        with pytest.raises(NotesBusy):
            NotesStore(timeout_ms=100)
    assert "in use by another program" in err and "damaged" not in err
    assert not list(home.glob("notes.damaged-*")) and notes_path().read_bytes() == before
    assert not (tmp_path / "n.json").exists()
    assert main(["notes", "export", str(tmp_path / "n.json")]) == 0


# -- 3. invalid text -----------------------------------------------------------------------------------

def _flip_text(path: Path, ident: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE notes SET text = CAST(X'446f7365ff2031306d67' AS TEXT) WHERE entity_id = ?", (ident,))
    conn.commit()
    conn.close()


def test_invalid_text_is_reported_kept_and_never_saved_under_another_study(qtbot, home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    notes = NotesStore()
    notes.save("study", "decision", "Original")
    notes.save("study", "select", "Lenvatinib note")
    notes.close()
    _flip_text(notes_path(), "decision")
    assert main(["notes", "export", str(tmp_path / "n.json")]) == 0
    assert "not valid UTF-8" in capsys.readouterr().err
    exported = {n["entity_id"]: n for n in json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["notes"]}
    assert exported["decision"]["damaged_text_hex"] == "446f7365ff2031306d67"
    win, tasks = _window(qtbot)
    panel = _open_study(qtbot, win, "decision")
    assert panel.editor.isReadOnly() and "damaged" in panel.status.text()
    panel = _open_study(qtbot, win, "select")
    assert panel.editor.toPlainText() == "Lenvatinib note"
    panel.editor.setFocus()
    qtbot.keyClick(panel.editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.editor, " edited")
    assert panel.flush()
    win.close()
    tasks.shutdown()
    raw = dict(sqlite3.connect(notes_path()).execute("SELECT entity_id, CAST(text AS BLOB) FROM notes").fetchall())
    assert raw["decision"] == bytes.fromhex("446f7365ff2031306d67")
    assert raw["select"] == b"Lenvatinib note edited"


def test_the_self_test_reports_invalid_note_text(home: Path) -> None:
    from tumorboard.selftest_data import Context, Failure, step_notes

    NotesStore().save("study", "decision", "Original")
    _flip_text(notes_path(), "decision")
    with pytest.raises(Failure, match="not valid UTF-8"):
        step_notes(Context(home=home))  # type: ignore[call-arg]


# -- 4. a garbage write-ahead log ---------------------------------------------------------------------

KILLED_SAVER = """
import os, signal, sys
from pathlib import Path
from db.notes.notebook import NotesStore
notes = NotesStore(Path(sys.argv[1]))
notes.save("study", "radiant-3", "Committed in the log only")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _log_with_a_committed_note(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    NotesStore(path).close()
    subprocess.run([sys.executable, "-c", KILLED_SAVER, str(path)], cwd=ROOT)
    wal = Path(str(path) + "-wal")
    assert wal.stat().st_size > 32
    return path


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_sound_log_left_by_a_killed_process_is_read(tmp_path: Path) -> None:
    path = _log_with_a_committed_note(tmp_path)
    notes = NotesStore(path)
    assert notes.wal_moved_aside is None
    assert notes.get("study", "radiant-3").text == "Committed in the log only"  # type: ignore[union-attr]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("where", ["frame", "header"])
def test_a_garbage_log_is_detected_kept_and_told(tmp_path: Path, where: str) -> None:
    path = _log_with_a_committed_note(tmp_path)
    wal = Path(str(path) + "-wal")
    data = bytearray(wal.read_bytes())
    at = 32 + 24 + 100 if where == "frame" else 8
    data[at:at + 16] = b"\x5a" * 16
    wal.write_bytes(bytes(data))
    notes = NotesStore(path)
    assert notes.wal_moved_aside is not None and notes.wal_moved_aside.read_bytes() == bytes(data)
    assert "damaged" in (notes.wal_problem or "") or "checksum" in (notes.wal_problem or "")


# -- 5. a newer notes schema ---------------------------------------------------------------------------

def test_notes_from_a_newer_release_open_read_only_and_the_window_opens(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    NotesStore().save("study", "radiant-3", "Written by a later release")
    conn = sqlite3.connect(notes_path())
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = notes_path().read_bytes()
    win, tasks = _window(qtbot)
    assert "newer release" in win.banner.text.text()
    panel = _open_study(qtbot, win, "radiant-3")
    assert panel.editor.toPlainText() == "Written by a later release" and panel.editor.isReadOnly()
    win.close()
    tasks.shutdown()
    assert notes_path().read_bytes() == before


# -- 6. a full disk ------------------------------------------------------------------------------------

def _full(path: Path) -> None:
    """Fill the database to the page count SQLite is then told is the most it may have."""
    conn = sqlite3.connect(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    original = NotesStore._connect

    def connect(self: NotesStore, read_only: bool = False) -> sqlite3.Connection:
        c = original(self, read_only)
        c.execute(f"PRAGMA max_page_count = {pages}")
        return c

    NotesStore._connect = connect  # type: ignore[method-assign]


def test_a_full_disk_is_named_as_such(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    NotesStore().save("study", "seed", "x")
    monkeypatch.setattr(NotesStore, "_connect", NotesStore._connect)
    _full(notes_path())
    with pytest.raises(NotesError, match="the disk is full") as caught:
        NotesStore().save("study", "radiant-3", "y" * 15_000)
    assert "rollback" not in str(caught.value)
    export = {"format": "tumorboard-notes/1",
              "notes": [{"entity_kind": "study", "entity_id": f"s{i}", "text": "z" * 5000,
                         "updated_at": "2026-11-30T09:00:00Z"} for i in range(20)]}
    (tmp_path / "in.json").write_text(json.dumps(export), encoding="utf-8")
    assert main(["notes", "import", str(tmp_path / "in.json")]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "Traceback" not in err and "rollback" not in err


def test_build_and_search_name_a_full_disk_without_a_traceback(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import db.building.build
    import db.store

    def full(*args: object, **kw: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db.building.build, "build", full)
    assert main(["build", "-o", str(home / "x.sqlite3")]) == 1
    assert "the disk is full" in capsys.readouterr().err
    monkeypatch.setattr(db.store.Store, "search", full)
    assert main(["search", "everolimus"]) == 1
    assert "the disk is full" in capsys.readouterr().err


# -- 7. notes import validates every record -------------------------------------------------------------

@pytest.mark.parametrize(("record", "message"), [
    ({"text": None}, "note 2 in the file: 'text' must be text, not null"),
    ({"text": ["a"]}, "'text' must be text, not a list"),
    ({"text": 12}, "'text' must be text, not a number"),
    ({"updated_at": "yesterday"}, "'updated_at' must be a UTC time"),
    ({"updated_at": "9999-99-99T99:99:99Z"}, "'updated_at' must be a UTC time"),
    ({"text": "\ud800"}, "lone surrogate"),
    ({"updated_at": "9999-12-31T23:59:59Z"},
     "note 2 in the file: 'updated_at' 9999-12-31T23:59:59Z is in the future (later than a day from now)"),
    ({"updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2 * 86_400))},
     "note 2 in the file: 'updated_at' "),
])
def test_import_refuses_a_bad_record_with_its_position(home: Path, tmp_path: Path, record: dict[str, object],
                                                        message: str, capsys: pytest.CaptureFixture[str]) -> None:
    good = {"entity_kind": "study", "entity_id": "select", "text": "ok", "updated_at": "2026-11-30T09:00:00Z"}
    bad = good | {"entity_id": "decision"} | record
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [good, bad]}), encoding="utf-8")
    assert main(["notes", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert NotesStore().all() == []  # nothing of a bad file is written


@pytest.mark.parametrize("text", ['{"format": "tumorboard-notes/1", "notes": [{"text": NaN}]}',
                                  '{"format": "tumorboard-notes/1", "notes": [{"text": Infinity}]}',
                                  "[" * 100_000 + "]" * 100_000])
def test_import_answers_nan_infinity_and_deep_nesting_with_a_message(home: Path, tmp_path: Path, text: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    assert main(["notes", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tumorboard notes: ") and "Traceback" not in err


def test_an_unparseable_stored_time_cannot_block_a_newer_note(home: Path, tmp_path: Path) -> None:
    NotesStore().save("study", "select", "old")
    conn = sqlite3.connect(notes_path())
    conn.execute("UPDATE notes SET updated_at = 'zzzz'")
    conn.commit()
    conn.close()
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [
        {"entity_kind": "study", "entity_id": "select", "text": "newer", "updated_at": "2026-11-30T09:00:00Z"}]}),
        encoding="utf-8")
    assert main(["notes", "import", str(path)]) == 0
    assert NotesStore().get("study", "select").text == "newer"  # type: ignore[union-attr]


def test_a_time_less_than_a_day_ahead_is_accepted_and_a_stored_future_time_blocks_nothing(
        home: Path, tmp_path: Path) -> None:
    NotesStore().save("study", "select", "old")
    conn = sqlite3.connect(notes_path())
    conn.execute("UPDATE notes SET updated_at = '9999-12-31T23:59:59Z'")  # accepted by an earlier release
    conn.commit()
    conn.close()
    ahead = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 23 * 3600))
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [
        {"entity_kind": "study", "entity_id": "select", "text": "newer", "updated_at": ahead}]}), encoding="utf-8")
    assert main(["notes", "import", str(path)]) == 0
    note = NotesStore().get("study", "select")
    assert note is not None and (note.text, note.updated_at) == ("newer", ahead)


def test_an_import_file_over_the_size_cap_is_refused_before_it_is_read(home: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from db.notes.notebook import MAX_IMPORT_BYTES

    path = tmp_path / "in.json"
    with path.open("wb") as f:
        f.truncate(20_000_000_000)  # sparse: reading it would take minutes and 20 GB
    began = time.perf_counter()
    assert main(["notes", "import", str(path)]) == 1
    assert time.perf_counter() - began < 5
    assert capsys.readouterr().err == (f"tumorboard notes: {path} has 20,000,000,000 bytes; a notes export may "
                                       f"have at most {MAX_IMPORT_BYTES:,}\n")
    os.truncate(path, MAX_IMPORT_BYTES + 1)
    assert main(["notes", "import", str(path)]) == 1
    assert "a notes export may have at most 50,000,000" in capsys.readouterr().err
    os.unlink(path)
    os.mkfifo(path)
    assert main(["notes", "import", str(path)]) == 1  # a FIFO is refused, not waited on
    assert capsys.readouterr().err == f"tumorboard notes: {path} is not a regular file\n"
    assert NotesStore().all() == []


def test_notes_for_ids_the_dataset_does_not_hold_are_kept_and_listed(home: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [
        {"entity_kind": "study", "entity_id": "radiant-3", "text": "known", "updated_at": "2026-11-30T09:00:00Z"},
        {"entity_kind": "study", "entity_id": "netter-9", "text": "unknown", "updated_at": "2026-11-30T09:00:00Z"}]}),
        encoding="utf-8")
    assert main(["notes", "import", str(path)]) == 0
    assert "1 note(s) are for ids this dataset does not hold (kept): study netter-9" in capsys.readouterr().err
    assert NotesStore().get("study", "netter-9").text == "unknown"  # type: ignore[union-attr]


# -- 14. text is never rendered as markup -----------------------------------------------------------------

def test_text_typed_in_the_search_field_is_shown_as_typed(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    win, tasks = _window(qtbot)
    win.focus_search()
    hostile = '<h1 style="color:red">WRONG DOSE 10x</h1>'
    qtbot.keyClicks(win.search.field, hostile)
    qtbot.waitUntil(lambda: hostile in win.search.status.text(), timeout=5_000)
    assert win.search.status.textFormat() == Qt.TextFormat.PlainText
    win.close()
    tasks.shutdown()
