"""Page 1 of the handout: the numbers of each therapy's lead study, one short line each.

Each therapy's lead study is the first in the evidence order (db/presentation/evidence.py) among its
studies in the setting. Its figures come through db/presentation/present.py with their marks: median
PFS against the control arm, the hazard ratio with its interval's level and p, the
response rate as printed (or the CR and PR figures where no ORR is printed: never added
up here), overall survival or "OS not reported", the most frequent high-grade adverse
events under the band their source's column names, discontinuation for adverse events
and the approvals stated for this setting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from db.compare.cells import (
    TherapyData,
    approvals,
    dose_text,
    figure,
    local_cell,
    regimen_caveats,
    study_head,
    versus,
)
from db.compare.model import ENTRY, HEAD, NOTE, SETTING, Item
from db.dataset.record import ArmRecord, Row, StudyRecord
from db.presentation.identifiers import short_name
from db.presentation.present import Reading, main, shorten, text
from db.presentation.who import os_statement, primary_text, who, who_text
from db.toxicity.table import ToxRow, event_labels

MAX_EVENTS = 4

SUMMARY_TOPICS: tuple[tuple[str, str], ...] = (
    ("lead", "Lead study"),
    ("who", "Patients; primary end point"),
    ("class", "Class; dose"),
    ("pfs", "Median PFS (vs control)"),
    ("hr", "HR for PFS"),
    ("response", "Response"),
    ("os", "Overall survival"),
    ("ae_high", "Grade ≥3 AEs; stopped for AEs"),
    ("approvals", "Approvals here"),
)


def _lead(t: TherapyData) -> tuple[StudyRecord, ArmRecord] | None:
    return t.lead()


def _cite(o: Row) -> tuple[str, str]:
    return o["source_id"], o["locator"]


def lead_cell(t: TherapyData, setting_note: str) -> list[Item]:
    found = _lead(t)
    if found is None:
        items = [Item("no study in this dataset tests it", kind=NOTE)]
        if t.control_only:
            items.append(Item(f"control arm only in: {', '.join(t.control_only)}", kind=NOTE))
        return items
    items = [dataclasses.replace(study_head(t, found[0]), kind="")]
    if setting_note:
        items.append(Item(setting_note, kind=SETTING))
    return items


def who_cell(t: TherapyData) -> list[Item]:
    """Whom the lead study (or the cohort or stratum whose figures page 1 shows) treated, and whether its
    primary end point was met (db/presentation/who.py)."""
    found = _lead(t)
    if found is None:
        return [Item("no study in this dataset tests it", kind=NOTE)]
    s, arm = found
    items = []
    if arm["role"] in ("cohort", "stratum") or len(t.arms(s)) > 1:
        items.append(Item(f"figures from: {arm['label']}", kind=HEAD))
    said = who(s, arm, t.names)
    cite = next(((x.source_id, x.locator) for x in said if x.source_id), (None, ""))
    primary = (s.get("endpoints") or {}).get("primary")
    stated = isinstance(primary, dict)
    whom = who_text(s, arm, t.names) + ("" if stated else "; primary end point not stated")
    items.append(Item(whom, cite[0], cite[1], kind="" if cite[0] else NOTE))
    if isinstance(primary, dict):
        items.append(Item(primary_text(s, short=True), primary.get("source") or s["source_id"],
                          primary.get("at") or ""))
    return items


def class_cell(t: TherapyData) -> list[Item]:
    items = [Item(t.named(d, d["class"]), kind=ENTRY) for d in t.drugs]  # targets: in the detail
    found = _lead(t)
    if found:
        s, arm = found
        items.append(Item(f"{short_name(s)}: {dose_text(arm, t.marker)}", *_cite(s), caveats=regimen_caveats(arm)))
    return items


def _versus(t: TherapyData, measure: str, name: str) -> list[Item]:
    found = _lead(t)
    return versus(t, *found, measure, name) if found else []


def pfs_cell(t: TherapyData) -> list[Item]:
    items = _versus(t, "pfs_median", "")
    if items:
        return items
    found = _lead(t)
    rates = [o for o in found[1]["outcomes"] if o["measure"] == "pfs_rate" and not o["subgroup"]
             and o["preferred"]] if found else []
    for o in rates[:2]:  # a trial whose end point is a PFS rate (LUNA)
        shown, r = figure(o, t.marker)
        items.append(Item(f"progression-free {shown} (no median printed)", *_cite(o), caveats=r.caveats))
    return items or [Item("median PFS not reported", kind=NOTE)]


def _comparisons(t: TherapyData, measure: str) -> list[Item]:
    found = _lead(t)
    if found is None:
        return []
    s, arm = found
    labels = {a["key"]: a["label"] for a in s["arms"]}
    items = []
    for c in s["comparisons"]:
        if c["measure"] == measure and c["arm"] == arm["key"] and not c["subgroup"] and c["preferred"]:
            shown, r = figure(c, t.marker, "line", labels[c["vs"]])
            items.append(Item(shown, *_cite(c), caveats=r.caveats))
    return items


def hr_cell(t: TherapyData) -> list[Item]:
    return _comparisons(t, "pfs_hr") or [Item("HR not reported", kind=NOTE)]


def response_cell(t: TherapyData) -> list[Item]:
    found = _lead(t)
    if found is None:
        return [Item("not reported", kind=NOTE)]
    _s, arm = found
    orr = main(arm["outcomes"], "orr")
    if orr is not None:
        shown, r = figure(orr, t.marker)
        return [Item(f"ORR {shown}", *_cite(orr), caveats=r.caveats)]
    parts = [(name, o) for name, m in (("CR", "cr"), ("PR", "pr")) if (o := main(arm["outcomes"], m))]
    if not parts:
        return [Item("response rate not reported", kind=NOTE)]
    items = [Item(f"{name} {figure(o, t.marker)[0]}", *_cite(o), caveats=figure(o, t.marker)[1].caveats)
             for name, o in parts]
    return [*items, Item("no ORR printed; not added up", kind=NOTE)]


def os_cell(t: TherapyData) -> list[Item]:
    """The OS figures; where there are none, what the source says of OS in words (DECISION: no gain, most
    controls crossed over); "OS not reported" only where it says nothing."""
    items = _versus(t, "os_median", "median") + _comparisons(t, "os_hr")
    found = _lead(t)
    statement = os_statement(found[0]) if found and not items else None
    if statement is not None:
        return [Item(f"OS: {shorten(statement.text)}", statement.source_id, statement.locator)]  # whole: detail
    return items or [Item("OS not reported", kind=NOTE)]


def _high(r: ToxRow) -> Reading | None:
    return r.high_grade if r.preferred else None


def ae_high_cell(t: TherapyData) -> list[Item]:
    found = _lead(t)
    if found is None:
        return [Item("not reported", kind=NOTE)]
    s, arm = found
    rows = [r for r in t.tox if r.study_id == s["id"] and r.arm_key == arm["key"] and (h := _high(r)) is not None
            and h.value is not None and h.value > 0]
    if not rows:
        return [Item("grade ≥3 events not reported in the lead study", kind=NOTE), *stop_cell(t)]
    top = sorted(rows, key=lambda r: -(r.high_grade.value or 0.0))[:MAX_EVENTS]  # type: ignore[union-attr]
    by_band: dict[str, list[ToxRow]] = {}
    for r in top:
        by_band.setdefault(r.band_text, []).append(r)
    items = []
    for band, rows_ in by_band.items():
        texts = [f"{label} {text(r.high_grade, 'value', t.marker)}"
                 for label, r in zip(event_labels(rows_), rows_, strict=True) if r.high_grade]
        caveats = tuple(c for r in rows_ if r.high_grade for c in r.high_grade.caveats)
        items.append(Item(f"grade {band}: {', '.join(texts)}", rows_[0].source_id, rows_[0].locator,
                          caveats=caveats))
    return items + stop_cell(t)


def stop_cell(t: TherapyData) -> list[Item]:
    found = _lead(t)
    o = main(found[1]["outcomes"], "ae_discontinuation") if found else None
    if o is None:
        return [Item("stopped for adverse events: not reported", kind=NOTE)]
    shown, r = figure(o, t.marker)
    label = r.label if r.label != "Discontinued for adverse events" else "stopped for adverse events"
    return [Item(f"{label[0].lower()}{label[1:]}: {shown}", *_cite(o), caveats=r.caveats)]


def approvals_cell(t: TherapyData) -> list[Item]:
    return approvals(t, setting_only=True) or [Item("none stated in the sources for this setting", kind=NOTE)]


CELLS: dict[str, Callable[[TherapyData], list[Item]]] = {
    "who": who_cell, "class": class_cell, "pfs": pfs_cell, "hr": hr_cell, "response": response_cell, "os": os_cell,
    "ae_high": ae_high_cell, "approvals": approvals_cell, "local": local_cell,
}


def summary_cell(topic: str, t: TherapyData, setting_note: str = "") -> list[Item]:
    if topic == "lead":
        return lead_cell(t, setting_note)
    return CELLS[topic](t)
