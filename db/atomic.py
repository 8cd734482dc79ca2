"""Writing a file so that it either appears complete or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    target = Path(target)
    folder = target.parent
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_text_file(target: Path, newline: str | None = None) -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline=newline) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
