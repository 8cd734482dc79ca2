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
