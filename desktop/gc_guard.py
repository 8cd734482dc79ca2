"""Garbage collection only on the GUI thread, and never a pass over the objects every window keeps.

Python's cyclic collector runs in whichever thread happens to allocate; if that is a
worker thread and the garbage holds Qt objects, Qt deletes widgets off the GUI thread
and the process crashes. So automatic collection is switched off and a GUI-thread
timer collects each generation once its threshold is reached (as pyqtgraph does), with
CPython's own rule for the oldest: a full collection waits until the objects moved
into it since the last one are a quarter of those it then kept (`FULL_SHARE`).

The modules, the window and its tabs are some 75 000 objects that live as long as the
window; a full pass over them holds the window 40-60 ms. So once the window has settled
(its first paint, the warm-up's imports: desktop/warm_up.py) they are frozen out of every
pass (`gc.freeze`, as Instagram's servers do), and until then nothing is collected (they
are nearly all long-lived: imports leave a few hundred objects of garbage). The window's
close unfreezes them, so that what it leaves is collected as before (a close the user then
cancels leaves them unfrozen: the passes are then as long as they were before the freeze).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

_INTERVAL_MS = 100  # a worker's allocations wait at most this long in generation 0: each pass stays short
FULL_SHARE = 4  # CPython's: a full collection once the objects pending exceed 1/4 of the long-lived ones
HOLD_LIMIT_MS = 10_000  # a window that never settles (never shown) holds the collector no longer than this


class GarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.long_lived = 0  # objects in generation 2 after its last full collection (CPython's long_lived_total)
        self.pending = 0  # objects moved into generation 2 since then (long_lived_pending)
        self.frozen = False
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(_INTERVAL_MS)
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.timeout.connect(self.release)
        parent.destroyed.connect(gc.enable)

    @property
    def held(self) -> bool:
        return self._release.isActive()

    def hold(self) -> None:
        """Collect nothing until `freeze` (or HOLD_LIMIT_MS): a window's start allocates what it keeps."""
        self._release.start(HOLD_LIMIT_MS)

    def release(self) -> None:
        self._release.stop()

    def freeze(self, window: QWidget) -> None:
        """Every object alive now leaves the collector's passes until `window` closes; collection resumes."""
        self.release()
        if not window.isVisible():  # closed before it settled: nothing of it is to be kept
            return
        gc.freeze()
        self.frozen = True
        self.long_lived = self.pending = 0  # generation 2 is empty now
        window.installEventFilter(self)
        window.destroyed.connect(self.unfreeze)

    def unfreeze(self) -> None:
        if self.frozen:
            self.frozen = False
            gc.unfreeze()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            watched.removeEventFilter(self)
            self.unfreeze()
        return False

    def check(self) -> None:
        if self.held:
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] <= self.threshold[generation]:
                continue
            if generation == 2 and self.pending < self.long_lived // FULL_SHARE:
                continue  # CPython's rule (Modules/gcmodule.c): a generation-1 pass instead, if one is due
            self.collect(generation)
            return

    def collect(self, generation: int) -> None:
        """One pass, keeping count of the objects generation 2 holds and has received (as CPython does)."""
        if generation == 2:
            gc.collect(2)
            self.long_lived, self.pending = len(gc.get_objects(2)), 0
        elif generation == 1:
            young = len(gc.get_objects(0)) + len(gc.get_objects(1))
            self.pending += max(0, young - gc.collect(1))  # the survivors move into generation 2
        else:
            gc.collect(0)


def install(app: QObject) -> GarbageCollector:
    existing = app.findChild(GarbageCollector)
    return existing if isinstance(existing, GarbageCollector) else GarbageCollector(app)
