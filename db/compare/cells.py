"""The cells of a comparison, one function per topic: short items, each with its source and
locator, figures exactly as the store gives them. Absent figures say "not reported", never 0."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from db.compare.model import ENTRY, HEAD, NOTE, Item
from db.dataset.record import ArmRecord, OutcomeRecord, Record, Row, StudyRecord
from db.presentation.evidence import design_text, lead, tested_arms
from db.presentation.identifiers import short_name
from db.presentation.present import (
    Caveat,
    Count,
    Marker,
    Reading,
    band_label,
    caveats_of,
    count,
    count_text,
    marks,
    reading,
    symbol,
    text,
)
from db.presentation.present import main as main_reading
from db.presentation.who import Names, os_statement
from db.toxicity.table import ToxRow

MAX_STUDIES = 3
MAX_EVENTS = 5
NOT_REACHED = {"not reached", "not estimable"}
MONITORING_KINDS = {"monitoring": "", "safety": "Safety: ", "metabolism": "Metabolism (interactions): "}
CLASS_KINDS = ("class", "targets", "mechanism")
WITHDRAWAL = ("ae_discontinuation", "ae_dose_reduction", "ae_dose_interruption")


@dataclass
class TherapyData:
    """One chosen therapy with the studies of the setting its cells draw on, best first."""

    key: str
    label: str
    drugs: list[Record]  # the regimen's drugs (placebo left out), with facts and approvals
    studies: list[StudyRecord]  # the chosen tier, ranked
    tox: list[ToxRow] = field(default_factory=list)
    related: set[str] = field(default_factory=set)  # the chosen disease, its descendants and ancestors
    here: str = ""  # "pancreatic NET studies" or "studies shown": where `studies` come from
    elsewhere: list[StudyRecord] = field(default_factory=list)  # the therapy's other studies
    local: tuple[str, str] | None = None  # the user's (note, availability label) for this therapy
    local_status: str = "omitted"  # "given": the workstation's notes were read; "omitted"; or why they are unavailable
    marker: Marker = symbol  # how figures' caveat marks are written ("⚠2" on a numbered document)
    below: set[str] = field(default_factory=set)  # the chosen disease and its subtypes
    above: set[str] = field(default_factory=set)  # its ancestors
    control_only: list[str] = field(default_factory=list)  # studies where it is only the control arm
    names: Names = field(default_factory=Names)  # the vocabularies' names, for who was treated

    def absent(self, what: str, has: Callable[[StudyRecord], bool]) -> Item:
        """'no adverse-event figures in the pancreatic NET studies of this dataset; given in: X (RAIR-DTC)'."""
        text = f"{what}: not reported in the {self.here}"
        others = [short_name(s) for s in self.elsewhere if has(s)]
        if others:
            text += f"; given in: {', '.join(others[:MAX_STUDIES])}" + (" and others" if others[MAX_STUDIES:] else "")
        return Item(text, kind=NOTE)

    def arms(self, study: StudyRecord) -> list[ArmRecord]:
        """Its arms under test in `study` (never a control arm)."""
        return tested_arms(study, self.key)

    def lead(self) -> tuple[StudyRecord, ArmRecord] | None:
        """Its lead study and arm (db/presentation/evidence.py `lead`): one rule for page 1, the charts and Compare."""
        return lead(self.studies, self.key, self.below, self.above)

    def pick(self, has: Callable[[StudyRecord], bool], n: int = MAX_STUDIES) -> list[StudyRecord]:
        return [s for s in self.studies if has(s)][:n]

    def arm_name(self, study: StudyRecord, arm: ArmRecord) -> str:
        return short_name(study) + (f" ({arm['label']})" if len(self.arms(study)) > 1 else "")

    def facts(self, kinds: Iterable[str], prefix: dict[str, str] | None = None) -> list[Item]:
        """The regimen's drug facts of these kinds, cited, each with its drug's name in a combination."""
        wanted = set(kinds)
        return [Item(self.named(d, (prefix or {}).get(f["kind"], "") + f["text"]), f["source_id"], f["locator"])
                for d in self.drugs for f in d["facts"] if f["kind"] in wanted]

    def named(self, drug: Record, text: str) -> str:
        """Prefix a drug fact with the drug's name when the regimen has several drugs."""
        return f"{drug['name']}: {text}" if len(self.drugs) > 1 else text


