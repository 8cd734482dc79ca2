"""What changed between two dataset databases: studies added and removed, every figure changed
(by its stable figure id, old text → new text, with sources), each changed field of a study's design,
population and end points likewise (db/releases/fields.py), caveats added, and other details.

    >>> d = diff(Path("releases/previous.sqlite3"), Path("dataset.sqlite3"))   # doctest: +SKIP
    >>> d.summary()                                                             # doctest: +SKIP
    '3 studies added, 12 figures changed'

Plain dataclasses, no Qt: the command line prints them, the window lists them. Figure text is
db/presentation/present.py's ('full' style, marks included); a figure counts as changed when its text
without marks or its source changed; a new mark is a caveat added.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.dataset.record import Record
from db.releases.fields import study_fields
from db.releases.figures import FigureText, study_figures, study_notes

MARKED = ("contradiction", "ambiguity", "caveat")


@dataclass(frozen=True)
class StudyRef:
    id: str
    label: str
    phase: str
    source: str


@dataclass(frozen=True)
class FigureChange:
    figure_id: str
    study_id: str
    label: str
    old: str | None  # None: the figure is new in a study both releases hold
    new: str | None  # None: the figure was removed
    old_source: str
    new_source: str
    reading_id: str  # the new preferred reading (the old one's when removed)

    @property
    def change(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class CaveatAdded:
    study_id: str
    figure_id: str  # '' for a note on the study that marks no figure
    label: str
    kind: str  # contradiction, ambiguity or caveat
    text: str


@dataclass(frozen=True)
class DetailChange:
    kind: str  # study, drug, adverse event, grading table, source
    id: str
    fields: tuple[str, ...]  # 'added', 'removed', or the fields that changed


@dataclass(frozen=True)
class Diff:
    old_version: str
    new_version: str
    studies_added: tuple[StudyRef, ...]
    studies_removed: tuple[StudyRef, ...]
    figures_changed: tuple[FigureChange, ...]
    caveats_added: tuple[CaveatAdded, ...]
    details_changed: tuple[DetailChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.studies_added or self.studies_removed or self.figures_changed or self.caveats_added
                    or self.details_changed)

    def summary(self) -> str:
        """'3 studies added, 12 figures changed' (only what is not zero)."""
        parts = [_count(len(self.studies_added), "study", "studies", "added"),
                 _count(len(self.studies_removed), "study", "studies", "removed"),
                 _count(len(self.figures_changed), "figure", "figures", "changed"),
                 _count(len(self.caveats_added), "caveat", "caveats", "added"),
                 _count(len(self.details_changed), "other entry", "other entries", "changed")]
        return ", ".join(p for p in parts if p) or "no changes to studies, figures or caveats"


def _count(n: int, one: str, many: str, what: str) -> str:
    return f"{n} {one if n == 1 else many} {what}" if n else ""


def _open(path: Path) -> Any:
    from db.store import Store

    if not path.is_file():
        raise FileNotFoundError(f"{path} is not a dataset database")
    return Store(path)


def _fingerprint(record: Record, drop: tuple[str, ...]) -> dict[str, str]:
    return {k: json.dumps(v, sort_keys=True, default=str) for k, v in record.items() if k not in drop}


def _details(kind: str, old: list[Record], new: list[Record], drop: tuple[str, ...]) -> list[DetailChange]:
    before = {r["id"]: _fingerprint(r, drop) for r in old}
    after = {r["id"]: _fingerprint(r, drop) for r in new}
    out = [DetailChange(kind, i, ("added",)) for i in after if i not in before]
    out += [DetailChange(kind, i, ("removed",)) for i in before if i not in after]
    for i in after.keys() & before.keys():
        fields = tuple(sorted(k for k in after[i].keys() | before[i].keys() if after[i].get(k) != before[i].get(k)))
        if fields:
            out.append(DetailChange(kind, i, fields))
    return sorted(out, key=lambda d: d.id)


STUDY_DETAIL_DROP = ("ord", "arms", "comparisons", "notes", "enrolled_caveats", "evaluable_caveats", "label",
                     "design", "population", "endpoints",  # field by field, as figures (db/releases/fields.py)
                     "population_line", "population_markers",  # the population's, for the Trials table's filters
                     "enrolled", "enrolled_text", "enrolled_source", "enrolled_locator", "enrolled_scope",
                     "enrolled_reading", "evaluable", "evaluable_text", "evaluable_source", "evaluable_locator",
                     "evaluable_scope", "evaluable_reading")


def _study_details(study: Record) -> Record:
    """A study's non-figure details: its own fields and each arm's label, role and regimen."""
    out = {k: v for k, v in study.items() if k not in STUDY_DETAIL_DROP}
    out["arms"] = [{"key": a["key"], "label": a["label"], "role": a["role"],
                    "regimen": [{k: d[k] for k in ("drug_id", "dose", "route", "schedule")} for d in a["regimen"]]}
                   for a in study["arms"]]
    return out


def diff(old_db: Path, new_db: Path) -> Diff:
    """Compare two dataset databases (any two builds: releases, the previous and current dataset)."""
    old, new = _open(old_db), _open(new_db)
    try:
        old_studies = {s["id"]: s for s in old.studies()}
        new_studies = {s["id"]: s for s in new.studies()}
        details = _details("study", [_study_details(s) for s in old_studies.values()],
                           [_study_details(s) for s in new_studies.values()], ())
        details = [d for d in details if d.fields not in (("added",), ("removed",))]  # listed as studies
        details += _details("drug", old.drugs(), new.drugs(), ("ord",))
        details += _details("adverse event", old.ae_terms(), new.ae_terms(), ("ord",))
        details += _details("grading table", old.grading_systems(), new.grading_systems(), ("ord",))
        details += _details("source", old.sources(), new.sources(), ("ord",))
        versions = old.meta().get("dataset_version", "?"), new.meta().get("dataset_version", "?")
    finally:
        old.close()
        new.close()
    figures: list[FigureChange] = []
    caveats: list[CaveatAdded] = []
    for sid, study in new_studies.items():
        if sid not in old_studies:
            continue
        before = {f.figure_id: f for f in _figures(old_studies[sid])}
        after = {f.figure_id: f for f in _figures(study)}
        figures += _figure_changes(before, after)
        caveats += _caveats_added(old_studies[sid], study, before, after)
    return Diff(versions[0], versions[1],
                tuple(_ref(s) for i, s in new_studies.items() if i not in old_studies),
                tuple(_ref(s) for i, s in old_studies.items() if i not in new_studies),
                tuple(figures), tuple(caveats), tuple(details))


def _figures(study: Record) -> Iterator[FigureText]:
    """The study's figures and the fields of its design, population and end points."""
    yield from study_figures(study)
    yield from study_fields(study)


