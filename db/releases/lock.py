"""One install at a time per data folder: a lock file in releases/ held with fcntl.flock (POSIX)
or msvcrt.locking (Windows), which the system releases when a process dies, so a lock is never
stale; elsewhere an O_EXCL lock file, taken over once older than STALE_S. Reentrant within a
process, so an install inside a start's lock does not wait on itself.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from db.paths import releases_home

LOCK_FILE = "install.lock"
WAIT_S = 60.0
STALE_S = 600.0
_POLL_S = 0.05
_held = threading.RLock()
_depth = 0


class LockTimeout(Exception):
    """Another process held the install lock for longer than the wait."""


def _try_os_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _has_os_lock() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        try:
            import msvcrt  # noqa: F401
        except ImportError:
            return False
    return True


@contextlib.contextmanager
def _file_lock(path: Path, wait: float) -> Iterator[None]:
    deadline = time.monotonic() + wait
    if _has_os_lock():
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while not _try_os_lock(fd):
                if time.monotonic() > deadline:
                    raise LockTimeout(f"another start was installing a release ({path} held over {wait:.0f} s)")
                time.sleep(_POLL_S)
            yield  # closing the descriptor releases the lock
        finally:
            os.close(fd)
        return
    while True:  # fallback: the lock is the file's existence
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > STALE_S:  # left by a process that died
                    path.unlink()
                    continue
            if time.monotonic() > deadline:
                raise LockTimeout(f"another start was installing a release ({path} held over {wait:.0f} s)") from None
            time.sleep(_POLL_S)
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def install_lock(home: Path, wait: float = WAIT_S) -> Iterator[None]:
    """Hold the data folder's install lock, waiting at most `wait` s (LockTimeout)."""
    global _depth
    with _held:
        if _depth:
            _depth += 1
            try:
                yield
            finally:
                _depth -= 1
            return
        folder = releases_home(home)
        folder.mkdir(parents=True, exist_ok=True)
        with _file_lock(folder / LOCK_FILE, wait):
            _depth = 1
            try:
                yield
            finally:
                _depth = 0
