"""Building the database: atomic, never replacing a good database with a bad one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import db.building.build as build_module
from db.building.build import SeedsInvalid, build, database_state, ensure_database
from db.dataset.schema import SCHEMA_VERSION
from tests.conftest import ROOT
from tests.samples import STUDY, write_study


def test_build_writes_schema_version_metadata_and_fts(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    target = tmp_path / "out" / "dataset.sqlite3"
    result = build(mini_seeds, target)
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["dataset_version"] == result.version
    assert len(meta["seeds_hash"]) == 64 and meta["built_at"].endswith("Z")
    assert conn.execute("SELECT COUNT(*) FROM search WHERE search MATCH 'stomatitis'").fetchone()[0] >= 1
    assert conn.execute("SELECT value_text FROM outcomes WHERE measure = 'pfs_median'").fetchone()[0] == "11.4"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert [p.name for p in target.parent.iterdir()] == ["dataset.sqlite3"]


def test_invalid_seeds_never_replace_a_good_database(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)
    before = target.read_bytes()
    write_study(mini_seeds, STUDY.replace('value: "40"', 'value: "140"'))
    with pytest.raises(SeedsInvalid) as info:
        build(mini_seeds, target)
    assert "outside 0-100" in str(info.value.errors[0])
    assert target.read_bytes() == before


def test_a_failure_at_the_last_moment_leaves_the_old_database(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)
    before = target.read_bytes()
    write_study(mini_seeds, STUDY.replace('value: "11.4"', 'value: "12.9"'))

    def fail(_tmp: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        build(mini_seeds, target, after_write=fail)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from db.building.build import build
def die(tmp):
    os.kill(os.getpid(), signal.SIGKILL)
build(Path(sys.argv[1]), Path(sys.argv[2]), after_write=die)
"""


def test_a_kill_mid_build_leaves_the_old_database(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)
    before = target.read_bytes()
    write_study(mini_seeds, STUDY.replace('value: "11.4"', 'value: "12.9"'))
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(mini_seeds), str(target)], cwd=ROOT,
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert database_state(target, None) == "ok"
    build(mini_seeds, target)  # the next build still works and sweeps the leftover temporary file
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT value_text FROM outcomes WHERE measure = 'pfs_median'").fetchone()[0] == "12.9"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_changed_seeds_trigger_a_rebuild(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    assert ensure_database(target, mini_seeds)[0] == "missing"
    assert ensure_database(target, mini_seeds) == ("ok", None)
    write_study(mini_seeds, STUDY.replace("value: \"100\"", "value: \"101\""))
    state, result = ensure_database(target, mini_seeds)
    assert state == "seeds" and result is not None


def test_a_start_with_unchanged_seeds_reads_none_of_them(mini_seeds: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Names, sizes and times are compared; the content hash is not computed at all."""
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)

    def refuse(_seeds: Path) -> str:
        raise AssertionError("the seeds were read")

    monkeypatch.setattr(build_module, "seeds_hash", refuse)
    assert database_state(target, mini_seeds) == "ok"


def test_seeds_copied_with_new_times_are_hashed_once_and_not_rebuilt(mini_seeds: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)
    built = target.stat().st_mtime_ns
    for seed in mini_seeds.rglob("*.yaml"):  # a checkout or an installer's copy: same bytes, new times
        os.utime(seed, ns=(built + 10**9, built + 10**9))
    calls: list[Path] = []
    real = build_module.seeds_hash
    monkeypatch.setattr(build_module, "seeds_hash", lambda seeds: calls.append(seeds) or real(seeds))
    assert database_state(target, mini_seeds) == "ok"
    assert database_state(target, mini_seeds) == "ok"
    assert len(calls) == 1, "the new times were not remembered: every start would read every seed"
    meta = dict(sqlite3.connect(target).execute("SELECT key, value FROM meta"))
    assert meta["seeds_stamp"] == build_module.seeds_stamp(mini_seeds)


def test_the_stamp_covers_exactly_the_files_the_hash_reads(tmp_path: Path) -> None:
    """A file the hash reads but the stamp missed would be edited unseen: the two walks must agree,
    on nested and hidden folders, a folder named *.yaml, links to a file and to a folder."""
    seeds = tmp_path / "seeds"
    for name in ("top.yaml", "a/b.yaml", "a/deep/c.yaml", ".hidden/d.yaml", "e.yaml/f.yaml", "notes.txt"):
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text("x: 1\n", encoding="utf-8")
    if hasattr(os, "symlink") and sys.platform != "win32":
        (seeds / "linked-file.yaml").symlink_to(seeds / "a" / "b.yaml")
        (seeds / "linked-folder").symlink_to(seeds / "a", target_is_directory=True)
        (seeds / "linked-folder.yaml").symlink_to(seeds / "a", target_is_directory=True)
    stamped = {line.split("\t")[0] for line in build_module.seeds_stamp(seeds).split("\n")}
    hashed = {p.relative_to(seeds).as_posix() for p in build_module._seed_files(seeds)}
    assert stamped == hashed and "a/deep/c.yaml" in stamped and "e.yaml/f.yaml" in stamped


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_database_is_rebuilt(mini_seeds: Path, tmp_path: Path, damage: str) -> None:
    write_study(mini_seeds)
    target = tmp_path / "dataset.sqlite3"
    build(mini_seeds, target)
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 3] if damage == "truncate" else os.urandom(len(data)))
    assert database_state(target, mini_seeds) == "damaged"
    state, result = ensure_database(target, mini_seeds)
    assert state == "damaged" and result is not None
    assert database_state(target, mini_seeds) == "ok"
