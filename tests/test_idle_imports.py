"""The warm-up's worker stands aside while the GUI thread answers the user (desktop/idle_imports.py): its Python waits
while the GUI thread is busy, until the window has painted or the spell's time is over; it never waits for itself
(a GUI thread importing the module the paused worker holds gets it), nor once its runner shuts down. And the window's
own busy spells (a keystroke's search, a tab's first visit) make a warming worker stand aside."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop import idle_imports, warm_up
from desktop.app import start
from desktop.idle_imports import IdleGate, gui_busy, standing_aside

pytestmark = pytest.mark.gui


def step(n: int) -> int:
    return n + 1


def _worker(gate: IdleGate, work: Callable[[], None]) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        with standing_aside(gate):
            work()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    return thread, done


class Painted(QWidget):
    """A window that counts its paints: the gate watches its events and must let every one through."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        super().paintEvent(event)


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    shown = Painted()
    qtbot.addWidget(shown)
    shown.resize(200, 100)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


@pytest.fixture
def gate(window):  # type: ignore[no-untyped-def]
    made = IdleGate(window)
    yield made
    made.close()


def test_while_the_gui_thread_is_busy_the_workers_python_waits_until_the_window_has_painted(  # type: ignore[no-untyped-def]
        qtbot, window, gate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_imports, "BUSY_S", 30.0)
    calls: list[int] = []
    thread, done = _worker(gate, lambda: [calls.append(step(i)) for i in range(50)])
    gui_busy()
    thread.start()
    window.setWindowTitle("busy")  # an event of the window that is no paint
    qtbot.wait(60)  # the event loop runs, the window has nothing to paint: still busy
    assert calls == [] and not done.is_set()
    painted = window.paints
    window.update()  # what the work changed is painted: the worker goes on
    qtbot.waitUntil(done.is_set, timeout=5_000)
    assert len(calls) == 50 and gate.pauses >= 1
    assert window.paints > painted  # the gate let the paint through


