"""The benchmark's Trials figures: measured in the tab a user drives, every filter entry timed, and the
keys `tumorboard bench --json` carries (the speed targets themselves live in the benchmark)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from benchmarks.run import STALLS, TARGETS, table
from benchmarks.synthetic import write_registry
from benchmarks.trials_bench import measure, measure_stalls


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_registry(300, tmp_path_factory.mktemp("bench") / "registry.sqlite3").path


@pytest.mark.gui
def test_the_trials_figures_come_from_the_tab(qtbot, registry_db: Path) -> None:  # type: ignore[no-untyped-def]
    figures = measure(registry_db)
    assert 0 < figures["trials_open_s_large"] < 60
    assert 0 < figures["trials_filter_p50_ms_large"] <= figures["trials_filter_p99_ms_large"] \
        <= figures["trials_filter_max_ms_large"]
    assert figures["trials_filters_timed"] > 40  # every entry of every filter box, pairs, and clearing
    assert 0 < figures["trials_rows_read_open_large"] <= 300
    assert figures["trials_sort_first_max_ms_large"] > 0 and figures["trials_scroll_ms_large"] > 0


@pytest.mark.gui
def test_the_trials_stalls_come_from_the_tab_with_the_windows_worker(qtbot, registry_db: Path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from db.trials.queries import COLUMNS, TrialsQuery
    from desktop import trials_model

    read: list[tuple[str, str]] = []
    real = TrialsQuery.read_orders
    monkeypatch.setattr(trials_model, "SORT_ON_WORKER", 1)  # each first sort read on the worker, as at scale
    monkeypatch.setattr(TrialsQuery, "read_orders",
                        lambda self, column: read.append((column, threading.current_thread().name))
                        or real(self, column))
    figures = measure_stalls(registry_db)
    assert set(figures) == {"stall_trials_sort_ms_large", "stall_trials_filter_ms_large"}
    assert all(v > 0 for v in figures.values())
    assert sorted(c for c, _t in read) == sorted(c for c in COLUMNS if c != "evidence")  # each column once
    assert all(t.startswith("tumorboard-task") for _c, t in read)


def test_the_new_keys_have_targets_and_a_row_in_the_table() -> None:
    assert TARGETS["trials_open_s_large"] == (0.5, "s") and TARGETS["trials_filter_p99_ms_large"] == (50.0, "ms")
    assert TARGETS["stall_max_ms"] == (50.0, "ms")
    figures: dict[str, object] = {k: 1.0 for k in TARGETS} | {
        "mode": "quick", "bench_s": 1.0, "large_studies": 10, "large_docs": 20, "search_slowest_large": [],
        "start_heavy": [], "trials_filters_timed": 5, "stall_trials_sort_ms_large": 3.0,
        "stall_trials_filter_ms_large": 4.0} | {f"stall_{k}_ms": 2.0 for k in STALLS}
    for key in ("search_p50_ms_shipped", "search_p95_ms_shipped", "search_floor_p99_ms_shipped",
                "search_p50_ms_large", "search_p95_ms_large", "search_floor_p50_ms_large",
                "search_floor_p99_ms_large", "start_s", "start_bare_s", "start_first_s", "handout_pages",
                "handout_rows", "handout_bare_s", "handout_first_s", "comparison_s", "start_rss_mb"):
        figures.setdefault(key, 1.0)
    text = table(figures)
    assert "Trials filter" in text and "open to first paint" in text and "whole session" in text
    assert "the first sort by each column / the first choice of each filter entry (ms) | 3.0 / 4.0 |" in text
    assert "four therapies compared" in text and "a case typed" in text
