"""Garbage collection only on the GUI thread.

Python's cyclic collector runs in whichever thread happens to allocate; if that is a
worker thread and the garbage holds Qt objects, Qt deletes widgets off the GUI thread
and the process crashes. So automatic collection is switched off and a GUI-thread
timer collects each generation once its threshold is reached (as pyqtgraph does).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 500


class GarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(_INTERVAL_MS)
        parent.destroyed.connect(gc.enable)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return


def install(app: QObject) -> GarbageCollector:
    existing = app.findChild(GarbageCollector)
    return existing if isinstance(existing, GarbageCollector) else GarbageCollector(app)
