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

    >>> design_rank({"phase": "3", "kind": "randomized trial"})
    0
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

Record = dict[str, Any]

DESIGNS = (
    "randomised phase 3", "other phase 3", "randomised phase 2", "single-arm phase 2", "phase 1",
    "observational", "design not stated",
)
PHASE_3 = {"3", "2-3", "4"}
PHASE_2 = {"2", "1-2", "1b-2"}
PHASE_1 = {"1", "1b"}
OBSERVATIONAL_KINDS = {"real-world series", "retrospective series", "compassionate use", "expanded access"}


def design_rank(study: Record) -> int:
    """0 (randomised phase 3) to 6 (design not stated): the second step of the order."""
    phase, kind = study["phase"], study["kind"]
    randomised = kind == "randomized trial"
    if kind in OBSERVATIONAL_KINDS or phase == "observational":
        return 5
    if phase in PHASE_3:
        return 0 if randomised else 1
    if phase in PHASE_2:
        return 2 if randomised else 3
    if phase in PHASE_1:
        return 4
    return 2 if randomised else 6


def design_label(study: Record) -> str:
    return DESIGNS[design_rank(study)]


def size(study: Record) -> float:
    """The n the order compares: enrolled, else evaluable, else the largest arm (never a sum)."""
    for key in ("enrolled", "evaluable"):
        if study.get(key) is not None:
            return float(study[key])
    arms = [a["n"] for a in study.get("arms", ()) if a.get("n") is not None]
    return float(max(arms)) if arms else -1.0


def evidence_key(study: Record, named: Collection[str] = (), parents: Collection[str] = ()) -> tuple[Any, ...]:
    """Sort key, best first. `named`: the chosen disease and its subtypes; `parents`: its ancestors.
    Without a setting (both empty) only design, n and year count."""
    diseases = set(study.get("diseases", ()))
    in_named = bool(diseases & set(named))
    in_setting = in_named or bool(diseases & set(parents)) or not (named or parents)
    year = int(study["year"]) if str(study.get("year") or "").isdigit() else 0
    return (not in_setting, design_rank(study), not in_named and bool(named), -share(diseases, named), -size(study),
            -year, study.get("ord", 0))


def share(diseases: Collection[str], named: Collection[str]) -> float:
    """How much of a study is about the chosen disease: the part of its diseases that are it or its subtypes.
    RADIANT-4 (lung and GI NET) is more a lung NET trial than RADIANT-2 (functional, GEP and lung NET)."""
    own = set(diseases)
    return len(own & set(named)) / len(own) if own and named else 0.0


def in_setting(study: Record, named: Collection[str], parents: Collection[str]) -> bool:
    return bool(set(study.get("diseases", ())) & (set(named) | set(parents)))


GROUP_NOUNS = {"arms": ("arm", "arms"), "cohorts": ("cohort", "cohorts"), "strata": ("stratum", "strata")}


def design_text(study: Record) -> str:
    """The design in a few words, from the seed's design fields (allocation, groups) and the phase or kind:
    'randomised phase 3', 'non-randomised phase 2, 3 arms', 'single-arm phase 2', 'phase 1', 'observational'.
    'single-arm' only where the allocation says so (never from the number of arms or the kind); the
    number of groups where it tells something: a non-randomised study's, a randomised one's above two.

    >>> design_text({"phase": "2", "kind": "non-randomized trial",
    ...              "design": {"allocation": "non-randomised", "groups": "3", "group_kind": "arms"}})
    'non-randomised phase 2, 3 arms'
    """
    phase, kind = study["phase"], study["kind"]
    if kind in OBSERVATIONAL_KINDS or phase == "observational":
        return "observational"
    design = study.get("design") or {}
    allocation = design.get("allocation")
    prefix = allocation if allocation in ("randomised", "non-randomised", "single-arm") else ""
    if phase != "not stated":
        label = f"{prefix} phase {phase}".strip()
    else:
        label = f"{prefix} trial" if prefix else "design not stated"
    groups, nouns = str(design.get("groups") or ""), GROUP_NOUNS.get(design.get("group_kind") or "")
    if groups.isdigit() and nouns and (allocation == "non-randomised" or (allocation == "randomised"
                                                                           and int(groups) > 2)):
        label += f", {groups} {nouns[int(groups) != 1]}"
    return label
