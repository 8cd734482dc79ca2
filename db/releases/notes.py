"""Notes across releases: a note is kept by its study id (or therapy key) whatever the dataset
holds; one whose study left the dataset is listed, never dropped."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.notes.notebook import Note
    from db.store import Store


def orphaned_notes(store: Store, notes: Iterable[Note]) -> list[Note]:
    """The notes (with text or a flag) whose study or therapy this dataset does not hold."""
    ids = store.note_targets()
    return [n for n in notes if not n.empty and n.entity_id not in ids.get(n.entity_kind, set())]


def orphaned_note_ids(dataset: Path, notes_db: Path) -> list[tuple[str, str]]:
    """(kind, id) of such notes, reading the notes database read-only (start-up does not open it
    for writing: the window does, after). [] when it cannot be read."""
    from db.notes.notebook import noted_ids
    from db.store import Store

    if not notes_db.is_file():
        return []
    try:
        data = Store(dataset)
        try:
            ids = data.note_targets()
        finally:
            data.close()
        noted = noted_ids(notes_db)
    except sqlite3.Error:
        return []
    return [(k, i) for k, i in noted if i not in ids.get(k, set())]
