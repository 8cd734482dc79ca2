"""The grade calculator, driven by the bounds printed in each grading system's rows.

For every criterion given, the rows whose bounds contain the value (or whose categories
contain the category) are found. `combine: highest` then takes the highest row any
criterion reaches (rows are ordered from low to high grade); the other criteria narrow it
when they can (well differentiated + Ki-67 > 20% -> NET G3 rather than NEC). When rows
of the same tier are told apart only by a criterion that was not given, both stay
candidates and the result says which criterion decides.

    >>> calculate(find_system(load_systems(store), "gep"), ki67=14, mitoses=3).grade
    'G2'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db.grading.tables import (
    DEFAULT_SYSTEM,
    TUMOUR_GRADE,
    Column,
    Criterion,
    GradingInputError,
    Row,
    System,
    find_system,
    load_systems,
    reference_tables,
    sites,
    tumour_grade_systems,
)

__all__ = [
    "DEFAULT_SYSTEM", "TUMOUR_GRADE", "Column", "Criterion", "Finding", "GradeResult", "GradingInputError", "Row",
    "System", "calculate", "evaluate", "find_system", "load_systems", "reference_tables", "sites",
    "tumour_grade_systems",
]

NAMES = {"ki67": "Ki-67", "mitoses": "mitoses", "necrosis": "necrosis", "differentiation": "differentiation"}
PLURAL = {"mitoses"}
LIMITS = {"ki67": (0.0, 100.0)}


def _num(v: float) -> str:
    return f"{v:.10g}"


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@dataclass(frozen=True)
class Finding:
    """What one criterion says: the rows whose printed bounds contain its value."""

    key: str
    name: str
    value: float | str
    value_text: str  # '14%', '3 per 2 mm²', 'punctate'
    rows: tuple[int, ...]
    grades: tuple[str, ...]
    printed: str  # the matching rows' printed bound, '3–20%'

    @property
    def text(self) -> str:
        if not self.rows:
            return f"{self.name} {self.value_text} falls in no row"
        grades = ", ".join(self.grades)
        if isinstance(self.value, str):
            return f"{self.name} {self.value_text}: {self.printed} ({grades})"
        verb = "fall" if self.key in PLURAL else "falls"
        return f"{self.name} {self.value_text} {verb} in {self.printed} ({grades})"

    @property
    def short(self) -> str:
        return f"{self.name} {self.value_text} → {' or '.join(self.grades)}"


@dataclass(frozen=True)
class GradeResult:
    system: System
    rows: tuple[int, ...]  # the matching row(s): one, or several when a missing criterion decides
    findings: tuple[Finding, ...]
    deciding: tuple[str, ...]  # keys of the criteria that set the grade
    concordant: bool
    rule: str  # the deciding rule in plain words
    warnings: tuple[str, ...]

    @property
    def grade(self) -> str | None:
        return " or ".join(self.system.rows[i].grade for i in self.rows) or None

    @property
    def label(self) -> str:
        return " or ".join(self.system.rows[i].label for i in self.rows) or "No grade"

    @property
    def edition(self) -> str:
        return self.system.edition

    @property
    def decided(self) -> bool:
        return len(self.rows) == 1

    def as_dict(self) -> dict[str, Any]:
        s = self.system
        return {
            "system": s.id, "edition": s.edition, "grade": self.grade, "label": self.label, "decided": self.decided,
            "candidates": [s.rows[i].grade for i in self.rows], "rule": self.rule,
            "deciding": list(self.deciding), "concordant": self.concordant, "warnings": list(self.warnings),
            "findings": [{"criterion": f.key, "value": f.value, "printed": f.printed, "grades": list(f.grades)}
                         for f in self.findings],
            "source": {"id": s.source_id, "short": s.source, "citation": s.citation, "locator": s.locator},
            "system_rule": s.rule,
        }


def calculate(system: System, ki67: float | None = None, mitoses: float | None = None,
              necrosis: str | None = None, differentiation: str | None = None) -> GradeResult:
    given = {"ki67": ki67, "mitoses": mitoses, "necrosis": necrosis, "differentiation": differentiation}
    return evaluate(system, {k: v for k, v in given.items() if v is not None})


def _checked(system: System, key: str, value: float | str, column: Column | None) -> float | str:
    name = NAMES.get(key, column.label if column else key)
    categories = system.categories(key)
    if categories:
        allowed = [v for v, _ in categories]
        if value not in allowed:
            raise GradingInputError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
        return value
    if column is None and isinstance(value, str):
        return value  # not a criterion of this system: reported and ignored
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise GradingInputError(f"{name} must be a number (got {value!r})")
    low, high = LIMITS.get(key, (0.0, math.inf))
    if number < low:
        raise GradingInputError(f"{name} cannot be negative (got {_num(number)})")
    if number > high:
        raise GradingInputError(f"{name} is a percentage: it must be between {_num(low)} and {_num(high)} "
                                f"(got {_num(number)})")
    return number


def _finding(system: System, key: str, value: float | str, column: Column) -> Finding:
    rows = tuple(i for i, r in enumerate(system.rows) if (c := r.criteria.get(key)) and c.contains(value))
    printed = " / ".join(dict.fromkeys(
        system.rows[i].criteria[key].printed if isinstance(value, str)
        else _with_unit(system.rows[i].criteria[key].printed, "%" if column.unit == "%" else None) for i in rows))
    value_text = value if isinstance(value, str) else _with_unit(_num(value), column.unit)
    return Finding(key, NAMES.get(key, column.label), value, value_text, rows,
                   tuple(system.rows[i].grade for i in rows), printed)


def qualifiers(system: System) -> set[str]:
    """Columns that only tell apart rows equal in every other column (differentiation: NET G3 vs NEC)."""
    out = set()
    keys = [c.key for c in system.columns]
    for i, a in enumerate(system.rows):
        for b in system.rows[i + 1:]:
            differ = [k for k in keys if a.criteria.get(k) != b.criteria.get(k)]
            if len(differ) == 1:
                out.add(differ[0])
    return out


def evaluate(system: System, given: Mapping[str, float | str]) -> GradeResult:
    if system.combine != "highest":
        raise GradingInputError(f"{system.name} is a reference table; the calculator needs a tumour grading system")
    warnings: list[str] = []
    findings: list[Finding] = []
    for key, raw in given.items():
        column = system.column(key)
        value = _checked(system, key, raw, column)
        if column is None:
            warnings.append(f"{NAMES.get(key, key)} is not a criterion of {system.edition}; ignored")
            continue
        f = _finding(system, key, value, column)
        if not f.rows:
            printed = ", ".join(f"{r.grade} {r.criteria[key].printed}" for r in system.rows if key in r.criteria)
            warnings.append(f"{f.name} {f.value_text} falls in no row of {system.edition} ({printed}); "
                            "it was left out: check the value")
        findings.append(f)
    if not findings:
        usable = ", ".join(NAMES.get(c.key, c.label) for c in system.columns)
        raise GradingInputError(f"give at least one criterion of {system.edition}: {usable}")
    scored = [f for f in findings if f.rows]
    if not scored:
        return GradeResult(system, (), tuple(findings), (), False, "No criterion falls in a row of the table.",
                           tuple(warnings))
    top = max(min(f.rows) for f in scored)
    deciders = [f for f in scored if min(f.rows) == top]
    candidates = set(deciders[0].rows)
    for f in deciders[1:] + [f for f in scored if f not in deciders]:
        candidates = (candidates & set(f.rows)) or candidates
    rows = tuple(sorted(candidates))
    warnings += _missing(system, rows, given, scored)
    lower = [f for f in scored if not candidates & set(f.rows)]
    rule = _rule(system, scored, deciders, lower)
    if len(rows) > 1:
        rule += f". {_undecided(system, rows, given)}"
    return GradeResult(system, rows, tuple(findings), tuple(f.key for f in deciders), not lower, rule,
                       tuple(warnings))


def _missing(system: System, rows: tuple[int, ...], given: Mapping[str, float | str],
             scored: list[Finding]) -> list[str]:
    """Criteria not given that could still raise the result to a higher tier of the table."""
    quals = qualifiers(system)

    def tier(r: Row) -> list[tuple[str, Criterion | None]]:
        return [(c.key, r.criteria.get(c.key)) for c in system.columns if c.key not in quals]

    tiers = [tier(system.rows[i]) for i in rows]
    higher = [r for r in system.rows[max(rows) + 1:] if tier(r) not in tiers]
    basis = " and ".join(f.name for f in scored)
    return [f"{NAMES.get(c.key, c.label)} not given: the result rests on {basis} alone; "
            f"{NAMES.get(c.key, c.label)} could raise it" for c in system.columns
            if c.key not in given and c.key not in quals and any(c.key in r.criteria for r in higher)]


def _rule(system: System, scored: list[Finding], deciders: list[Finding], lower: list[Finding]) -> str:
    if not lower:
        text = "; ".join(f.text for f in scored)
        return text + "; concordant" if len(scored) > 1 else text
    shown = [f for f in scored if f in deciders or f in lower]
    rest = [f for f in scored if f not in shown]
    noun = "grade" if any(r.grade[:1] == "G" and r.grade[1:].isdigit() for r in system.rows) else "category"
    degree = "higher" if len(shown) == 2 else "highest"
    text = (f"{', '.join(f.short for f in shown)}: discordant, the {degree} {noun} applies "
            f"({system.short_edition})")
    return "; ".join([text, *(f.text for f in rest)])


def _undecided(system: System, rows: tuple[int, ...], given: Mapping[str, float | str]) -> str:
    grades = " or ".join(system.rows[i].grade for i in rows)
    deciding = [c for c in system.columns if c.key not in given
                and len({str(system.rows[i].criteria.get(c.key)) for i in rows}) > 1]
    if not deciding:
        return f"{grades}: the table does not tell them apart"
    parts = [f"{c.label.lower()} decides ("
             + ", ".join(f"{system.rows[i].criteria[c.key].printed} → {system.rows[i].grade}"
                         for i in rows if c.key in system.rows[i].criteria) + ")" for c in deciding]
    return f"{grades}: " + "; ".join(parts)
