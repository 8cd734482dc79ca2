"""The Trials tab on the synthetic registry: opening it, and each filter a user picks, in a child process.

    python -m benchmarks.trials_bench DB          # prints one JSON line of figures
    python -m benchmarks.trials_bench DB stalls   # the longest stalls of the first sorts and filters, in a window

Opening is timed from creating the tab (over a freshly opened store) to its first paint with rows,
as the window builds it. A filter is timed from choosing an entry in a filter box to the table
repainted with its rows (the first screenful read, the count updated): every entry of every box,
each letter of "BRAF" typed into the Markers box, then each box combined with the one before, then
"Clear filters". A sort (as a click on a column's header sorts) is timed to the repaint, the first
time in each direction (the column's order read in SQL) and again.

`stalls` opens the tab as the window does, with the window's worker, and runs a 5 ms timer (benchmarks/session.py)
while each column is sorted for the first time (until its order is shown: in the window it is read on the worker)
and each filter box's entries are chosen for the first time: the longest the window could not answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from benchmarks.search_bench import percentile

ROOT = Path(__file__).resolve().parent.parent


def _painted(app: Any, tab: Any) -> None:
    """Events processed and the table painted (what the user sees, not only the model reset)."""
    tab.table.viewport().repaint()
    app.processEvents()


def _choose(app: Any, tab: Any, combo: Any, index: int) -> float:
    start = time.perf_counter()
    combo.setCurrentIndex(index)
    _painted(app, tab)
    return (time.perf_counter() - start) * 1000


def _type(app: Any, tab: Any, text: str) -> float:
    start = time.perf_counter()
    tab.markers.setEditText(text)  # as a key typed into the box changes its text
    _painted(app, tab)
    return (time.perf_counter() - start) * 1000


def measure(db: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from db.store import Store
    from desktop import gc_guard
    from desktop.trials_model import HEADERS
    from desktop.trials_tab import TrialsTab

    gc_guard.install(app)  # garbage collected on the GUI thread's timer, as in the window
    store = Store(db)
    start = time.perf_counter()
    tab = TrialsTab(store)
    tab.resize(1066, 700)
    tab.show()
    _painted(app, tab)
    open_s = time.perf_counter() - start
    read_at_open = len(tab.model._cache)  # the rows whose cells were read: a screenful and the widths' sample
    filters: list[float] = []
    boxes = [tab.disease, tab.drug_class, tab.phase, tab.status, tab.line, tab.markers]
    for box in boxes:
        for i in [*range(1, box.count()), 0]:
            filters.append(_choose(app, tab, box, i))
    filters += [_type(app, tab, "BRAF"[:n]) for n in range(1, 5)]
    filters.append(_type(app, tab, ""))  # the text rubbed out: every study again
    for first, second in pairwise(boxes):  # two boxes at once: the narrower set
        filters.append(_choose(app, tab, first, 1))
        filters.append(_choose(app, tab, second, min(2, second.count() - 1)))
        start = time.perf_counter()
        tab.clear_button.click()
        _painted(app, tab)
        filters.append((time.perf_counter() - start) * 1000)
    first_sort: list[float] = []
    again: list[float] = []
    for column in range(len(HEADERS)):
        for order, times in ((Qt.SortOrder.AscendingOrder, first_sort), (Qt.SortOrder.DescendingOrder, first_sort),
                             (Qt.SortOrder.AscendingOrder, again)):
            start = time.perf_counter()
            tab.table.sortByColumn(column, order)
            _painted(app, tab)
            times.append((time.perf_counter() - start) * 1000)
    tab.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    start = time.perf_counter()
    tab.table.scrollToBottom()  # the view asks for the next rows: fetch on scroll
    _painted(app, tab)
    scroll_ms = (time.perf_counter() - start) * 1000
    tab.close()
    tab.deleteLater()  # its timers go with it: a caller in the same process (the tests) keeps no window behind
    return {
        "trials_open_s_large": round(open_s, 3),
        "trials_filter_p50_ms_large": round(percentile(filters, 50), 2),
        "trials_filter_p99_ms_large": round(percentile(filters, 99), 2),
        "trials_filter_max_ms_large": round(max(filters), 2),
        "trials_filters_timed": len(filters),
        "trials_sort_first_max_ms_large": round(max(first_sort), 1),
        "trials_sort_again_max_ms_large": round(max(again), 1),
        "trials_scroll_ms_large": round(scroll_ms, 2),
        "trials_rows_read_open_large": read_at_open,
    }


def measure_stalls(db: Path) -> dict[str, float]:
    """The longest event-loop stall (ms) of the first sort by each column and of the first choice of each filter
    entry, in the tab as the window builds it (its worker given)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from benchmarks.session import StallMeter, pump
    from db.store import Store
    from desktop import gc_guard
    from desktop.tasks import TaskRunner
    from desktop.trials_model import EVIDENCE, HEADERS
    from desktop.trials_tab import TrialsTab

    gc_guard.install(app)
    tasks = TaskRunner()
    store = Store(db)
    tab = TrialsTab(store, tasks=tasks)
    tab.resize(1066, 700)
    tab.show()
    _painted(app, tab)
    pump(app, 100)
    meter = StallMeter()
    meter.start()
    for column in range(len(HEADERS)):
        if column == EVIDENCE:  # the order it opens in
            continue
        tab.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)  # what a click on the column's header does
        began = time.perf_counter()
        while tab.model.pending_sort is not None and time.perf_counter() - began < 60:
            pump(app, 5)
        pump(app, 30)
    sort_ms = meter.phase()
    tab.table.sortByColumn(EVIDENCE, Qt.SortOrder.AscendingOrder)
    pump(app, 30)
    meter.phase()
    for box in (tab.disease, tab.drug_class, tab.phase, tab.status, tab.line, tab.markers):
        for i in [*range(1, box.count()), 0]:
            box.setCurrentIndex(i)
            pump(app, 20)
    filter_ms = meter.phase()
    meter.stop()
    tab.close()
    tasks.shutdown()
    tab.deleteLater()
    return {"stall_trials_sort_ms_large": round(sort_ms, 1), "stall_trials_filter_ms_large": round(filter_ms, 1)}


def _child(db: Path, timeout: float, *mode: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.trials_bench", str(db), *mode], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])})
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure_trials(db: Path, timeout: float = 300.0) -> dict[str, Any]:
    """`measure` in a fresh process (the benchmark's own stays free of Qt)."""
    return _child(db, timeout)


def measure_trials_stalls(db: Path, runs: int = 3, timeout: float = 300.0) -> dict[str, float]:
    """`measure_stalls` in `runs` fresh processes (each sort and filter a first one): the largest of each figure."""
    results = [_child(db, timeout, "stalls") for _ in range(runs)]
    return {key: max(r[key] for r in results) for key in results[0]}


if __name__ == "__main__":
    if sys.argv[2:] == ["stalls"]:
        print(json.dumps(measure_stalls(Path(sys.argv[1]))))
    else:
        print(json.dumps(measure(Path(sys.argv[1]))))
