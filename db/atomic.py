"""Writing a file so that it either appears complete or not at all.

Only a regular file, or a path where nothing exists yet, is ever replaced: a folder,
a FIFO, a device or a socket is refused (`NotARegularFile`), so is anything in /dev. A
symbolic link to a regular file is followed: the file it points to is replaced and the
link kept; callers that print what they wrote say so (`resolve_target`). A new file gets
the user's usual permissions (the umask applies, as for any program's output); a
replaced file keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class NotARegularFile(OSError):
    """The target exists and is not a regular file (or a link to one): it is never replaced.

    `what` says what is there instead ("a folder"), for messages that add their own advice."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words: 'a folder', 'a FIFO (named pipe)'."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _in_dev(path: Path) -> bool:
    """The path as given or as resolved is in /dev (`/dev/stdout` resolves elsewhere)."""
    given = Path(os.path.normpath(path.absolute()))
    return os.name == "posix" and any(p.parts[:2] == ("/", "dev") for p in (given, path.resolve()))


def resolve_target(target: Path) -> Path:
    """The path to write for `target`: itself when new or a regular file, or the regular file
    a symbolic link points to. Raise NotARegularFile for anything else, and for any path in /dev."""
    target = Path(target)
    if _in_dev(target):
        raise NotARegularFile(f"{target} is in /dev: device files are never replaced; choose a file elsewhere",
                              "in /dev")
    real = target.resolve() if target.is_symlink() else target
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        if real != target:
            what = f"a symbolic link to {real}, which does not exist"
            raise NotARegularFile(f"{target} is {what}; remove the link or choose another file", what) from None
        return target
    if not stat.S_ISREG(mode):
        what = file_kind(mode) if real == target else f"a symbolic link to {file_kind(mode)} ({real})"
        raise NotARegularFile(f"{target} is {what}, not a regular file; it is never replaced: "
                              "choose another file name", what)
    return real


def _create_beside(target: Path) -> Path:
    """A new, empty, uniquely named file beside `target`, created with the umask's permissions
    (mkstemp would make it 0600, and an exported file would keep that)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"cannot create a temporary file beside {target}")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside the file to write; rename it over that file only on success."""
    target = resolve_target(target)
    existing = target.stat() if target.exists() else None
    tmp = _create_beside(target)
    try:
        if existing is not None and os.name == "posix":
            tmp.chmod(stat.S_IMODE(existing.st_mode))
        yield tmp
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_text_file(target: Path, newline: str | None = None) -> Iterator[IO[str]]:
    # the handle is closed before the rename: Windows cannot replace a file that is held open
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline=newline) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
