"""What the window's first uses import, imported on the worker once the window has painted with its data,
not on the GUI thread when the user first searches, opens a study or asks for a chart.

Imported on the GUI thread, pyqtgraph froze the window for 0.2-0.55 s at the first chart, the search engine
28 ms at the first keystroke. (Each tab's own modules, 25-55 ms at its first visit, stay on the GUI thread:
see MODULES.) On the worker the window keeps answering, provided the GUI
thread gets the interpreter lock promptly (desktop/responsive.py; stalls measured in
docs/performance.md). The imports start DELAY_MS after the first paint with data, so they never slow
the start; the search engine's first, as typing is the first thing a user does (the search panel waits
for it, `ready`). reportlab needs no warming: the handout imports it on the worker that writes the PDF,
under the same rule.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from desktop.responsive import gui_first
from desktop.tasks import TaskRunner

UPDATE = QEvent.Type.UpdateRequest
DELAY_MS = 50  # after the first paint with data
SEARCH = "db.search.engine"
# Not the tabs' own modules: one of ours that defines a Qt class (a QWidget subclass with its signals),
# imported on the worker while the GUI thread ran, crashed the process in shiboken (a segfault in
# test_case_tab, the worker in `class CtcaePanel(QWidget)`); they are imported at the tab's first visit, on
# the GUI thread. pyqtgraph's import has run on the worker since the first warm-up with no crash seen.
MODULES = (
    SEARCH,  # the first keystroke's search
    "desktop.study_html", "hashlib",  # the first study opened (its notes' draft file is named by a hash)
    "pyqtgraph",  # the efficacy and adverse-event charts (pyqtgraph imports numpy)
)


def import_all(modules: Sequence[str] = MODULES, done: set[str] | None = None) -> dict[str, float]:
    """Import each module (on the calling thread), adding its name to `done` once imported; seconds per
    module, -1 for one that failed to import (what needs it reports the error when asked for).

    Meanwhile the GUI thread gets the interpreter lock promptly (desktop/responsive.py)."""
    took: dict[str, float] = {}
    with gui_first():
        for name in modules:
            start = time.perf_counter()
            try:
                importlib.import_module(name)
            except Exception:  # a missing optional module must not stop the window
                took[name] = -1.0
                continue
            took[name] = time.perf_counter() - start
            if done is not None:
                done.add(name)
    return took


class WarmUp(QObject):
    """Starts `import_all` on the task runner DELAY_MS after `window` has painted with `ready()` true.

    A top-level window paints on an UpdateRequest sent to it (its widgets' paint events are delivered
    while it is handled), so the window's own events are the only ones watched."""

    def __init__(self, window: QWidget, tasks: TaskRunner, ready: Callable[[], bool],
                 modules: Sequence[str] = MODULES) -> None:
        super().__init__(window)
        self._window, self._tasks, self._ready, self._modules = window, tasks, ready, tuple(modules)
        self.started = False
        self.took: dict[str, float] | None = None
        self.imported: set[str] = set()  # filled on the worker as each module is imported
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
        try:
            self._tasks.run(lambda: import_all(self._modules, self.imported), self._done)
        except RuntimeError:  # the window closed first: its worker takes no more work
            self.took = {}

    def _done(self, took: dict[str, float] | None, _error: BaseException | None) -> None:
        self.took = took or {}
