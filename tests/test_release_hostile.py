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
    from db.store import open_store

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
    from db.store import open_store

    shutil.copy(k.b, folder / HOSTILE)
    monkeypatch.setattr("db.release_format.MAX_RELEASE_BYTES", k.b.stat().st_size - 1)
    store = open_store()
    store.close()
    size = k.b.stat().st_size
    assert [w for w in store.warnings if HOSTILE in w] == [
        f"Release not installed: {folder / HOSTILE}: is {size:,} bytes; a release is at most {size - 1:,}: skipped. "
        "The current dataset stays."]
