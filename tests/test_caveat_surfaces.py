"""Every contradiction and ambiguity note, every figure it marks, every surface that shows that figure.

Each surface is rendered through the functions it uses itself (the Trials rows and model,
the study pane, the Compare cells and charts that the grid and the handout print, the
Toxicity rows, the search snippets written at build time, the CSV export). A figure that
appears without its mark, or with a non-preferred reading first, fails here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from db.compare.summaries import build_comparison
from db.export import export_csv
from db.presentation import present
from db.store import Store
from db.toxicity.table import toxicity_rows
from db.trials.table import trial_rows
from desktop.study_html import study_html

Record = dict[str, Any]
SHOWN_MEASURES = ("pfs_median", "orr")  # the measures Trials, Compare and the PFS chart pick per arm


@dataclass(frozen=True)
class Marked:
    study: Record
    note: Record
    record: Record  # the outcome, comparison or adverse-event record the note marks
    arm: Record | None
    kind: str  # outcome, comparison, adverse_event


def _marked(store: Store) -> Iterator[Marked]:
    for s in store.studies():
        for c in s["comparisons"]:
            for n in c["caveats"]:
                yield Marked(s, n, c, None, "comparison")
        for a in s["arms"]:
            for o in a["outcomes"]:
                for n in o["caveats"]:
                    yield Marked(s, n, o, a, "outcome")
            for ae in a["adverse_events"]:
                for n in ae["caveats"]:
                    yield Marked(s, n, ae, a, "adverse_event")


@pytest.fixture(scope="module")
def marked(built_db) -> list[Marked]:  # type: ignore[no-untyped-def]
    s = Store(built_db)
    found = list(_marked(s))
    s.close()
    return found


def _is_shown(m: Marked) -> bool:
    """Whether the record is the one an arm-level surface picks: the preferred whole-arm reading."""
    r = m.record
    if m.kind == "outcome":
        return r["measure"] in SHOWN_MEASURES and present.main(m.arm["outcomes"], r["measure"]) is r  # type: ignore[index]
    if m.kind == "comparison":
        return r["measure"] == "pfs_hr" and r["preferred"] and not r["subgroup"]
    return bool(r["preferred"])


def test_every_contradiction_and_ambiguity_note_marks_a_figure_or_says_it_concerns_none(store) -> None:  # type: ignore[no-untyped-def]
    marked_notes = {m.note["note_id"] for m in _marked(store)}
    for s in store.studies():
        marked_notes |= {n["note_id"] for key in ("enrolled", "evaluable") for n in s[f"{key}_caveats"]}
        marked_notes |= {n["note_id"] for a in s["arms"] for n in a["n_caveats"]}
        marked_notes |= {n["note_id"] for a in s["arms"] for n in a["regimen_caveats"]}  # drugs or doses
    linked = {r[0] for r in store.conn.execute("SELECT DISTINCT note_id FROM note_figures")}
    assert marked_notes == linked
    kinds = dict(store.conn.execute("SELECT kind, COUNT(*) FROM notes WHERE id IN "
                                    "(SELECT note_id FROM note_figures) GROUP BY kind").fetchall())
    assert kinds.get("contradiction", 0) >= 20 and kinds.get("ambiguity", 0) >= 30


def test_the_trials_table_shows_every_marked_figure_with_its_mark(store, marked) -> None:  # type: ignore[no-untyped-def]
    from desktop.trials_model import HR, ORR, PFS, _cell, _display

    rows = {r.id: r for r in trial_rows(store)}
    checked = 0
    for m in marked:
        if not _is_shown(m) or m.kind == "adverse_event":
            continue
        row = rows[m.study["id"]]
        figures = {"pfs_median": row.pfs, "orr": row.orr, "pfs_hr": row.hr}[m.record["measure"]]
        column = {"pfs_median": PFS, "orr": ORR, "pfs_hr": HR}[m.record["measure"]]
        shown = next(f for f in figures if f.reading.reading_id == m.record["reading_id"])
        assert present.ALERT in shown.text, (m.study["id"], shown.text)
        assert shown.text in _display(row, column) and _cell(row, column).startswith(present.ALERT)
        checked += 1
    assert checked >= 10


def test_the_study_pane_shows_each_reading_with_its_marks_and_the_preferred_first(store, marked) -> None:  # type: ignore[no-untyped-def]
    sources = {s["id"]: s for s in store.sources()}
    pages: dict[str, str] = {}
    for m in marked:
        sid = m.study["id"]
        page = pages.setdefault(sid, study_html(m.study, sources, {}, "test"))
        if m.kind == "adverse_event":
            continue
        r = present.reading(m.record, with_alternatives=False)
        expected = present.text(r, "line").replace("<", "&lt;").replace(">", "&gt;")
        assert expected in page, (sid, expected)
        assert present.ALERT in expected
        if m.record["alternatives"]:
            where = page.index(expected)
            for alt in m.record["alternatives"]:
                other = present.text(present.reading(alt, False), "line").replace("<", "&lt;").replace(">", "&gt;")
                assert other in page[where:], (sid, "the other reading must come after the preferred one")


def test_compare_cells_and_charts_keep_the_mark_of_every_marked_figure(store, marked) -> None:  # type: ignore[no-untyped-def]
    checked = drawn = 0
    done: set[tuple[str, str]] = set()
    for m in marked:
        if not _is_shown(m) or m.kind == "adverse_event":
            continue
        arm = m.arm or next(a for a in m.study["arms"] if a["key"] == m.record["arm"])
        key = (m.study["diseases"][0], arm["regimen_key"])
        if arm["regimen_key"] == "placebo" or key in done:
            continue
        done.add(key)
        c = build_comparison(store, key[0], [key[1]])
        col = c.columns[0]
        if m.study["id"] not in col.study_ids[:3]:
            continue
        marker = _marker(c)
        studies = "\n".join(i.text for i in c.rows[c.topics.index("studies")].cells[0])
        r = present.reading(m.record)
        if m.kind == "comparison":
            expected = present.text(r, "line", marker)
        else:
            expected = present.text(r, "value", marker)
        assert expected in studies, (m.study["id"], expected, studies)
        assert present.ALERT in expected
        marks_shown = {mark for mark, _ in c.caveats}
        for mark in marks_shown:
            assert mark in studies or any(mark in b.text for b in c.pfs_bars + c.ae_bars) or \
                any(mark in i.text for row in (*c.summary, *c.rows) for cell in row.cells for i in cell)
        if m.record["measure"] == "pfs_median" and m.study["id"] == col.study_ids[0]:  # page 1 draws the lead
            bar = [b for b in c.pfs_bars if b.text == expected]
            assert bar, (m.study["id"], expected, [b.text for b in c.pfs_bars])
            drawn += 1
        checked += 1
    assert checked >= 5 and drawn >= 1


def _marker(c):  # type: ignore[no-untyped-def]
    return lambda cav: f"{cav.symbol}{c.numbers[cav.key]}"


def test_the_list_under_the_compare_grid_explains_each_numbered_mark_with_its_own_figures_caveat(store) -> None:  # type: ignore[no-untyped-def]
    """radiant-3.yaml gives both OS medians a caveat of their own and the OS hazard ratio another: page 1 marks
    each figure with its own number ('44.0 months†1 vs 37.7 months†2', '0.94 (p=0.3)†7'), and the list under the
    grid (and on the handout) gives each number once, with the text of the caveat of the figure it marks."""
    c = build_comparison(store, "pnet", ["everolimus", "sunitinib"])
    listed: dict[str, str] = {}
    for mark, caveat in c.caveats:
        assert mark not in listed, (mark, caveat.text, listed)
        listed[mark] = caveat.text
    checked = 0
    for row in (*c.summary, *c.rows):
        for items in row.cells:
            for item in items:
                shown = set(re.findall(r"[⚠†]\d+", item.text))
                assert {listed[m] for m in shown} == {cav.text for cav in item.caveats}, item.text
                checked += len(item.caveats)
    os_cell = c.summary_text("os", 0)
    assert len(set(re.findall(r"†\d+", os_cell))) == 3, os_cell  # two medians and the hazard ratio
    assert checked >= 5


def test_toxicity_rows_keep_the_mark_of_every_marked_adverse_event(store, marked) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for m in marked:
        if m.kind != "adverse_event":
            continue
        rows = toxicity_rows(store, [m.arm["regimen_key"]])  # type: ignore[index]
        row = next(r for r in rows if r.reading_id == m.record["reading_id"])
        for fig, shown in ((row.all_grade, row.all_text), (row.high_grade, row.high_text)):
            if fig is not None:
                assert present.ALERT in shown, (m.study["id"], shown)
        checked += 1
    assert checked >= 10


def test_search_snippets_keep_the_marks(store, marked) -> None:  # type: ignore[no-untyped-def]
    snippets = dict(store.conn.execute("SELECT ref, snippet FROM search_docs").fetchall())
    checked = 0
    for m in marked:
        if not _is_shown(m):
            continue
        if m.kind == "adverse_event":
            ref = f"{m.study['id']}/{m.arm['key']}/{m.record['ae_id']}"  # type: ignore[index]
            assert present.ALERT in snippets[ref], (ref, snippets[ref])
            checked += 1
        elif m.record["measure"] in ("pfs_median", "pfs_hr"):
            expected = present.text(present.reading(m.record), "value" if m.kind == "outcome" else "cell")
            assert expected in snippets[m.study["id"]], (m.study["id"], expected, snippets[m.study["id"]])
            checked += 1
    assert checked >= 10


def test_the_csv_export_carries_marks_and_caveat_text(store, marked) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    export_csv(store, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    by_reading: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_reading.setdefault(row["reading_id"], []).append(row)
    for m in marked:
        for row in by_reading[m.record["reading_id"]]:
            assert present.ALERT in row["marks"] and m.note["text"][:40] in row["caveats"], row
            assert present.ALERT in row["display"]
