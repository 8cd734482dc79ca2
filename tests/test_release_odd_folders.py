"""A releases folder named with `#`, `?`, `%`, spaces or non-ASCII letters, beside a data folder
named the same way: a signed release in it is installed at start and by `release install`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.release_support import B, Kit, kit

NAMES = ["a#b?c%d é", "Tumor Board releases"]


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


def _places(tmp_path: Path, name: str, k: Kit) -> tuple[Path, Path, dict[str, str]]:
    home, share = tmp_path / name, tmp_path / "share" / name
    (share / "keys").mkdir(parents=True)
    shutil.copy(k.pub, share / "keys" / "curator.pub")
    env = {**os.environ, "TUMORBOARD_HOME": str(home), "TUMORBOARD_RELEASES": str(share),
           "TUMORBOARD_CONFIG": str(tmp_path / "no-such.ini"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TUMORBOARD_RELEASE_KEYS", None)
    return home, share, env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tumorboard", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _version(home: Path) -> str:
    conn = sqlite3.connect(home / "dataset.sqlite3")
    try:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'dataset_version'").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("name", NAMES)
def test_a_release_in_an_oddly_named_folder_is_installed_at_start(tmp_path: Path, k: Kit, name: str) -> None:
    home, share, env = _places(tmp_path, name, k)
    shutil.copy(k.b, share)
    found = _run(env, "search", "TEST-1")
    assert found.returncode == 0, found.stderr
    assert _version(home) == B
    assert "test-study" in found.stdout, found.stdout
    before = sorted(p.name for p in tmp_path.iterdir())
    assert before == sorted([name, "share"]) and sorted(p.name for p in (tmp_path / "share").iterdir()) == [name]


@pytest.mark.parametrize("name", NAMES)
def test_release_install_from_an_oddly_named_folder(tmp_path: Path, k: Kit, name: str) -> None:
    home, share, env = _places(tmp_path, name, k)
    assert _run(env, "build").returncode == 0
    shutil.copy(k.b, share / f"{name}.tbrelease")
    installed = _run(env, "release", "install", str(share / f"{name}.tbrelease"))
    assert installed.returncode == 0, installed.stderr
    assert f"now showing release {B}" in installed.stdout
    assert _version(home) == B
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "share"])