def figure(o: Row, marker: Marker = symbol, style: str = "value", against: str = "") -> tuple[str, Reading]:
    """'11.4 months', 'NR (not reached)', '10.8 months⚠1': through db.presentation.present, with its reading."""
    r = reading(o)
    return text(r, style, marker, against), r


def _main(arm: ArmRecord, measure: str) -> OutcomeRecord | None:
    return main_reading(arm["outcomes"], measure)


def class_cell(t: TherapyData) -> list[Item]:
    items = []
    for d in t.drugs:
        targets = f"; targets {', '.join(d['targets'])}" if d["targets"] else ""
        items.append(Item(t.named(d, d["class"] + targets), kind=ENTRY))
    return items + t.facts(CLASS_KINDS) + brand_items(t)


def brand_items(t: TherapyData) -> list[Item]:
    """'Brand name (regulator's label, not the sources): Lutathera (US, EU)', each cited to its label."""
    return [Item(t.named(d, f"Brand name (regulator's label, not the sources): {b['name']} "
                            f"({', '.join(b['regions'].split())})"), b["source_id"], b["locator"])
            for d in t.drugs for b in d.get("brands", ())]


def dose_text(arm: ArmRecord, marker: Marker = symbol) -> str:
    """An arm's regimen as printed: 'Everolimus 10 mg oral once daily; Octreotide LAR 30 mg every 28 days',
    marked where a note questions it (cabozantinib's 60 mg in one table, 60-80 mg in the text)."""
    parts = []
    for r in arm["regimen"]:
        given = " ".join(x for x in (r["dose"], r["route"], r["schedule"]) if x)
        parts.append(f"{r['drug_name']} {given}" if given else f"{r['drug_name']}: dose not reported")
    return "; ".join(parts) + marks(regimen_caveats(arm), marker)


def regimen_caveats(arm: ArmRecord) -> tuple[Caveat, ...]:
    return caveats_of(arm, own="", linked="regimen_caveats")


def dose_cell(t: TherapyData) -> list[Item]:
    items = [Item(f"{t.arm_name(s, arm)}: {dose_text(arm, t.marker)}", s["source_id"], s["locator"],
                  caveats=regimen_caveats(arm)) for s in t.pick(lambda s: bool(t.arms(s))) for arm in t.arms(s)]
    items += t.facts(["dosing"])
    return items or [Item("not reported", kind=NOTE)]


def study_n(s: StudyRecord, arm: ArmRecord | None = None) -> Count | None:
    """The n a study is described by: enrolled, else evaluable, else (one arm named) that arm's n."""
    return count(s, "enrolled") or count(s, "evaluable") or (count(arm, "n") if arm is not None else None)


def study_head(t: TherapyData, s: StudyRecord) -> Item:
    """'RADIANT-3: randomised phase 3, n=410 randomised': the study's name, design and n, cited; the one
    text of a study's design and size on every page."""
    arms = t.arms(s)
    n = study_n(s, arms[0] if len(arms) == 1 else None)
    source, locator = (n.source_id, n.locator) if n else (s["source_id"], s["locator"])
    return Item(f"{short_name(s)}: {design_text(s)}, {count_text(n, t.marker)}", source, locator, HEAD,
                n.caveats if n else ())


def versus(t: TherapyData, s: StudyRecord, arm: ArmRecord, measure: str, name: str) -> list[Item]:
    """'median PFS 11.4 months vs 5.4 months (Placebo)', split where the citations differ."""
    mine = _main(arm, measure)
    others = [(a, o) for a in s["arms"] if a["regimen_key"] != t.key and (o := _main(a, measure))]
    if mine is None:
        return []
    shown, r = figure(mine, t.marker)
    items = [Item(f"{name} {shown}".lstrip(), mine["source_id"], mine["locator"], caveats=r.caveats)]
    for a, o in others:
        shown, r = figure(o, t.marker)
        words = f"vs {shown} ({a['label']})" if a["role"] == "control" else f"; {a['label']}: {shown}"
        last = items[-1]
        if (o["source_id"], o["locator"]) == (last.source_id, last.locator):
            items[-1] = Item(f"{last.text}{'' if words[0] == ';' else ' '}{words}", last.source_id, last.locator,
                             caveats=last.caveats + r.caveats)
        else:
            items.append(Item(words.removeprefix("; "), o["source_id"], o["locator"], caveats=r.caveats))
    return items


