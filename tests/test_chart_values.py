"""A chart's bar is as long as the printed number and a median not reached draws none: the PFS bars of Compare
and the handout (db/presentation/present.py `Reading.is_number`), on the shipped data, checked against the seeds."""

from __future__ import annotations

from db.compare.summaries import build_comparison
from db.store import Store


def test_a_printed_median_gives_its_bar_its_length_and_not_reached_gives_none(store: Store) -> None:
    c = build_comparison(store, "midgut-net", ["lutetium-dotatate"])
    bars = {b.label: (b.text, b.value) for b in c.pfs_bars if b.group.startswith("NETTER-1")}
    # strosberg-lutetium-dotatate.yaml: pfs_median NR (177Lu-Dotatate), "8.4" months (octreotide LAR 60 mg)
    assert bars == {"177Lu-Dotatate": ("NR (not reached)", None), "Octreotide LAR 60 mg": ("8.4 months", 8.4)}
