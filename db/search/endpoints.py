"""The end points a query may name, and the measures that report each: "sorafenib pfs" and "sorafenib
progression-free" both ask for sorafenib's studies with a PFS figure.

At build time each study document gets, in its `endpoints` column, every spelling of each end point it
reports a figure for (or names as its primary or a secondary end point), so a query finds the study by the
abbreviation or the words whichever the source printed (db/building/search_index.py).
"""

from __future__ import annotations

from collections.abc import Iterable

# end point -> its spellings: the abbreviation first, then the words
SPELLINGS: dict[str, tuple[str, ...]] = {
    "pfs": ("PFS", "progression-free survival"),
    "os": ("OS", "overall survival"),
    "orr": ("ORR", "objective response rate", "overall response", "response"),
    "dcr": ("DCR", "disease control rate"),
    "ttp": ("TTP", "time to progression"),
    "dor": ("DOR", "duration of response"),
}

# a figure's measure (db/dataset/vocab.py) or an end point's `measure` (seeds' endpoints:) -> the end point
MEASURES: dict[str, str] = {
    "pfs": "pfs", "pfs_median": "pfs", "pfs_rate": "pfs", "pfs_hr": "pfs",
    "os": "os", "os_median": "os", "os_rate": "os", "os_hr": "os",
    "orr": "orr", "cr": "orr", "pr": "orr", "orr_difference": "orr",
    "dcr": "dcr",
    "ttp": "ttp", "ttp_median": "ttp",
    "dor": "dor", "dor_median": "dor",
}


def reported(measures: Iterable[str]) -> list[str]:
    """The end points these measures report, in SPELLINGS order: ['pfs', 'orr']."""
    found = {MEASURES[m] for m in measures if m in MEASURES}
    return [e for e in SPELLINGS if e in found]


def index_words(measures: Iterable[str]) -> list[str]:
    """Every spelling of every end point the measures report, for the index's `endpoints` column."""
    return [word for e in reported(measures) for word in SPELLINGS[e]]
