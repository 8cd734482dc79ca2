"""A signed release's database checked against its signed seeds before it is installed.

The signature proves who made the file, not that its database is the one its seeds build: a
database edited before signing (a title changed with sqlite3, a view added) would be shown as
is. So the seeds are built here, as `tumorboard build` would, and the release's database must
hold the same schema objects (tables and indexes only: a view or trigger refuses the release
before any of its tables is read) and, table by table, the same rows; only the build time and
the seed files' times (`meta` built_at, seeds_stamp) may differ. The manifest's version must be
the seeds' `dataset.yaml` version and the database's. What is installed is the database built
here. A database of another schema or presentation version is not compared: the install
rebuilds it from these same seeds (db/releases/install.py). docs/releases.md says why comparing
rather than only rebuilding.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from db.releases.format import Manifest, ReleaseRefused
from db.sqlite_uri import sqlite_uri

VOLATILE_META = ("built_at", "seeds_stamp")
SCHEMA_OBJECTS = ("table", "index")
_BATCH = 500


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)


def _objects(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master").fetchall()
    return sorted((str(t), str(n), str(tb), str(s)) for t, n, tb, s in rows)


def _rows(conn: sqlite3.Connection, table: str, width: int) -> Iterator[tuple[object, ...]]:
    where = f" WHERE key NOT IN ({', '.join('?' * len(VOLATILE_META))})" if table == "meta" else ""
    order = ", ".join(str(i) for i in range(1, width + 1))
    cursor = conn.execute(f'SELECT * FROM "{table}"{where} ORDER BY {order}',
                          VOLATILE_META if table == "meta" else ())
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _same_rows(shipped: sqlite3.Connection, built: sqlite3.Connection, table: str) -> bool:
    """Row by row in the order of all columns, stopping at the first row that differs."""
    width = len(built.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
    ours, theirs = _rows(built, table, width), _rows(shipped, table, width)
    for row in ours:
        if next(theirs, None) != row:
            return False
    return next(theirs, None) is None


def _meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else ""


def check_database(release: Path, manifest: Manifest, db: Path, seeds: Path) -> None:
    """Refuse (ReleaseRefused naming `release`) unless the unpacked database `db` is what the
    unpacked `seeds` build; then `db` is replaced by the database built here. Another schema or
    presentation version is left for the install to rebuild."""
    from db.building.build import SeedsInvalid, build, seeds_hash
    from db.dataset.schema import SCHEMA_VERSION
    from db.releases.state import bundled_version

    try:
        digest = seeds_hash(seeds)
    except SeedsInvalid as exc:
        raise ReleaseRefused(release, f"its seeds cannot be read ({exc.errors[0]})") from exc
    if digest != manifest.seeds_hash:
        raise ReleaseRefused(release, "its seeds do not match the seeds hash in its manifest")
    if bundled_version(seeds) != manifest.version:
        raise ReleaseRefused(release, f"its manifest says version {manifest.version} but its seeds' dataset.yaml "
                                      f"says {bundled_version(seeds)}")
    built_path = db.with_name(f".built-{db.name}")
    try:
        shipped = _open(db)
        try:
            objects = _objects(shipped)
            other = [(t, n) for t, n, _tb, _s in objects if t not in SCHEMA_OBJECTS]
            if other:
                kind, name = other[0]
                raise ReleaseRefused(release, f"its database holds a {kind} ({name!r}); a release's database "
                                              "holds only tables and indexes")
            if shipped.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return  # another program's layout: the install rebuilds it from the seeds
            try:
                build(seeds, built_path)
            except SeedsInvalid as exc:
                raise ReleaseRefused(release, f"its seeds do not pass this program's checks ({len(exc.errors)} "
                                              f"error(s), first: {exc.errors[0]})") from exc
            built = _open(built_path)
            try:
                same_wording = _compare(release, shipped, built, objects, manifest)
            finally:
                built.close()
        finally:
            shipped.close()
        if same_wording:
            built_path.replace(db)
    except sqlite3.DatabaseError as exc:
        raise ReleaseRefused(release, f"its database cannot be read ({exc})") from exc
    finally:
        built_path.unlink(missing_ok=True)


def _compare(release: Path, shipped: sqlite3.Connection, built: sqlite3.Connection,
             objects: list[tuple[str, str, str, str]], manifest: Manifest) -> bool:
    """ReleaseRefused at the first difference; False when the wording (presentation version)
    differs, so the rows are not compared (the install rebuilds)."""
    expected = _objects(built)
    if objects != expected:
        odd = sorted(set(objects) ^ set(expected))
        kind, name = next(((t, n) for t, n, _tb, _s in odd), ("object", ""))
        raise ReleaseRefused(release, "its database's tables and indexes are not those its seeds build (first "
                                      f"difference: {kind} {name!r})")
    if _meta(shipped, "dataset_version") != manifest.version:
        raise ReleaseRefused(release, f"its manifest says version {manifest.version} but its database says "
                                      f"{_meta(shipped, 'dataset_version') or 'none'}")
    if _meta(shipped, "presentation_version") != _meta(built, "presentation_version"):
        return False
    for kind, name, _tbl, sql in objects:
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL TABLE"):
            continue  # a virtual table's rows are its shadow tables', compared as tables
        if not _same_rows(shipped, built, name):
            raise ReleaseRefused(release, f"its database differs from what its seeds build (table {name}): it was "
                                          "changed after it was built")
    return True
