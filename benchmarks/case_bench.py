"""The options of a case (db/case): from the typed case to its grouped options, `resolve_case` then
`case_options`, the work `tumorboard options` and the Case tab do for each case. Timed for a set of
cases across both disease families, at the shipped dataset and at the generated registry."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.search_bench import percentile

CASES: tuple[dict[str, Any], ...] = (
    {"disease": "pnet", "prior": ["octreotide"]},
    {"disease": "pNET", "ki67": 14, "functional": False, "sstr": "positive", "prior": ["SSA", "everolimus"]},
    {"disease": "GEP-NET", "ki67": 25, "sstr": "negative"},
    {"disease": "midgut NET", "functional": True, "prior": ["lanreotide"]},
    {"disease": "lung NET", "mitoses": 3, "necrosis": "punctate", "sstr": "unknown"},
    {"disease": "RAIR-DTC", "prior": ["lenvatinib"], "markers": ["BRAF V600E"]},
    {"disease": "RAI-refractory DTC", "negative": ["RET fusion", "NTRK fusion"], "prior": ["sorafenib", "lenvatinib"]},
    {"disease": "thyroid cancer", "markers": ["RET fusion"]},
)


def measure_options(db: Path, scale: str, passes: int) -> dict[str, float | int]:
    """p50, p99 and max (ms) over `passes` runs of every case, the first run of each pass included (a case
    is typed once, then changed: no case is the same twice in a session)."""
    from db.case import case_options, resolve_case
    from db.store import Store

    store = Store(db)
    try:
        times: list[float] = []
        counts = []
        for _ in range(passes):
            for case in CASES:
                began = time.perf_counter()
                options = case_options(store, resolve_case(store, **case))
                times.append((time.perf_counter() - began) * 1000)
                counts.append(len(options.options))
    finally:
        store.close()
    return {f"options_p50_ms_{scale}": round(statistics.median(times), 2),
            f"options_p99_ms_{scale}": round(percentile(times, 99), 2),
            f"options_max_ms_{scale}": round(max(times), 2),
            f"options_count_max_{scale}": max(counts)}
