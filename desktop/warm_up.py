"""What the window's first uses import, imported once the window has painted with its data, not when the user
first searches, opens a study, visits a tab or asks for a chart.

Imported on the GUI thread at their first use, pyqtgraph froze the window for 0.2-0.55 s at the first chart, the
search engine 28 ms at the first keystroke, each tab's modules 25-55 ms at its first visit. MODULES are imported
on the worker; the window keeps answering, provided the GUI thread gets the interpreter lock promptly
(desktop/responsive.py) and the worker stands aside while the GUI thread answers a keystroke or builds a tab
(desktop/idle_imports.py; stalls measured in docs/performance.md). The imports start DELAY_MS after the first paint
with data, so they never slow the start; the search engine's first, as typing is the first thing a user does (the
search panel waits for it, `ready`). Then GUI_MODULES, the tabs' own modules that define Qt classes (never
imported on the worker: see MODULES), on the GUI thread, one a turn of the event loop (each a few ms: their
Qt-free modules came with MODULES), so that a key or a paint waits for one at most. reportlab needs no warming:
the handout imports it on the worker that writes the PDF, under the same rule.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from desktop.idle_imports import IdleGate, standing_aside
from desktop.responsive import gui_first
from desktop.tasks import TaskRunner

UPDATE = QEvent.Type.UpdateRequest
DELAY_MS = 50  # after the first paint with data
SEARCH = "db.search.engine"
# No module of ours that defines a Qt class: one (a QWidget subclass with its signals), imported on the worker
# while the GUI thread ran, crashed the process in shiboken (a segfault in test_case_tab, the worker in
# `class CtcaePanel(QWidget)`); those are GUI_MODULES, imported on the GUI thread. pyqtgraph's import has run on
# the worker since the first warm-up with no crash seen.
MODULES = (
    SEARCH,  # the first keystroke's search
    "desktop.study_html", "hashlib",  # the first study opened (its notes' draft file is named by a hash)
    "pyqtgraph",  # the efficacy and adverse-event charts (pyqtgraph imports numpy)
    # the Qt-free modules of each tab (db's and the handout's: no Qt at all)
    "db.grading.calculator", "db.toxicity.ctcae", "db.toxicity.plan", "db.toxicity.queries",
    "db.compare.summaries", "db.compare.queries", "handout.cases", "db.case", "db.case.queries",
)
# Each tab's own modules, leaves first, so that each import is of that module alone; the efficacy chart (the
# Trials tab's, Ctrl+E) first, then the tabs in their order. tests/test_warm_up.py checks that nothing is left for
# a first visit to import.
GUI_MODULES = (
    "desktop.chart_style", "desktop.batches", "desktop.efficacy_chart",
    "desktop.grading_models", "desktop.ctcae_panel", "desktop.grading_calculator", "desktop.grading_tab",
    "desktop.toxicity_chart", "desktop.toxicity_model", "desktop.toxicity_picker",
    "desktop.toxicity_tab",
    "desktop.compare_model", "desktop.compare_controls", "PySide6.QtPrintSupport", "desktop.pdf_output",
    "desktop.compare_tab",
    "desktop.case_work", "desktop.case_form", "desktop.case_model", "desktop.options_view", "desktop.case_summary",
    "desktop.case_tab",
)


def import_all(modules: Sequence[str] = MODULES, done: set[str] | None = None) -> dict[str, float]:
    """Import each module (on the calling thread), adding its name to `done` once imported; seconds per
    module, -1 for one that failed to import (what needs it reports the error when asked for).

    Meanwhile the GUI thread gets the interpreter lock promptly (desktop/responsive.py)."""
    took: dict[str, float] = {}
    with gui_first():
        for name in modules:
            took[name] = import_one(name)
            if done is not None and took[name] >= 0:
                done.add(name)
    return took


def import_one(name: str) -> float:
    """Seconds to import `name`; -1 if it failed to (a missing optional module must not stop the window)."""
    start = time.perf_counter()
    try:
        importlib.import_module(name)
    except Exception:
        return -1.0
    return time.perf_counter() - start


class WarmUp(QObject):
    """Starts `import_all` on the task runner DELAY_MS after `window` has painted with `ready()` true, then imports
    `gui_modules` on the GUI thread, one a turn of the event loop, and says `settled`.

    A top-level window paints on an UpdateRequest sent to it (its widgets' paint events are delivered
    while it is handled), so the window's own events are the only ones watched."""

    settled = Signal()  # the imports are over: what the window keeps for its lifetime is made (desktop/gc_guard.py)

    def __init__(self, window: QWidget, tasks: TaskRunner, ready: Callable[[], bool],
                 modules: Sequence[str] = MODULES, gui_modules: Sequence[str] | None = None) -> None:
        super().__init__(window)
        self._window, self._tasks, self._ready, self._modules = window, tasks, ready, tuple(modules)
        self.started = False
        self.took: dict[str, float] | None = None
        self.imported: set[str] = set()  # filled on the worker as each module is imported
        self.gui_took: dict[str, float] = {}  # seconds per module imported on the GUI thread
        self._gui_modules = deque(GUI_MODULES if gui_modules is None else gui_modules)
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.setInterval(0)
        self._next.timeout.connect(self._import_next)
        self.is_settled = False
        self.gate = IdleGate(window, stop=lambda: tasks.closing)
        window.installEventFilter(self)

    def ready(self, module: str) -> bool:
        """Whether `module` is imported, or not to be waited for: the warm-up is over, has not started (before the
        first paint with data) or does not import it."""
        found = sys.modules.get(module)
        if found is not None and not getattr(found.__spec__, "_initializing", False):
            return True
        return module in self.imported or self.took is not None or not self.started or module not in self._modules

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == UPDATE and not self.started and self._ready():
            self.started = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(DELAY_MS, self, self._start)  # never once this is deleted
        return False

    def _start(self) -> None:
        gate, modules, imported = self.gate, self._modules, self.imported

        def work() -> dict[str, float]:
            with standing_aside(gate):
                return import_all(modules, imported)

        try:
            self._tasks.run(work, self._done)
        except RuntimeError:  # the window closed first: its worker takes no more work
            self.took = {}
            gate.close()

    def _done(self, took: dict[str, float] | None, _error: BaseException | None) -> None:
        self.took = took or {}
        if Shiboken.isValid(self):  # not once its window is deleted
            self.gate.close()
            self._import_next()

    def _import_next(self) -> None:
        """One module not imported yet, on the GUI thread; the next in the next turn of the event loop."""
        while self._gui_modules:
            name = self._gui_modules.popleft()
            if name not in sys.modules:
                self.gui_took[name] = import_one(name)
                break
        if self._gui_modules:
            self._next.start()
        elif not self.is_settled:
            self.is_settled = True
            self.settled.emit()
