"""GUI work too long for one turn of the event loop, done a batch per turn: the window answers between them.

A chart's text labels cost about a millisecond each to make (pyqtgraph lays each out as it is made); forty of
them at once held the window 40-60 ms, ten a turn still 10-20 ms on top of the drawing that starts them.
`Batches.start` queues them, `flush` does what is left at once (before a chart is saved, say), and a new `start`
drops what the last one had not done.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer

BATCH = 5  # jobs per turn of the event loop


class Batches(QObject):
    def __init__(self, parent: QObject, after: Callable[[], None] | None = None, size: int = BATCH) -> None:
        super().__init__(parent)
        self._jobs: deque[Callable[[], None]] = deque()
        self._after = after  # run after each batch (a chart places what was added)
        self._size = size
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._batch)

    def start(self, jobs: Iterable[Callable[[], None]]) -> None:
        """Drop the jobs not yet done, do the first batch of these now and the rest in later turns."""
        self._jobs = deque(jobs)
        self._batch()

    def flush(self) -> None:
        if self._jobs:
            self._batch(len(self._jobs))

    @property
    def pending(self) -> int:
        return len(self._jobs)

    def _batch(self, size: int | None = None) -> None:
        for _ in range(min(size or self._size, len(self._jobs))):
            self._jobs.popleft()()
        if self._after is not None:
            self._after()
        if self._jobs:
            self._timer.start()
