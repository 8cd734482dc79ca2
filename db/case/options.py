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

One read of the family's arms under test, from rows the build wrote for it (db/building/case_rows.py), by
therapy and in the evidence order no case changes (design, n, year); each distinct list of diseases is placed
and each distinct population judged once, and only the arms the reasons name are read by name (docs/
performance.md: the options of a case at 100 000 studies).
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
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
from db.presentation.evidence import setting_key
from db.presentation.identifiers import short_name
from db.presentation.who import Names
from db.store import Store

IN, PARENT, OTHER = "in", "parent", "other"
MAX_OTHER_CONFLICTS = 6  # conflicts of a therapy's other arms listed by name; the rest counted

_Named = tuple[str, str, str, str, str, str | None, str | None]  # store.case.arms_named
DESIGNS = 7  # db/presentation/evidence.py design_rank: 0 (randomised phase 3) to 6 (design not stated)
NOTHING, NEEDS, CONFLICTING = 0, 1, 2  # the class of a verdict: what of it moves an arm's group


@dataclass(slots=True)
class _Arm:
    study: Record
    key: str
    label: str
    role: str
    setting: str
    verdict: Verdict


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


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a list of diseases stands to the case: its setting, and the evidence order's steps it sets."""

    diseases: list[str]
    setting: str
    groups: tuple[int, int, int]  # the group of an arm of a study in it, by the class of its verdict
    steps: tuple[bool, bool, float]  # db/presentation/evidence.py setting_key


class _Judged:
    """The case's view of the family's disease lists and populations, each worked out at its first arm."""

    def __init__(self, store: Store, where: _Setting, judge: Judge) -> None:
        self.where, self.judge = where, judge
        self.lists = store.case.disease_lists()
        self.populations = store.case.populations()
        self.places: dict[int, _Place] = {}
        self.kinds: dict[str, tuple[tuple[Any, ...], ...]] = {}
        self.verdicts: dict[str, tuple[Verdict, int]] = {}

    def place(self, diseases: int) -> _Place:
        found = self.places.get(diseases)
        if found is None:
            own = self.lists[diseases]
            named, parents = self.where.named, self.where.parents
            setting = IN if named.intersection(own) else PARENT if parents.intersection(own) else OTHER
            groups = (_group(setting, needs=False, conflicts=False), _group(setting, needs=True, conflicts=False),
                      _group(setting, needs=False, conflicts=True))
            found = self.places[diseases] = _Place(own, setting, groups, setting_key(own, named, parents))
        return found

    def kind(self, kind: str) -> tuple[tuple[Any, ...], ...]:
        """An arm's key in the order, by the class of its verdict: (group, not in the setting, design, not the
        named disease, minus its share); `kind` is the study's disease list's id times DESIGNS plus its design."""
        diseases, design = divmod(int(kind), DESIGNS)
        p = self.place(diseases)
        away, broader, part = p.steps
        found = self.kinds[kind] = tuple((group, away, design, broader, part) for group in p.groups)
        return found

    def verdict(self, population: str) -> tuple[Verdict, int]:
        """The verdict on a population, and its class: whether it has a conflict, or else a need."""
        verdict = self.judge.verdict(_object(self.populations[int(population)]))
        cls = CONFLICTING if verdict.conflicts else NEEDS if verdict.needs else NOTHING
        found = self.verdicts[population] = (verdict, cls)
        return found


def _object(text: str | None) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _group(setting: str, needs: bool, conflicts: bool) -> int:
    if setting == OTHER:
        return FIT_ORDER.index(OTHER_SETTING)
    if conflicts:
        return FIT_ORDER.index(CONFLICTS)
    if setting == PARENT or needs:
        return FIT_ORDER.index(PARTLY)
    return FIT_ORDER.index(FITS)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The options of a case at 100 000 studies make some 100 000 short-lived lists and tuples and no reference
    cycle: the cyclic collector's passes meanwhile (20-100 ms at that scale) would find nothing, so it waits
    until they are built. It is left as it was found: the window's worker runs with it off already
    (desktop/gc_guard.py)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def case_options(store: Store, case: Case) -> CaseOptions:
    """The case's options in four groups (fits, partly, conflicts, other setting), each in the evidence order."""
    with _collector_paused():
        return _case_options(store, case)


