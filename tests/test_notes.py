"""Local notes: kept apart from the dataset, never lost, movable between workstations."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.building.build import build
from db.notes.notebook import EXPORT_FORMAT, NotesError, NotesStore, notes_path
from tests.conftest import ROOT, SEEDS
from tumorboard.cli import main


def test_save_get_and_delete_when_emptied(tmp_path: Path) -> None:
    notes = NotesStore(tmp_path / "notes.sqlite3")
    saved = notes.save("therapy", "everolimus", "Stock at the hospital pharmacy", "available")
    got = notes.get("therapy", "everolimus")
    assert got == saved and got.availability == "available"
    notes.save("therapy", "everolimus", "  ", "")
    assert notes.get("therapy", "everolimus") is None


def test_bad_input_is_refused_with_a_message(tmp_path: Path) -> None:
    notes = NotesStore(tmp_path / "notes.sqlite3")
    with pytest.raises(NotesError, match="availability"):
        notes.save("therapy", "everolimus", "x", "maybe")
    with pytest.raises(NotesError, match="studies and therapies"):
        notes.save("patient", "123", "x")


def test_notes_survive_a_dataset_rebuild(home: Path, tmp_path: Path) -> None:
    notes = NotesStore()
    notes.save("study", "radiant-3", "Discussed 2026-11")
    build(SEEDS, home / "dataset.sqlite3")
    build(SEEDS, home / "dataset.sqlite3")
    assert NotesStore().get("study", "radiant-3").text == "Discussed 2026-11"  # type: ignore[union-attr]


def test_a_corrupt_notes_file_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    notes = NotesStore(path)
    assert notes.moved_aside is not None and notes.moved_aside.name.startswith("notes.damaged-")
    assert notes.moved_aside.read_bytes() == garbage
    notes.save("study", "select", "new")
    assert notes.get("study", "select").text == "new"  # type: ignore[union-attr]


def test_a_truncated_notes_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    first = NotesStore(path)
    for i in range(300):
        first.save("study", f"s{i}", "x" * 200)
    first.close()
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    notes = NotesStore(path)
    assert notes.moved_aside is not None and notes.moved_aside.stat().st_size == len(data) // 2


def test_export_and_import_move_notes_between_workstations(tmp_path: Path) -> None:
    a = NotesStore(tmp_path / "a.sqlite3")
    a.save("study", "radiant-3", "from A")
    a.save("therapy", "sunitinib", "", "not_on_formulary")
    out = tmp_path / "notes.json"
    with out.open("w", encoding="utf-8") as handle:
        assert a.export_to(handle) == 2
    b = NotesStore(tmp_path / "b.sqlite3")
    b.save("study", "select", "only on B")
    counts = b.import_from(json.loads(out.read_text(encoding="utf-8")))
    assert counts == {"added": 2, "updated": 0, "kept": 0, "unknown": []}
    assert b.get("therapy", "sunitinib").availability == "not_on_formulary"  # type: ignore[union-attr]
    assert b.get("study", "select").text == "only on B"  # type: ignore[union-attr]
    time.sleep(1.1)
    b.save("study", "radiant-3", "edited on B later")
    assert b.import_from(json.loads(out.read_text(encoding="utf-8")))["kept"] == 2
    assert b.get("study", "radiant-3").text == "edited on B later"  # type: ignore[union-attr]


def test_import_refuses_a_file_that_is_not_a_notes_export(tmp_path: Path) -> None:
    notes = NotesStore(tmp_path / "n.sqlite3")
    with pytest.raises(NotesError, match=EXPORT_FORMAT):
        notes.import_from({"studies": []})


def test_cli_notes_export_and_import(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    NotesStore().save("study", "radiant-4", "CLI round trip")
    out = tmp_path / "n.json"
    assert main(["notes", "export", str(out)]) == 0
    notes_path().unlink()
    assert main(["notes", "import", str(out)]) == 0
    assert "1 added" in capsys.readouterr().out
    assert NotesStore().get("study", "radiant-4").text == "CLI round trip"  # type: ignore[union-attr]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["notes", "import", str(bad)]) == 1
    assert "is not JSON (line 1)" in capsys.readouterr().err


SAVER = """
import sys
from pathlib import Path
from db.notes.notebook import NotesStore
notes = NotesStore(Path(sys.argv[1]))
for i in range(100000):
    notes.save("study", f"{sys.argv[2]}-{i}", "note number %d " % i * 20)
    print(i, flush=True)
"""


def test_a_process_killed_while_saving_loses_nothing_reported_saved(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    NotesStore(path).close()
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), "k"], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    reported = -1
    for line in proc.stdout:
        reported = int(line)
        if reported >= 150:
            break
    proc.send_signal(signal.SIGKILL)  # mid-stream: most likely inside a transaction
    proc.wait(timeout=30)
    proc.stdout.close()
    notes = NotesStore(path)
    assert notes.moved_aside is None
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {n.entity_id for n in notes.all("study")}
    assert {f"k-{i}" for i in range(reported + 1)} <= ids


def test_two_processes_write_notes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    NotesStore(path).close()
    script = SAVER.replace("range(100000)", "range(150)")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), tag], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for tag in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    ids = {n.entity_id for n in NotesStore(path).all()}
    assert len(ids) == 300


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_the_window_flushes_a_pending_note_on_close(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.app import start

    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    trials = win.tab("Trials")
    trials.open_ref("radiant-3")  # type: ignore[union-attr]
    panel = trials.notes_panel  # type: ignore[union-attr]
    qtbot.keyClicks(panel.editor, "Typed just before closing")
    assert panel.status.text() == "Editing…"
    win.close()  # before the half-second save delay
    tasks.shutdown()
    assert NotesStore().get("study", "radiant-3").text == "Typed just before closing"  # type: ignore[union-attr]
