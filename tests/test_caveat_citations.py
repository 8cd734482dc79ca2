"""Every caveat the handout lists cites where the source says it, the locator of a note as well as a figure's
own caveat (db/presentation/present.py `caveats_of`), on the shipped data, checked against the seeds' notes."""

from __future__ import annotations

import re
from pathlib import Path

from db.compare.summaries import build_comparison
from db.store import Store
from handout.document import write_handout
from tests.standard_handouts import pages


def test_a_notes_caveat_in_the_handout_cites_its_locator(store: Store, tmp_path: Path) -> None:
    c = build_comparison(store, "rair-dtc", ["sorafenib"])
    text = " ".join(pages(write_handout(store, c, tmp_path / "h.pdf")))
    # the DECISION notes: Table 1 prints 10.8 and 12.2 transposed (at: Table 1; Sorafenib), and Table 2 agrees with
    # the text on PFS (at: Table 1; Table 2; Sorafenib), both in wjco2022
    marks = [mark for mark, k in c.caveats
             if k.kind == "contradiction" and ("transposed" in k.text or "Brose" in k.text)]
    assert len(marks) == 2
    cited = [text.split(f"{mark} Sources disagree:", 1)[1].split("⚠", 1)[0] for mark in marks]
    assert re.search(r"\[\d+: Table 1; Sorafenib\]", cited[0]), cited[0]
    assert re.search(r"\[\d+: Table 1; Table 2; Sorafenib\]", cited[1]), cited[1]


def test_the_served_figures_name_the_kind_of_each_caveat(store: Store) -> None:
    """RADIANT-3's everolimus median OS carries its own caveat (caveat: Adjusted for crossover bias); the crossover
    figure a note (kind ambiguity) and its own caveat: the served `caveats` column names each kind."""
    from db.releases.serve import serving_rows

    rows = {r["figure_id"]: r["caveats"] for r in serving_rows(store, "")["figures"] if r["study_id"] == "radiant-3"}
    assert rows["radiant-3/everolimus/os_median"] == "caveat: Adjusted for crossover bias"
    crossover = rows["radiant-3/placebo/crossover"].split(" | ")
    assert [c.split(":", 1)[0] for c in crossover] == ["ambiguity", "caveat"]