def _hazard(t: TherapyData, s: StudyRecord, arm: ArmRecord) -> list[Item]:
    label = {a["key"]: a["label"] for a in s["arms"]}
    items = []
    for c in s["comparisons"]:
        if c["measure"] == "pfs_hr" and c["arm"] == arm["key"] and not c["subgroup"] and c["preferred"]:
            shown, r = figure(c, t.marker, "line", label[c["vs"]])
            items.append(Item(f"HR for PFS {shown}", c["source_id"], c["locator"], caveats=r.caveats))
    return items


def studies_cell(t: TherapyData) -> list[Item]:
    items = []
    shown = t.studies[:MAX_STUDIES]
    for s in shown:
        items.append(study_head(t, s))
        for arm in t.arms(s):
            if len(t.arms(s)) > 1:
                items.append(Item(f"arm {arm['label']}", kind=HEAD))
            pfs = versus(t, s, arm, "pfs_median", "median PFS")
            hr = _hazard(t, s, arm)
            orr = versus(t, s, arm, "orr", "ORR")
            items += pfs + hr + orr
            statement = os_statement(s)
            if statement is not None and not any(versus(t, s, arm, "os_median", "")):
                items.append(Item(f"OS: {statement.text}", statement.source_id, statement.locator))
            missing = [name for name, got in (("median PFS", pfs), ("HR", hr), ("ORR", orr)) if not got]
            if missing:
                items.append(Item(f"not reported: {', '.join(missing)}", kind=NOTE))
    rest = t.studies[MAX_STUDIES:]
    if rest:
        items.append(Item(f"also in this dataset: {', '.join(short_name(s) for s in rest)}", kind=NOTE))
    return items or [Item("no study in this dataset", kind=NOTE)]


Groups = dict[tuple[str, str], list[ToxRow]]  # (study id, arm key) -> its figures


def _ae_groups(t: TherapyData, study_ids: list[str], has: Callable[[ToxRow], bool]) -> Groups:
    groups: Groups = defaultdict(list)
    for sid in study_ids:
        for r in t.tox:
            if r.study_id == sid and has(r):
                groups[(sid, r.arm_key)].append(r)
    return groups


def _positive(fig: Reading | None) -> bool:
    return fig is not None and fig.value is not None and fig.value > 0


def _printed(r: ToxRow, high: bool) -> Reading:
    """The figure an event was picked for (all grades or high grade); present by then."""
    fig = r.high_grade if high else r.all_grade
    assert fig is not None
    return fig


def ae_cell(t: TherapyData, high: bool) -> list[Item]:
    """The most frequent events per study arm: by the printed number (0 and "not reported" are not frequent)."""
    def has(r: ToxRow) -> bool:
        return r.preferred and _positive(r.high_grade if high else r.all_grade)

    def study_has(s: StudyRecord) -> bool:
        return any(r.study_id == s["id"] and has(r) for r in t.tox)

    ids = [s["id"] for s in t.pick(study_has)]
    names = {s["id"]: s for s in t.studies}
    items = []
    for (sid, arm_key), rows in _ae_groups(t, ids, has).items():
        top = sorted(rows, key=lambda r: -(_printed(r, high).value or 0.0))[:MAX_EVENTS]
        arm = next(a for a in names[sid]["arms"] if a["key"] == arm_key)
        band = f" ({band_label(top[0].band)})" if high else ""
        by_cite: dict[tuple[str, str], list[Reading]] = defaultdict(list)
        for r in top:
            by_cite[(r.source_id, r.locator)].append(_printed(r, high))
        terms = {id(_printed(r, high)): r.event_reported for r in top}
        head = f"{t.arm_name(names[sid], arm)}{band}: "
        for (source, locator), readings in by_cite.items():
            texts = [f"{terms[id(x)]} {text(x, 'value', t.marker)}" for x in readings]
            items.append(Item(head + ", ".join(texts), source, locator,
                              caveats=tuple(c for x in readings for c in x.caveats)))
            head = ""
    measures = ("ae_grade3plus_any", "ae_grade4_any") if high else ("ae_any",)
    items += _arm_outcomes(t, measures)
    what = "grade ≥3 figures" if high else "adverse-event figures"
    return items or [t.absent(what, lambda s: study_has(s) or _has_outcome(t, s, measures))]


