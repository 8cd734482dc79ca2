"""The warm-up's imports stand aside while the GUI thread answers the user.

Two threads take turns at Python's interpreter lock, and the GUI thread needs it at every call from Qt into Python:
a keystroke's search answer makes some 400 of them (the results model's `parent`, `index`, `flags`, the delegate's
`paint`), each waiting up to the switch interval while the worker runs Python. So while the worker imported
pyqtgraph and numpy (0.2-0.35 s), a keystroke's answer took 60-115 ms instead of 20-25 ms. Here the GUI thread says
when it starts such work (`gui_busy`: a search, a tab's first visit), and the worker, at each call of a Python
function, sleeps while it is busy: until the window has painted what the work changed (the dispatcher's `aboutToBlock`
and `awake` do not say that: Qt's glib dispatcher emits the one before an iteration that then paints, the other after
it), and BUSY_S at most (work that changes nothing on screen).

A pause must never wait for itself: the worker may hold a lock the GUI thread then asks for. It does not pause while
it holds the import system's global lock (held while a finder searches); a GUI thread waiting for a module's import
lock is seen (importlib._bootstrap._blocking_on) and the worker goes on at once; and whatever else the GUI thread
might wait for, a pause ends BUSY_S after the work began. It stops pausing once its runner shuts down (the GUI
thread joins the worker).
"""

from __future__ import annotations

import _imp
import importlib._bootstrap as _bootstrap  # for _blocking_on: which thread waits for which module's import lock
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

BUSY_S = 0.1  # a busy spell ends this long after it began, at most: longer than a keystroke's answer or a tab's build
UPDATE = QEvent.Type.UpdateRequest
POLL_S = 0.005  # how often a paused worker looks whether the GUI thread waits for one of its import locks


class _Gui:
    busy = False  # read at every call the worker makes: a plain attribute, not the event's method
    until = 0.0  # perf_counter() at which the busy spell ends at the latest
    idle = threading.Event()


_GUI = _Gui()
_GUI.idle.set()


def gui_busy() -> None:
    """On the GUI thread, as it starts work the user waits for: a worker `standing_aside` sleeps until the window has
    painted what the work changed (`IdleGate`), BUSY_S at most."""
    _GUI.until = time.perf_counter() + BUSY_S
    _GUI.busy = True
    _GUI.idle.clear()


def waits_for_an_import(thread_id: int) -> bool:
    """Whether `thread_id` is blocked on a module's import lock (Python 3.11: a lock; 3.12 and later: a list)."""
    blocking = getattr(_bootstrap, "_blocking_on", None)
    try:
        return bool(blocking and blocking.get(thread_id))
    except Exception:  # a private table: if it changes shape, a pause ends with its spell (BUSY_S) instead
        return False


class IdleGate(QObject):
    """Ends the GUI thread's busy spells (`gui_busy`) once `window` has painted what the work changed. Made on the GUI
    thread; `pause` is called on the worker."""

    def __init__(self, window: QWidget, stop: Callable[[], bool] = lambda: False) -> None:
        super().__init__(window)
        self._window: QWidget | None = window
        self._gui = threading.get_ident()
        self._stop = stop
        self.paused_s = 0.0  # in all
        self.pauses = 0
        self._painted = QTimer(self)  # a zero-time timer started as the window paints: it runs once the paint is done
        self._painted.setSingleShot(True)
        self._painted.setInterval(0)
        self._painted.timeout.connect(self._opened)
        window.installEventFilter(self)
        self.destroyed.connect(_GUI.idle.set)  # gone with its window: nothing to stand aside for

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == UPDATE and _GUI.busy:  # a top-level window paints while it handles this event
            self._painted.start()
        return False

    def _opened(self) -> None:
        _GUI.busy = False
        _GUI.idle.set()

    def close(self) -> None:
        """No longer watched (on the GUI thread): the imports are over."""
        if self._window is not None:
            self._window.removeEventFilter(self)
            self._window = None
        self._painted.stop()
        self._opened()

    def pause(self) -> None:
        """On the worker, while the GUI thread is busy: wait until it is idle, unless that could wait for itself."""
        now = time.perf_counter()
        if now >= _GUI.until:
            _GUI.busy = False  # the spell is over, whether or not the event loop has waited since
            return
        if _imp.lock_held():
            return
        while not (self._stop() or waits_for_an_import(self._gui)):
            left = _GUI.until - time.perf_counter()
            if left <= 0 or _GUI.idle.wait(min(POLL_S, left)):
                break
        waited = time.perf_counter() - now
        if waited >= POLL_S / 10:  # not a look that found the GUI thread waiting for the worker
            self.paused_s += waited
            self.pauses += 1


@contextmanager
def standing_aside(gate: IdleGate) -> Iterator[None]:
    """Within this block, the calling thread pauses at each call of a Python function while the GUI thread is busy
    (a trace function of this thread alone: its own, if it had one, is put back after)."""

    def trace(_frame: FrameType, _event: str, _arg: Any) -> None:
        if _GUI.busy:
            gate.pause()

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)
