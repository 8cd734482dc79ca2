"""A data folder named with URI characters (`#`, `?`, `%`), spaces and non-ASCII letters works
end to end, and SQLite URIs are built from paths by one function (db/sqlite_uri.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from db.sqlite_uri import sqlite_uri

ROOT = Path(__file__).resolve().parent.parent
ODD = "a#b?c%d é x"


def tumorboard(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUMORBOARD_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "tumorboard", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_a_data_folder_named_like_a_uri_runs_build_search_notes_and_a_handout(tmp_path: Path) -> None:
    home = tmp_path / ODD
    built = tumorboard(home, "build")
    assert built.returncode == 0, built.stderr
    found = tumorboard(home, "search", "everolimus", "--json")
    assert found.returncode == 0, found.stderr
    assert any(hit.get("id") == "radiant-3" for hit in json.loads(found.stdout)), found.stdout[:500]
    notes_in = tmp_path / "in.json"
    notes_in.write_text(json.dumps({"format": "tumorboard-notes/1", "notes": [
        {"entity_kind": "study", "entity_id": "radiant-3", "text": "pharmacy stocks it",
         "availability": "available", "updated_at": "2026-11-30T09:15:00Z"}]}), encoding="utf-8")
    imported = tumorboard(home, "notes", "import", str(notes_in))
    assert imported.returncode == 0 and "1 added" in imported.stdout, imported.stderr
    notes_out = tmp_path / "out.json"
    exported = tumorboard(home, "notes", "export", str(notes_out))
    assert exported.returncode == 0, exported.stderr
    assert [n["text"] for n in json.loads(notes_out.read_text(encoding="utf-8"))["notes"]] == ["pharmacy stocks it"]
    pdf = tmp_path / "h.pdf"
    handout = tumorboard(home, "handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                         "-o", str(pdf))
    assert handout.returncode == 0, handout.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ODD, "in.json", "out.json", "h.pdf"])


def test_the_uri_of_an_odd_path_opens_that_file_and_no_other(tmp_path: Path) -> None:
    folder = tmp_path / ODD
    folder.mkdir()
    path = folder / "x?y#z%41.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (v)")
    conn.close()
    read = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        assert read.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            read.execute("INSERT INTO t VALUES (1)")
    finally:
        read.close()
    assert [p.name for p in folder.iterdir()] == [path.name] and [p.name for p in tmp_path.iterdir()] == [ODD]


@pytest.mark.parametrize(("path", "uri"), [
    (PurePosixPath("/srv/a#b?c%d é/d.db"), "file:///srv/a%23b%3Fc%25d%20%C3%A9/d.db?mode=ro"),
    (PureWindowsPath(r"C:\Users\a#b\d é.db"), "file:///C:/Users/a%23b/d%20%C3%A9.db?mode=ro"),
    (PureWindowsPath(r"\\server\share\a?b\d.db"), "file:////server/share/a%3Fb/d.db?mode=ro"),
])
def test_posix_windows_and_unc_paths_are_escaped(path: PurePosixPath | PureWindowsPath, uri: str) -> None:
    assert sqlite_uri(path) == uri


def test_a_relative_path_is_made_absolute_and_a_bad_mode_refused(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    uri = sqlite_uri(Path("d.db"), mode="rw")
    assert uri == sqlite_uri(tmp_path / "d.db", mode="rw") and uri.startswith("file:///") and uri.endswith("?mode=rw")
    with pytest.raises(ValueError, match="mode"):
        sqlite_uri(Path("d.db"), mode="ro&vfs=x")


def test_no_sqlite_uri_is_built_by_hand() -> None:
    """Every `file:` URI comes from sqlite_uri: a path pasted into one would break on '#' or '?'."""
    offenders = [f"{p.relative_to(ROOT)}:{n}" for folder in ("db", "tumorboard", "handout", "desktop", "benchmarks")
                 for p in (ROOT / folder).rglob("*.py") if p.name != "sqlite_uri.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if "uri=True" in line and "sqlite_uri(" not in line]
    assert offenders == []
