"""Building the dataset database from seeds/, atomically.

The database is written to a temporary file in the same folder and renamed over the
old one only when complete and checked: a failure or a kill mid-build leaves the
previous database as it was, and invalid seeds never replace a good database.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.dataset.schema import DDL, SCHEMA_VERSION
from db.presentation.identifiers import is_acronym
from db.presentation.present import VERSION as PRESENTATION_VERSION
from db.sqlite_uri import sqlite_uri

if TYPE_CHECKING:  # reading and checking seeds (YAML) is imported only to build: start-up only checks the hash
    from db.building.rows import Row
    from db.dataset.fields import SeedError
    from db.dataset.model import Dataset


class SeedsInvalid(Exception):
    def __init__(self, errors: list[SeedError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the seed files")
        self.errors = errors


@dataclass
class BuildResult:
    path: Path
    version: str
    seeds_hash: str
    seconds: float
    counts: dict[str, int]


def _seed_files(seeds: Path) -> list[Path]:
    """Every seed file, in the order hashed: the set `seeds_hash` and `seeds_stamp` describe."""
    return sorted(p for p in seeds.rglob("*.yaml") if not p.is_dir())


def seeds_stamp(seeds: Path) -> str:
    """Each seed file's name, size and modification time, a line each: what a start-up compares
    instead of reading every file (as make and git do). When it differs, the content hash decides.
    The files are those `seeds_hash` reads (`_seed_files`: folders walked as `rglob` walks them,
    links to folders not entered), listed with os.scandir and plain strings: a third of the time.
    Kept as text, not hashed: start-up then needs no hashing library at all."""
    lines: list[str] = []
    try:
        _stamp_folder(os.fspath(seeds), "", lines)
    except OSError:
        return ""  # unreadable: never matches, so the content hash is computed and reports it
    return "\n".join(sorted(lines))


def _stamp_folder(folder: str, prefix: str, lines: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _stamp_folder(entry.path, f"{prefix}{entry.name}/", lines)
            elif fnmatch.fnmatch(entry.name, "*.yaml"):
                info = entry.stat()  # follows a link: what would be read
                if not stat.S_ISDIR(info.st_mode):  # a link to a folder named *.yaml is not a seed file
                    lines.append(f"{prefix}{entry.name}\t{info.st_size}\t{info.st_mtime_ns}")


def seeds_hash(seeds: Path) -> str:
    """A content hash of every seed file, so a changed seed triggers a rebuild.

    Each file is checked before it is read (db/dataset/seedfiles.py): a FIFO, a device or an
    oversized file raises SeedsInvalid with its file and line instead of hanging start-up."""
    import hashlib

    from db.dataset.seedfiles import SeedFileError, read_seed_bytes

    digest = hashlib.sha256()
    refused: list[tuple[str, str]] = []
    for path in _seed_files(seeds):
        name = str(Path(seeds.name) / path.relative_to(seeds))
        try:
            data = read_seed_bytes(path)
        except SeedFileError as exc:
            refused.append((name, str(exc)))
            continue
        digest.update(path.relative_to(seeds).as_posix().encode())  # '/' on every system: a release built
        # on Linux has the same seeds hash on Windows
        digest.update(b"\0")
        digest.update(data)
        digest.update(b"\0")
    if refused:
        from db.dataset.fields import SeedError

        raise SeedsInvalid([SeedError(name, 1, message) for name, message in refused])
    return digest.hexdigest()


def load_valid(seeds: Path) -> Dataset:
    from db.building.validate import validate
    from db.dataset.seeds import read_dataset

    ds, read_errors = read_dataset(seeds)
    errors = validate(ds, read_errors)
    if errors:
        raise SeedsInvalid(errors)
    return ds


def build(seeds: Path, target: Path, *, after_write: Callable[[Path], None] | None = None) -> BuildResult:
    """Validate `seeds` and write the database to `target`; raise SeedsInvalid on bad seeds.

    `target` must be a regular file or a new path; a symbolic link to a regular file is
    followed, and the result's `path` is the file written (db/atomic.py `resolve_target`).
    `after_write` runs on the finished temporary file before the rename (tests use it to
    simulate a failure at the last moment).
    """
    from db.atomic import resolve_target

    start = time.perf_counter()
    stamp = seeds_stamp(seeds)  # before reading: a seed edited during the build is seen at the next start
    ds = load_valid(seeds)
    digest = seeds_hash(seeds)
    target = resolve_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_leftovers(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        counts = _write(ds, digest, stamp, tmp)
        if after_write is not None:
            after_write(tmp)
        tmp.replace(target)
        _fsync_dir(target.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(target, ds.version, digest, time.perf_counter() - start, counts)


def _leftover_pid(name: str, target: Path) -> int | None:
    """The pid in `.{target}.{pid}.tmp` (or its `-journal`), compared literally: a target
    named `*` or `[ab]` must not match other files; None for anything else."""
    prefix = f".{target.name}."
    if not name.startswith(prefix):
        return None
    rest = name[len(prefix):].removesuffix("-journal")
    pid, dot, suffix = rest.partition(".")
    return int(pid) if dot and suffix == "tmp" and pid.isascii() and pid.isdigit() else None


def _sweep_leftovers(target: Path, older_than: float = 3600.0) -> None:
    """Remove temporary files of builds that were killed (not those of a build running now)."""
    now = time.time()
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for leftover in entries:
        pid = _leftover_pid(leftover.name, target)
        if pid is None:
            continue
        try:
            if leftover.is_symlink() or not leftover.is_file():
                continue
            stale = now - leftover.stat().st_mtime > older_than
            if stale or (pid != os.getpid() and not _alive(pid)):
                leftover.unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap check: rely on the file's age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _insert(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    """Plain executemany for the search index tables: every row has the same keys, the values are scalars."""
    if not rows:
        return
    columns = list(rows[0])
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
                     rows)


def _write(ds: Dataset, digest: str, stamp: str, path: Path) -> dict[str, int]:
    from db.building.case_rows import case_rows
    from db.building.rows import tables
    from db.building.search_index import build_docs, doc_bands, doc_rows
    from db.building.who_rows import phrase_rows, population_rows

    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        # references are checked once, after the inserts (foreign_key_check below)
        conn.execute("PRAGMA foreign_keys=OFF")
        with conn:
            conn.executescript(DDL)
        rows = tables(ds)
        docs, fts, keys = doc_rows(build_docs(rows))
        import sqlite_utils  # the build only: reads at start-up use plain sqlite3

        content = sqlite_utils.Database(conn)
        with conn:
            for name, table_rows in rows.items():
                if table_rows:
                    content.table(name).insert_all(table_rows, batch_size=500)
            _insert(conn, "search_docs", docs)
            _insert(conn, "search_bands", doc_bands(docs))
            _insert(conn, "search", fts)
            _insert(conn, "search_keys", keys)
            _insert(conn, "search_population",
                    population_rows(rows, {d["ref"]: d["id"] for d in docs if d["kind"] == "study"}))
            _insert(conn, "search_phrases", phrase_rows(rows))
            for name, case_table in case_rows(rows).items():
                _insert(conn, name, case_table)
            conn.execute("INSERT INTO study_drugs (drug_id, study_id) SELECT DISTINCT ad.drug_id, a.study_id"
                         " FROM arm_drugs ad JOIN arms a ON a.id = ad.arm_id")
            meta = {
                "dataset_version": ds.version, "dataset_title": ds.title, "dataset_released": ds.released or "",
                "seeds_hash": digest, "seeds_stamp": stamp,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "schema_version": str(SCHEMA_VERSION), "presentation_version": PRESENTATION_VERSION,
            }
            content.table("meta").insert_all([{"key": k, "value": v} for k, v in meta.items()])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("INSERT INTO search(search) VALUES ('optimize')")
        write_terms(conn)
        conn.commit()
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        counts = {name: len(r) for name, r in rows.items()} | {"search_docs": len(docs)}
    finally:
        conn.close()
    return counts


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def database_state(path: Path, seeds: Path | None) -> str:
    """'ok', or why the database needs building: 'missing', 'damaged', 'schema', 'presentation', 'seeds'.

    'presentation': the text stored at build time (search snippets) was written by another
    version of db/presentation/present.py, so no installed machine keeps old wording."""
    if _empty_or_absent(path):
        return "missing"
    try:
        conn = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "damaged"
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return "schema"
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                                     "('seeds_hash', 'seeds_stamp', 'presentation_version')").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "damaged"
    if "seeds_hash" not in meta:
        return "damaged"
    if meta.get("presentation_version") != PRESENTATION_VERSION:
        return "presentation"
    if seeds is None:
        return "ok"
    stamp = seeds_stamp(seeds)
    if stamp and stamp == meta.get("seeds_stamp"):
        return "ok"
    if meta["seeds_hash"] != seeds_hash(seeds):
        return "seeds"
    _record_stamp(path, stamp)  # same content, new times (a copy, a checkout): hash once, not at every start
    return "ok"


def _record_stamp(path: Path, stamp: str) -> None:
    """Best effort: a read-only or busy database is simply hashed again at the next start."""
    if not stamp:
        return
    try:
        conn = sqlite3.connect(path, timeout=0)
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeds_stamp', ?)", (stamp,))
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def _empty_or_absent(path: Path) -> bool:
    """A zero-byte file is what an interrupted first copy or a full disk leaves: nothing to
    lose and nothing damaged, so it is rebuilt as if missing. A folder or a device raises."""
    from db.atomic import resolve_target

    if not path.exists() and not path.is_symlink():
        return True
    return resolve_target(path).stat().st_size == 0


def ensure_database(path: Path, seeds: Path) -> tuple[str, BuildResult | None]:
    """Build the database if it is missing, damaged, outdated or its seeds changed."""
    state = database_state(path, seeds)
    if state == "ok":
        return state, None
    return state, build(seeds, path)


NAMED_COLUMNS = ("title", "names", "drugs", "diseases", "aes", "endpoints")


def write_terms(conn: sqlite3.Connection) -> None:
    """Fill search_terms from the finished FTS index (fts5vocab)."""
    conn.execute("CREATE VIRTUAL TABLE temp.search_vocab_col USING fts5vocab(main, search, 'col')")
    try:
        named = ", ".join(f"'{c}'" for c in NAMED_COLUMNS)
        conn.execute(f"INSERT INTO search_terms (term, docs, named) SELECT term, sum(doc),"
                     f" max(col IN ({named})) AND term NOT GLOB '*[0-9]*' FROM temp.search_vocab_col GROUP BY term")
    finally:
        conn.execute("DROP TABLE temp.search_vocab_col")
    # No spelling correction towards a trial's acronym: RADIANT-1...4 are one letter apart, and a
    # mistyped acronym is another trial, not this one. Words that also name a drug, disease or
    # adverse event keep it.
    acronyms = [a for (a,) in conn.execute(
        "SELECT acronym FROM studies WHERE acronym IS NOT NULL"
        " UNION SELECT value FROM study_identifiers WHERE kind = 'acronym'") if is_acronym(a)]
    entity_words = {w for (name,) in conn.execute("SELECT name FROM entity_names") for w in _words(name)}
    words = sorted({w for a in acronyms for w in _words(a)} - entity_words)
    conn.executemany("UPDATE search_terms SET named = 0 WHERE term = ?", [(w,) for w in words])


def _words(text: str) -> list[str]:
    from db.search.terms import fold  # the words search folds, folded alike

    return re.findall(r"\w+", fold(text))
