"""A signed release's database must be what its signed seeds build (db/releases/check.py)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from db.releases.format import DATABASE, MANIFEST
from db.releases.sign import SIG_BLOCK_BYTES, file_digest, load_private, signature_block
from db.store import Store
from tests.conftest import ROOT
from tests.release_support import A, Kit, kit
from tumorboard.cli import main

STUDY = "radiant-3"


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


def _resigned(release: Path, out: Path, key: Path, edit: Callable[[sqlite3.Connection], None] | None = None,
              manifest_edit: Callable[[dict[str, object]], None] | None = None) -> Path:
    """`release` with its database edited by `edit` (and its manifest's hash and size updated), signed
    again with the curator's key: what a build tool or a signer that changed the database would make."""
    with zipfile.ZipFile(release) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(entries[MANIFEST])
    if edit is not None:
        db = out.with_suffix(".sqlite3")
        db.write_bytes(entries[DATABASE])
        conn = sqlite3.connect(db)
        with conn:
            edit(conn)
        conn.close()
        entries[DATABASE] = db.read_bytes()
        manifest["parts"][DATABASE] = {"sha256": hashlib.sha256(entries[DATABASE]).hexdigest(),
                                       "size": len(entries[DATABASE])}
    if manifest_edit is not None:
        manifest_edit(manifest)
    entries[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.comment = b" " * SIG_BLOCK_BYTES
    size = out.stat().st_size
    block = signature_block(load_private(key), file_digest(out, size - SIG_BLOCK_BYTES))
    with open(out, "r+b") as handle:
        handle.seek(size - SIG_BLOCK_BYTES)
        handle.write(block)
    return out


def _title(home: Path) -> str:
    store = Store(home / "dataset.sqlite3")
    try:
        return str(store.study(STUDY)["title"])
    finally:
        store.close()


def _seed_title(seeds: Path) -> str:
    from db.dataset.yamlload import load_file

    return str(load_file(seeds / "studies" / f"{STUDY}.yaml")["title"])


def _install(path: Path, k: Kit) -> int:
    return main(["release", "install", str(path), "--trust", str(k.pub)])


def test_a_database_edited_before_signing_is_refused_and_what_is_shown_is_what_the_seeds_say(
        home: Path, k: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def retitle(conn: sqlite3.Connection) -> None:
        assert conn.execute("UPDATE studies SET title = 'A title nobody wrote' WHERE id = ?", (STUDY,)).rowcount == 1

    edited = _resigned(k.a, tmp_path / "edited.tbrelease", k.key, retitle)
    assert _install(edited, k) == 1
    err = capsys.readouterr().err
    assert "its database differs from what its seeds build (table studies)" in err
    assert not (home / "dataset.sqlite3").exists() or _title(home) != "A title nobody wrote"
    assert _install(k.a, k) == 0  # the same release as signed by its build: installed
    assert _title(home) == _seed_title(k.seeds_a)


def test_a_recursive_view_in_the_database_is_refused_quickly(home: Path, k: Kit, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    def add_view(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE VIEW forever AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                     "SELECT x FROM n")

    looping = _resigned(k.a, tmp_path / "view.tbrelease", k.key, add_view)
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "tumorboard", "release", "install", str(looping), "--trust",
                           str(k.pub)], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert time.perf_counter() - start < 10
    assert code.returncode == 1
    assert "its database holds a view ('forever'); a release's database holds only tables and indexes" in code.stderr
    assert not (home / "releases" / "state.json").exists()


def test_a_trigger_is_refused(home: Path, k: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def add_trigger(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM studies; END")

    assert _install(_resigned(k.a, tmp_path / "trigger.tbrelease", k.key, add_trigger), k) == 1
    assert "its database holds a trigger ('t')" in capsys.readouterr().err


def test_an_extra_table_is_refused(home: Path, k: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def add_table(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE zz_extra (x)")

    assert _install(_resigned(k.a, tmp_path / "table.tbrelease", k.key, add_table), k) == 1
    assert "its database's tables and indexes are not those its seeds build (first difference: table 'zz_extra')" \
        in capsys.readouterr().err


def test_the_manifest_version_must_be_the_databases_and_the_seeds(
        home: Path, k: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def relabel(manifest: dict[str, object]) -> None:
        manifest["version"] = "2099.1.1"

    assert _install(_resigned(k.a, tmp_path / "manifest.tbrelease", k.key, manifest_edit=relabel), k) == 1
    assert f"its manifest says version 2099.1.1 but its seeds' dataset.yaml says {A}" in capsys.readouterr().err

    def db_version(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = '2099.1.1' WHERE key = 'dataset_version'")

    assert _install(_resigned(k.a, tmp_path / "db.tbrelease", k.key, db_version), k) == 1
    assert f"its manifest says version {A} but its database says 2099.1.1" in capsys.readouterr().err


def test_only_the_build_time_and_seed_times_may_differ(home: Path, k: Kit, tmp_path: Path) -> None:
    def rebuilt_later(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = '2001-01-01T00:00:00Z' WHERE key = 'built_at'")
        conn.execute("UPDATE meta SET value = 'elsewhere' WHERE key = 'seeds_stamp'")

    assert _install(_resigned(k.a, tmp_path / "later.tbrelease", k.key, rebuilt_later), k) == 0
    assert _title(home) == _seed_title(k.seeds_a)


def test_at_start_an_edited_release_in_the_folder_is_named_and_the_dataset_stays(
        home: Path, k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.opening import open_store
    from tests.conftest import SEEDS
    from tests.release_support import releases_folder

    def retitle(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE studies SET title = 'A title nobody wrote' WHERE id = ?", (STUDY,))

    folder = releases_folder(tmp_path, monkeypatch, k)
    edited = _resigned(k.a, folder / f"tumorboard-{A}.tbrelease", k.key, retitle)
    store = open_store()
    try:
        assert store.warnings == [f"Release not installed: {edited}: its database differs from what its seeds build "
                                  "(table studies): it was changed after it was built. The current dataset stays."]
        assert store.meta()["dataset_version"] == "2026.12.1"
        assert store.study(STUDY)["title"] == _seed_title(SEEDS)
    finally:
        store.close()
