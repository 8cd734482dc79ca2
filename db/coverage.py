"""What is curated from each source document, table by table, for a reviewer."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from db.model import Cite, Dataset

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
    return "\n".join(lines)
