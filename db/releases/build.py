"""`tumorboard release build`: validate the seeds, build the database and write one signed file."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from db.releases.format import DATABASE, MANIFEST, PART_NAME, SEEDS_PREFIX, VERSION_PATTERN, Manifest, Part


@dataclass(frozen=True)
class BuiltRelease:
    path: Path
    manifest: Manifest
    size: int
    seconds: float
    key_id: str


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def seed_files(seeds: Path) -> list[tuple[str, Path]]:
    """(name in the release, file) for every seed file, exactly the set db/building/build.py `seeds_hash` hashes."""
    out = []
    for path in sorted(p for p in seeds.rglob("*.yaml") if not p.is_dir()):
        name = SEEDS_PREFIX + path.relative_to(seeds).as_posix()
        if not PART_NAME.match(name):
            raise ValueError(f"{name}: not a seed file name a release can carry (letters, digits, '_', '.', '-'; "
                             "not starting with '.')")
        out.append((name, path))
    return out


def _dataset(db: Path) -> tuple[dict[str, str], tuple[dict[str, str], ...]]:
    """The built database's meta and its sources (id, kind, short, citation, doi) for the manifest."""
    from db.store import Store

    store = Store(db)
    try:
        meta, sources = store.meta(), store.sources()
    finally:
        store.close()
    return meta, tuple({"id": s["id"], "kind": s["kind"], "short": s["short"], "citation": s["citation"],
                        "doi": s["doi"] or ""} for s in sources)


def build_release(seeds: Path, key_file: Path, out: Path, program: str = "") -> BuiltRelease:
    """Validate `seeds`, build the database and write the signed release to `out` atomically.

    Raises db.building.build.SeedsInvalid for bad seeds and ValueError for a bad key or version; `out`
    is untouched then."""
    from db.atomic import atomic_path
    from db.building.build import build
    from db.dataset.schema import SCHEMA_VERSION
    from db.dataset.seedfiles import read_seed_bytes
    from db.presentation.present import VERSION as PRESENTATION_VERSION
    from db.releases.sign import SIG_BLOCK_BYTES, file_digest, load_private, public_of, signature_block

    start = time.perf_counter()
    key = load_private(key_file)  # a bad key fails before a second of work
    with tempfile.TemporaryDirectory(prefix="tumorboard-release-") as tmp:
        db = Path(tmp) / DATABASE
        result = build(seeds, db)
        if not VERSION_PATTERN.match(result.version):
            raise ValueError(f"the dataset version {result.version!r} (dataset.yaml) is not numbers separated by "
                             "dots, e.g. 2026.12.1: releases are ordered by it")
        files = seed_files(seeds)
        seed_bytes = {name: read_seed_bytes(path) for name, path in files}
        parts = [Part(DATABASE, _sha256_file(db), db.stat().st_size)]
        parts += [Part(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in seed_bytes.items()]
        meta, sources = _dataset(db)
        manifest = Manifest(
            version=result.version, title=meta.get("dataset_title", ""), released=meta.get("dataset_released", ""),
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), schema_version=SCHEMA_VERSION,
            presentation_version=PRESENTATION_VERSION, seeds_hash=result.seeds_hash, program=program,
            parts=tuple(parts), sources=sources, counts=dict(result.counts))
        manifest.check()
        with atomic_path(out) as target:
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
                archive.writestr(MANIFEST, manifest.to_json())
                archive.write(db, DATABASE)
                for name, data in seed_bytes.items():
                    archive.writestr(name, data)
                archive.comment = b" " * SIG_BLOCK_BYTES  # replaced by the signature below
            size = target.stat().st_size
            block = signature_block(key, file_digest(target, size - SIG_BLOCK_BYTES))
            with open(target, "r+b") as handle:
                handle.seek(size - SIG_BLOCK_BYTES)
                handle.write(block)
                handle.flush()
                os.fsync(handle.fileno())
            written = target
            from db.releases.verify import verify

            verify(written, [public_of(key)])  # never publish a file this program would refuse
    return BuiltRelease(out, manifest, size, time.perf_counter() - start, public_of(key).key_id)
