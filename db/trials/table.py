"""The Trials table: one summary row per study, for display, filtering and charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.dataset.record import Record
from db.presentation.evidence import design_text, evidence_key
from db.presentation.identifiers import registry_acronym, short_name
from db.presentation.present import (
    Caveat,
    Count,
    Reading,
    caveat_lines,
    count,
    count_text,
    joined,
    main,
    reading,
    text,
    versus,
)
from db.presentation.who_words import Names, line_word, markers_text
from db.store import Store


@dataclass(frozen=True)
class ArmFigure:
    arm: str
    regimen: str
    reading: Reading
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def text(self) -> str:
        """'10.8 months⚠', '0.587 (95% CI 0.45–0.76)': db.presentation.present's cell text, marks kept."""
        return text(self.reading, "cell")

    @property
    def value(self) -> float | None:
        return self.reading.value if self.reading.is_number else None


@dataclass
class TrialRow:
    id: str
    name: str
    byline: str
    phase: str
    kind: str
    status: str
    year: str
    diseases: list[str]
    disease_names: list[str]
    drug_ids: list[str]
    drug_classes: list[str]
    regimen: str
    n: float | None
    n_count: Count | None
    pfs: list[ArmFigure] = field(default_factory=list)
    hr: list[ArmFigure] = field(default_factory=list)
    orr: list[ArmFigure] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    nct: str = ""
    design: str = ""  # db.presentation.evidence's design_text: 'randomised phase 3' … 'design not stated'
    design_short: str = ""  # its short form, the Phase column's: '3, rand.', '2, 3 arms'
    line: str = ""  # db.presentation.who's line_word: 'first', 'later', 'mixed', 'not stated'
    markers: str = ""  # db.presentation.who's markers_text: 'BRAF V600E required', 'not stated'
    evidence: tuple[Any, ...] = ()  # evidence_key (db.presentation.evidence) without a setting: design, n, year

    @property
    def n_text(self) -> str:
        return self.n_cell()

    def n_cell(self, place: str = "after") -> str:
        """'410 randomised⚠'; `place` 'front' for a narrow column: '⚠ 410 randomised'."""
        return count_text(self.n_count, prefix="", place=place) if self.n_count else ""

    def figures_cell(self, which: str, place: str = "after") -> str:
        """The PFS, HR or ORR cell ('pfs', 'hr', 'orr'): each arm's figure, joined, marks as `place` says."""
        figures: list[ArmFigure] = getattr(self, which)
        return joined([f.reading for f in figures], "cell", "; " if which == "hr" else " vs ", place=place)

    @property
    def caveats(self) -> list[Caveat]:
        """What the marks in this row stand for, each once."""
        found = [*(self.n_count.caveats if self.n_count else ()),
                 *(c for f in (*self.pfs, *self.hr, *self.orr) for c in f.reading.caveats)]
        return list(dict.fromkeys(found))

    @property
    def caveat_text(self) -> str:
        return "\n".join(caveat_lines(self.caveats))

    @property
    def pfs_text(self) -> str:
        return self.figures_cell("pfs")

    @property
    def hr_text(self) -> str:
        return self.figures_cell("hr")

    @property
    def orr_text(self) -> str:
        return self.figures_cell("orr")


def trial_rows(store: Store, ids: Sequence[str] | None = None, names: Names | None = None) -> list[TrialRow]:
    """The Trials rows of these studies (every study, in seed order, when None), read by db.trials.fetch_queries;
    `names`: the vocabularies' (read from the store when not given)."""
    from db.trials.fetch_queries import drug_classes, study_records

    names = names or Names.of(store)
    diseases, classes = store.disease_tree.name, drug_classes(store.conn)
    return [trial_row(s, diseases, classes, names) for s in study_records(store.conn, ids)]


def trial_row(s: Record, disease_names: Mapping[str, str], drug_class: Mapping[str, str],
              names: Names | None = None) -> TrialRow:
    """One study's row from its nested record (`Store.studies()` or db.trials.fetch_queries): names, design and
    evidence, line and markers (db.presentation.who, with the vocabularies' `names`), and each figure as
    db.presentation.present
    reads it. An arm's drugs are those of its regimen key (placebo aside), in the key's order; a hazard
    ratio is named by its arms' labels."""
    arms = s["arms"]
    drug_ids = list(dict.fromkeys(d for a in arms for d in a["regimen_key"].split("+") if d != "placebo"))
    regimens = list(dict.fromkeys(a["regimen_label"] for a in arms))
    sources = {s["source_id"]} | {x for a in arms for x in _arm_sources(a)}
    row = TrialRow(
        id=s["id"], name=short_name(s),
        byline=" ".join(x for x in (s["first_author"], s["year"]) if x and (s["acronym"] or registry_acronym(s))),
        phase=s["phase"], kind=s["kind"], status=s["status"], year=s["year"] or "",
        diseases=s["diseases"], disease_names=[disease_names.get(d, d) for d in s["diseases"]],
        drug_ids=drug_ids, drug_classes=sorted({drug_class[d] for d in drug_ids if d in drug_class}),
        regimen=" vs ".join(regimens), n=s["enrolled"], n_count=count(s, "enrolled") or count(s, "evaluable"),
        source_ids=sorted(sources), nct=s["nct"] or "",
        design=design_text(s), design_short=design_text(s, short=True), evidence=evidence_key(s),
        line=line_word(s), markers=markers_text(s, names),
    )
    labels = {a["key"]: a["label"] for a in arms}
    for a in arms:
        label = a["regimen_label"] if len(arms) == 1 or len(set(regimens)) == len(arms) else a["label"]
        for measure, figures in (("pfs_median", row.pfs), ("orr", row.orr)):
            o = main(a["outcomes"], measure)
            if o is not None:
                figures.append(ArmFigure(a["key"], label, reading(o), o["ci_low"], o["ci_high"]))
    for c in s["comparisons"]:
        if c["measure"] == "pfs_hr" and not c["subgroup"] and c["preferred"]:
            vs = versus(labels.get(c["arm"], c["arm"]), labels.get(c["vs"], c["vs"]))
            row.hr.append(ArmFigure(c["arm"], vs, reading(c), c["ci_low"], c["ci_high"]))
    return row


def _arm_sources(arm: Record) -> set[str]:
    """The sources an arm's figures cite: given by db.trials.fetch_queries, else from its outcomes and adverse
    events."""
    if "source_ids" in arm:
        return set(arm["source_ids"])
    return {o["source_id"] for o in arm["outcomes"] + arm["adverse_events"]}
