"""A figure the source gives in words is shown in words, never as a number it did not print.

Bauman 2022 (000_96f7441649cd1586.txt line 11): there was no objective response by RECIST in any of the three
groups; the source prints no rate. Each surface is rendered through the functions it uses itself: the Trials
rows, the study pane, the Compare cells the grid and the handout print, the JSON and CSV export and the served
dataset's figures table.
"""

from __future__ import annotations

import csv
import io
import json

from db.compare.summaries import build_comparison
from db.dataset.figures import parse_figure
from db.export import export_csv, export_json
from db.releases.serve import serving_rows
from db.store import Store
from db.trials.table import trial_rows
from desktop.study_html import study_html
from tests.source_lines import Lines, said

BAUMAN = Lines("000_96f7441649cd1586.txt", 11, 11, ("no objective response", "any of the 3 groups"))
WORDS = "none"
ARMS = ("everolimus", "pasireotide", "everolimus-pasireotide")


def test_none_is_a_word_a_source_prints() -> None:
    figure = parse_figure("none")
    assert (figure.text, figure.value, figure.qualifier) == ("none", None, "none")


def test_bauman_no_objective_response_is_said_in_words_on_every_surface(store: Store) -> None:
    said(BAUMAN)
    [row] = trial_rows(store, ["bauman-2022"])
    assert row.orr_text == " vs ".join([WORDS] * 3)

    study = store.study("bauman-2022")
    assert study is not None
    pane = study_html(study, {s["id"]: s for s in store.sources()}, {}, "test")
    assert pane.count(f"<b>{WORDS}</b>") == 3 and "<b>0%</b>" not in pane

    c = build_comparison(store, "rair-dtc", ["everolimus+pasireotide"])
    studies = [i.text for i in c.rows[c.topics.index("studies")].cells[0]]
    orr = next(t for t in studies if t.startswith("ORR"))
    assert orr.startswith(f"ORR {WORDS};") and "0%" not in orr

    out = io.StringIO()
    export_json(store, out)
    exported = next(s for s in json.loads(out.getvalue())["studies"] if s["id"] == "bauman-2022")
    shown = [(o["value"], o["display"]) for a in exported["arms"] for o in a["outcomes"] if o["measure"] == "orr"]
    assert shown == [(WORDS, WORDS)] * 3

    out = io.StringIO()
    export_csv(store, out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue()))
            if r["study_id"] == "bauman-2022" and r["measure"] == "orr"]
    assert [(r["value"], r["display"]) for r in rows] == [(WORDS, WORDS)] * 3

    served = {f["figure_id"]: f["text"] for f in serving_rows(store, "")["figures"] if f["study_id"] == "bauman-2022"}
    assert [served[f"bauman-2022/{arm}/orr"] for arm in ARMS] == [WORDS] * 3