def _ref(s: Record) -> StudyRef:
    return StudyRef(s["id"], s["label"], s["phase"], ", ".join(x for x in (s["source_id"], s["locator"]) if x))


def _figure_changes(before: dict[str, FigureText], after: dict[str, FigureText]) -> list[FigureChange]:
    out = []
    for fid, f in after.items():
        old = before.get(fid)
        if old is None:
            out.append(FigureChange(fid, f.study_id, f.label, None, f.text, "", f.source, f.reading_id))
        elif (old.plain, old.source) != (f.plain, f.source):
            out.append(FigureChange(fid, f.study_id, f.label, old.text, f.text, old.source, f.source, f.reading_id))
    for fid, old in before.items():
        if fid not in after:
            out.append(FigureChange(fid, old.study_id, old.label, old.text, None, old.source, "", old.reading_id))
    return out


def _caveats_added(old_study: Record, study: Record, before: dict[str, FigureText],
                   after: dict[str, FigureText]) -> list[CaveatAdded]:
    out = []
    shown = set()
    for fid, f in after.items():
        known = set(before[fid].caveats) if fid in before else set()
        for kind, text in f.caveats:
            shown.add(text)
            if (kind, text) not in known and fid in before:
                out.append(CaveatAdded(f.study_id, fid, f.label, kind, text))
    old_notes = {(n["kind"], n["text"]) for n in study_notes(old_study)}
    for n in study_notes(study):
        if n["kind"] in MARKED and (n["kind"], n["text"]) not in old_notes and n["text"] not in shown:
            out.append(CaveatAdded(study["id"], "", study["label"], n["kind"], n["text"]))
    return out
