"""The heavy libraries (pyqtgraph for the charts, reportlab for the handout) are imported on the worker
once the window has painted with its data: never during the start, never on the GUI thread."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop import warm_up
from desktop.app import start
from desktop.warm_up import MODULES, import_all

pytestmark = pytest.mark.gui


def test_the_imports_start_after_the_first_paint_with_data_on_the_worker(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, tuple[str, ...], bool]] = []
    gui = threading.current_thread()

    def record(modules: Sequence[str] = MODULES) -> dict[str, float]:
        calls.append((threading.current_thread().name, tuple(modules), window.store is not None))
        return {m: 0.0 for m in modules}

    monkeypatch.setattr(warm_up, "import_all", record)
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        assert not calls  # nothing before the window is shown
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: bool(calls), timeout=30_000)
        name, modules, had_data = calls[0]
        assert had_data and name != gui.name and name.startswith("tumorboard-task")
        assert modules == ("pyqtgraph",)
        qtbot.waitUntil(lambda: window.warm_up.took is not None, timeout=5_000)  # type: ignore[attr-defined]
        window.tab("Grading")
        qtbot.wait(50)
        assert len(calls) == 1  # once per window
    finally:
        tasks.shutdown()
        if window.store is not None:
            window.store.close()


def test_a_module_that_cannot_be_imported_is_reported_and_the_switch_interval_restored() -> None:
    before = sys.getswitchinterval()
    took = import_all(["json", "no_such_module_for_tumorboard"])
    assert took["no_such_module_for_tumorboard"] == -1.0 and took["json"] >= 0.0
    assert sys.getswitchinterval() == before


def test_the_handout_is_written_with_the_gui_thread_first_and_the_interval_restored(
        qtbot, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The handout's worker (reportlab's import, the typesetting) lets the GUI thread take the interpreter
    lock after SWITCH_S, not Python's 5 ms, and leaves the interval as it found it."""
    import handout.document
    from desktop.compare_tab import CompareTab
    from desktop.responsive import SWITCH_S

    seen: list[float] = []
    real = handout.document.write_handout
    monkeypatch.setattr(handout.document, "write_handout",
                        lambda *a, **k: seen.append(sys.getswitchinterval()) or real(*a, **k))
    before = sys.getswitchinterval()
    tab = CompareTab(store)
    qtbot.addWidget(tab)
    tab.set_disease("pnet")
    tab.set_therapies(["everolimus", "sunitinib"])
    with qtbot.waitSignal(tab.pdf_written, timeout=10000):
        tab.save_pdf(tmp_path / "h.pdf")
    tab.shutdown()
    assert seen == [pytest.approx(SWITCH_S)] and sys.getswitchinterval() == before
