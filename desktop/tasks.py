"""One background executor for slow work (building, big queries, export).

Results come back to the GUI thread through a Qt signal, so widgets never block and
never touch a result from another thread. The executor is shut down on quit.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class TaskRunner(QObject):
    _done = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tumorboard-task")
        self._done.connect(self._deliver)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]) -> Future[Any]:
        future = self._pool.submit(fn)

        def finished(f: Future[Any]) -> None:
            if f.cancelled():
                return
            error = f.exception()
            self._done.emit(on_done, None if error else f.result(), error)

        future.add_done_callback(finished)
        return future

    @staticmethod
    def _deliver(callback: Callable[[Any, BaseException | None], None], result: Any, error: Any) -> None:
        callback(result, error)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