def _has_outcome(t: TherapyData, s: StudyRecord, measures: tuple[str, ...]) -> bool:
    return any(_main(a, m) for a in t.arms(s) for m in measures)


def _arm_outcomes(t: TherapyData, measures: tuple[str, ...]) -> list[Item]:
    items = []
    for s in t.pick(lambda s: _has_outcome(t, s, measures)):
        for arm in t.arms(s):
            for m in measures:
                o = _main(arm, m)
                if o is not None:
                    shown, r = figure(o, t.marker)
                    label = r.label.replace(">= ", "≥")
                    items.append(Item(f"{t.arm_name(s, arm)}: {label[0].lower()}{label[1:]} {shown}",
                                      o["source_id"], o["locator"], caveats=r.caveats))
    return items


def withdrawal_cell(t: TherapyData) -> list[Item]:
    return _arm_outcomes(t, WITHDRAWAL) or [
        t.absent("withdrawal for adverse events", lambda s: _has_outcome(t, s, WITHDRAWAL))]


def monitoring_cell(t: TherapyData) -> list[Item]:
    return t.facts(MONITORING_KINDS, MONITORING_KINDS) or [Item("none given in the sources", kind=NOTE)]


def approvals(t: TherapyData, setting_only: bool = False) -> list[Item]:
    """What the sources say of approvals, this setting's first, each cited; the one answer on every page.

    The structured approvals (agency, year, indication, diseases) and the drug facts of kind
    `regulatory`; an agency or year the source does not give is said to be not stated. With
    `setting_only`, the approvals for the chosen disease, its subtypes or its parents."""
    found = [(d, a) for d in t.drugs for a in d["approvals"]]
    found.sort(key=lambda da: not set(da[1]["diseases"]) & t.related)
    items = []
    for d, a in found:
        if setting_only and not set(a["diseases"]) & t.related:
            continue
        agency = a["agency"] if a["agency"] != "not stated" else "agency not stated"
        when = a["year"] or "year not stated"
        note = a["note"]
        caveats = (Caveat(f"approval:{a['id']}", "caveat", note, a["source_id"], a["locator"]),) if note else ()
        text = f"{agency} {when}{marks(caveats, t.marker)}: {a['indication']}"  # the note: a mark, as on figures
        items.append(Item(t.named(d, text), a["source_id"], a["locator"], caveats=caveats))
    if not setting_only:
        items += t.facts(["regulatory"])
    return items


def approvals_cell(t: TherapyData) -> list[Item]:
    return approvals(t) or [Item("no approval statement in the sources", kind=NOTE)]


def local_cell(t: TherapyData) -> list[Item]:
    """The user's own note: marked as such, never cited as a source. "No local note" only when the
    workstation's notes were read and hold none for this therapy."""
    if t.local_status == "omitted":
        return [Item("local notes not included", kind=NOTE)]
    if t.local_status != "given":
        return [Item(f"local notes unavailable: {t.local_status}", kind=NOTE)]
    if t.local is None:
        return [Item("no local note for this therapy on this workstation", kind=NOTE)]
    text, availability = t.local
    items = [Item(f"Local: {availability}", kind=ENTRY)] if availability else []
    if text.strip():
        items.append(Item(f"Local note: {text.strip()}", kind=ENTRY))
    return items


def cell(topic: str, t: TherapyData) -> list[Item]:
    if topic in ("ae_any", "ae_high"):
        return ae_cell(t, high=topic == "ae_high")
    return {"class": class_cell, "dose": dose_cell, "studies": studies_cell, "withdrawal": withdrawal_cell,
            "monitoring": monitoring_cell, "approvals": approvals_cell, "local": local_cell}[topic](t)
