"""Unpacking a verified release with bounds that hold whatever its archive headers say: each part
at most its manifest size, all parts together at most MAX_UNPACKED_BYTES, and at most MAX_RATIO
bytes written per byte of the release file. The bytes are counted as they are written, so a
small archive that inflates to gigabytes is refused after writing no more than the bound.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path
from typing import IO

from db.releases.format import DAMAGED, MAX_RATIO, MAX_UNPACKED_BYTES, Part, ReleaseRefused, Verified

CHUNK = 1 << 20


class _Budget:
    def __init__(self, release: Path, archive_bytes: int) -> None:
        self.release = release
        self.left = min(MAX_UNPACKED_BYTES, MAX_RATIO * archive_bytes)
        self.why = (f"it unpacks to more than {self.left:,} bytes (at most {MAX_UNPACKED_BYTES:,} in all and "
                    f"{MAX_RATIO} times the file's {archive_bytes:,} bytes)")

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise ReleaseRefused(self.release, self.why)


def _unpack_part(handle: IO[bytes], out: Path, part: Part, budget: _Budget) -> None:
    digest, total = hashlib.sha256(), 0
    with open(out, "wb") as sink:
        # never read more than may still be written: a part ends, the bound, or the manifest size + 1
        while chunk := handle.read(max(0, min(CHUNK, budget.left + 1, part.size + 1 - total))):
            total += len(chunk)
            if total > part.size:
                raise ReleaseRefused(budget.release, f"{DAMAGED}: {part.name} is larger than its manifest says")
            budget.spend(len(chunk))
            digest.update(chunk)
            sink.write(chunk)
    if total != part.size or digest.hexdigest() != part.sha256:
        raise ReleaseRefused(budget.release, f"{DAMAGED}: {part.name} does not match the hash in its manifest")


def extract(verified: Verified, dest: Path) -> None:
    """Unpack the database and the seeds into `dest` (a private, empty folder), checking each part's
    size and hash and the bounds above as it is written. ReleaseRefused when one does not hold."""
    budget = _Budget(verified.path, verified.size)
    try:
        with zipfile.ZipFile(verified.path) as archive:
            for part in verified.manifest.parts:
                out = dest / part.name
                out.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(part.name) as handle:
                    _unpack_part(handle, out, part, budget)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        raise ReleaseRefused(verified.path, f"{DAMAGED}: {exc}") from exc
