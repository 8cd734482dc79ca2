"""Every figure of a dataset database by its stable id (db/dataset/readings.py), as the text db/presentation/present.py
gives it, with its source and caveats: what the release diff compares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from db.dataset.record import Record
from db.presentation import present


def no_mark(_c: present.Caveat) -> str:
    return ""


@dataclass(frozen=True)
class FigureText:
    figure_id: str  # stable across releases: 'radiant-3/everolimus/pfs_median'
    reading_id: str  # the preferred reading shown first: '...#table-4'
    study_id: str
    label: str  # 'RADIANT-3 (Yao), Everolimus 10 mg/day: Median PFS'
    text: str  # as every surface shows it, marks included
    plain: str  # the same without marks: what is compared
    source: str  # 'cmr2017, Table 4'
    caveats: tuple[tuple[str, str], ...]  # (kind, text) of every caveat on it or its other readings


def _source(source_id: str, locator: str) -> str:
    return ", ".join(x for x in (source_id, locator) if x)


def _caveats(caveats: tuple[present.Caveat, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys((c.kind, c.text) for c in caveats))


def _reading_figure(study: Record, owner: str, r: present.Reading) -> FigureText:
    label = f"{study['label']}, {owner}: {r.label}" + (f" ({r.subgroup})" if r.subgroup else "")
    return FigureText(r.figure_id, r.reading_id, study["id"], label, present.text(r, "full"),
                  present.text(r, "full", no_mark), _source(r.source_id, r.locator), _caveats(present.all_caveats(r)))


def _count_figure(study: Record, figure_id: str, label: str, record: Record, prefix: str) -> FigureText | None:
    c = present.count(record, prefix)
    if c is None:
        return None
    reading_id = str(record.get(f"{prefix}_reading") or figure_id)
    return FigureText(figure_id, reading_id, study["id"], f"{study['label']}: {label}", present.count_text(c),
                  present.count_text(c, no_mark), _source(c.source_id, c.locator), _caveats(c.caveats))


def study_figures(study: Record) -> Iterator[FigureText]:
    """The figures of one study record (db/store.py `Store.studies`), preferred readings only
    (the others are in each figure's 'full' text)."""
    for key in ("enrolled", "evaluable"):
        if (f := _count_figure(study, f"{study['id']}/{key}", key, study, key)) is not None:
            yield f
    for arm in study["arms"]:
        if (f := _count_figure(study, f"{study['id']}/{arm['key']}/n", f"{arm['label']}: n", arm, "n")) is not None:
            yield f
        for o in arm["outcomes"]:
            if o["preferred"]:
                yield _reading_figure(study, arm["label"], present.reading(o))
        for ae in arm["adverse_events"]:
            if not ae["preferred"]:
                continue
            others = ae.get("alternatives") or ()
            caveats = [*present.caveats_of(ae), *(c for a in others for c in present.caveats_of(a))]
            yield FigureText(ae["figure_id"], ae["reading_id"], study["id"],
                         f"{study['label']}, {arm['label']}: {ae['canonical_name']}", present.ae_text(ae),
                         present.ae_text(ae, no_mark), _source(ae.get("source_id") or "", ae.get("locator") or ""),
                         _caveats(tuple(caveats)))
    labels = {a["key"]: a["label"] for a in study["arms"]}
    for comp in study["comparisons"]:
        if comp["preferred"]:
            owner = present.versus(labels.get(comp["arm"], comp["arm"]), labels.get(comp["vs"], comp["vs"]))
            yield _reading_figure(study, owner, present.reading(comp))


def study_notes(study: Record) -> Iterator[Record]:
    """The study's and its arms' notes."""
    yield from study["notes"]
    for arm in study["arms"]:
        yield from arm["notes"]
