"""Hostile things in the releases folder and in release files: never a hang, never an unbounded read
or write (issue 21, items 1 and 6)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.release_support import B, Kit, kit, releases_folder
from tumorboard.cli import main

HOSTILE = "tumorboard-2099.1.1.tbrelease"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs or /dev/zero here")


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


@pytest.fixture
def folder(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> Path:
    return releases_folder(tmp_path, monkeypatch, k)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (not hang) when a start waits on what it should have skipped: SIGALRM interrupts a blocked open()."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def late(_sig: int, _frame: object) -> None:
        raise TimeoutError("the start did not finish within 10 s")

    old = signal.signal(signal.SIGALRM, late)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _plant(folder: Path, kind: str) -> Path:
    path = folder / HOSTILE
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_a_link_to_dev_zero_in_the_releases_folder_is_named_by_the_self_test_within_10_s(
        home: Path, folder: Path, k: Kit, kind: str) -> None:
    _plant(folder, kind)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tumorboard", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=12)
    took = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert took < 10, took
    what = "a FIFO (named pipe)" if kind == "fifo" else "a device (a link to one)"
    assert f"Release not installed: {folder / HOSTILE}: is {what}, not a release file: skipped." in proc.stdout


@pytest.mark.parametrize("kind", [pytest.param("fifo", marks=posix_only), pytest.param("dev-zero", marks=posix_only),
                                  "folder"])
def test_a_start_and_release_install_skip_what_is_not_a_regular_file(
        home: Path, folder: Path, k: Kit, kind: str, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    from db.opening import open_store

    path = _plant(folder, kind)
    shutil.copy(k.b, folder)
    store = open_store()
    try:
        assert store.meta()["dataset_version"] == B  # the good release beside it still installs
    finally:
        store.close()
    assert [w for w in store.warnings if HOSTILE in w] == [
        f"Release not installed: {path}: is {_what(kind)}, not a release file: skipped. The current dataset stays."]
    assert main(["release", "install", str(path), "--trust", str(k.pub)]) == 1
    err = capsys.readouterr().err
    assert f"refused: {path}: is " in err and "not a re" in err, err


def _what(kind: str) -> str:
    return {"fifo": "a FIFO (named pipe)", "dev-zero": "a device (a link to one)", "folder": "a folder"}[kind]


def test_a_release_file_over_the_size_limit_is_skipped_before_it_is_opened(
        home: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> None:
    from db.opening import open_store

    shutil.copy(k.b, folder / HOSTILE)
    monkeypatch.setattr("db.releases.format.MAX_RELEASE_BYTES", k.b.stat().st_size - 1)
    store = open_store()
    store.close()
    size = k.b.stat().st_size
    assert [w for w in store.warnings if HOSTILE in w] == [
        f"Release not installed: {folder / HOSTILE}: is {size:,} bytes; a release is at most {size - 1:,}: skipped. "
        "The current dataset stays."]


BOMB_BYTES = 300 * 2**20


def _bomb(k: Kit, out: Path) -> Path:
    """A release signed by the trusted curator whose manifest lists a 300 MB database of zeros (correct
    size and hash): under 1 MB on disk, as in the report (775 kB unpacking to 300 MB)."""
    import hashlib
    import zipfile

    from db.releases.format import DATABASE, MANIFEST, Manifest, Part
    from db.releases.sign import SIG_BLOCK_BYTES, file_digest, load_private, signature_block

    seed = (k.seeds_b / "dataset.yaml").read_bytes()
    zeros, digest = bytes(1 << 20), hashlib.sha256()
    for _ in range(BOMB_BYTES >> 20):
        digest.update(zeros)
    manifest = Manifest(version="2099.1.1", title="bomb", released="2099-01-01", created="2099-01-01T00:00:00Z",
                        schema_version=1, presentation_version="1", seeds_hash="0" * 64, program="",
                        parts=(Part(DATABASE, digest.hexdigest(), BOMB_BYTES),
                               Part("seeds/dataset.yaml", hashlib.sha256(seed).hexdigest(), len(seed))))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(MANIFEST, manifest.to_json())
        with archive.open(DATABASE, "w", force_zip64=True) as handle:
            for _ in range(BOMB_BYTES >> 20):
                handle.write(zeros)
        archive.writestr("seeds/dataset.yaml", seed)
        archive.comment = b" " * SIG_BLOCK_BYTES
    size = out.stat().st_size
    block = signature_block(load_private(k.key), file_digest(out, size - SIG_BLOCK_BYTES))
    with open(out, "r+b") as handle:
        handle.seek(size - SIG_BLOCK_BYTES)
        handle.write(block)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_small_release_that_unpacks_to_300_mb_is_refused_after_writing_at_most_the_bound(
        home: Path, tmp_path: Path, k: Kit) -> None:
    """The install runs in a child that may write no file larger than the bound plus 1 MB: the old
    unpacking, bounded only by the manifest, was killed there (SIGXFSZ)."""
    import resource

    from db.releases.format import MAX_RATIO

    bomb = _bomb(k, tmp_path / "tumorboard-2099.1.1.tbrelease")
    size = bomb.stat().st_size
    assert size < 1_000_000
    bound = MAX_RATIO * size
    cap = bound + 2**20

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))

    proc = subprocess.run([sys.executable, "-m", "tumorboard", "release", "install", str(bomb), "--trust",
                           str(k.pub)], cwd=ROOT, capture_output=True, text=True, timeout=60, preexec_fn=limit)
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert (f"refused: {bomb}: it unpacks to more than {bound:,} bytes (at most "
            f"{1024 * 2**20 + 64 * 2**20:,} in all and {MAX_RATIO} times the file's {size:,} bytes)") in proc.stderr
    assert not list((home / "releases").glob(".staging-*"))  # nothing of it is left


def test_a_manifest_listing_more_than_the_total_bound_is_refused(tmp_path: Path) -> None:
    from db.releases.format import DATABASE, MAX_UNPACKED_BYTES, Manifest, Part

    parts = (Part(DATABASE, "0" * 64, 1024 * 2**20),
             *(Part(f"seeds/s{i}.yaml", "0" * 64, 1_000_000) for i in range(80)))
    manifest = Manifest("2099.1.1", "t", "2099-01-01", "2099", 1, "1", "0" * 64, "", parts)
    with pytest.raises(ValueError, match=f"at most {MAX_UNPACKED_BYTES:,}"):
        manifest.check()
