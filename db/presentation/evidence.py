"""The evidence order: which study leads for a therapy in a setting.

One function, used by the handout's lead study, the Compare grid, the window's search
ranking and the Trials table's default sort, so they never disagree:

1. whether the study is in the setting at all: the named disease, one of its subtypes or
   one of its parents (pancreatic NET, GEP-NET, NET) before an unrelated disease;
2. design: randomised phase 3, other phase 3, randomised phase 2, single-arm phase 2,
   phase 1, observational, design not stated;
3. the named disease itself (or a subtype) before a parent;
4. the larger share of the study's diseases that are the named one (RADIANT-4, lung and GI NET,
   before RADIANT-2, functional, GEP and lung NET, for lung NET);
5. the larger n (enrolled, else evaluable, else the largest arm, as printed);
6. the more recent year.

A therapy's lead study is the first in this order among the studies that test it: an arm whose
regimen is the therapy's and whose role is experimental, single, cohort or stratum
(`tested_arms`). A study where the therapy is only the control arm, or part of a pooled arm, never
speaks for it (`lead`), on page 1, in Compare, or when a drug hit opens a study.

    >>> design_rank({"phase": "3", "kind": "randomized trial"})
    0
    >>> design_rank({"phase": "3", "kind": "trial, design not stated", "design": {"allocation": "randomised"}})
    0
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from db.dataset.record import Row

S = TypeVar("S", bound=Row)

PHASE_3 = {"3", "2-3", "4"}
PHASE_2 = {"2", "1-2", "1b-2"}
PHASE_1 = {"1", "1b"}
TESTED_ROLES = frozenset({"experimental", "single", "cohort", "stratum"})
OBSERVATIONAL_KINDS = {"real-world series", "retrospective series", "compassionate use", "expanded access"}


def is_randomised(study: Row) -> bool:
    """Randomised as the design text says it: from the design's allocation where the study has a design
    (the seed check holds the kind to it), else from the kind.

    >>> is_randomised({"kind": "trial, design not stated", "design": {"allocation": "not stated"}})
    False
    """
    design = study.get("design") or {}
    if "allocation" in design:
        return bool(design["allocation"] == "randomised")
    return bool(study["kind"] == "randomized trial")


def design_rank(study: Row) -> int:
    """0 (randomised phase 3) to 6 (design not stated): the second step of the order."""
    phase, kind = study["phase"], study["kind"]
    randomised = is_randomised(study)
    if kind in OBSERVATIONAL_KINDS or phase == "observational":
        return 5
    if phase in PHASE_3:
        return 0 if randomised else 1
    if phase in PHASE_2:
        return 2 if randomised else 3
    if phase in PHASE_1:
        return 4
    return 2 if randomised else 6



def size(study: Row) -> float:
    """The n the order compares: enrolled, else evaluable, else the largest arm (never a sum)."""
    for key in ("enrolled", "evaluable"):
        if study.get(key) is not None:
            return float(study[key])
    arms = [a["n"] for a in study.get("arms", ()) if a.get("n") is not None]
    return float(max(arms)) if arms else -1.0


def evidence_key(study: Row, named: Collection[str] = (), parents: Collection[str] = ()) -> tuple[Any, ...]:
    """Sort key, best first. `named`: the chosen disease and its subtypes; `parents`: its ancestors.
    Without a setting (both empty) only design, n and year count."""
    away, broader, part = setting_key(study.get("diseases", ()), named, parents)
    return (away, *placed_key(study, broader, part))


def setting_key(diseases: Collection[str], named: Collection[str] = (),
                parents: Collection[str] = ()) -> tuple[bool, bool, float]:
    """The steps of the order that depend on the setting (1, 3 and 4): (not in the setting, not the named
    disease, minus the share of the named disease)."""
    own = set(diseases)
    in_named = bool(own & set(named))
    in_setting = in_named or bool(own & set(parents)) or not (named or parents)
    return (not in_setting, not in_named and bool(named), -share(own, named))


def placed_key(study: Row, broader: bool = False, part: float = -0.0) -> tuple[Any, ...]:
    """The order after its first step: design, then the setting's steps 3 and 4 (`setting_key`), then n,
    year and seed order. With the setting's steps left at their defaults, the order of every study in no
    setting (db/building/case_rows.py numbers the studies by it: within one setting it is the whole order)."""
    year = int(study["year"]) if str(study.get("year") or "").isdigit() else 0
    return (design_rank(study), broader, part, -size(study), -year, study.get("ord", 0))


def share(diseases: Collection[str], named: Collection[str]) -> float:
    """How much of a study is about the chosen disease: the part of its diseases that are it or its subtypes.
    RADIANT-4 (lung and GI NET) is more a lung NET trial than RADIANT-2 (functional, GEP and lung NET)."""
    own = set(diseases)
    return len(own & set(named)) / len(own) if own and named else 0.0


def in_setting(study: Row, named: Collection[str], parents: Collection[str]) -> bool:
    return bool(set(study.get("diseases", ())) & (set(named) | set(parents)))


def tested_arms(study: Row, key: str) -> list[Any]:
    """The arms of `study` that give regimen `key` as the therapy under test (a `StudyRecord`'s are
    `ArmRecord`s; the lead-study query's partial rows hold only role, regimen key and n)."""
    return [a for a in study["arms"] if a["regimen_key"] == key and a["role"] in TESTED_ROLES]


def tests(study: Row, key: str) -> bool:
    return bool(tested_arms(study, key))


def lead(studies: Iterable[S], key: str, named: Collection[str] = (),
         parents: Collection[str] = ()) -> tuple[S, Any] | None:
    """The lead study of regimen `key` and its arm under test: the first in the evidence order among
    the studies that test it; None when no study does (it may still be a control arm somewhere)."""
    ranked = sorted((s for s in studies if tests(s, key)), key=lambda s: evidence_key(s, named, parents))
    return (ranked[0], tested_arms(ranked[0], key)[0]) if ranked else None


def status_text(status: str) -> str:
    """A study's status as a reader takes it: 'completed', 'recruiting'; the seeds' 'unknown' (the source
    does not say) never stands alone: 'status not stated'.

    >>> status_text("unknown"), status_text("completed")
    ('status not stated', 'completed')
    """
    return "status not stated" if status == "unknown" else status


ALLOCATIONS = {"randomised": "rand.", "non-randomised": "non-rand.", "single-arm": "single-arm"}  # short form
GROUP_NOUNS = {"arms": ("arm", "arms"), "cohorts": ("cohort", "cohorts"), "strata": ("stratum", "strata")}


def design_text(study: Row, short: bool = False) -> str:
    """The design in a few words, from the seed's design fields (allocation, groups) and the phase or kind:
    'randomised phase 3', 'non-randomised phase 2, 3 arms', 'single-arm phase 2', 'phase 1', 'observational'.
    'single-arm' only where the allocation says so (never from the number of arms or the kind); the
    number of groups where it tells something: a non-randomised or single-arm study's above one, a
    randomised one's above two, and, where the allocation is not stated, any number above one, said so.
    `short`: the table's Phase column ('3, rand.', '2, 3 arms'); its tooltip gives the whole text.

    >>> design_text({"phase": "2", "kind": "non-randomized trial",
    ...              "design": {"allocation": "non-randomised", "groups": "3", "group_kind": "arms"}})
    'non-randomised phase 2, 3 arms'
    >>> luna = {"phase": "2", "kind": "trial, design not stated",
    ...         "design": {"allocation": "not stated", "groups": "3", "group_kind": "arms"}}
    >>> design_text(luna), design_text(luna, short=True)
    ('phase 2, 3 arms (allocation not stated)', '2, 3 arms')
    >>> design_text({"phase": "2", "kind": "single-arm trial", "design": {"allocation": "not stated"}})
    'phase 2'
    """
    phase, kind = study["phase"], study["kind"]
    if kind in OBSERVATIONAL_KINDS or phase == "observational":
        return "observational"
    design = study.get("design") or {}
    allocation = design.get("allocation")
    prefix = allocation if allocation in ALLOCATIONS else ""
    groups, nouns = str(design.get("groups") or ""), GROUP_NOUNS.get(design.get("group_kind") or "")
    count = int(groups) if groups.isdigit() and nouns else 0
    shown = count > (2 if allocation == "randomised" else 1)
    said = f"{count} {nouns[count != 1]}" if shown and nouns else ""
    if short:
        parts = [phase if phase != "not stated" else "", ALLOCATIONS.get(str(allocation), "") or said]
        return ", ".join(p for p in parts if p) or "not stated"
    if phase != "not stated":
        label = f"{prefix} phase {phase}".strip()
    else:
        label = f"{prefix} trial" if prefix else "design not stated"
    if said:
        label += f", {said}" + ("" if prefix else " (allocation not stated)")
    return label
