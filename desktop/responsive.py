"""Keeping the window answering while a worker thread runs a long stretch of Python.

While the worker runs Python, the GUI thread waits for the interpreter lock at every call from Qt
into Python (each cell a view paints), up to the switch interval each time: at Python's 5 ms a
single repaint could wait 50-100 ms. During such work (importing pyqtgraph or reportlab, writing
a handout) the interval is SWITCH_S instead.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_S = 0.0001  # seconds: how long the GUI thread may wait for the lock meanwhile
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
