"""The user's own notes beside the published data, in a per-user SQLite database.

Separate from the dataset (which is rebuilt from seeds) and keyed by stable ids
(study ids, therapy regimen keys), so a rebuild or a dataset update keeps them.
Durability: WAL journal, a busy timeout for a second instance, every save one
IMMEDIATE transaction; a save is reported only after its commit returned. A damaged
notes database (or write-ahead log) is moved aside with a timestamp (never deleted) and
a fresh one made; a locked one is a wait, never damage; one written by a newer release
is opened read-only. Each save names the revision it edits, so a note changed meanwhile
by another window or workstation is never overwritten silently.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from db.errors import cause, describe
from db.notes.wal_check import wal_problem
from db.paths import data_home
from db.sqlite_uri import sqlite_uri

SCHEMA_VERSION = 2
KINDS = ("study", "therapy")
AVAILABILITY = ("", "available", "not_on_formulary")
AVAILABILITY_LABELS = {"": "", "available": "Locally available", "not_on_formulary": "Not on formulary"}
EXPORT_FORMAT = "tumorboard-notes/1"
MAX_TEXT = 20_000
# An export of 2 000 notes at MAX_TEXT, each character up to 4 bytes of UTF-8, is under 170 MB;
# real exports are far smaller. 200 MB took 2.4 s and 420 MB of memory before this cap.
MAX_IMPORT_BYTES = 50_000_000
FUTURE_SLACK_S = 86_400  # a note's time may run ahead of this clock by a day (time zones, clock drift)
BUSY_TIMEOUT_MS = 5000
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")  # UTC, as _now() writes it

# Versioned upgrades, applied in order inside one transaction: index i brings the
# schema from version i to i + 1. A copy of the file is kept before upgrading existing notes.
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
    "ALTER TABLE notes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;",
)
ANY = -1  # save() without a revision check (imports, scripts)


@dataclass(frozen=True)
class Note:
    entity_kind: str
    entity_id: str
    text: str
    availability: str
    updated_at: str
    revision: int = 0
    damaged: bytes | None = None  # the stored bytes, when they are not valid UTF-8 (text shows them replaced)

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.availability


class NotesError(Exception):
    """A clear message for the user: the notes could not be read or written."""


class NotesBusy(NotesError):
    """Another program holds the notes database: wait and retry; nothing is damaged."""


class NotesConflict(NotesError):
    """The stored note changed since the editor loaded it (another window or workstation)."""

    def __init__(self, stored: Note | None) -> None:
        when = f" at {stored.updated_at.replace('T', ' ')[:16]} UTC" if stored else ""
        super().__init__(f"this note was changed elsewhere{when}")
        self.stored = stored


def notes_path(home: Path | None = None) -> Path:
    return (home or data_home()) / "notes.sqlite3"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _check(kind: str, ident: str, text: str, availability: str) -> None:
    if kind not in KINDS:
        raise NotesError(f"notes are kept for studies and therapies, not '{kind}'")
    if not ident or len(ident) > 200:
        raise NotesError("a note needs the id of its study or therapy")
    if availability not in AVAILABILITY:
        raise NotesError(f"availability must be one of {', '.join(a or '(none)' for a in AVAILABILITY)}")
    if len(text) > MAX_TEXT:
        raise NotesError(f"a note is limited to {MAX_TEXT} characters; this one has {len(text)}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NotesError("the text holds a character that cannot be stored (a lone surrogate)") from exc


def explain(exc: BaseException) -> NotesError:
    """A database error as the user should read it: the cause, never SQLite's internals."""
    message = describe(exc, "the notes database")
    return NotesBusy(message) if cause(exc) == "busy" else NotesError(message)


def _decode(row: tuple[Any, ...]) -> Note:
    kind, ident, raw, availability, updated, revision = row
    raw = bytes(raw or b"")
    try:
        return Note(kind, ident, raw.decode("utf-8"), availability, updated, revision)
    except UnicodeDecodeError:
        return Note(kind, ident, raw.decode("utf-8", "replace"), availability, updated, revision, damaged=raw)


def _latest_time() -> float:
    """The latest `updated_at` accepted: now plus a day."""
    return time.time() + FUTURE_SLACK_S


def _parse_time(value: str) -> float | None:
    if not TIMESTAMP.match(value):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


SELECT = "SELECT entity_kind, entity_id, CAST(text AS BLOB), availability, updated_at, {revision} FROM notes"


