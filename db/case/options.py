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
therapy and in the evidence order no case changes (design, n, year), with the names a reason gives each arm; each
distinct list of diseases is placed, each distinct population judged and each (disease list, design, verdict)
ranked once, so that a therapy's arms are ranked and ordered by look-ups in C (`map`, `sorted`) with no Python
step per arm (docs/performance.md: the options of a case at 100 000 studies).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress, islice
from operator import getitem, itemgetter
from typing import Any, TypeVar

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
from db.presentation.evidence import setting_key
from db.presentation.who import Names
from db.store import Store

IN, PARENT, OTHER = "in", "parent", "other"
MAX_OTHER_CONFLICTS = 6  # conflicts of a therapy's other arms listed by name; the rest counted
SEPARATOR = "\x1f"  # db/building/case_rows.py SEPARATOR: between the names and the keys of a therapy's arms
DESIGNS = 7  # db/presentation/evidence.py design_rank: 0 (randomised phase 3) to 6 (design not stated)
NOTHING, NEEDS, CONFLICTING = 0, 1, 2  # the class of a verdict: what of it moves an arm's group
IS_CONFLICTING = (False, False, True)  # by the class of a verdict
GROUP_STEP, DESIGN_STEP = 1000, 10  # an arm's rank: its group and design rank times these, and more (`_place_rank`)

K = TypeVar("K")
V = TypeVar("V")


