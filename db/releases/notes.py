"""Notes across releases: a note is kept by its study id (or therapy key) whatever the dataset
holds; one whose study left the dataset is listed, never dropped."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from db.sqlite_uri import sqlite_uri

if TYPE_CHECKING:
    from db.notes.notebook import Note
    from db.store import Store


def dataset_ids(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """The ids notes attach to: study ids and therapy (regimen) keys."""
    return {"study": {str(r[0]) for r in conn.execute("SELECT id FROM studies")},
            "therapy": {str(r[0]) for r in conn.execute("SELECT DISTINCT regimen_key FROM arms")}}


def orphaned_notes(store: Store, notes: Iterable[Note]) -> list[Note]:
    """The notes (with text or a flag) whose study or therapy this dataset does not hold."""
    ids = dataset_ids(store.conn)
    return [n for n in notes if not n.empty and n.entity_id not in ids.get(n.entity_kind, set())]


def orphaned_note_ids(dataset: Path, notes_db: Path) -> list[tuple[str, str]]:
    """(kind, id) of such notes, reading the notes database read-only (start-up does not open it
    for writing: the window does, after). [] when it cannot be read."""
    if not notes_db.is_file():
        return []
    try:
        data = sqlite3.connect(sqlite_uri(dataset), uri=True)
        try:
            ids = dataset_ids(data)
        finally:
            data.close()
        conn = sqlite3.connect(sqlite_uri(notes_db), uri=True, timeout=0.5)
        try:
            rows = conn.execute("SELECT entity_kind, entity_id FROM notes WHERE text != '' OR availability != ''"
                                " ORDER BY entity_kind, entity_id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [(str(k), str(i)) for k, i in rows if str(i) not in ids.get(str(k), set())]
