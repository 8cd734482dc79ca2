"""The dataset release file: a zip archive that holds the database, the seeds it was built from
and a manifest, signed as a whole (docs/releases.md).

    manifest.json            what the release is: version, date, schema and presentation versions,
                             seeds hash, sources, counts, and the sha256 and size of every part
    dataset.sqlite3          the validated database, as `tumorboard build` writes it
    seeds/...                every seed file the database was built from
    (archive comment)        the signature block: key id and an Ed25519 signature over every
                             byte before it (db/releases/sign.py)

The signature covers the whole file, so the manifest, and through its hashes the database and
the seeds, cannot change without the signature failing; the hashes are checked again as each
part is unpacked.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db.atomic import file_kind

if TYPE_CHECKING:
    from db.releases.sign import PublicKey

FORMAT = "tumorboard-release/1"
SUFFIX = ".tbrelease"
MANIFEST = "manifest.json"
DATABASE = "dataset.sqlite3"
SEEDS_PREFIX = "seeds/"
MAX_RELEASE_BYTES = 256 * 2**20  # the shipped release is about 1 MB
MAX_DATABASE_BYTES = 1024 * 2**20
MAX_MANIFEST_BYTES = 4 * 2**20
MAX_PARTS = 20_000
MAX_UNPACKED_BYTES = MAX_DATABASE_BYTES + 64 * 2**20  # all parts together (the shipped seeds are about 1 MB)
MAX_RATIO = 100  # bytes unpacked per byte of the release file (the shipped release: about 5)
VERSION_PATTERN = re.compile(r"^\d{1,9}(\.\d{1,9}){0,5}$")
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
PART_NAME = re.compile(rf"^(dataset\.sqlite3|seeds/({_SEGMENT}/){{0,8}}{_SEGMENT}\.yaml)$")


class ReleaseRefused(Exception):
    """A release that is not installed, with the file and the reason in words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order of dataset versions: '2026.12.1' > '2026.11.3' > '2026.9.10' (numbers, not text)."""
    parts = re.split(r"[.\-+_]", version.strip())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def newer(a: str, b: str) -> bool:
    return version_key(a) > version_key(b)


@dataclass(frozen=True)
class Part:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    version: str
    title: str
    released: str
    created: str
    schema_version: int
    presentation_version: str
    seeds_hash: str
    program: str
    parts: tuple[Part, ...]
    sources: tuple[dict[str, str], ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT

    @property
    def database(self) -> Part:
        return next(p for p in self.parts if p.name == DATABASE)

    @property
    def seeds(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.name.startswith(SEEDS_PREFIX))

    def to_json(self) -> bytes:
        data = asdict(self)
        data["parts"] = {p.name: {"sha256": p.sha256, "size": p.size} for p in self.parts}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """The manifest, or ValueError saying what is wrong with it."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"the manifest is not JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise ValueError("the manifest is not a JSON object")
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown release format {data.get('format')!r} (this program reads {FORMAT}): "
                             "update the program")
        try:
            parts = tuple(Part(str(name), str(info["sha256"]), int(info["size"]))
                          for name, info in dict(data["parts"]).items())
            manifest = cls(
                version=str(data["version"]), title=str(data["title"]), released=str(data["released"]),
                created=str(data["created"]), schema_version=int(data["schema_version"]),
                presentation_version=str(data["presentation_version"]), seeds_hash=str(data["seeds_hash"]),
                program=str(data.get("program", "")), parts=parts,
                sources=tuple({str(k): str(v) for k, v in dict(s).items()} for s in data.get("sources", ())),
                counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"the manifest lacks or garbles a field ({exc})") from exc
        manifest.check()
        return manifest

    def check(self) -> None:
        if not VERSION_PATTERN.match(self.version):
            raise ValueError(f"the version {self.version!r} is not numbers separated by dots (e.g. 2026.12.1)")
        names = [p.name for p in self.parts]
        if len(names) > MAX_PARTS:
            raise ValueError(f"the manifest lists {len(names)} parts (at most {MAX_PARTS})")
        bad = [n for n in names if not PART_NAME.match(n)]
        if bad:
            raise ValueError(f"the manifest names a part outside the release layout: {bad[0]!r}")
        if DATABASE not in names or not self.seeds:
            raise ValueError("the manifest lists no database or no seeds")
        if any(not re.fullmatch(r"[0-9a-f]{64}", p.sha256) or p.size < 0 for p in self.parts):
            raise ValueError("the manifest holds a malformed hash or size")
        from db.dataset.seedfiles import MAX_SEED_BYTES

        too_big = [p.name for p in self.parts
                   if p.size > (MAX_DATABASE_BYTES if p.name == DATABASE else MAX_SEED_BYTES)]
        if too_big:
            raise ValueError(f"the manifest lists a part larger than a release may hold: {too_big[0]}")
        total = sum(p.size for p in self.parts)
        if total > MAX_UNPACKED_BYTES:
            raise ValueError(f"the manifest lists {total:,} bytes of parts (a release unpacks to at most "
                             f"{MAX_UNPACKED_BYTES:,})")


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    """The manifest of an open release archive (not yet trusted: check the signature first)."""
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise ValueError("there is no manifest.json in it") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ValueError(f"its manifest is {info.file_size:,} bytes (at most {MAX_MANIFEST_BYTES:,})")
    with archive.open(info) as handle:
        return Manifest.from_json(handle.read(MAX_MANIFEST_BYTES + 1))


def _check_regular(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        link = " (a link to one)" if path.is_symlink() else ""
        raise ReleaseRefused(path, f"is {file_kind(info.st_mode)}{link}, not a release file: skipped")
    if info.st_size > MAX_RELEASE_BYTES:
        raise ReleaseRefused(path, f"is {info.st_size:,} bytes; a release is at most {MAX_RELEASE_BYTES:,}: skipped")


def open_release(path: Path) -> IO[bytes]:
    """`path` opened for reading once it is known to be a regular file (a link to one counts) of at
    most MAX_RELEASE_BYTES, checked before and after opening: a FIFO, a device or a link to
    /dev/zero is never read. ReleaseRefused naming what it is otherwise."""
    try:
        _check_regular(path, path.stat())
        # O_NONBLOCK: a FIFO swapped in after the check does not block the open (POSIX only).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReleaseRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
    handle = os.fdopen(fd, "rb")
    try:
        _check_regular(path, os.fstat(fd))
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
    except BaseException:
        handle.close()
        raise
    return handle


def claimed_version(path: Path) -> str:
    """The version a release file's manifest claims, unverified: only to order the files of a
    folder before the newest is verified. ReleaseRefused when it is not a regular file of a sane
    size; ValueError (or zipfile.BadZipFile) when unreadable."""
    with open_release(path) as handle, zipfile.ZipFile(handle) as archive:
        return read_manifest(archive).version


def summary(m: Manifest) -> dict[str, Any]:
    """What `release verify` prints about a release."""
    return {"version": m.version, "title": m.title, "released": m.released, "created": m.created,
            "schema_version": m.schema_version, "presentation_version": m.presentation_version,
            "program": m.program, "counts": m.counts, "sources": len(m.sources),
            "seed_files": len(m.seeds), "database_bytes": m.database.size}


DAMAGED = "damaged or truncated (not a complete release file)"


@dataclass(frozen=True)
class Verified:
    """A release file whose signature and manifest were checked (db/releases/verify.py `verify`)."""

    path: Path
    manifest: Manifest
    key: PublicKey
    size: int
