"""Files the program writes: only its own temporary files are swept, only regular files
(or new paths) are replaced, a link is followed and said so, and permissions follow the umask."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from db.atomic import NotARegularFile, resolve_target
from db.building.build import build
from tests.samples import write_study
from tumorboard.cli import main

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, device nodes and umask are POSIX")


def _old(path: Path, text: str = "mine") -> Path:
    """A file two hours old: older than the sweep's one-hour grace."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 7200
    os.utime(path, (past, past))
    return path


@pytest.mark.parametrize("name", [pytest.param("*", marks=posix_only), pytest.param("[.]x*", marks=posix_only),
                                  pytest.param("?", marks=posix_only), "[d]ataset.sqlite3"])
def test_build_to_a_glob_like_name_sweeps_only_its_own_leftovers(mini_seeds: Path, tmp_path: Path,
                                                                  name: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    unrelated = [_old(folder / n) for n in (".bashrc.1.tmp", ".notes.sqlite3.99999999.tmp", ".x.2.tmp-journal",
                                            ".draft.txt.123.tmp", ".dataset.sqlite3.99999999.tmp")]
    own = _old(folder / f".{name}.99999999.tmp")
    own_journal = _old(folder / f".{name}.99999999.tmp-journal")
    write_study(mini_seeds)
    build(mini_seeds, folder / name)
    assert all(p.read_text(encoding="utf-8") == "mine" for p in unrelated)
    assert not own.exists() and not own_journal.exists()
    assert (folder / name).stat().st_size > 0


@posix_only  # `*` is not a valid file name on Windows
def test_cli_build_to_a_star_keeps_the_users_hidden_files(mini_seeds: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    keep = _old(tmp_path / ".profile.1.tmp")
    write_study(mini_seeds)
    assert main(["build", "--seeds", str(mini_seeds), "-o", str(tmp_path / "*")]) == 0
    capsys.readouterr()
    assert keep.read_text(encoding="utf-8") == "mine"


@posix_only
def test_export_refuses_a_fifo_and_leaves_it_a_fifo(home: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    fifo = folder / "pipe.csv"
    os.mkfifo(fifo)
    assert main(["export", "--format", "csv", "-o", str(fifo)]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {fifo}" in err and "FIFO" in err and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in folder.iterdir()] == ["pipe.csv"]


@posix_only
def test_export_and_build_refuse_a_device_node(home: Path, mini_seeds: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("creating a device node needs privileges")
    assert main(["export", "--format", "json", "-o", str(device)]) == 1
    assert "is a device, not a regular file" in capsys.readouterr().err
    write_study(mini_seeds)
    assert main(["build", "--seeds", str(mini_seeds), "-o", str(device)]) == 1
    assert "is a device, not a regular file" in capsys.readouterr().err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.parametrize("path", ["/dev/null", "/dev/stdout", "/dev/new-file", "/dev/shm/../null"])
def test_nothing_in_dev_is_ever_a_target(path: str) -> None:
    """Checked without writing: a regression here must not replace the test machine's /dev/null."""
    if os.name != "posix":
        pytest.skip("/dev is POSIX")
    with pytest.raises(NotARegularFile, match="in /dev"):
        resolve_target(Path(path))


@posix_only
def test_a_symlink_to_a_regular_file_is_followed_and_said_so(home: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["export", "--format", "csv", "-o", str(link)]) == 0
    assert f"wrote {real} (the file the symbolic link {link} points to)" in capsys.readouterr().err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("study_id,")


@posix_only
def test_a_symlink_to_a_fifo_is_refused_and_kept(home: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    link.symlink_to(fifo)
    assert main(["export", "-o", str(link)]) == 1
    assert "symbolic link to a FIFO" in capsys.readouterr().err
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)


@posix_only
def test_build_through_a_symlink_keeps_the_link(mini_seeds: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.sqlite3"
    real.write_bytes(b"")
    link = tmp_path / "dataset.sqlite3"
    link.symlink_to(real)
    write_study(mini_seeds)
    assert main(["build", "--seeds", str(mini_seeds), "-o", str(link)]) == 0
    assert f"built {real} (the file the symbolic link {link} points to)" in capsys.readouterr().out
    assert link.is_symlink() and real.stat().st_size > 0


@posix_only
def test_an_exported_file_gets_the_users_umask_not_0600(home: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        assert main(["export", "--format", "csv", "-o", str(tmp_path / "figures.csv")]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    assert stat.S_IMODE((tmp_path / "figures.csv").stat().st_mode) == 0o644


@posix_only
def test_replacing_an_export_keeps_its_mode(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "figures.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert main(["export", "--format", "csv", "-o", str(target)]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("study_id,")
