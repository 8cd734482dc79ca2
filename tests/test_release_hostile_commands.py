"""An unreadable releases folder, and `release rollback` and `release diff` on hostile files (a FIFO,
a truncated zip, a file that is not a zip, a link to /dev/zero): a clear message, never a hang
or a traceback (issue 21, untried cases)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.opening import open_store
from db.releases.state import installed_folder, load
from tests.conftest import ROOT
from tests.release_support import B, Kit, kit, releases_folder
from tumorboard.cli import main

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs or /dev/zero here")
KINDS = ["fifo", "truncated zip", "not a zip", "link to /dev/zero"]


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


@pytest.fixture
def folder(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> Path:
    return releases_folder(tmp_path, monkeypatch, k)


def _hostile(path: Path, kind: str, k: Kit) -> Path:
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "truncated zip":
        path.write_bytes(k.b.read_bytes()[: k.b.stat().st_size // 2])
    elif kind == "not a zip":
        path.write_text("this is a shopping list, not a release\n", encoding="utf-8")
    else:
        path.symlink_to("/dev/zero")
    return path


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child, so a hang is a timeout (a failure), not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "tumorboard", *args], cwd=ROOT, env={**os.environ},
                          capture_output=True, text=True, timeout=30)


def _one_line_failure(done: subprocess.CompletedProcess[str], path: Path) -> str:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(path) in lines[0], lines[0]
    return lines[0]


@posix_only
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("side", ["old", "new"])
def test_release_diff_of_a_hostile_file_is_one_line_and_exit_1_within_seconds(
        home: Path, folder: Path, tmp_path: Path, k: Kit, kind: str, side: str) -> None:
    bad = _hostile(tmp_path / "tumorboard-2099.1.1.tbrelease", kind, k)
    old, new = (bad, k.b) if side == "old" else (k.a, bad)
    line = _one_line_failure(_cli(home, "release", "diff", str(old), str(new)), bad)
    assert line.startswith("tumorboard release: ")


@posix_only
@pytest.mark.parametrize("kind", KINDS)
def test_release_rollback_to_a_hostile_file_is_one_line_and_exit_1_within_seconds(
        home: Path, folder: Path, k: Kit, kind: str) -> None:
    assert main(["release", "install", str(k.a)]) == 0
    assert main(["release", "install", str(k.b)]) == 0
    state, _ = load(home, ROOT / "seeds")
    [previous] = [o for o in state.history if o.kind != "bundled"]
    kept = next(installed_folder(previous, home).glob("*.tbrelease"))
    _hostile(kept, kind, k)
    _one_line_failure(_cli(home, "release", "rollback"), kept)
    assert load(home, ROOT / "seeds")[0].current.version == B


def test_an_unreadable_releases_folder_is_named_at_start(home: Path, folder: Path, k: Kit,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Running as root, chmod 000 does not stop reading: listing the folder is made to fail with
    EACCES by monkeypatching os.scandir for that folder; otherwise the folder is chmod 000."""
    shutil.copy(k.b, folder)
    if os.geteuid() == 0:
        real = os.scandir

        def scandir(path: object = ".") -> object:
            if Path(os.fsdecode(path)).resolve() == folder.resolve():  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        folder.chmod(0)
    try:
        store = open_store()
        store.close()
    finally:
        folder.chmod(0o755)
    assert [w for w in store.warnings if str(folder) in w] == [
        f"Releases not read: cannot read the releases folder {folder}: Permission denied. The current dataset stays."]
    assert load(home, ROOT / "seeds")[0].current.kind == "bundled"
