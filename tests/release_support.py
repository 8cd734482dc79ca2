"""Two dataset releases built once per test session from two seed trees, for the release tests.

A is the bundled seeds as version 2026.12.5. B (2027.1.1) changes RADIANT-3's median PFS
(11.4 -> 11.5 months, with a caveat), adds a study (TEST-1) and removes one
(yao-everolimus-bevacizumab).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.samples import write_study

A, B = "2026.12.5", "2027.1.1"
REMOVED = "yao-everolimus-bevacizumab"
CHANGED = "radiant-3/everolimus/pfs_median"


@dataclass(frozen=True)
class Kit:
    key: Path  # the curator's private key
    pub: Path
    other_key: Path  # a key nobody trusts
    seeds_a: Path
    seeds_b: Path
    a: Path  # release files
    b: Path


def _seeds(root: Path, version: str) -> Path:
    target = root / f"seeds-{version}"
    shutil.copytree(SEEDS, target)
    dataset = target / "dataset.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8").replace('version: "2026.12.1"', f'version: "{version}"'),
                       encoding="utf-8")
    return target


def make_seeds_b(root: Path) -> Path:
    seeds = _seeds(root, B)
    study = seeds / "studies" / "radiant-3.yaml"
    text = study.read_text(encoding="utf-8")
    old = '{measure: pfs_median, value: "11.4", unit: months}'
    assert old in text
    study.write_text(text.replace(old, '{measure: pfs_median, value: "11.5", unit: months, caveat: Updated by the '
                                  'test suite}'), encoding="utf-8")
    write_study(seeds)
    (seeds / "studies" / f"{REMOVED}.yaml").unlink()
    return seeds


_KIT: dict[str, Kit] = {}


def kit(factory: pytest.TempPathFactory) -> Kit:
    """The key pairs, seed trees and release files (built on first use)."""
    if "kit" in _KIT:
        return _KIT["kit"]
    from db.releases.build import build_release
    from db.releases.sign import generate

    root = factory.mktemp("releases")
    key, other = root / "curator.key", root / "stranger.key"
    pub, _ = generate(key)
    generate(other)
    seeds_a, seeds_b = _seeds(root, A), make_seeds_b(root)
    a, b = root / f"tumorboard-{A}.tbrelease", root / f"tumorboard-{B}.tbrelease"
    build_release(seeds_a, key, a)
    build_release(seeds_b, key, b)
    _KIT["kit"] = Kit(key, pub, other, seeds_a, seeds_b, a, b)
    return _KIT["kit"]


def releases_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> Path:
    """A releases folder as IT configures it (TUMORBOARD_RELEASES) trusting the curator's key."""
    folder = tmp_path / "share"
    (folder / "keys").mkdir(parents=True)
    shutil.copy(k.pub, folder / "keys" / "curator.pub")
    monkeypatch.setenv("TUMORBOARD_RELEASES", str(folder))
    monkeypatch.setenv("TUMORBOARD_CONFIG", str(tmp_path / "no-such.ini"))
    monkeypatch.delenv("TUMORBOARD_RELEASE_KEYS", raising=False)
    return folder


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
