"""The one way a file path becomes an SQLite URI (for `mode=ro` and friends).

A path is not a URI: `#`, `?` and `%` in a folder name would end the path or start an escape, so
SQLite would open another file (and create it beside the real one). Every byte outside the
unreserved set is percent-encoded, as `Path.as_uri()` does; Windows paths become
`file:///C:/...` and UNC paths `file:////server/share/...` (an empty authority, which SQLite
accepts without SQLITE_ALLOW_URI_AUTHORITY).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote

MODES = ("ro", "rw", "rwc", "memory")


def sqlite_uri(path: str | os.PathLike[str], mode: str = "ro", immutable: bool = False) -> str:
    """`file:` URI for `path` (made absolute when it is a real, relative path) opened with `mode`;
    `immutable` for a file on a read-only medium (SQLite then needs no -shm file beside it)."""
    if mode not in MODES:
        raise ValueError(f"unknown SQLite open mode {mode!r}")
    pure = path if isinstance(path, PurePath) else Path(path)
    if isinstance(pure, Path) and not pure.is_absolute():
        pure = pure.absolute()
    text = pure.as_posix()
    if pure.is_absolute() and not text.startswith("/"):
        text = "/" + text  # a drive letter: C:/x -> /C:/x
    raw = os.fsencode(text) if isinstance(pure, Path) else text.encode("utf-8")
    flags = "&immutable=1" if immutable else ""
    return f"file:{'//' if pure.is_absolute() else ''}{quote(raw, safe='/:')}?mode={mode}{flags}"
