"""What is curated from each source document, table by table, for a reviewer."""

from __future__ import annotations

import re
from collections import defaultdict

from db.model import Cite, Dataset

_TABLE = re.compile(r"\bTable\s+(\d+)", re.IGNORECASE)


def _place(at: str) -> str:
    """'Table 4' for anything citing a table, otherwise 'text'."""
    tables = _TABLE.findall(at)
    return f"Table {tables[0]}" if tables else "text"


def coverage(ds: Dataset) -> dict[str, dict[str, dict[str, set[str] | int]]]:
    cov: dict[str, dict[str, dict[str, set[str] | int]]] = defaultdict(
        lambda: defaultdict(lambda: {"studies": set(), "arms": set(), "outcomes": 0, "adverse_events": 0})
    )

    def mark(cite: Cite, study: str, arm: str | None, field: str | None) -> None:
        cell = cov[cite.source][_place(cite.at)]
        cell["studies"].add(study)  # type: ignore[union-attr]
        if arm:
            cell["arms"].add(f"{study}/{arm}")  # type: ignore[union-attr]
        if field:
            cell[field] += 1  # type: ignore[operator]

    for s in ds.studies:
        mark(s.cite, s.id, None, None)
        for a in s.arms:
            for o in a.outcomes:
                mark(o.cite, s.id, a.key, "outcomes")
            for ae in a.adverse_events:
                mark(ae.cite, s.id, a.key, "adverse_events")
            if not a.outcomes and not a.adverse_events:
                mark(s.cite, s.id, a.key, None)
        for c in s.comparisons:
            mark(c.cite, s.id, None, "outcomes")
    return cov


def coverage_report(ds: Dataset) -> str:
    cov = coverage(ds)
    lines = [f"{'source':<12} {'place':<10} {'studies':>7} {'arms':>5} {'outcomes':>8} {'AEs':>5}"]
    totals = {"studies": set(), "arms": set(), "outcomes": 0, "adverse_events": 0}  # type: ignore[var-annotated]
    order = {s.id: i for i, s in enumerate(ds.sources)}
    for source in sorted(cov, key=lambda k: order.get(k, 99)):
        for place in sorted(cov[source], key=lambda p: (p == "text", int(p.split()[1]) if p != "text" else 0)):
            c = cov[source][place]
            lines.append(f"{source:<12} {place:<10} {len(c['studies']):>7} {len(c['arms']):>5} "  # type: ignore[arg-type]
                         f"{c['outcomes']:>8} {c['adverse_events']:>5}")
            totals["studies"] |= c["studies"]  # type: ignore[operator]
            totals["arms"] |= c["arms"]  # type: ignore[operator]
            totals["outcomes"] += c["outcomes"]
            totals["adverse_events"] += c["adverse_events"]
    lines.append(f"{'total':<12} {'':<10} {len(totals['studies']):>7} {len(totals['arms']):>5} "
                 f"{totals['outcomes']:>8} {totals['adverse_events']:>5}")
    return "\n".join(lines)
