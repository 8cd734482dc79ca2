"""Grading systems and reference tables (WHO grades, RECIST 1.1, ECOG, ...) as typed objects.

Every bound the calculator uses comes from these objects, which come from the seeds:
change a threshold in seeds/grading/ and the calculator follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from db.store import Store

TUMOUR_GRADE = "tumour_grade"
# The edition used when the user names none, per site.
# the editions the sources print (the everolimus review's Table 1) first; WHO 2019 is a public standard beside them
DEFAULT_SYSTEM = {"gep": "who-enets-2010-gep", "lung": "who-2015-lung-thymus"}
SITE_LABELS = {"gep": "GEP NEN (gastroenteropancreatic)", "lung": "Lung and thymus NEN", "thyroid": "Thyroid"}


class GradingInputError(ValueError):
    """Input the calculator cannot use: an impossible value, an unknown edition or category."""


@dataclass(frozen=True)
class Criterion:
    printed: str
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    values: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return any(b is not None for b in (self.gt, self.ge, self.lt, self.le))

    def contains(self, value: float | str) -> bool:
        if isinstance(value, str):
            return value in self.values
        if not self.numeric:
            return False
        return ((self.gt is None or value > self.gt) and (self.ge is None or value >= self.ge)
                and (self.lt is None or value < self.lt) and (self.le is None or value <= self.le))

    def bounds(self) -> list[float]:
        return [b for b in (self.gt, self.ge, self.lt, self.le) if b is not None]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str | None = None

    @property
    def header(self) -> str:
        """The label, and the unit on a second line."""
        return f"{self.label}\n({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Row:
    grade: str
    label: str
    criteria: dict[str, Criterion]
    description: str | None = None


@dataclass(frozen=True)
class System:
    id: str
    name: str
    kind: str
    edition: str
    site: str | None
    rule: str | None
    combine: str | None
    note: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    source_id: str
    source: str  # the source's short name
    citation: str
    locator: str
    source_kind: str = ""  # "standard": a public standard, not one of the curated documents

    @property
    def choice(self) -> str:
        """The edition with where it comes from, for a list of editions: 'WHO 2010 / ENETS · Cancer Manag Res
        2017, Table 1'; a public standard says it is not one of the sources."""
        if self.source_kind == "standard":
            return f"{self.edition} · public standard, not one of the sources"
        return f"{self.edition} · {self.source}, {self.locator}"

    @property
    def short_edition(self) -> str:
        """'WHO 2019 (5th edition)' -> 'WHO 2019'."""
        return re.sub(r"\s*\(.*?\)", "", self.edition).strip() or self.edition

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def row_index(self, grade: str) -> int | None:
        wanted = grade.casefold()
        return next((i for i, r in enumerate(self.rows) if r.grade.casefold() == wanted), None)

    def categories(self, key: str) -> list[tuple[str, str]]:
        """The (value, printed text) pairs a categorical column accepts, in row order."""
        out: dict[str, str] = {}
        for r in self.rows:
            c = r.criteria.get(key)
            for v in c.values if c else ():
                out.setdefault(v, c.printed if c else v)
        return list(out.items())


def _criterion(raw: dict[str, Any]) -> Criterion:
    def num(key: str) -> float | None:
        v = raw.get(key)
        return None if v is None else float(v)

    return Criterion(str(raw.get("printed", "")), num("gt"), num("ge"), num("lt"), num("le"),
                     tuple(str(v) for v in raw.get("values") or ()))


def load_systems(store: Store) -> list[System]:
    """Every grading system and reference table, in the dataset's order."""
    sources = {s["id"]: s for s in store.sources()}
    out = []
    for g in store.grading_systems():
        src = sources.get(g["source_id"])
        out.append(System(
            id=g["id"], name=g["name"], kind=g["kind"], edition=g["edition"], site=g["site"], rule=g["rule"],
            combine=g["combine"], note=g["note"],
            columns=tuple(Column(c["key"], c["label"], c.get("unit")) for c in g["columns"]),
            rows=tuple(Row(r["grade"], r["label"], {k: _criterion(v) for k, v in r["criteria"].items()},
                           r["description"]) for r in g["rows"]),
            source_id=g["source_id"], source=src["short"] if src else str(g["source_id"]),
            citation=src["citation"] if src else "", locator=g["locator"], source_kind=src["kind"] if src else ""))
    return out


def tumour_grade_systems(systems: list[System], site: str | None = None) -> list[System]:
    """Tumour grading systems, GEP before lung and each site's default edition first."""
    order = list(DEFAULT_SYSTEM)
    graded = [s for s in systems if s.kind == TUMOUR_GRADE and (site is None or s.site == site)]
    return sorted(graded, key=lambda s: (order.index(s.site) if s.site in order else len(order),
                                         s.id != DEFAULT_SYSTEM.get(s.site or "")))


def reference_tables(systems: list[System]) -> list[System]:
    """RECIST 1.1, ECOG and the other look-up tables that are not tumour grades."""
    return [s for s in systems if s.kind != TUMOUR_GRADE]


def sites(systems: list[System]) -> list[str]:
    return list(dict.fromkeys(s.site for s in tumour_grade_systems(systems) if s.site))


def find_system(systems: list[System], site: str | None = None, edition: str | None = None) -> System:
    """The tumour-grade system for a site and an edition, given as a system id or a prefix of
    the edition text or of one of its words ('2010' finds 'WHO 2010 / ENETS')."""
    graded = tumour_grade_systems(systems)
    pool = tumour_grade_systems(systems, site) if site else graded
    if site and not pool:
        raise GradingInputError(f"no grading system for site {site!r}; sites: {', '.join(sites(systems))}")
    if not edition:
        wanted = DEFAULT_SYSTEM.get(site or "gep")
        return next((s for s in pool if s.id == wanted), pool[0])
    q = edition.strip().casefold()
    exact = [s for s in pool if s.id == q]
    found = exact or [s for s in pool if s.id.startswith(q) or s.edition.casefold().startswith(q)
                      or re.search(r"(?<!\w)" + re.escape(q), s.edition.casefold())]
    if len(found) == 1:
        return found[0]
    choices = "; ".join(f"{s.id} ({s.edition})" for s in pool)
    if found:
        raise GradingInputError(f"edition {edition!r} is ambiguous: it matches "
                                f"{', '.join(s.id for s in found)}; choose one of: {choices}")
    elsewhere = [s for s in graded if s.id == q]
    if elsewhere:
        raise GradingInputError(f"{elsewhere[0].id} is a {elsewhere[0].site} system, not {site}")
    raise GradingInputError(f"no {site + ' ' if site else ''}edition matches {edition!r}; choose one of: {choices}")
