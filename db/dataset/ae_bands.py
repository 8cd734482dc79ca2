"""The band of an empty high-grade cell: the one its source's column names.

An adverse event gives `grade_3_4` or `grade_3_plus` as the source heads its high-grade column.
Where that cell is empty the event gives neither, yet the column still has a heading: the band
of the high-grade figures cited to the same source and locator (the same table). SELECT's
decreased appetite in Table 1 of the thyroid review has no figure under "Serious AEs (grade
≥ 3)", so it is "grade ≥3: not reported", not "grade 3–4: not reported". Where those figures
disagree, or there are none, the event keeps the default band (grade 3–4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from db.dataset.model import Study


def fill_column_bands(studies: Iterable[Study]) -> None:
    """Give each adverse event without a high-grade figure the band of its table's column."""
    events = [ae for s in studies for arm in s.arms for ae in arm.adverse_events]
    bands: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ae in events:
        if ae.high_grade is not None:
            bands[(ae.cite.source, ae.cite.at)].add(ae.high_band)
    for ae in events:
        column = bands.get((ae.cite.source, ae.cite.at), set())
        if ae.high_grade is None and len(column) == 1:
            ae.high_band = next(iter(column))
