"""Keeping the window answering while a worker thread runs a long stretch of Python.

While the worker runs Python, the GUI thread waits for the interpreter lock at every call from Qt
into Python (each cell a view paints), up to the switch interval each time: at Python's 5 ms a
single repaint could wait 50-100 ms. During such work (importing pyqtgraph or reportlab, writing
a handout) the interval is SWITCH_S instead. Better still, work that changes what the window shows
starts the worker only once that change is painted (`after_paint`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop.tasks import TaskRunner

SWITCH_S = 0.0001  # seconds: how long the GUI thread may wait for the lock meanwhile
PAINT_WAIT_MS = 100  # at most: a window that is not painting (hidden, minimised) does not hold the work back
_ONE_AT_A_TIME = threading.Lock()  # two workers (two windows in tests) must not interleave the setting


@contextmanager
def gui_first() -> Iterator[None]:
    """Within this block a thread waiting for the interpreter lock gets it after SWITCH_S."""
    with _ONE_AT_A_TIME:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_S))
        try:
            yield
        finally:
            sys.setswitchinterval(interval)


class _AfterPaint(QObject):
    """Calls `fn` once: in the first turn after `window` has painted with no other paint asked for since (a
    relayout often paints twice), or after PAINT_WAIT_MS if it does not paint."""

    def __init__(self, window: QWidget, fn: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._fn = window, fn
        self._settled = QTimer(self)
        self._settled.setSingleShot(True)
        self._settled.setInterval(0)
        self._settled.timeout.connect(self._run)
        window.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, self._run)  # with self: never once this is deleted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:  # a top-level window paints while it handles this event
            self._settled.start()
        return False

    def _run(self) -> None:
        fn, self._fn = self._fn, None
        if fn is not None:
            self._window.removeEventFilter(self)
            self._settled.stop()
            self.deleteLater()
            fn()


def after_paint(widget: QWidget, fn: Callable[[], None]) -> None:
    """Run `fn` (on the GUI thread) once the window of `widget` has painted what just changed in it: a worker
    started there no longer competes for the interpreter lock with that paint, whose every cell calls into
    Python (the worker's first import of reportlab doubled the first handout's repaint)."""
    _AfterPaint(widget.window(), fn)


def run_after_paint(widget: QWidget, tasks: TaskRunner, work: Callable[[], Any],
                    done: Callable[[Any, BaseException | None], None]) -> None:
    """`work` on the worker once the window of `widget` has painted what just changed (`after_paint`); `done(result,
    error)` on the GUI thread, `done(None, error)` at once if the worker takes no more work (the window closing)."""

    def start() -> None:
        try:
            tasks.run(work, done)
        except RuntimeError as exc:
            done(None, exc)

    after_paint(widget, start)
