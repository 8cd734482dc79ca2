"""The window's garbage collector (desktop/gc_guard.py): CPython's rule for full collections, nothing collected
while the window starts, what it keeps frozen out of every pass once it has settled, and unfrozen when it closes."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from desktop import gc_guard
from desktop.app import start
from desktop.gc_guard import FULL_SHARE, GarbageCollector
from tests.window_support import menu_action

pytestmark = pytest.mark.gui


class Passes:
    """The generation of each collection that runs while it is installed."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.seen.append(info["generation"])

    def __enter__(self) -> Passes:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self)


def test_a_full_collection_waits_until_a_quarter_of_the_long_lived_objects_are_new(qtbot) -> None:  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    owner = QObject()
    collector = GarbageCollector(owner)  # a collector of its own: its counts start here
    try:
        collector.collect(2)
        assert collector.long_lived > 0 and collector.pending == 0
        for _ in range(collector.threshold[2] + 1):  # generation 2's own threshold is passed ...
            collector.collect(1)
        assert gc.get_count()[2] > collector.threshold[2]
        assert collector.pending < collector.long_lived // FULL_SHARE
        with Passes() as passes:
            collector.check()
        assert 2 not in passes.seen  # ... but few objects have come into it since: no full pass yet
        kept = [[n] for n in range(collector.long_lived // FULL_SHARE + 1000)]
        collector.collect(1)  # they survive into generation 2
        assert collector.pending >= collector.long_lived // FULL_SHARE
        with Passes() as passes:
            collector.check()
        assert passes.seen == [2]
        assert collector.pending == 0 and collector.long_lived >= len(kept)
    finally:
        Shiboken.delete(owner)  # its `destroyed` switches automatic collection back on
        (gc.enable if was else gc.disable)()


def test_the_window_holds_collection_while_it_starts_freezes_what_it_keeps_and_unfreezes_at_quit(  # type: ignore[no-untyped-def]
        qtbot, home: Path) -> None:
    app = QApplication.instance()
    window, tasks = start(app)  # type: ignore[arg-type]
    collector = gc_guard.install(app)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        assert collector.held and not collector.frozen
        young = [[n] for n in range(2 * collector.threshold[0])]  # past generation 0's threshold
        assert gc.get_count()[0] > collector.threshold[0]
        with Passes() as passes:
            collector.check()
        assert passes.seen == []  # the start's objects are kept, not collected
        del young
        with qtbot.waitSignal(window.warm_up.settled, timeout=30_000):  # type: ignore[attr-defined]
            window.resize(1366, 768)
            window.show()
        assert not collector.held and collector.frozen and gc.get_freeze_count() > 10_000
        with Passes() as passes:
            collector.collect(2)
        assert passes.seen == [2] and collector.long_lived < gc.get_freeze_count()  # the frozen are not passed over
        menu_action(window, "Quit").trigger()  # File > Quit (Ctrl+Q)
        assert not window.isVisible()
        assert not collector.frozen and gc.get_freeze_count() == 0  # what the window leaves is collected as before
    finally:
        tasks.shutdown()
        if window.store is not None:
            window.store.close()
        collector.unfreeze()
