"""A study's design, population and end points, field by field, in the release diff's figure form
(db/releases/figures.py): a changed line, prior class or primary result is listed like a changed
figure, old text → new text with its sources; an item's note is its caveat (⚠, as on a figure).

Ids: 'radiant-3/design/allocation', 'radiant-3/population/line', 'radiant-3/endpoints/primary',
'vemurafenib-ptc-phase2/mki-naive/population/prior' (a cohort's or stratum's own population).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from db.dataset.record import Record
from db.presentation.population_text import (
    DESIGN_FIELDS,
    ENDPOINT_FIELDS,
    POPULATION_FIELDS,
    entry_notes,
    entry_source,
    entry_text,
)
from db.releases.figures import FigureText

LABELS = {"group_kind": "group kind", "sstr": "SSTR", "os": "OS"}


def _field(study: Record, figure_id: str, owner: str, key: str, entry: Any, source: str) -> FigureText:
    text = entry_text(key, entry)
    notes = tuple(("ambiguity", n) for n in entry_notes(entry))
    label = f"{study['label']}{owner}: {LABELS.get(key, key.replace('_', ' '))}"
    return FigureText(figure_id, figure_id, study["id"], label, text + (" ⚠" if notes else ""), text, source, notes)


def _object(study: Record, prefix: str, owner: str, obj: Record | None, keys: tuple[str, ...]) -> Iterator[FigureText]:
    for key in keys:
        if obj is not None and obj.get(key) is not None:
            yield _field(study, f"{prefix}/{key}", owner, key, obj[key], entry_source(obj[key]))


def study_fields(study: Record) -> Iterator[FigureText]:
    """The fields of one study record (db/store.py `Store.studies`) that the seeds state."""
    sid = study["id"]
    design = study.get("design")
    if design is not None:
        cited = ", ".join(x for x in (design.get("source"), design.get("at")) if x)
        for key in (*DESIGN_FIELDS, "note"):
            if design.get(key) is not None:
                yield _field(study, f"{sid}/design/{key}", ", design", key, design[key], cited)
    yield from _object(study, f"{sid}/population", ", population", study.get("population"), POPULATION_FIELDS)
    yield from _object(study, f"{sid}/endpoints", ", end points", study.get("endpoints"), ENDPOINT_FIELDS)
    for arm in study["arms"]:
        yield from _object(study, f"{sid}/{arm['key']}/population", f", {arm['label']}: population",
                           arm.get("population"), POPULATION_FIELDS)
