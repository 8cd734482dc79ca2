"""Search as you type: the window's own engine against the raw FTS5 query as the floor.

Every keystroke prefix of benchmarks/keystrokes.py runs through `Store.search` (what the
window calls, with the window's limit of 120 hits), and through the unranked FTS5 MATCH
of the same words as prefixes, joined to the documents, LIMIT 120: what any search over
this index must at least pay. Each pass opens the database afresh, so the first searches
of a session, with SQLite's page cache cold, are in the figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.keystrokes import prefixes
from db.search.query import fts_expression, parse
from db.store import Store

LIMIT = 120  # desktop/search_panel.py


@dataclass
class Latency:
    p50: float
    p95: float
    p99: float
    max: float
    n: int
    slowest: list[tuple[str, float]]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _latency(samples: dict[str, list[float]]) -> Latency:
    values = [v for vs in samples.values() for v in vs]
    slowest = sorted(((q, max(vs)) for q, vs in samples.items()), key=lambda x: -x[1])[:5]
    return Latency(round(percentile(values, 50), 3), round(percentile(values, 95), 3),
                   round(percentile(values, 99), 3), round(max(values), 3), len(values),
                   [(q, round(ms, 2)) for q, ms in slowest])


def _floor(store: Store, text: str) -> None:
    expression = fts_expression(parse(text))
    if expression:
        store.conn.execute(
            "SELECT d.kind, d.ref, d.title, d.snippet FROM search JOIN search_docs d ON d.id = search.rowid"
            " WHERE search MATCH ? LIMIT ?", (expression, LIMIT)).fetchall()


@dataclass
class SearchFigures:
    ranked: Latency
    floor: Latency
    docs: int

    @property
    def ratio(self) -> float:
        return self.ranked.p99 / self.floor.p99 if self.floor.p99 else float("inf")


def measure_search(db: Path, passes: int) -> SearchFigures:
    typed = prefixes()
    ranked: dict[str, list[float]] = {q: [] for q in typed}
    floor: dict[str, list[float]] = {q: [] for q in typed}
    docs = 0
    for _ in range(passes):
        for ranking, samples in ((True, ranked), (False, floor)):
            store = Store(db)
            try:
                docs = store.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
                for text in typed:
                    start = time.perf_counter()
                    if ranking:
                        store.search(text, LIMIT)
                    else:
                        _floor(store, text)
                    samples[text].append((time.perf_counter() - start) * 1000)
            finally:
                store.close()
    return SearchFigures(_latency(ranked), _latency(floor), docs)
