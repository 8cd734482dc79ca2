"""What a GUI test must not leave behind: a Python thread it started, a QThread still running, a task of
Qt's global thread pool still active, or an active QTimer of a widget that outlives it.

`snapshot()` before the test, `check(before)` after its teardown (tests/conftest.py): each leak is named,
and a short grace period lets a thread or task that is ending end first."""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

GRACE_S = 2.0


class Leak(AssertionError):
    """What the test left running."""


@dataclass(frozen=True)
class Snapshot:
    threads: frozenset[threading.Thread]
    timers: frozenset[int]  # the C++ addresses of active widget timers
    qthreads: frozenset[int]
    windows: frozenset[int]  # the C++ addresses of top-level widgets


def _deferred_deletes() -> None:
    """The widgets closed and deleteLater'ed at teardown, and those only Python garbage held (automatic collection
    is off: desktop/gc_guard.py), are gone before anything is counted."""
    gc.collect()
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _windows() -> dict[int, str]:
    """Top-level widgets that own a QTimer (one that may fire later), by address."""
    if not isinstance(QCoreApplication.instance(), QApplication):
        return {}
    return {_address(w): f"a {type(w).__name__} with {len(timers)} QTimer(s) outlived the test (never closed and "
                         "deleted: add it to qtbot, or give it a parent)"
            for w in QApplication.topLevelWidgets() if Shiboken.isValid(w) and (timers := w.findChildren(QTimer))}


def _address(obj: object) -> int:
    return int(Shiboken.getCppPointer(obj)[0])


def _widget_timers() -> dict[int, str]:
    """Active QTimers owned by a live widget (or by an object within one), by address, with who owns them."""
    if not isinstance(QCoreApplication.instance(), QApplication):
        return {}
    found: dict[int, str] = {}
    for window in QApplication.topLevelWidgets():
        for timer in window.findChildren(QTimer):
            if Shiboken.isValid(timer) and timer.isActive():
                owner = timer.parent()
                found[_address(timer)] = (f"an active QTimer ({timer.interval()} ms) of a {type(owner).__name__} "
                                          f"in a {type(window).__name__} that outlived the test")
    return found


def _qthreads() -> dict[int, str]:
    """Running QThreads owned by the application or a widget, by address (one with no owner is not visible)."""
    app = QCoreApplication.instance()
    if not isinstance(app, QApplication):
        return {}
    found: dict[int, str] = {}
    for owner in (app, *QApplication.topLevelWidgets()):
        for thread in owner.findChildren(QThread):
            if Shiboken.isValid(thread) and thread.isRunning():
                found[_address(thread)] = f"a running QThread owned by a {type(thread.parent()).__name__}"
    return found


def _python_threads() -> set[threading.Thread]:
    """Threads Python started (a thread of Qt's that ran Python code shows as a _DummyThread: not counted)."""
    return {t for t in threading.enumerate() if t.is_alive() and not isinstance(t, threading._DummyThread)}


def snapshot() -> Snapshot:
    _deferred_deletes()
    return Snapshot(frozenset(_python_threads()), frozenset(_widget_timers()), frozenset(_qthreads()),
                    frozenset(_windows()))


def check(before: Snapshot, grace_s: float = GRACE_S) -> None:
    """Raise Leak naming each thread, task or timer started since `before` and still running."""
    deadline = time.monotonic() + grace_s
    problems: list[str] = []
    for thread in sorted(_python_threads() - before.threads, key=lambda t: t.name):
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            problems.append(f"the thread {thread.name!r} ({'daemon' if thread.daemon else 'not daemon'}) "
                            "is still running")
    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(max(0, round((deadline - time.monotonic()) * 1000))):
        problems.append(f"{pool.activeThreadCount()} task(s) of QThreadPool.globalInstance() still active")
    _deferred_deletes()
    QCoreApplication.processEvents()
    _deferred_deletes()
    problems += [what for address, what in _qthreads().items() if address not in before.qthreads]
    problems += [what for address, what in _widget_timers().items() if address not in before.timers]
    problems += [what for address, what in _windows().items() if address not in before.windows]
    if problems:
        raise Leak("the test left running: " + "; ".join(problems))
