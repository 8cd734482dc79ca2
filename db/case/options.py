"""The options of a case: every therapy a study in the case's disease family tests (an experimental arm, a
cohort, a stratum or a single arm), grouped by how the best-fitting of its arms fits the case.

- the setting of an arm: its study is in the case's disease or a subtype ("in"), in a broader disease
  ("parent"), or in another disease of the same family ("other"; GI NET for a pancreatic NET case). A study in
  another family is never read: nothing from another root is listed;
- an arm's group: other setting; else conflicts (db/case/fit.py); else partly (a broader disease, or a test
  the case needs); else fits;
- a therapy's group is the best of its arms' groups; its lead study is the first in the evidence order
  (db/presentation/evidence.py `evidence_key`) among the studies whose arms give it that group, and the
  therapies of a group follow their lead studies in that same order.

One read of the family's tested arms (store.case), populations judged once per distinct population text:
this keeps a case at a 100 000-study registry within the benchmark's target.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from db.case.fit import Judge, Verdict
from db.case.model import (
    CONFLICTS,
    FIT_ORDER,
    FITS,
    GROUP_TITLES,
    OTHER_SETTING,
    PARTLY,
    Case,
    CaseOptions,
    Group,
    Option,
)
from db.dataset.diseases import DiseaseTree
from db.dataset.record import Record
from db.presentation.evidence import evidence_key
from db.presentation.identifiers import short_name
from db.presentation.who import Names
from db.store import Store

IN, PARENT, OTHER = "in", "parent", "other"
MAX_OTHER_CONFLICTS = 6  # conflicts of a therapy's other arms listed by name; the rest counted


@dataclass(slots=True)
class _Arm:
    study: Record
    key: str
    label: str
    role: str
    setting: str
    verdict: Verdict
    group: int
    rank: tuple[Any, ...]  # the study's evidence key, then the arm's place


@dataclass(frozen=True)
class _Setting:
    """The case's place in the disease tree, worked out once."""

    tree: DiseaseTree
    disease: str
    named: frozenset[str]
    parents: frozenset[str]

    @property
    def here(self) -> str:
        return self.tree.short[self.disease]


def _object(text: str | None) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _group(setting: str, verdict: Verdict) -> int:
    if setting == OTHER:
        return FIT_ORDER.index(OTHER_SETTING)
    if verdict.conflicts:
        return FIT_ORDER.index(CONFLICTS)
    if setting == PARENT or verdict.needs:
        return FIT_ORDER.index(PARTLY)
    return FIT_ORDER.index(FITS)


def case_options(store: Store, case: Case) -> CaseOptions:
    """The case's options in four groups (fits, partly, conflicts, other setting), each in the evidence order."""
    tree = store.disease_tree
    family = tree.below(tree.lineage(case.disease)[-1])
    named, parents = tree.setting(case.disease)
    where = _Setting(tree, case.disease, frozenset(named), frozenset(parents))
    names = Names.of(store)
    judge = Judge(case, names.classes, names.markers)
    studies: dict[str, Record] = {}
    arms: dict[str, list[_Arm]] = defaultdict(list)
    labels: dict[str, str] = {}
    for (sid, name, acronym, phase, kind, year, enrolled, evaluable, largest, ord_, diseases, population,
         key, label, role, regimen, regimen_label, own) in store.case.tested_arms(family):
        study = studies.get(sid)
        if study is None:
            study = studies[sid] = {
                "id": sid, "name": name, "acronym": acronym, "phase": phase, "kind": kind, "year": year,
                "enrolled": enrolled, "evaluable": evaluable, "ord": ord_, "arms": [{"n": largest}],
                "diseases": (diseases or "").split()}
            own_diseases = set(study["diseases"])
            study["setting"] = IN if own_diseases & named else PARENT if own_diseases & parents else OTHER
            study["rank"] = evidence_key(study, named, parents)
        verdict = judge.cached(population, own, _merged(population, own))
        setting = study["setting"]
        found = arms[regimen]
        if not found:
            labels[regimen] = regimen_label
        found.append(_Arm(study, key, label, role, setting, verdict, _group(setting, verdict),
                          (*study["rank"], len(found))))
    chosen = {regimen: _choose(found) for regimen, found in arms.items()}
    named_studies = {a.study["id"] for lead, others in chosen.values() for a in (lead, *others)}
    for sid, acronym in store.case.registry_acronyms(named_studies).items():
        studies[sid]["identifiers"] = [{"kind": "acronym", "value": acronym}]
    grouped: dict[str, list[tuple[tuple[Any, ...], str, Option]]] = defaultdict(list)
    for regimen, found in arms.items():
        lead, others = chosen[regimen]
        option = _option(where, case, regimen, labels[regimen], found, lead, others)
        grouped[option.fit].append((lead.rank, option.label, option))
    return CaseOptions(case, tuple(Group(fit, GROUP_TITLES[fit], tuple(o for *_k, o in sorted(grouped[fit])))
                                   for fit in FIT_ORDER))