def test_each_busy_spell_waits_for_its_own_paint(qtbot, window, gate, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(idle_imports, "BUSY_S", 30.0)
    calls: list[int] = []
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            calls.append(step(0))
            time.sleep(0.001)

    thread, done = _worker(gate, work)
    try:
        thread.start()
        for _spell in range(2):
            qtbot.waitUntil(lambda: len(calls) > 0, timeout=5_000)  # running between spells
            gui_busy()
            qtbot.wait(20)  # a call in progress at gui_busy may still finish
            before = len(calls)
            qtbot.wait(60)  # nothing painted: the spell goes on
            assert len(calls) == before
            window.update()
            qtbot.waitUntil(lambda before=before: len(calls) > before, timeout=5_000)
            calls.clear()
    finally:
        stop.set()
        window.update()
        qtbot.waitUntil(done.is_set, timeout=5_000)


def test_a_busy_spell_ends_after_busy_s_even_if_the_event_loop_never_waits(  # type: ignore[no-untyped-def]
        gate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_imports, "BUSY_S", 0.05)
    thread, done = _worker(gate, lambda: [step(i) for i in range(50)])
    gui_busy()
    thread.start()
    assert done.wait(2.0)  # no event loop ran meanwhile
    thread.join()


def test_a_runner_shutting_down_is_not_waited_for(window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(idle_imports, "BUSY_S", 30.0)
    stopping = IdleGate(window, stop=lambda: True)
    try:
        thread, done = _worker(stopping, lambda: [step(i) for i in range(50)])
        gui_busy()
        thread.start()
        assert done.wait(5.0)  # the GUI thread joins the worker here: no event loop, and the spell lasts 30 s
        thread.join()
    finally:
        stopping.close()


def test_a_gui_thread_importing_the_module_the_paused_worker_holds_gets_it(  # type: ignore[no-untyped-def]
        qtbot, window, gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker pauses inside the module's body, holding its import lock; the GUI thread then imports the same
    module, waits for that lock, and the worker goes on at once instead of after the spell's 30 s."""
    monkeypatch.setattr(idle_imports, "BUSY_S", 30.0)
    inside, go = threading.Event(), threading.Event()
    monkeypatch.setattr(sys.modules[__name__], "INSIDE", inside, raising=False)
    monkeypatch.setattr(sys.modules[__name__], "GO", go, raising=False)
    (tmp_path / "tb_probe_held.py").write_text(
        "from tests import test_idle_imports as t\n"
        "t.INSIDE.set()\n"
        "t.GO.wait(10)\n"
        "VALUES = [t.step(i) for i in range(20)]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    thread, done = _worker(gate, lambda: __import__("tb_probe_held"))
    try:
        thread.start()
        assert inside.wait(5.0)  # the worker runs the module's body: it holds the module's lock
        gui_busy()
        go.set()
        time.sleep(0.05)  # the worker stands aside inside the body (for 30 s, unless the GUI thread waits for it)
        assert not done.is_set()
        began = time.perf_counter()
        import tb_probe_held  # type: ignore[import-not-found]

        assert list(range(1, 21)) == tb_probe_held.VALUES
        assert time.perf_counter() - began < 10.0
        assert gate.pauses >= 1
        window.update()  # painted: the spell is over
        qtbot.waitUntil(done.is_set, timeout=5_000)
    finally:
        go.set()
        thread.join(5.0)
        sys.modules.pop("tb_probe_held", None)


@pytest.fixture
def warming(qtbot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A window whose warm-up imports one module, whose body runs Python for about a second: the worker is in it."""
    (tmp_path / "tb_probe_slow.py").write_text(
        "import time\nfrom tests import test_idle_imports as t\n"
        "end = time.perf_counter() + 1.0\n"
        "while time.perf_counter() < end:\n    t.step(0)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm_up.WarmUp.__init__, "__defaults__", (("tb_probe_slow",), ()))
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        qtbot.waitUntil(lambda: "tb_probe_slow" in sys.modules, timeout=30_000)
        qtbot.wait(int(idle_imports.BUSY_S * 1000) + 50)  # any busy spell of the start is over
        yield window
    finally:
        tasks.shutdown()
        if window.store is not None:
            window.store.close()
        sys.modules.pop("tb_probe_slow", None)


def _stood_aside(qtbot, window, act: Callable[[], None]) -> bool:  # type: ignore[no-untyped-def]
    """Whether the warming worker paused after `act`, done while it was still warming."""
    before = window.warm_up.gate.pauses
    act()
    assert window.warm_up.took is None  # still warming
    qtbot.waitUntil(lambda: window.warm_up.took is not None, timeout=30_000)
    return bool(window.warm_up.gate.pauses > before)


def test_typing_a_search_makes_the_warming_worker_stand_aside(qtbot, warming) -> None:  # type: ignore[no-untyped-def]
    def typed() -> None:
        warming.search.field.setFocus()
        qtbot.keyClicks(warming.search.field, "everolimus")
        qtbot.waitUntil(lambda: warming.search.model.hit_count() > 0, timeout=5_000)

    assert _stood_aside(qtbot, warming, typed)


def test_a_first_visit_to_a_tab_makes_the_warming_worker_stand_aside(qtbot, warming) -> None:  # type: ignore[no-untyped-def]
    def next_tab() -> None:
        assert warming.tabs.currentIndex() == 0
        qtbot.keyClick(warming, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # the next tab, built now
        qtbot.waitUntil(lambda: warming.tabs.currentIndex() == 1, timeout=5_000)

    assert _stood_aside(qtbot, warming, next_tab)


def test_a_worker_holding_the_import_systems_lock_does_not_pause(  # type: ignore[no-untyped-def]
        gate, monkeypatch: pytest.MonkeyPatch) -> None:
    """Held while a finder searches; every import of the GUI thread would wait for it (and nothing says so)."""
    import _imp

    monkeypatch.setattr(idle_imports, "BUSY_S", 30.0)
    took: list[float] = []

    def holding() -> None:
        _imp.acquire_lock()
        try:
            began = time.perf_counter()
            gate.pause()
            took.append(time.perf_counter() - began)
        finally:
            _imp.release_lock()

    gui_busy()
    thread = threading.Thread(target=holding, daemon=True)
    thread.start()
    thread.join(10.0)
    assert took and took[0] < 5.0 and gate.pauses == 0
