"""Side-by-side summaries of 2-4 therapies in a disease setting, for the Compare tab and the handout.

A therapy is a regimen (`arms.regimen_key`). Its studies are those with an arm on it; the
studies in the chosen disease or its descendants (diseases.parent_id) come first. When a
therapy has none there, the cells use its studies in an enclosing disease, else in any other,
and every study-based cell says so. Figures are printed as the store gives them.

>>> c = build_comparison(store, "pnet", ["everolimus", "sunitinib"])      # doctest: +SKIP
>>> c.cell_text(c.topics.index("studies"), 0).splitlines()[1]          # doctest: +SKIP
'median PFS 11.4 months vs 5.4 months (Placebo) [1: Table 4]'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from db.compare.cells import MAX_STUDIES, TherapyData, cell, figure
from db.compare.model import (
    SETTING,
    STUDY_TOPICS,
    TOPIC_KEYS,
    TOPIC_TITLES,
    TOPICS,
    Bar,
    Column,
    Comparison,
    Item,
    Reference,
    Row,
)
from db.compare.names import Regimen, UnknownName, regimens, resolve_disease, resolve_therapy, shown_name
from db.compare.summary import SUMMARY_TOPICS, summary_cell
from db.dataset.diseases import DiseaseTree
from db.dataset.record import ArmRecord, OutcomeRecord, StudyRecord
from db.presentation.evidence import evidence_key, tested_arms, tests
from db.presentation.identifiers import short_name
from db.presentation.present import NOT_REPORTED, Marker, Numbering, interval_text, reading, versus
from db.presentation.present import main as main_reading
from db.presentation.present import text as figure_text
from db.presentation.who import Names
from db.store import Store
from db.toxicity.table import ToxRow, toxicity_rows

__all__ = ["TOPICS", "TOPIC_KEYS", "Bar", "Column", "Comparison", "Item", "Reference", "Regimen", "Row",
           "UnknownName", "build_comparison", "regimens", "resolve_disease", "resolve_therapy", "with_topics"]

MAX_THERAPIES = 4
CHART_EVENTS = 6


@dataclasses.dataclass(frozen=True)
class _Setting:
    kind: str  # "in", "broader", "other", "none"
    studies: list[StudyRecord]  # of the first tier that has any, ranked
    note: str
    short: str
    where: str


def _setting(tree: DiseaseTree, disease: str, studies: list[StudyRecord]) -> _Setting:
    below, above = tree.below(disease), tree.above(disease)
    tiers = [("in", [s for s in studies if set(s["diseases"]) & below])]
    tiers.append(("broader", [s for s in studies if set(s["diseases"]) & above and s not in tiers[0][1]]))
    tiers.append(("other", [s for s in studies if not set(s["diseases"]) & (below | above)]))
    related = tiers[0][1] + tiers[1][1]
    setting, chosen = next(((k, v) for k, v in tiers if v), ("none", []))
    if related:  # the named disease, its subtypes and its parents are one setting, in the evidence order
        chosen = related
    chosen = sorted(chosen, key=lambda s: evidence_key(s, below, above))
    if chosen and setting != "none":
        lead = set(chosen[0]["diseases"])
        setting = "in" if lead & below else "broader" if lead & above else "other"
    shown = chosen[:MAX_STUDIES]
    where = "; ".join(
        f"{', '.join(dict.fromkeys(tree.short[d] for d in s['diseases']))} ({short_name(s)})" for s in shown)
    here = tree.short[disease]
    note = {"in": "", "none": "no study in this dataset",
            "broader": f"no study restricted to {here} in this dataset; shown: {where}",
            "other": f"no study in {here} in this dataset; shown: {where}"}[setting]
    names = ", ".join(short_name(s) for s in shown)
    short = {"broader": f"{names}: broader than {here}", "other": f"{names}: not {here}"}.get(setting, note)
    diseases = ", ".join(dict.fromkeys(tree.short[d] for s in shown for d in s["diseases"]))
    return _Setting(setting, chosen, note, short, diseases if setting in ("broader", "other") else "")


def _studies_of(store: Store, key: str) -> tuple[list[StudyRecord], list[StudyRecord]]:
    """The studies that test regimen `key` (db/presentation/evidence.py `tests`), and those where it is only a
    control."""
    ids = store.compare.studies_with_regimen(key)
    found = [s for s in (store.study(i) for i in ids) if s is not None]
    return [s for s in found if tests(s, key)], [s for s in found if not tests(s, key)]


def build_comparison(store: Store, disease: str, therapies: Sequence[str],
                     topics: Iterable[str] | None = None,
                     local: Mapping[str, tuple[str, str]] | None = None, local_problem: str = "") -> Comparison:
    """`disease` and `therapies` as ids/keys or as a user types them (names, brands, synonyms).

    `local` maps a regimen key to the user's (note, availability label) for the "local" row;
    without it, that row is left out unless asked for, and then says the notes were not included;
    `local_problem` says why the notes could not be read.
    """
    tree = store.disease_tree
    disease_id = disease if disease in tree.name else resolve_disease(store, disease)
    by_key = {r.key: r for r in regimens(store)}
    chosen = [by_key[t] if t in by_key else resolve_therapy(store, t) for t in therapies]
    shown: dict[str, str] = {}
    for typed, r in zip(therapies, chosen, strict=True):  # a brand typed heads its column: Lutathera (177Lu-Dotatate)
        shown.setdefault(r.key, r.label if typed in by_key else shown_name(store, typed, r))
    chosen = list({r.key: r for r in chosen}.values())
    if len(chosen) > MAX_THERAPIES:
        raise ValueError(f"at most {MAX_THERAPIES} therapies can be compared; got {len(chosen)}")
    drugs = {d["id"]: d for d in store.drugs()}
    related = tree.below(disease_id) | tree.above(disease_id)
    numbering = Numbering()
    names = Names.of(store)
    columns, data = [], []
    for r in chosen:
        every, controls = _studies_of(store, r.key)
        st = _setting(tree, disease_id, every)
        here = f"{tree.short[disease_id]} studies of this dataset" if st.kind == "in" else "studies shown"
        tested = {(s["id"], a["key"]) for s in every for a in tested_arms(s, r.key)}
        t = TherapyData(r.key, r.label, [drugs[d] for d in r.drug_ids if d in drugs], st.studies,
                        [x for x in toxicity_rows(store, [r.key]) if (x.study_id, x.arm_key) in tested], related,
                        here, [s for s in every if s not in st.studies],
                        (local or {}).get(r.key), local_problem or ("given" if local is not None else "omitted"),
                        numbering, tree.below(disease_id), tree.above(disease_id), [short_name(s) for s in controls],
                        names)
        data.append(t)
        columns.append(Column(r.key, shown[r.key], r.drug_ids, st.kind, st.note, tuple(s["id"] for s in st.studies),
                              st.where, st.short))
    rows = []
    wanted = [k for k in (topics if topics is not None else TOPIC_KEYS)
              if k != "local" or local is not None or local_problem]  # no "how to include them" row on paper
    for topic in wanted:
        cells = []
        for col, t in zip(columns, data, strict=True):
            items = cell(topic, t)
            if topic in STUDY_TOPICS and col.note:
                items = [Item(col.note, kind=SETTING), *items]
            cells.append(tuple(items))
        rows.append(Row(topic, TOPIC_TITLES[topic], tuple(cells)))
    summary = [Row(topic, title, tuple(tuple(summary_cell(topic, t, col.short_note if col.setting != "in" else ""))
                                       for col, t in zip(columns, data, strict=True)))
               for topic, title in SUMMARY_TOPICS]
    catalog = {s["id"]: Reference(0, s["id"], s["short"], s["citation"], s["doi"]) for s in store.sources()}
    comparison = Comparison(disease_id, tree.name[disease_id], tuple(columns), tuple(rows), (),
                            tuple(_pfs_bars(data, columns, tree, numbering)), tuple(_ae_bars(data, numbering)),
                            store.meta().get("dataset_version", "?"), catalog, numbering.numbers, tuple(summary),
                            tuple(_hr_bars(data, columns, tree, numbering)))
    return with_topics(comparison, [r.topic for r in rows])


def with_topics(c: Comparison, topics: Iterable[str]) -> Comparison:
    """The comparison with only these rows (and the charts that go with them), references renumbered."""
    wanted = set(topics)
    rows = _setting_notes(tuple(r for r in c.rows if r.topic in wanted), c.columns)
    pfs = c.pfs_bars if "studies" in wanted else ()
    ae = c.ae_bars if "ae_high" in wanted else ()
    order: dict[str, None] = {}
    for r in (*c.summary, *rows):
        for items in r.cells:
            order.update((i.source_id, None) for i in items if i.source_id)
    order.update((b.source_id, None) for b in (*c.hr_bars, *pfs, *ae) if b.source_id)
    refs = tuple(dataclasses.replace(c.catalog[s], number=n) for n, s in enumerate(order, 1) if s in c.catalog)
    return dataclasses.replace(c, rows=rows, references=refs, pfs_bars=pfs, ae_bars=ae)


def _setting_notes(rows: tuple[Row, ...], columns: tuple[Column, ...]) -> tuple[Row, ...]:
    """The setting note in full in the first study-based row shown, shortened in the rows after it."""
    first = next((r.topic for r in rows if r.topic in STUDY_TOPICS), None)
    out = []
    for r in rows:
        cells = tuple(
            tuple(Item(col.note if r.topic == first else col.short_note, kind=SETTING) if i.kind == SETTING else i
                  for i in items)
            for items, col in zip(r.cells, columns, strict=True))
        out.append(dataclasses.replace(r, cells=cells))
    return tuple(out)


def _pfs_bars(data: list[TherapyData], columns: list[Column], tree: DiseaseTree, marker: Marker) -> list[Bar]:
    """Each therapy's lead study (page 1 draws what its table names, not an 18-patient series beside a
    phase 3 trial), each study once: an arm that tests one of the chosen therapies is drawn as that
    therapy (its colour); every other arm is a comparator (hatched)."""
    chosen = {t.key: i for i, t in enumerate(data)}
    drawn: set[str] = set()
    bars = []
    for i, (t, col) in enumerate(zip(data, columns, strict=True)):
        found = t.lead()
        for s in [found[0]] if found else []:
            if s["id"] in drawn or not any(_pfs(a) for a in t.arms(s)):
                continue
            drawn.add(s["id"])  # a study that tests two chosen therapies is drawn once, for both
            where = "" if col.setting == "in" else f" ({', '.join(tree.short[d] for d in s['diseases'])})"
            group = short_name(s) + where
            for arm in s["arms"]:
                shown = _pfs(arm)
                if shown is None:
                    continue
                owner = chosen.get(arm["regimen_key"])
                tested = owner is not None and arm in data[owner].arms(s)
                column = owner if tested and owner is not None else i
                label = data[column].label if tested and len(data[column].arms(s)) == 1 else arm["label"]
                bars.append(_bar(column, group, label, shown, not tested, marker))
    return bars


def _hr_bars(data: list[TherapyData], columns: list[Column], tree: DiseaseTree, marker: Marker) -> list[Bar]:
    """Each therapy's lead study's PFS hazard ratio against its own control arm."""
    bars = []
    for i, (t, col) in enumerate(zip(data, columns, strict=True)):
        found = t.lead()
        if found is None:
            continue
        lead, arm = found
        labels = {a["key"]: a["label"] for a in lead["arms"]}
        for c in lead["comparisons"]:
            if c["measure"] == "pfs_hr" and c["arm"] == arm["key"] and not c["subgroup"] and c["preferred"]:
                shown, r = figure(c, marker, "cell")
                where = ", ".join(tree.short[d] for d in lead["diseases"])
                bars.append(Bar(i, f"{short_name(lead)} ({where})", versus(t.label, labels[c["vs"]]), shown,
                                r.value if r.is_number else None, False, c["source_id"], c["locator"], "",
                                r.caveats, interval_text(r), c["ci_low"], c["ci_high"], col.setting))
    return bars


def _pfs(arm: ArmRecord) -> OutcomeRecord | None:
    return main_reading(arm["outcomes"], "pfs_median")


def _bar(column: int, group: str, label: str, o: OutcomeRecord, control: bool, marker: Marker) -> Bar:
    shown, r = figure(o, marker)
    return Bar(column, group, label, shown, r.value if r.is_number else None, control, o["source_id"],
               o["locator"], r.unit or "", r.caveats, interval_text(reading(o)))


def _ae_bars(data: list[TherapyData], marker: Marker) -> list[Bar]:
    """Grade ≥3 figures of each therapy's lead study arm, for the events with the highest figures."""
    leads: list[dict[str, ToxRow]] = []
    for t in data:
        rank = {s["id"]: n for n, s in enumerate(t.studies)}
        rows = sorted((r for r in t.tox if r.high_grade is not None and r.study_id in rank and r.preferred),
                      key=lambda r: rank[r.study_id])
        first = [r for r in rows if (r.study_id, r.arm_key) == (rows[0].study_id, rows[0].arm_key)]
        leads.append({r.ae_id: r for r in reversed(first)})  # the first figure of an event wins
    peaks: dict[str, float] = {}
    names: dict[str, str] = {}
    for lead in leads:
        for ae, r in lead.items():
            value = r.high_grade.value if r.high_grade and r.high_grade.value is not None else -1.0
            peaks[ae] = max(peaks.get(ae, -1.0), value)
            names[ae] = r.event
    events = sorted((ae for ae in peaks if peaks[ae] > 0), key=lambda ae: (-peaks[ae], names[ae]))[:CHART_EVENTS]
    bars = []
    for ae in events:
        for i, (t, lead) in enumerate(zip(data, leads, strict=True)):
            if not lead:  # no grade ≥3 figure at all: the caption says so once, not a row per event
                continue
            got = lead.get(ae)
            label = f"{t.label} ({next(iter(lead.values())).study_name})"
            if got is None or got.high_grade is None:
                bars.append(Bar(i, names[ae], label, NOT_REPORTED, None, unit="%"))
            else:
                h = got.high_grade
                bars.append(Bar(i, names[ae], label, figure_text(h, "value", marker, band=True), h.value, False,
                                got.source_id, got.locator, "%",
                                h.caveats))
    return bars
