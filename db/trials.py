"""The Trials table: one summary row per study, for display, filtering and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.present import outcome_value
from db.store import Store

Record = dict[str, Any]


@dataclass(frozen=True)
class ArmFigure:
    arm: str
    regimen: str
    text: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


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
    n_text: str
    pfs: list[ArmFigure] = field(default_factory=list)
    hr: list[ArmFigure] = field(default_factory=list)
    orr: list[ArmFigure] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    nct: str = ""

    @property
    def pfs_text(self) -> str:
        return " vs ".join(f.text for f in self.pfs)

    @property
    def hr_text(self) -> str:
        return "; ".join(f.text for f in self.hr)

    @property
    def orr_text(self) -> str:
        return " vs ".join(f.text for f in self.orr)


def _main(outcomes: list[Record], measure: str) -> list[Record]:
    """The whole-arm figures for a measure (subgroup figures are for the detail pane)."""
    return [o for o in outcomes if o["measure"] == measure and not o["subgroup"]]


def trial_rows(store: Store) -> list[TrialRow]:
    diseases = {d["id"]: d["name"] for d in store.diseases()}
    drug_class = {d["id"]: d["class"] for d in store.drugs()}
    rows = []
    for s in store.studies():
        arms = s["arms"]
        drug_ids = list(dict.fromkeys(d["drug_id"] for a in arms for d in a["regimen"] if d["drug_id"] != "placebo"))
        regimens = list(dict.fromkeys(a["regimen_label"] for a in arms))
        sources = {s["source_id"]} | {o["source_id"] for a in arms for o in a["outcomes"] + a["adverse_events"]}
        row = TrialRow(
            id=s["id"], name=s["name"],
            byline=" ".join(x for x in (s["first_author"], s["year"]) if x and s["acronym"]),
            phase=s["phase"], kind=s["kind"], status=s["status"], year=s["year"] or "",
            diseases=s["diseases"], disease_names=[diseases.get(d, d) for d in s["diseases"]],
            drug_ids=drug_ids, drug_classes=sorted({drug_class[d] for d in drug_ids if d in drug_class}),
            regimen=" vs ".join(regimens), n=s["enrolled"], n_text=s["enrolled_text"] or "",
            source_ids=sorted(sources), nct=s["nct"] or "",
        )
        for a in arms:
            label = a["regimen_label"] if len(arms) == 1 or len(set(regimens)) == len(arms) else a["label"]
            for o in _main(a["outcomes"], "pfs_median")[:1]:
                row.pfs.append(ArmFigure(a["key"], label, outcome_value(o), o["value"], o["ci_low"], o["ci_high"]))
            for o in _main(a["outcomes"], "orr")[:1]:
                row.orr.append(ArmFigure(a["key"], label, outcome_value(o), o["value"]))
        for c in s["comparisons"]:
            if c["measure"] == "pfs_hr" and not c["subgroup"]:
                ci = f" ({c['ci_low_text']}–{c['ci_high_text']})" if c["ci_low_text"] else ""
                row.hr.append(ArmFigure(c["arm"], f"{c['arm']} vs {c['vs']}", c["value_text"] + ci, c["value"],
                                        c["ci_low"], c["ci_high"]))
        rows.append(row)
    return rows