class _Lazy(dict[K, V]):
    """A table whose entries are worked out at their first look-up: after that, `map(table.__getitem__, ids)`
    runs in C."""

    def __init__(self, make: Callable[[K], V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: K) -> V:
        value = self[key] = self.make(key)
        return value


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
    """Where a list of diseases stands to the case: its setting, the words of the reason that names it around
    an arm's name, and, by the class of a verdict, the group of an arm of a study in it and the arm's rank but
    for its study's design."""

    diseases: list[str]
    setting: str
    reason: tuple[str, str]
    groups: tuple[int, int, int]
    ranks: tuple[float, float, float]


def _place_rank(group: int, steps: tuple[bool, bool, float]) -> float:
    """The order of a therapy's arms (group, then db/presentation/evidence.py `evidence_key`: not in the setting,
    design, not the named disease, minus the share) as one number, each step outweighing all that follow: the
    group by GROUP_STEP, not in the setting by 100, the design (0 to 6, added per arm) by DESIGN_STEP, not the named
    disease by 2, and the share, a ratio of small counts in [0, 1], as `1 - share`. Equal steps give equal
    numbers, and a stable sort on it keeps the stored order between them."""
    away, broader, part = steps
    return group * GROUP_STEP + away * 100 + broader * 2 + 1 + part


class _Judged:
    """The case's view of the family's disease lists, populations and kinds (disease list and design), each
    worked out at its first arm."""

    def __init__(self, store: Store, where: _Setting, judge: Judge) -> None:
        self.where, self.judge = where, judge
        self.lists = store.case.disease_lists
        self.populations = store.case.populations
        self.places: _Lazy[int, _Place] = _Lazy(self._place)  # by disease list id
        self.verdicts: _Lazy[str, Verdict] = _Lazy(self._verdict)  # by population id
        self.said: _Lazy[str, tuple[str, ...]] = _Lazy(self._said)  # by population id
        self.classes: _Lazy[str, int] = _Lazy(self._class)  # by population id
        # an arm's rank by its kind (disease list id times DESIGNS plus design), then by the class of its verdict
        self.ranks: _Lazy[str, tuple[float, float, float]] = _Lazy(self._ranks)

    def _place(self, diseases: int) -> _Place:
        own = self.lists[diseases]
        named, parents = self.where.named, self.where.parents
        setting = IN if named.intersection(own) else PARENT if parents.intersection(own) else OTHER
        groups = (_group(setting, needs=False, conflicts=False), _group(setting, needs=True, conflicts=False),
                  _group(setting, needs=False, conflicts=True))
        steps = setting_key(own, named, parents)
        return _Place(own, setting, _reason_words(self.where, own, setting), groups,
                      (_place_rank(groups[0], steps), _place_rank(groups[1], steps), _place_rank(groups[2], steps)))

    def _ranks(self, kind: str) -> tuple[float, float, float]:
        diseases, design = divmod(int(kind), DESIGNS)
        nothing, needs, conflicting = self.places[diseases].ranks
        step = design * DESIGN_STEP
        return nothing + step, needs + step, conflicting + step

    def _verdict(self, population: str) -> Verdict:
        return self.judge.verdict(_object(self.populations[int(population)]))

    def _said(self, population: str) -> tuple[str, ...]:
        """What the verdict on a population says of a lead arm, each once: conflicts, needs, unstated facts."""
        verdict = self.verdicts[population]
        return tuple(dict.fromkeys((*verdict.conflicts, *verdict.needs, *verdict.unstated)))

    def _class(self, population: str) -> int:
        """Whether the verdict on a population has a conflict, or else a need."""
        verdict = self.verdicts[population]
        return CONFLICTING if verdict.conflicts else NEEDS if verdict.needs else NOTHING


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
    places, verdicts, saying, classes, ranks = judged.places, judged.verdicts, judged.said, judged.classes, judged.ranks
    prior = frozenset(case.prior_drugs)
    # by group: the lead's rank, its study's place and its position among the therapy's arms in seed order, the
    # label, the option
    grouped: list[list[tuple[float, int, int, str, int, Option]]] = [[] for _ in FIT_ORDER]
    for row in store.case.family_therapies(tree.lineage(case.disease)[-1]):
        regimen, study_ids, study_places, seeds, kind_ids, population_ids, arm_names, arm_keys, label = row
        others: list[int] = []
        if " " not in population_ids:  # one arm: each list is its one item
            conflicting, lead_class = 0, classes[population_ids]
            rank, studies = ranks[kind_ids][lead_class], (study_ids,)
            lead = (kind_ids, population_ids, arm_names, study_ids, arm_keys, study_places, seeds)
        else:
            populations, kinds = population_ids.split(), kind_ids.split()
            arm_classes = list(map(classes.__getitem__, populations))
            arm_ranks = list(map(getitem, map(ranks.__getitem__, kinds), arm_classes))
            order = sorted(range(len(arm_ranks)), key=arm_ranks.__getitem__)  # stable: the stored order breaks ties
            first = order[0]
            lead_class, rank = arm_classes[first], arm_ranks[first]
            conflicting = arm_classes.count(CONFLICTING) - IS_CONFLICTING[lead_class]
            if conflicting:
                rest = order[1:]
                others = list(islice(compress(rest, map(IS_CONFLICTING.__getitem__, map(arm_classes.__getitem__,
                                                                                         rest))), MAX_OTHER_CONFLICTS))
            study_list = study_ids.split()
            studies = tuple(dict.fromkeys(itemgetter(*order)(study_list)))
            lead = (kinds[first], populations[first], _nth(arm_names, first, SEPARATOR), study_list[first],
                    _nth(arm_keys, first, SEPARATOR), _nth(study_places, first), _nth(seeds, first))
        lead_kind, lead_population, lead_name, lead_study, lead_key, lead_place, lead_seed = lead
        place, said = places[int(lead_kind) // DESIGNS], saying[lead_population]
        setting = lead_name.join(place.reason)
        received = bool(prior) and prior.issuperset(regimen.split("+"))
        if received or conflicting:
            reasons = [f"already received ({', '.join(case.name(d) for d in regimen.split('+'))})"] if received else []
            reasons += [setting, *said]
            if others:
                shown = arm_names.split(SEPARATOR)
                for i in others:
                    reasons += [f"{shown[i]}: {c}" for c in verdicts[populations[i]].conflicts]
            if conflicting > MAX_OTHER_CONFLICTS:
                more = conflicting - MAX_OTHER_CONFLICTS
                reasons.append(f"and {more} more arm{'s' if more != 1 else ''} with a conflict")
            said = tuple(dict.fromkeys(reasons))
        else:  # the setting, then what the lead's verdict says (said once already)
            said = (setting, *said) if setting not in said else tuple(dict.fromkeys((setting, *said)))
        group = place.groups[lead_class]
        option = Option(regimen, label, FIT_ORDER[group], said, lead_study, lead_key, studies, received)
        # the lead's evidence order, then its place among the therapy's arms in seed order
        grouped[group].append((rank, int(lead_place), int(lead_seed), label, len(grouped[group]), option))
    return CaseOptions(case, tuple(Group(fit, GROUP_TITLES[fit], tuple(e[-1] for e in sorted(found)))
                                   for fit, found in zip(FIT_ORDER, grouped, strict=True)))


def _nth(items: str, n: int, separator: str = " ") -> str:
    """The `n`th of a list the build joined, split no further than it."""
    return items.split(separator, n + 1)[n]


def setting_reason(where: _Setting, diseases: list[str], setting: str, arm: str) -> str:
    """The reason that says where a therapy was studied, naming its lead arm (db/presentation/identifiers.py
    `arm_name`): 'studied in pNET (RADIANT-3)'."""
    return arm.join(_reason_words(where, diseases, setting))


def _reason_words(where: _Setting, own: list[str], setting: str) -> tuple[str, str]:
    if setting == IN:
        return f"studied in {_shorts(where.tree, [d for d in own if d in where.named])} (", ")"
    if setting == PARENT:
        return (f"studied in {_shorts(where.tree, [d for d in own if d in where.parents])}, broader than "
                f"{where.here} (", ")")
    return (f"studied only in {_shorts(where.tree, own)} (", f"): not {where.here}, a subtype of it or a broader "
            "disease")


def _shorts(tree: DiseaseTree, ids: list[str]) -> str:
    return ", ".join(dict.fromkeys(tree.short.get(d, d) for d in ids))
