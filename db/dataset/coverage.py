"""What is curated from each source document, table by table, and how many studies state each field
of who was treated and how the study was built, for a reviewer."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from db.dataset.model import Cite, Dataset, Study
from db.dataset.population import Item, state
from db.dataset.vocab import NOT_STATED

_TABLE = re.compile(r"\bTable\s+(\d+)", re.IGNORECASE)


@dataclass
class Cell:
    studies: set[str] = field(default_factory=set)
    arms: set[str] = field(default_factory=set)
    outcomes: int = 0
    adverse_events: int = 0

    def add(self, other: Cell) -> None:
        self.studies |= other.studies
        self.arms |= other.arms
        self.outcomes += other.outcomes
        self.adverse_events += other.adverse_events


def place(at: str) -> str:
    """'Table 4' for anything citing a table, otherwise 'text'."""
    tables = _TABLE.findall(at)
    return f"Table {tables[0]}" if tables else "text"


def coverage(ds: Dataset) -> dict[str, dict[str, Cell]]:
    """source id -> place ('Table N' or 'text') -> what is curated from there."""
    cov: dict[str, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))

    def mark(cite: Cite, study: str, arm: str | None, kind: str | None) -> None:
        cell = cov[cite.source][place(cite.at)]
        cell.studies.add(study)
        if arm:
            cell.arms.add(f"{study}/{arm}")
        if kind == "outcome":
            cell.outcomes += 1
        elif kind == "adverse_event":
            cell.adverse_events += 1

    for s in ds.studies:
        mark(s.cite, s.id, None, None)
        for a in s.arms:
            for o in a.outcomes:
                mark(o.cite, s.id, a.key, "outcome")
            for ae in a.adverse_events:
                mark(ae.cite, s.id, a.key, "adverse_event")
            if not a.outcomes and not a.adverse_events:
                mark(s.cite, s.id, a.key, None)
        for c in s.comparisons:
            mark(c.cite, s.id, None, "outcome")
    return cov


def _sort_key(where: str) -> tuple[bool, int]:
    return (where == "text", int(where.split()[1]) if where != "text" else 0)


POPULATION_FIELDS = ("line", "prior", "markers", "functional", "sstr", "grades", "progression")
ENDPOINT_FIELDS = ("os", "crossover")
DESIGN_FIELDS = ("allocation", "groups", "blinding")
FIELDS = (*POPULATION_FIELDS, "primary result", *ENDPOINT_FIELDS, *DESIGN_FIELDS)


def field_state(study: Study, name: str) -> str:
    """'stated', 'not stated' or 'absent' for one of FIELDS (the study's own objects, not its arms')."""
    if name in POPULATION_FIELDS:
        return state(study.population.entries.get(name)) if study.population else "absent"
    if name in DESIGN_FIELDS:
        value = study.design.fields.get(name) if study.design else None
        return "absent" if value is None else NOT_STATED if value == NOT_STATED else "stated"
    entries = study.endpoints.entries if study.endpoints else {}
    if name == "primary result":
        primary = entries.get("primary")
        if isinstance(primary, Item):
            return NOT_STATED if primary.text("result") == NOT_STATED else "stated"
        return state(primary)
    return state(entries.get(name))


def field_counts(ds: Dataset) -> dict[str, dict[str, int]]:
    """field -> {'stated': n, 'not stated': n, 'absent': n} over the studies."""
    out = {name: dict.fromkeys(("stated", NOT_STATED, "absent"), 0) for name in FIELDS}
    for study in ds.studies:
        for name in FIELDS:
            out[name][field_state(study, name)] += 1
    return out


def fields_report(ds: Dataset) -> str:
    counts = field_counts(ds)
    lines = [f"{'field':<16} {'stated':>7} {'not stated':>11} {'absent':>7}"]
    for name, c in counts.items():
        lines.append(f"{name:<16} {c['stated']:>7} {c[NOT_STATED]:>11} {c['absent']:>7}")
    return "\n".join(lines)


def coverage_report(ds: Dataset) -> str:
    cov = coverage(ds)
    lines = [f"{'source':<12} {'place':<10} {'studies':>7} {'arms':>5} {'outcomes':>8} {'AEs':>5}"]
    total = Cell()
    order = {s.id: i for i, s in enumerate(ds.sources)}
    for source in sorted(cov, key=lambda k: order.get(k, len(order))):
        for where in sorted(cov[source], key=_sort_key):
            c = cov[source][where]
            lines.append(f"{source:<12} {where:<10} {len(c.studies):>7} {len(c.arms):>5} "
                         f"{c.outcomes:>8} {c.adverse_events:>5}")
            total.add(c)
    lines.append(f"{'total':<12} {'':<10} {len(total.studies):>7} {len(total.arms):>5} "
                 f"{total.outcomes:>8} {total.adverse_events:>5}")
    lines += ["", f"Who was treated, how the study was built ({len(ds.studies)} studies; absent: the seed leaves "
                  "the field out)", fields_report(ds)]
    return "\n".join(lines)