def _merged(study: str | None, arm: str | None) -> Callable[[], dict[str, Any]]:
    """What holds for an arm's patients (db/presentation/who.py `population_of`), parsed when first judged."""
    return lambda: {**_object(study), **_object(arm)}


def _choose(found: list[_Arm]) -> tuple[_Arm, list[_Arm]]:
    """The lead arm (the first in the evidence order of the best group) and the other arms with a conflict
    whose study is named in the reasons (at most MAX_OTHER_CONFLICTS)."""
    best = min(a.group for a in found)
    lead = min((a for a in found if a.group == best), key=lambda a: a.rank)
    others = sorted((a for a in found if a is not lead and a.verdict.conflicts), key=lambda a: a.rank)
    return lead, others[:MAX_OTHER_CONFLICTS + 1]


def _option(where: _Setting, case: Case, regimen: str, label: str, found: list[_Arm], lead: _Arm,
            others: list[_Arm]) -> Option:
    order: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for a in found:
        sid = a.study["id"]
        if sid not in order or (a.group, a.rank) < order[sid]:
            order[sid] = (a.group, a.rank)
    drugs = regimen.split("+")
    received = bool(case.prior_drugs) and set(drugs) <= set(case.prior_drugs)
    reasons = [f"already received ({', '.join(case.name(d) for d in drugs)})"] if received else []
    reasons.append(_setting_reason(where, lead))
    reasons += [*lead.verdict.conflicts, *lead.verdict.needs, *lead.verdict.unstated]
    conflicting = sum(1 for a in found if a is not lead and a.verdict.conflicts)
    for a in others[:MAX_OTHER_CONFLICTS]:
        reasons += [f"{_where(a.study, a)}: {c}" for c in a.verdict.conflicts]
    if conflicting > MAX_OTHER_CONFLICTS:
        more = conflicting - MAX_OTHER_CONFLICTS
        reasons.append(f"and {more} more arm{'s' if more != 1 else ''} with a conflict")
    return Option(regimen, label, FIT_ORDER[lead.group], tuple(dict.fromkeys(reasons)), lead.study["id"], lead.key,
                  tuple(sorted(order, key=order.__getitem__)), received)


def _where(study: Record, arm: _Arm) -> str:
    """'RADIANT-3', or 'Vemurafenib in BRAF V600E PTC (NCT01286753), Cohort 2: prior multikinase inhibitor'."""
    return short_name(study) + (f", {arm.label}" if arm.role in ("cohort", "stratum") else "")


def _setting_reason(where: _Setting, lead: _Arm) -> str:
    own = lead.study["diseases"]
    if lead.setting == IN:
        return f"studied in {_shorts(where.tree, [d for d in own if d in where.named])} ({_where(lead.study, lead)})"
    if lead.setting == PARENT:
        return (f"studied in {_shorts(where.tree, [d for d in own if d in where.parents])}, broader than "
                f"{where.here} ({_where(lead.study, lead)})")
    return (f"studied only in {_shorts(where.tree, own)} ({_where(lead.study, lead)}): not {where.here}, a subtype "
            "of it or a broader disease")


def _shorts(tree: DiseaseTree, ids: list[str]) -> str:
    return ", ".join(dict.fromkeys(tree.short.get(d, d) for d in ids))
