"""A meeting's worth of use in the real window, for the peak-memory and stall figures.

Types every benchmark phrase into the search field key by key, opens a study, shows each
tab, draws the efficacy and adverse-event charts (pyqtgraph), types a case into the Case tab
until its options are shown, compares four therapies and saves the handout (reportlab; the PDF
is written off the GUI thread). A 5 ms timer records the longest gap in the event loop in each
step: the longest the window could not answer.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.keystrokes import PHRASES


class StallMeter:
    """The longest gap between ticks of a 5 ms timer: how long the event loop was blocked."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest

    def phase(self) -> float:
        """The longest stall since the last call (the meter keeps running)."""
        longest, self.longest = self.longest, 0.0
        return longest


def pump(app: QApplication, ms: int) -> None:
    """Run the event loop for `ms` milliseconds (as the user's pauses would)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def type_text(app: QApplication, field: Any, text: str, gap_ms: int = 40) -> None:
    field.clear()
    for ch in text:
        field.insert(ch)  # one keystroke: textChanged, the debounce, the search
        pump(app, gap_ms)


CASE = (("disease", "pNET"), ("ki67", "14"), ("prior", "octreotide, everolimus"))  # the Case tab's fields, typed


def type_keys(app: QApplication, field: Any, text: str, gap_ms: int = 40) -> None:
    """Key by key into a field with the keyboard focus, as the user types (its completer included)."""
    field.setFocus()
    for ch in text:
        QTest.keyClicks(field, ch)
        pump(app, gap_ms)


def _case(app: QApplication, window: Any) -> None:
    """A case typed into the Case tab's form until its options are shown (read on the worker)."""
    case = window.tab("Case")
    if case is None or not hasattr(case, "form"):
        return
    window.show_tab(window.tabs.indexOf(case))
    pump(app, 100)
    for name, text in CASE:
        type_keys(app, getattr(case.form, name), text)
    began = time.perf_counter()
    while case.pending() and time.perf_counter() - began < 30:
        pump(app, 20)
    pump(app, 200)


def run_session(app: QApplication, window: Any) -> dict[str, float]:
    """The longest stall of each step of a meeting (ms), and the handout's time from click to PDF (s)."""
    folder = tempfile.mkdtemp()  # before the meter starts: the first temporary folder of a process takes 20 ms
    meter = StallMeter()
    meter.start()
    stalls: dict[str, float] = {}
    for phrase in PHRASES:
        type_text(app, window.search.field, phrase)
    stalls["stall_typing_ms"] = meter.phase()
    trials = window.tab("Trials")
    if trials is not None:  # a study opened from the table
        trials.open_ref("radiant-3")
        pump(app, 100)
    stalls["stall_open_ms"] = meter.phase()
    for i in range(window.tabs.count()):  # each tab's first visit builds it
        window.show_tab(i)
        pump(app, 100)
    stalls["stall_tabs_ms"] = meter.phase()
    if trials is not None and hasattr(trials, "chart_button"):  # the efficacy chart: pyqtgraph draws it
        window.show_tab(window.tabs.indexOf(trials))
        trials.chart_button.setChecked(True)
        pump(app, 300)
    toxicity = window.tab("Toxicity")
    if toxicity is not None and hasattr(toxicity, "set_therapies"):  # the adverse-event chart
        window.show_tab(window.tabs.indexOf(toxicity))
        toxicity.set_therapies(["everolimus", "sunitinib", "lutetium-dotatate"])
        pump(app, 300)
    stalls["stall_chart_ms"] = meter.phase()
    _case(app, window)
    stalls["stall_case_ms"] = meter.phase()
    compare = window.tab("Compare")
    handout_s = float("nan")
    if compare is not None:
        from benchmarks.handout_bench import DISEASE, THERAPIES

        window.show_tab(window.tabs.indexOf(compare))
        compare.set_disease(DISEASE)
        compare.set_therapies(THERAPIES)
        pump(app, 100)
        stalls["stall_compare_ms"] = meter.phase()
        loop = QEventLoop()
        compare.pdf_written.connect(lambda *_: loop.quit())
        compare.pdf_failed.connect(lambda *_: loop.quit())
        QTimer.singleShot(60_000, loop.quit)
        start = time.perf_counter()
        compare.save_pdf(Path(folder) / "handout.pdf")
        loop.exec()
        handout_s = time.perf_counter() - start
        pump(app, 100)
        stalls["stall_handout_ms"] = meter.phase()
    meter.stop()
    shutil.rmtree(folder, ignore_errors=True)
    stalls["stall_max_ms"] = max(stalls.values())
    return {k: round(v, 1) for k, v in stalls.items()} | {"window_handout_s": round(handout_s, 3)}