def _case_options(store: Store, case: Case) -> CaseOptions:
    tree = store.disease_tree
    named, parents = tree.setting(case.disease)
    where = _Setting(tree, case.disease, frozenset(named), frozenset(parents))
    names = Names.of(store)
    judged = _Judged(store, where, Judge(case, names.classes, names.markers))
    kinds, verdicts = judged.kinds, judged.verdicts
    # each therapy: its studies in its arms' order (group, then evidence); the lead and the first other arms with
    # a conflict, which its reasons name (arm id, study id, kind, population); how many arms have one; the lead's
    # key, place and position in seed order
    therapies = []
    for regimen, studies, arms, places, seeds, kind_ids, population_ids in store.case.family_therapies(
            tree.lineage(case.disease)[-1]):
        populations = population_ids.split()
        classes = [(verdicts.get(p) or judged.verdict(p))[1] for p in populations]
        kind_list = kind_ids.split()
        keys = [(kinds.get(k) or judged.kind(k))[c] for k, c in zip(kind_list, classes, strict=True)]
        order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: the stored order breaks ties
        ids, arm_ids = studies.split(), arms.split()
        conflicting = [i for i in order[1:] if classes[i] == CONFLICTING]
        first = order[0]
        chosen = [(int(arm_ids[i]), ids[i], kind_list[i], populations[i])
                  for i in (first, *conflicting[:MAX_OTHER_CONFLICTS])]
        therapies.append((regimen, [ids[i] for i in order], chosen, len(conflicting), keys[first],
                          int(places.split()[first]), int(seeds.split()[first])))
    shown = store.case.arms_named({a[0] for t in therapies for a in t[2]})
    grouped: dict[str, list[tuple[tuple[Any, ...], str, Option]]] = defaultdict(list)
    for regimen, ordered, chosen, conflicting_count, key, place, seed in therapies:
        lead, *others = [_arm(a, shown[a[0]], judged.place(int(a[2]) // DESIGNS), verdicts[a[3]][0])
                         for a in chosen]
        option = _option(where, case, regimen, shown[chosen[0][0]][3], key[0], ordered, lead, others,
                         conflicting_count)
        # the lead's evidence order, then its place among the therapy's arms in seed order
        grouped[option.fit].append(((*key[1:], place, seed), option.label, option))
    return CaseOptions(case, tuple(Group(fit, GROUP_TITLES[fit], tuple(o for *_k, o in sorted(grouped[fit])))
                                   for fit in FIT_ORDER))


def _arm(arm: tuple[int, str, str, str], shown: _Named, place: _Place, verdict: Verdict) -> _Arm:
    key, label, role, _regimen_label, name, acronym, registry = shown
    study: Record = {"id": arm[1], "name": name, "acronym": acronym, "diseases": place.diseases}
    if registry is not None:
        study["identifiers"] = [{"kind": "acronym", "value": registry}]
    return _Arm(study, key, label, role, place.setting, verdict)


def _option(where: _Setting, case: Case, regimen: str, label: str, group: int, studies: list[str], lead: _Arm,
            others: list[_Arm], conflicting: int) -> Option:
    """`studies`: the therapy's arms' studies in the order of their arms (group, then evidence); `others`: the
    first of its other arms with a conflict, `conflicting` how many there are."""
    drugs = regimen.split("+")
    received = bool(case.prior_drugs) and set(drugs) <= set(case.prior_drugs)
    reasons = [f"already received ({', '.join(case.name(d) for d in drugs)})"] if received else []
    reasons.append(_setting_reason(where, lead))
    reasons += [*lead.verdict.conflicts, *lead.verdict.needs, *lead.verdict.unstated]
    for a in others[:MAX_OTHER_CONFLICTS]:
        reasons += [f"{_where(a.study, a)}: {c}" for c in a.verdict.conflicts]
    if conflicting > MAX_OTHER_CONFLICTS:
        more = conflicting - MAX_OTHER_CONFLICTS
        reasons.append(f"and {more} more arm{'s' if more != 1 else ''} with a conflict")
    return Option(regimen, label, FIT_ORDER[group], tuple(dict.fromkeys(reasons)), lead.study["id"], lead.key,
                  tuple(dict.fromkeys(studies)), received)


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
