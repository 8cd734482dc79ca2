"""One background worker for slow work (opening the dataset, building, export).

Results come back to the GUI thread through a Qt signal, so widgets never block and
never touch a result from another thread. Jobs run one at a time, in order; on quit
the running job finishes and the waiting ones are dropped. A plain thread, a deque and a semaphore:
concurrent.futures would add its import to every start for nothing it is used for.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

Callback = Callable[[Any, BaseException | None], None]


class Job:
    """A submitted job: its callback runs once, on the GUI thread, from the signal or `deliver_now`."""

    def __init__(self, fn: Callable[[], Any], on_done: Callback) -> None:
        self.fn, self.on_done = fn, on_done
        self.finished = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.delivered = False

    def deliver_now(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the job and, if it finished, call its callback here and now
        (the GUI thread), instead of at the next turn of the event loop. False if it is still running."""
        if not self.finished.wait(timeout):
            return False
        TaskRunner.deliver(self)
        return True


class TaskRunner(QObject):
    _done = Signal(object)  # Job

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: deque[Job | None] = deque()  # with a semaphore: the queue module is one more import at start
        self._waiting = threading.Semaphore(0)
        self._thread: threading.Thread | None = None
        self._closed = False
        self._done.connect(self.deliver)

    @property
    def closing(self) -> bool:
        """Shut down or shutting down: the GUI thread may be waiting for the worker to end."""
        return self._closed

    def run(self, fn: Callable[[], Any], on_done: Callback) -> Job:
        """Run `fn` on the worker; `on_done(result, error)` is called on the GUI thread. RuntimeError once
        shut down (as an executor's submit)."""
        if self._closed:
            raise RuntimeError("the task runner was shut down: it takes no more work")
        job = Job(fn, on_done)
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="tumorboard-task", daemon=True)
            self._thread.start()
        self._jobs.append(job)
        self._waiting.release()
        return job

    def _work(self) -> None:
        while self._waiting.acquire() and (job := self._jobs.popleft()) is not None:
            if self._closed:
                continue  # dropped at quit: drain to the end marker
            try:
                job.result = job.fn()
            except BaseException as exc:  # handed to the callback, as a future would
                job.error = exc
            job.finished.set()
            if not self._closed:
                self._done.emit(job)

    @staticmethod
    def deliver(job: Job) -> None:
        if not job.delivered:
            job.delivered = True
            job.on_done(job.result, job.error)

    def shutdown(self) -> None:
        """Let the running job finish, drop the waiting ones, and wait for the worker to end."""
        if self._closed:
            return
        self._closed = True
        self._jobs.append(None)
        self._waiting.release()
        if self._thread is not None:
            self._thread.join()