class NotesStore:
    """The notes database. `read_only` with `problem` saying why when it cannot be written
    (a newer release's schema); `moved_aside` / `wal_moved_aside` name files kept after damage."""

    def __init__(self, path: Path | None = None, timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path or notes_path()
        self.timeout_ms = timeout_ms
        self.moved_aside: Path | None = None
        self.wal_moved_aside: Path | None = None
        self.wal_problem: str | None = None
        self.backup: Path | None = None
        self.read_only = False
        self.problem = ""
        self._revision = "revision"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotesError(f"cannot use the data folder {self.path.parent}: {exc.strerror or exc}") from exc
        self.conn = self._open_checked() if os.access(self.path.parent, os.W_OK) else self._open_in_read_only_folder()

    # -- opening, upgrading, recovering -------------------------------------------
    def _connect(self, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            conn = sqlite3.connect(sqlite_uri(self.path), uri=True, timeout=self.timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {self.timeout_ms}")
            return conn
        conn = sqlite3.connect(self.path, timeout=self.timeout_ms / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {self.timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _open_checked(self) -> sqlite3.Connection:
        self._check_wal()
        try:
            conn = self._connect()
            try:
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("quick_check failed")
                if self._upgrade(conn):
                    return conn
            except BaseException:
                conn.close()
                raise
            conn.close()
            return self._open_read_only()
        except sqlite3.OperationalError as exc:
            if isinstance(explain(exc), NotesBusy):
                raise NotesBusy(f"the notes database {self.path} is in use by another program (locked); "
                                "try again when it is closed. Nothing was changed.") from exc
            if "disk is full" in str(exc).lower() or "unable to open" in str(exc).lower():
                raise explain(exc) from exc
            return self._recover()
        except sqlite3.DatabaseError:
            return self._recover()
        except OSError as exc:
            raise NotesError(f"cannot open the notes database {self.path}: {exc.strerror or exc}") from exc

    def _recover(self) -> sqlite3.Connection:
        self.moved_aside = self._move_aside()
        conn = self._connect()
        self._upgrade(conn)
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """A database from a newer release: read what we can, change nothing."""
        conn = self._connect(read_only=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        self.read_only = True
        self.problem = (f"the notes database was written by a newer release of this program (notes schema "
                        f"{version}, this one reads up to {len(MIGRATIONS)}); notes are shown read-only and "
                        "nothing is changed. Update the program to edit them.")
        columns = {r[1] for r in conn.execute("PRAGMA table_info(notes)")}
        self._revision = "revision" if "revision" in columns else "0"
        return conn

    def _open_in_read_only_folder(self) -> sqlite3.Connection:
        """A data folder that cannot be written (a read-only share or medium, no permission): the
        notes there are shown read-only; with none, the folder cannot be used at all."""
        folder = self.path.parent
        if not self.path.is_file():
            raise NotesError(f"cannot use the data folder {folder}: it cannot be written and holds no notes. "
                             "Set TUMORBOARD_HOME to a writable folder (or ask your administrator).")
        try:
            conn = sqlite3.connect(sqlite_uri(self.path, immutable=True), uri=True, isolation_level=None,
                                   check_same_thread=False)
            columns = {r[1] for r in conn.execute("PRAGMA table_info(notes)")}
        except sqlite3.Error as exc:
            raise NotesError(f"cannot read the notes database {self.path} in the read-only data folder {folder}: "
                             f"{exc}") from exc
        self._revision = "revision" if "revision" in columns else "0"
        self.read_only = True
        self.problem = (f"the data folder {folder} cannot be written, so notes are read-only: they are shown and "
                        "nothing is changed. Set TUMORBOARD_HOME to a writable folder to edit them.")
        return conn

    def _check_wal(self) -> None:
        wal = self.path.with_name(self.path.name + "-wal")
        problem = wal_problem(wal)
        if problem is None:
            return
        target = wal.with_name(f"{wal.name}.damaged-{_stamp()}")
        wal.replace(target)
        self.path.with_name(self.path.name + "-shm").unlink(missing_ok=True)
        self.wal_moved_aside, self.wal_problem = target, problem

    def _move_aside(self) -> Path:
        stamp = _stamp()
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

    def _upgrade(self, conn: sqlite3.Connection) -> bool:
        """Bring the schema up to date; False when it is newer than this program knows."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            return False
        if version == len(MIGRATIONS):
            return True
        if version > 0:
            self.backup = self._copy_before_upgrade(conn, version)
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
            _rollback(conn)
            raise
        return True

    def _copy_before_upgrade(self, conn: sqlite3.Connection, version: int) -> Path:
        target = self.path.with_name(f"{self.path.stem}.before-upgrade-v{version}-{_stamp()}{self.path.suffix}")
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        return target

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise NotesError(self.problem)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(self.conn)
            raise explain(exc) from exc
        except BaseException:
            _rollback(self.conn)
            raise

    # -- reading and writing ------------------------------------------------------
    def get(self, kind: str, ident: str) -> Note | None:
        try:
            row = self.conn.execute(SELECT.format(revision=self._revision) + " WHERE entity_kind = ? AND entity_id = ?",
                                    (kind, ident)).fetchone()
        except sqlite3.Error as exc:
            raise explain(exc) from exc
        return _decode(row) if row else None

    def all(self, kind: str | None = None) -> list[Note]:
        sql = SELECT.format(revision=self._revision)
        try:
            rows = self.conn.execute(sql + (" WHERE entity_kind = ?" if kind else "") + " ORDER BY 1, 2",
                                     (kind,) if kind else ()).fetchall()
        except sqlite3.Error as exc:
            raise explain(exc) from exc
        return [_decode(r) for r in rows]

    def damaged(self) -> list[Note]:
        """Notes whose stored text is not valid UTF-8 (kept as stored; shown with replacement marks)."""
        return [n for n in self.all() if n.damaged is not None]

    def save(self, kind: str, ident: str, text: str, availability: str = "", revision: int = ANY) -> Note:
        """Write the note (or delete it when empty); returns only after the commit.

        `revision`: the revision the editor loaded (0 for a note that did not exist); when the
        stored note has another, NotesConflict is raised and nothing is written."""
        _check(kind, ident, text, availability)
        with self._transaction() as conn:
            row = conn.execute(SELECT.format(revision="revision") + " WHERE entity_kind = ? AND entity_id = ?",
                               (kind, ident)).fetchone()
            stored = _decode(row) if row else None
            if revision != ANY and (stored.revision if stored else 0) != revision:
                raise NotesConflict(stored)
            note = Note(kind, ident, text, availability, _now(), (stored.revision if stored else 0) + 1)
            if note.empty:
                conn.execute("DELETE FROM notes WHERE entity_kind = ? AND entity_id = ?", (kind, ident))
                note = Note(kind, ident, "", "", note.updated_at, 0)
            else:
                conn.execute(
                    "INSERT INTO notes (entity_kind, entity_id, text, availability, updated_at, revision)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entity_kind, entity_id) DO UPDATE SET"
                    " text = excluded.text, availability = excluded.availability,"
                    " updated_at = excluded.updated_at, revision = excluded.revision",
                    (kind, ident, text, availability, note.updated_at, note.revision))
        return note

    # -- moving notes between workstations ----------------------------------------------
    def export_to(self, out: IO[str]) -> int:
        """Every note as JSON; a damaged text is written with replacement marks and its bytes in hex."""
        import json  # moving notes only: not an import at start-up

        records = []
        for n in self.all():
            record: dict[str, Any] = asdict(n)
            record.pop("damaged")
            if n.damaged is not None:
                record["damaged_text_hex"] = n.damaged.hex()
            records.append(record)
        json.dump({"format": EXPORT_FORMAT, "exported_at": _now(), "notes": records}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return len(records)

    def import_from(self, data: Any, known: Callable[[str, str], bool] | None = None) -> dict[str, Any]:
        """Merge notes from an export: a note replaces the local one only if it is newer.

        Every record is checked first (nothing is written if one is bad); `known` tells
        which ids the dataset holds: notes for others are kept and listed in "unknown"."""
        incoming = validate_export(data)
        counts: dict[str, Any] = {"added": 0, "updated": 0, "kept": 0, "unknown": []}
        latest = _latest_time()
        with self._transaction() as conn:
            for note in incoming:
                local = conn.execute("SELECT updated_at, revision FROM notes WHERE entity_kind = ? AND entity_id = ?",
                                     (note.entity_kind, note.entity_id)).fetchone()
                if known is not None and not known(note.entity_kind, note.entity_id):
                    counts["unknown"].append(f"{note.entity_kind} {note.entity_id}")
                local_time = _parse_time(local[0]) if local else None
                if local_time is not None and local_time > latest:
                    local_time = None  # a stored future time counts as oldest, like an unparseable one
                if local and local_time is not None and local_time >= (_parse_time(note.updated_at) or 0):
                    counts["kept"] += 1
                    continue
                conn.execute(
                    "INSERT OR REPLACE INTO notes (entity_kind, entity_id, text, availability, updated_at, revision)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (note.entity_kind, note.entity_id, note.text, note.availability, note.updated_at,
                     (local[1] if local else 0) + 1))
                counts["updated" if local else "added"] += 1
        return counts


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite ends one itself on a full disk)."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def validate_export(data: Any) -> list[Note]:
    """The notes of an export file, each checked; NotesError names the first bad record."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("notes"), list):
        raise NotesError(f"not a notes export (expected format {EXPORT_FORMAT})")
    out = []
    latest = _latest_time()
    for i, raw in enumerate(data["notes"], start=1):
        where = f"note {i} in the file"
        if not isinstance(raw, dict):
            raise NotesError(f"{where} is not a record")
        for key in ("entity_kind", "entity_id", "updated_at"):
            if not isinstance(raw.get(key), str):
                raise NotesError(f"{where}: '{key}' must be text, not {_kind(raw.get(key))}")
        for key in ("text", "availability"):
            if key in raw and not isinstance(raw[key], str):
                raise NotesError(f"{where}: '{key}' must be text, not {_kind(raw[key])}")
        when = _parse_time(raw["updated_at"])
        if when is None:
            raise NotesError(f"{where}: 'updated_at' must be a UTC time like 2026-11-30T09:15:00Z, "
                             f"not '{raw['updated_at'][:40]}'")
        if when > latest:
            raise NotesError(f"{where}: 'updated_at' {raw['updated_at']} is in the future (later than a day from "
                             "now): such a note would win every later import")
        note = Note(raw["entity_kind"], raw["entity_id"], raw.get("text", ""), raw.get("availability", ""),
                    raw["updated_at"])
        try:
            _check(note.entity_kind, note.entity_id, note.text, note.availability)
        except NotesError as exc:
            raise NotesError(f"{where}: {exc}") from exc
        out.append(note)
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    return "a record" if isinstance(value, dict) else type(value).__name__


def read_export_text(path: Path) -> str:
    """The text of an export file: refused before reading when it is not a regular file or is too large."""
    import stat

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise NotesError(f"{path} is not a regular file")
    if info.st_size > MAX_IMPORT_BYTES:
        raise NotesError(f"{path} has {info.st_size:,} bytes; a notes export may have at most {MAX_IMPORT_BYTES:,}")
    with path.open("rb") as f:
        data = f.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise NotesError(f"{path} has more than {MAX_IMPORT_BYTES:,} bytes; a notes export may have at most "
                         f"{MAX_IMPORT_BYTES:,}")
    return data.decode("utf-8")


def load_export(text: str) -> Any:
    """Parse an export file's text; NaN, Infinity and nesting too deep get a message, not a traceback."""
    import json

    def refuse(name: str) -> Any:
        raise NotesError(f"the file holds {name}, which is not a valid value in a notes export")

    try:
        return json.loads(text, parse_constant=refuse)
    except RecursionError as exc:
        raise NotesError("the file is nested too deeply to be a notes export") from exc


def therapy_notes(notes: NotesStore, keys: list[str]) -> dict[str, tuple[str, str]]:
    """The workstation's (note, availability label) for these therapy keys, for a handout's local row."""
    found = {}
    for key in keys:
        note = notes.get("therapy", key)
        if note is not None:
            found[key] = (note.text, AVAILABILITY_LABELS.get(note.availability, ""))
    return found


def noted_ids(notes_db: Path, timeout: float = 0.5) -> list[tuple[str, str]]:
    """(kind, id) of every note with text or a flag, read without opening the database for writing (start-up
    lists the notes a new dataset leaves without their study; the window opens the notes after)."""
    conn = sqlite3.connect(sqlite_uri(notes_db), uri=True, timeout=timeout)
    try:
        rows = conn.execute("SELECT entity_kind, entity_id FROM notes WHERE text != '' OR availability != ''"
                            " ORDER BY entity_kind, entity_id").fetchall()
    finally:
        conn.close()
    return [(str(k), str(i)) for k, i in rows]


def inspect_notes(path: Path, timeout: float = 5) -> tuple[str, int, list[tuple[str, str, bytes | None]]]:
    """(SQLite's quick check, the schema version, every note's kind, id and text as stored bytes), read
    without writing anything: the self-test reports a damaged or undecodable notes database, never moves it.
    sqlite3 errors pass through for the caller to word."""
    conn = sqlite3.connect(sqlite_uri(path), uri=True, timeout=timeout)
    try:
        check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        rows = conn.execute("SELECT entity_kind, entity_id, CAST(text AS BLOB) FROM notes").fetchall() \
            if version else []
    finally:
        conn.close()
    return check, version, [(str(k), str(i), raw) for k, i, raw in rows]
