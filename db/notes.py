"""The user's own notes beside the published data, in a per-user SQLite database.

Separate from the dataset (which is rebuilt from seeds) and keyed by stable ids
(study ids, therapy regimen keys), so a rebuild or a dataset update keeps them.
Durability: WAL journal, a busy timeout for a second instance, every save one
IMMEDIATE transaction; a save is reported only after its commit returned. A damaged
notes database is moved aside with a timestamp (never deleted) and a fresh one made.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from db.paths import data_home

SCHEMA_VERSION = 1
KINDS = ("study", "therapy")
AVAILABILITY = ("", "available", "not_on_formulary")
AVAILABILITY_LABELS = {"": "", "available": "Locally available", "not_on_formulary": "Not on formulary"}
EXPORT_FORMAT = "tumorboard-notes/1"
MAX_TEXT = 20_000
BUSY_TIMEOUT_MS = 5000

# Versioned upgrades, applied in order inside one transaction: index i brings the
# schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE notes (
        entity_kind TEXT NOT NULL CHECK (entity_kind IN ('study', 'therapy')),
        entity_id TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        availability TEXT NOT NULL DEFAULT '' CHECK (availability IN ('', 'available', 'not_on_formulary')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entity_kind, entity_id)
    );
    """,
)


@dataclass(frozen=True)
class Note:
    entity_kind: str
    entity_id: str
    text: str
    availability: str
    updated_at: str

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.availability


class NotesError(Exception):
    """A clear message for the user: the notes could not be read or written."""


def notes_path(home: Path | None = None) -> Path:
    return (home or data_home()) / "notes.sqlite3"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _check(kind: str, ident: str, text: str, availability: str) -> None:
    if kind not in KINDS:
        raise NotesError(f"notes are kept for studies and therapies, not '{kind}'")
    if not ident or len(ident) > 200:
        raise NotesError("a note needs the id of its study or therapy")
    if availability not in AVAILABILITY:
        raise NotesError(f"availability must be one of {', '.join(a or '(none)' for a in AVAILABILITY)}")
    if len(text) > MAX_TEXT:
        raise NotesError(f"a note is limited to {MAX_TEXT} characters")


class NotesStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or notes_path()
        self.moved_aside: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotesError(f"cannot use the data folder {self.path.parent}: {exc.strerror or exc}") from exc
        self.conn = self._open_checked()

    # -- opening, upgrading, recovering -------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _open_checked(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                conn.close()
                raise sqlite3.DatabaseError("quick_check failed")
            self._upgrade(conn)
            return conn
        except sqlite3.DatabaseError:
            self.moved_aside = self._move_aside()
            conn = self._connect()
            self._upgrade(conn)
            return conn
        except OSError as exc:
            raise NotesError(f"cannot open the notes database {self.path}: {exc.strerror or exc}") from exc

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.stem}.damaged-{stamp}-{n}{self.path.suffix}")
        self.path.replace(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        return target

    @staticmethod
    def _upgrade(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise NotesError(f"the notes database was written by a newer version (schema {version})")
        if version == len(MIGRATIONS):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another instance may have done it
            for step in MIGRATIONS[version:]:
                for statement in step.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise NotesError(f"the notes database is busy or read-only: {exc}") from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- reading and writing ------------------------------------------------------
    def get(self, kind: str, ident: str) -> Note | None:
        row = self.conn.execute(
            "SELECT entity_kind, entity_id, text, availability, updated_at FROM notes"
            " WHERE entity_kind = ? AND entity_id = ?", (kind, ident)).fetchone()
        return Note(*row) if row else None

    def all(self, kind: str | None = None) -> list[Note]:
        sql = "SELECT entity_kind, entity_id, text, availability, updated_at FROM notes"
        rows = self.conn.execute(sql + (" WHERE entity_kind = ?" if kind else "") + " ORDER BY 1, 2",
                                 (kind,) if kind else ()).fetchall()
        return [Note(*r) for r in rows]

    def save(self, kind: str, ident: str, text: str, availability: str = "") -> Note:
        """Write the note (or delete it when empty); returns only after the commit."""
        _check(kind, ident, text, availability)
        note = Note(kind, ident, text, availability, _now())
        try:
            with self._transaction() as conn:
                if note.empty:
                    conn.execute("DELETE FROM notes WHERE entity_kind = ? AND entity_id = ?", (kind, ident))
                else:
                    conn.execute(
                        "INSERT INTO notes (entity_kind, entity_id, text, availability, updated_at)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity_kind, entity_id) DO UPDATE SET"
                        " text = excluded.text, availability = excluded.availability,"
                        " updated_at = excluded.updated_at", (kind, ident, text, availability, note.updated_at))
        except sqlite3.DatabaseError as exc:
            raise NotesError(f"the note was not saved: {exc}") from exc
        return note

    # -- moving notes between workstations ----------------------------------------------
    def export_to(self, out: IO[str]) -> int:
        notes = self.all()
        json.dump({"format": EXPORT_FORMAT, "exported_at": _now(), "notes": [asdict(n) for n in notes]}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return len(notes)

    def import_from(self, data: Any) -> dict[str, int]:
        """Merge notes from an export: a note replaces the local one only if it is newer."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(
                data.get("notes"), list):
            raise NotesError(f"not a notes export (expected format {EXPORT_FORMAT})")
        counts = {"added": 0, "updated": 0, "kept": 0}
        incoming = []
        for i, raw in enumerate(data["notes"], start=1):
            try:
                note = Note(str(raw["entity_kind"]), str(raw["entity_id"]), str(raw.get("text", "")),
                            str(raw.get("availability", "")), str(raw["updated_at"]))
            except (KeyError, TypeError) as exc:
                raise NotesError(f"note {i} in the file is incomplete: {exc}") from exc
            _check(note.entity_kind, note.entity_id, note.text, note.availability)
            incoming.append(note)
        with self._transaction() as conn:
            for note in incoming:
                local = conn.execute("SELECT updated_at FROM notes WHERE entity_kind = ? AND entity_id = ?",
                                     (note.entity_kind, note.entity_id)).fetchone()
                if local and local[0] >= note.updated_at:
                    counts["kept"] += 1
                    continue
                conn.execute(
                    "INSERT OR REPLACE INTO notes (entity_kind, entity_id, text, availability, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (note.entity_kind, note.entity_id, note.text, note.availability, note.updated_at))
                counts["updated" if local else "added"] += 1
        return counts
