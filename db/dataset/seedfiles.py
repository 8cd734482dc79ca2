"""What may be read as a seed file: a regular file of at most MAX_SEED_BYTES.

Checked before a byte is parsed or hashed, so a FIFO, a device (or a link to one) or a
huge file named `*.yaml` gives an error with its file and line instead of a hang, a crash
or minutes of parsing (docs/seed-format.md, "Limits"). No YAML import: start-up hashes
the seeds with this module.
"""

from __future__ import annotations

import stat
from pathlib import Path

from db.atomic import file_kind

MAX_SEED_BYTES = 1_000_000  # the largest bundled seed file is a few tens of kB


class SeedFileError(ValueError):
    """A seed file that is refused before it is read; the problem is always on line 1."""


def check_seed_file(path: Path) -> None:
    """Raise SeedFileError unless `path` is (or links to) a regular file within the size limit."""
    try:
        info = path.stat()  # follows a link: what would be read
    except OSError as exc:
        raise SeedFileError(f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        link = " (through a symbolic link)" if path.is_symlink() else ""
        raise SeedFileError(f"is {file_kind(info.st_mode)}{link}, not a regular file; seed files must be regular files")
    if info.st_size > MAX_SEED_BYTES:
        raise SeedFileError(f"is {info.st_size:,} bytes; a seed file may be at most {MAX_SEED_BYTES:,} bytes "
                            "(split it, see docs/seed-format.md)")


def read_seed_bytes(path: Path) -> bytes:
    """The checked file's bytes; never more than the limit, even if it grew since it was checked."""
    check_seed_file(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SEED_BYTES + 1)
    except OSError as exc:
        raise SeedFileError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_SEED_BYTES:
        raise SeedFileError(f"is over {MAX_SEED_BYTES:,} bytes; a seed file may be at most {MAX_SEED_BYTES:,} "
                            "bytes (split it, see docs/seed-format.md)")
    return data
