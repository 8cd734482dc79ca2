"""Checking a release file before anything of it is used, and unpacking its parts.

In order: a regular file of a sane size; the signature block at its end; a key this
installation trusts; the signature over every byte before the block; then the manifest (now
trusted): format, the parts it lists and nothing else, a schema this program reads, a version
not withdrawn; and every part's size and sha256. Each refusal is a ReleaseRefused naming the
file and the reason.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from db.releases.format import (
    DAMAGED,
    DATABASE,
    MANIFEST,
    MAX_RELEASE_BYTES,
    Manifest,
    Part,
    ReleaseRefused,
    Verified,
    read_manifest,
)
from db.releases.sign import RELEASE_DOMAIN, SIG_BLOCK_BYTES, PublicKey, file_digest, parse_block


def _check_signature(path: Path, keys: Sequence[PublicKey]) -> tuple[PublicKey, int]:
    try:
        info = path.stat()
    except OSError as exc:
        raise ReleaseRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ReleaseRefused(path, "is not a regular file")
    if info.st_size > MAX_RELEASE_BYTES:
        raise ReleaseRefused(path, f"is {info.st_size:,} bytes; a release is at most {MAX_RELEASE_BYTES:,}")
    if info.st_size <= SIG_BLOCK_BYTES + 22:
        raise ReleaseRefused(path, DAMAGED)
    try:
        with open(path, "rb") as handle:
            handle.seek(info.st_size - SIG_BLOCK_BYTES)
            ident, signature = parse_block(handle.read(SIG_BLOCK_BYTES))
        digest = file_digest(path, info.st_size - SIG_BLOCK_BYTES)
    except ValueError as exc:
        raise ReleaseRefused(path, f"{DAMAGED}: {exc}") from exc
    except OSError as exc:
        raise ReleaseRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
    key = next((k for k in keys if k.key_id == ident), None)
    if key is None:
        trusted = ", ".join(k.key_id for k in keys) or "none"
        raise ReleaseRefused(path, f"signed by a key this installation does not trust (key id {ident}; trusted: "
                                   f"{trusted})")
    if not key.verify(signature, RELEASE_DOMAIN + digest):
        raise ReleaseRefused(path, "bad signature: the file was changed or damaged after it was signed")
    return key, info.st_size


def verify(path: Path, keys: Sequence[PublicKey], withdrawn: Mapping[str, str] | None = None,
           parts: bool = True) -> Verified:
    """The release's trusted manifest, or ReleaseRefused. `parts`: also check every part's hash."""
    from db.dataset.schema import SCHEMA_VERSION

    key, size = _check_signature(path, keys)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive)
            _check_names(archive, manifest)
            if manifest.schema_version > SCHEMA_VERSION:
                raise ReleaseRefused(path, f"made for a newer program (dataset schema {manifest.schema_version}; "
                                           f"this program reads schema {SCHEMA_VERSION}): update the program first")
            if withdrawn and manifest.version in withdrawn:
                reason = withdrawn[manifest.version]
                raise ReleaseRefused(path, f"version {manifest.version} is withdrawn" + (f" ({reason})" if reason
                                                                                             else ""))
            if parts:
                for part in manifest.parts:
                    with archive.open(part.name) as handle:
                        _copy_checked(handle, None, part, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError) as exc:
        raise ReleaseRefused(path, f"{DAMAGED}: {exc}") from exc
    except OSError as exc:
        raise ReleaseRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
    return Verified(path, manifest, key, size)


def _check_names(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    names = archive.namelist()
    expected = {p.name for p in manifest.parts} | {MANIFEST}
    if len(names) != len(set(names)) or set(names) != expected:
        extra = sorted(set(names) - expected)[:3]
        missing = sorted(expected - set(names))[:3]
        raise ValueError(f"its contents differ from its manifest (extra: {extra}, missing: {missing})")


def _copy_checked(handle: IO[bytes], out: Path | None, part: Part, release: Path) -> None:
    digest = hashlib.sha256()
    total = 0
    sink = open(out, "wb") if out is not None else None  # noqa: SIM115 (closed below, before any rename)
    try:
        while chunk := handle.read(1 << 20):
            total += len(chunk)
            if total > part.size:  # sizes are bounded by Manifest.check
                raise ReleaseRefused(release, f"{DAMAGED}: {part.name} is larger than its manifest says")
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    if total != part.size or digest.hexdigest() != part.sha256:
        raise ReleaseRefused(release, f"{DAMAGED}: {part.name} does not match the hash in its manifest")


def extract(verified: Verified, dest: Path) -> None:
    """Unpack the database and the seeds into `dest` (a private, empty folder) within the bounds of
    db/releases/unpack.py (each part's size and hash, the total, the ratio, counted as written), then
    check the database against the seeds (db/releases/check.py). ReleaseRefused when one does not hold."""
    from db.releases.check import check_database
    from db.releases.unpack import extract as unpack

    unpack(verified, dest)
    check_database(verified.path, verified.manifest, dest / DATABASE, dest / "seeds")


def unpack_database(path: Path, dest: Path) -> Manifest:
    """Write a release's database to `dest`, checked against its manifest's hash but *not* against
    a signature: only for `release diff` of a file no trusted key signed (it says so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive)
            _check_names(archive, manifest)
            with archive.open(DATABASE) as handle:
                _copy_checked(handle, dest, manifest.database, path)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        raise ReleaseRefused(path, f"{DAMAGED}: {exc}") from exc
    return manifest
