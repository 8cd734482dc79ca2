"""`tumorboard serve`: Datasette over the installed dataset, queried over HTTP on this machine."""

from __future__ import annotations

import getpass
import json
import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from db.presentation import present
from tests.conftest import ROOT

datasette = pytest.importorskip("datasette", reason="the serve extra is not installed (pip install '.[serve]')")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def _status(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


USER = "jane.roe-oncology"  # a user name, recognisable in any text the server might leak


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    """The data folder under a home folder named after a user, as on a clinic machine."""
    folder = tmp_path / "Users" / USER / ".tumorboard"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def server(data_folder: Path, tmp_path: Path) -> Any:
    config = tmp_path / "tumorboard.ini"
    config.write_text("[serve]\nlicence = For use within the department\n", encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "TUMORBOARD_HOME": str(data_folder), "TUMORBOARD_CONFIG": str(config),
           "HOME": str(data_folder.parent), "USER": USER, "LOGNAME": USER}
    env.pop("TUMORBOARD_RELEASES", None)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "tumorboard", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(f"{base}/-/metadata.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


def test_serve_answers_a_drug_query_with_the_desktop_figure_text_and_refuses_sql_and_writes(
        server: str, store: Any) -> None:
    rows = _get(f"{server}/tumorboard/drug_studies.json?drug=Everolimus&_shape=array")
    by_study = {r["study"]: r for r in rows}
    radiant = store.study("radiant-3")
    arm = next(a for a in radiant["arms"] if a["key"] == "everolimus")
    pfs = present.text(present.reading(present.main(arm["outcomes"], "pfs_median")), "cell")
    hr = present.text(present.reading(present.main(radiant["comparisons"], "pfs_hr")), "cell")
    assert by_study["RADIANT-3 (Yao)"]["median_pfs"] == pfs == "11.4 months"
    assert by_study["RADIANT-3 (Yao)"]["pfs_hr"] == f"{hr} vs Placebo"
    assert by_study["RADIANT-2 (Pavel)"]["pfs_hr"].startswith("0.77†")  # the caveat mark, as in the window
    assert [r["study"] for r in rows][:3] == ["RADIANT-2 (Pavel)", "RADIANT-3 (Yao)", "RADIANT-4 (Yao)"]
    assert _get(f"{server}/tumorboard/drug_studies.json?drug=afinitor&_shape=array") == rows  # a brand name
    ae = _get(f"{server}/tumorboard/adverse_event.json?ae=stomatitis&_shape=array")
    assert any(r["study"] == "RADIANT-3 (Yao)" and r["any_grade"] == "64%" for r in ae)
    disease = _get(f"{server}/tumorboard/disease_studies.json?disease=pnet&_shape=array")
    assert disease[0]["design"] == "randomised phase 3"
    meta = _get(f"{server}/-/metadata.json")
    assert "not a treatment recommendation" in meta["description"] and meta["license"] == "For use within the " \
        "department"
    assert "Dataset 2026.12.1" in meta["description"]
    assert _status(f"{server}/tumorboard.json?sql=select+1") == 403  # arbitrary SQL is off
    assert _status(f"{server}/tumorboard/figures", "POST") >= 400
    assert _status(f"{server}/tumorboard.db") == 403  # no download either
    figures = _get(f"{server}/tumorboard/figures.json?figure_id=radiant-3/everolimus/pfs_median&_shape=array")
    assert [f["text"] for f in figures] == ["11.4 months"]


def test_the_served_description_says_which_wording_its_figures_are_in(store: Any) -> None:
    """The figures' text is db.presentation's (present.VERSION, stored at build): the description names it, so a
    reader can tell text of another wording apart."""
    from db.releases.serve import metadata, serving_rows

    about = {r["key"]: str(r["value"]) for r in serving_rows(store, "")["about"]}
    description = metadata(about, 5, "", "", "tumorboard")["description"]
    assert re.search(r"\(released [^;]+; schema \d+, wording [^\s)]+\)", description), description


def test_an_empty_high_grade_cell_names_the_band_of_its_source_column(server: str) -> None:
    """SELECT's row of the thyroid review's Table 1 (003 lines 131-134: the column is headed 'Serious AEs (grade
    ≥ 3)') gives decreased appetite no high-grade figure; RADIANT-2's row of the NET review's Table 5 (002 line 644:
    'Grades 3–4 (%)') gives pneumonitis a dash. Each empty cell is named by its own column's band."""
    appetite = _get(f"{server}/tumorboard/adverse_event.json?ae=decreased+appetite&_shape=array")
    select = next(r for r in appetite if r["study"].startswith("SELECT"))
    assert (select["any_grade"], select["high_grade"]) == ("50%", "grade ≥3: not reported")
    radiant = next(r for r in appetite if r["study"].startswith("RADIANT-2"))
    assert radiant["high_grade"] == "grade 3–4: 0%"
    pneumonitis = _get(f"{server}/tumorboard/adverse_event.json?ae=pneumonitis&_shape=array")
    radiant = next(r for r in pneumonitis if r["study"].startswith("RADIANT-2"))
    assert radiant["high_grade"].startswith("grade 3–4: not reported")


INSTANCE_PAGES = ("versions", "databases", "plugins", "settings", "metadata", "threads", "actor", "config")


def _body(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_the_instance_pages_show_no_folder_user_name_or_version(server: str, data_folder: Path) -> None:
    """Datasette's /-/ pages name the served file's absolute path, the Python, SQLite and Datasette versions and
    (in /-/threads) where Python is installed; `tumorboard serve` shows none of them, as HTML or as .json."""
    secrets = {str(data_folder), str(data_folder.parent), USER}
    real_home, real_user = str(Path.home()), getpass.getuser()
    secrets |= {s for s in (real_home, f"/{real_user}/", f"/{real_user}\"") if len(s) > 2}
    secrets |= {datasette.__version__, platform.python_version(), sqlite3.sqlite_version}  # the server's own
    pages = {}
    for page in INSTANCE_PAGES:
        for suffix in ("", ".json"):
            status, body = _body(f"{server}/-/{page}{suffix}")
            pages[f"{page}{suffix}"] = status
            assert not [s for s in secrets if s in body], (page + suffix, body[:2000])
    assert pages["versions"] == pages["versions.json"] == 404
    assert all(status == 200 for page, status in pages.items() if not page.startswith("versions")), pages
    databases = _get(f"{server}/-/databases.json")
    assert [d["name"] for d in databases] == ["tumorboard"] and all("path" not in d for d in databases)
    status, html = _body(f"{server}/-/databases")
    assert status == 200 and "tumorboard" in html and '"path"' not in html
