"""Database and file errors in the words a user should read: the cause, never SQLite's internals."""

from __future__ import annotations

import errno


def cause(exc: BaseException) -> str:
    """'full', 'busy', 'read-only' or '' (none of those)."""
    low = str(exc).lower()
    code = getattr(exc, "errno", None)
    if "disk is full" in low or "no space" in low or code == errno.ENOSPC:
        return "full"
    if "locked" in low or "busy" in low:
        return "busy"
    if "readonly" in low or "read-only" in low or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "read-only"
    return ""


def describe(exc: BaseException, what: str) -> str:
    """'the disk is full …', '… is in use by another program …', or the error itself, about `what`."""
    kind = cause(exc)
    if kind == "full":
        return f"the disk is full: free some space, then try again ({what})"
    if kind == "busy":
        return f"{what} is in use by another program; try again in a moment"
    if kind == "read-only":
        return f"{what} cannot be written (read-only or no permission)"
    strerror = getattr(exc, "strerror", None)
    return f"{what} failed: {strerror or exc}"
