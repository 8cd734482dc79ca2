"""The check every GUI test ends with (tests/leaks.py, the autouse fixture in tests/conftest.py): a thread, a
thread-pool task, a widget's active timer or a widget with timers left behind fails it; cleaned up, it passes."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QRunnable, QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

from tests import leaks

pytestmark = pytest.mark.gui


def test_a_thread_left_running_fails_and_a_stopped_one_passes(qtbot) -> None:  # type: ignore[no-untyped-def]
    before = leaks.snapshot()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-behind", daemon=True)
    thread.start()
    with pytest.raises(leaks.Leak, match="the thread 'left-behind' \\(daemon\\) is still running"):
        leaks.check(before, grace_s=0.1)
    stop.set()
    leaks.check(before)  # it ends within the grace period


def test_an_active_timer_of_a_widget_left_open_fails(qtbot) -> None:  # type: ignore[no-untyped-def]
    before = leaks.snapshot()
    widget = QWidget()
    timer = QTimer(widget)
    timer.start(60_000)
    with pytest.raises(leaks.Leak, match="an active QTimer \\(60000 ms\\) of a QWidget in a QWidget"):
        leaks.check(before, grace_s=0.1)
    timer.stop()
    with pytest.raises(leaks.Leak, match="a QWidget with 1 QTimer\\(s\\) outlived the test"):
        leaks.check(before, grace_s=0.1)  # stopped, but the widget is still there to start it again
    qtbot.addWidget(widget)
    widget.close()
    widget.deleteLater()
    leaks.check(before)


class Waits(QRunnable):
    def __init__(self, stop: threading.Event) -> None:
        super().__init__()
        self.stop = stop

    def run(self) -> None:
        self.stop.wait(10)


def test_a_thread_pool_task_still_active_fails(qtbot) -> None:  # type: ignore[no-untyped-def]
    before = leaks.snapshot()
    stop = threading.Event()
    QThreadPool.globalInstance().start(Waits(stop))
    with pytest.raises(leaks.Leak, match=r"1 task\(s\) of QThreadPool\.globalInstance\(\) still active"):
        leaks.check(before, grace_s=0.1)
    stop.set()
    leaks.check(before)
