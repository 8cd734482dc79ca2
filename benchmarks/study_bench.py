"""Opening a study's detail on the generated registry: `Store.study`, the call the Trials tab's
detail pane makes when a row is chosen, for studies spread over the whole registry."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from benchmarks.search_bench import percentile


def measure_study_open(db: Path, samples: int = 200) -> dict[str, float]:
    from db.store import Store

    store = Store(db)
    try:
        ids = [str(r[0]) for r in store.conn.execute("SELECT id FROM studies")]
        times = []
        for study_id in ids[::max(1, len(ids) // samples)][:samples]:  # spread over the registry
            began = time.perf_counter()
            store.study(study_id)
            times.append((time.perf_counter() - began) * 1000)
    finally:
        store.close()
    return {"study_open_p50_ms_large": round(statistics.median(times), 3),
            "study_open_p99_ms_large": round(percentile(times, 99), 3),
            "study_open_max_ms_large": round(max(times), 3)}
