"""Figure ids, readings and the caveats that point at them, worked out once from a Study.

A *figure* is one thing a study reports: an arm's median PFS, a hazard ratio between two
arms, an arm's rate of one adverse event, a count. Its id is stable across releases
because it is made of names, never of positions or values:

    decision/sorafenib/pfs_median             an arm's outcome
    radiant-3/everolimus-vs-placebo/pfs_hr    a comparison
    select/lenvatinib/pfs_rate@6-months       with a time point
    keynote-028/pembrolizumab/sd~follicular-histology-4-7   with a subgroup
    decision/sorafenib/ae/ppe                 an adverse event
    decision/sorafenib/n, decision/enrolled   counts

A figure has one or more *readings* (the same figure printed in a table and in the text,
or in two tables); each reading's id adds the slug of its locator (or its `reading:`
name): `decision/sorafenib/pfs_median#table-1`. Where there are several, exactly one says
why it is `preferred`; the rest are kept as alternatives.

Notes name the figures they concern in `figures:`, relative to the study
(`sorafenib/pfs_median`, `sorafenib/pfs_median#table-1`, `enrolled`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from db.dataset.model import AdverseEvent, Loc, Note, Outcome, Sourced, Study

MARKED_NOTE_KINDS = ("contradiction", "ambiguity")

Item = Outcome | AdverseEvent | Sourced


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def outcome_figure_id(study_id: str, out: Outcome, arm_key: str | None) -> str:
    owner = f"{out.arm}-vs-{out.vs}" if out.vs else arm_key
    fid = f"{study_id}/{owner}/{out.measure}"
    if out.timepoint:
        fid += f"@{slug(out.timepoint)}"
    if out.subgroup:
        fid += f"~{slug(out.subgroup)}"
    return fid


@dataclass
class SeedReading:
    """One printed reading of a figure, as the seeds give it."""

    figure_id: str
    reading_id: str
    item: Item
    loc: Loc
    preferred: bool = False
    why: str = ""
    caveats: list[Note] = field(default_factory=list)  # notes that mark this reading


@dataclass
class StudyReadings:
    study: Study
    readings: list[SeedReading] = field(default_factory=list)
    errors: list[tuple[Loc, str]] = field(default_factory=list)
    warnings: list[tuple[Loc, str]] = field(default_factory=list)
    regimen_notes: dict[str, list[Note]] = field(default_factory=dict)  # '<study>/<arm>/regimen' -> notes

    def by_item(self) -> dict[int, SeedReading]:
        return {id(r.item): r for r in self.readings}


def _reading_name(item: Outcome | AdverseEvent | Sourced) -> str:
    explicit = getattr(item, "reading", None)
    return explicit or slug(item.cite.at)


def study_readings(study: Study) -> StudyReadings:
    """Every figure of the study with its ids, preference and caveat notes; problems as errors."""
    sr = StudyReadings(study)
    groups: dict[str, list[SeedReading]] = defaultdict(list)

    def add(fid: str, item: Item, loc: Loc, why: str | None) -> None:
        groups[fid].append(SeedReading(fid, "", item, loc, why=why or ""))

    for key, count in (("enrolled", study.enrolled), ("evaluable", study.evaluable)):
        if count:
            add(f"{study.id}/{key}", count, count.loc, None)
    for arm in study.arms:
        if arm.n:
            add(f"{study.id}/{arm.key}/n", arm.n, arm.n.loc, None)
        for out in arm.outcomes:
            add(outcome_figure_id(study.id, out, arm.key), out, out.loc, out.preferred)
        for ae in arm.adverse_events:
            add(f"{study.id}/{arm.key}/ae/{ae.ae}", ae, ae.loc, ae.preferred)
    for comp in study.comparisons:
        add(outcome_figure_id(study.id, comp, None), comp, comp.loc, comp.preferred)

    for fid, readings in groups.items():
        seen: dict[str, SeedReading] = {}
        for r in readings:
            r.reading_id = f"{fid}#{_reading_name(r.item)}"
            if r.reading_id in seen:
                sr.errors.append((r.loc, f"two readings of {fid} share the locator '{r.item.cite.at}': "
                                         "give one a 'reading:' name"))
            seen[r.reading_id] = r
        chosen = [r for r in readings if r.why]
        if len(readings) == 1:
            readings[0].preferred = True
            if chosen:
                sr.errors.append((readings[0].loc, f"'preferred' on {fid}, which has a single reading"))
        elif len(chosen) != 1:
            where = ", ".join(str(r.loc.line) for r in readings)
            sr.errors.append((readings[0].loc, f"{fid} has {len(readings)} readings (lines {where}): mark exactly "
                                               "one with 'preferred:' saying why it is shown first"))
            readings[0].preferred = True
        else:
            chosen[0].preferred = True
        sr.readings += readings

    by_figure: dict[str, list[SeedReading]] = defaultdict(list)
    by_reading: dict[str, SeedReading] = {}
    for r in sr.readings:
        by_figure[r.figure_id].append(r)
        by_reading[r.reading_id] = r
    notes = [*study.notes, *(n for arm in study.arms for n in arm.notes)]
    regimens = {f"{study.id}/{arm.key}/regimen" for arm in study.arms}
    for note in notes:
        for ref in note.figures or []:
            full = f"{study.id}/{ref}"
            if full in regimens:  # a note on an arm's drugs or doses (`<arm>/regimen`): marks the regimen
                sr.regimen_notes.setdefault(full, []).append(note)
                continue
            targets = [by_reading[full]] if full in by_reading else by_figure.get(full, [])
            if not targets:
                known = ", ".join(sorted({r.figure_id.removeprefix(study.id + '/') for r in sr.readings})[:12])
                sr.errors.append((Loc(note.loc.file, note.figures_line or note.loc.line),
                                  f"note names figure '{ref}', which study {study.id} does not have "
                                  f"(some it has: {known})"))
            for r in targets:
                r.caveats.append(note)
    _check_counts(sr)
    return sr


def _check_counts(sr: StudyReadings) -> None:
    """Warn where a percentage and its count cannot come from the stated denominator."""
    study = sr.study
    explained = {id(r.item) for r in sr.readings if r.caveats}
    for arm in study.arms:
        for out in arm.outcomes:
            if out.count is None or out.count.value is None or out.value.value is None or id(out) in explained:
                continue
            if out.caveat:
                continue
            denominator = out.of or arm.n
            if denominator is None and len(study.arms) == 1:
                denominator = study.evaluable or study.enrolled
            if denominator is None or not denominator.figure.value:
                continue
            if not fits(out.count.value, denominator.figure.value, out.value.text):
                sr.warnings.append((out.loc, f"{out.measure} {out.value.text}% with count {out.count.text} does not "
                                             f"fit n={denominator.figure.text}: explain it in a note or caveat"))


def fits(count: float, total: float, printed: str) -> bool:
    """Whether count/total, rounded to the printed precision, can print as `printed` (a percentage)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    share = 100.0 * count / total
    try:
        value = float(printed.lstrip("<>≤≥~"))
    except ValueError:
        return True
    half: float = 0.5 * 10.0 ** -decimals + 1e-9
    return abs(share - value) <= half
