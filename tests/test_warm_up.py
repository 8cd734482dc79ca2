"""What the window's first uses import (the search engine, a study's detail, each tab, pyqtgraph for the charts;
reportlab for the handout) is imported once the window has painted with its data, never during the start: on the
worker, but for our modules that define Qt classes, imported on the GUI thread one a turn of the event loop. The first
search waits for the engine's import rather than doing it; a first visit to a tab finds its modules imported."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from desktop import warm_up
from desktop.app import start
from desktop.warm_up import MODULES, SEARCH, import_all
from tests.window_support import opened_window, press, save_through_dialog

pytestmark = pytest.mark.gui


def test_the_imports_start_after_the_first_paint_with_data_on_the_worker(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, tuple[str, ...], bool]] = []
    gui = threading.current_thread()

    def record(modules: Sequence[str] = MODULES, done: set[str] | None = None) -> dict[str, float]:
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
        assert modules == MODULES and modules[0] == SEARCH and "pyqtgraph" in modules
        assert not set(modules) & QT_CLASS_MODULES, "a module defining a Qt class imported off the GUI thread"
        qtbot.waitUntil(lambda: window.warm_up.took is not None, timeout=5_000)  # type: ignore[attr-defined]
        window.tab("Grading")
        qtbot.wait(50)
        assert len(calls) == 1  # once per window
    finally:
        tasks.shutdown()
        if window.store is not None:
            window.store.close()


def _defines_qt_class(path: Path) -> bool:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for n in tree.body
             if isinstance(n, ast.ClassDef) for b in n.bases}
    return any(b.startswith("Q") for b in bases)


DESKTOP = Path(__file__).resolve().parents[1] / "desktop"
QT_CLASS_MODULES = {f"desktop.{p.stem}" for p in DESKTOP.glob("*.py") if _defines_qt_class(p)}


def test_the_warm_up_imports_no_module_of_ours_that_defines_a_qt_class() -> None:
    """Importing desktop's tab modules on the worker crashed the process (a segfault in shiboken while the
    worker ran `class CtcaePanel(QWidget)`): only Qt-free modules of ours are warmed off the GUI thread."""
    assert {"desktop.grading_tab", "desktop.case_tab", "desktop.efficacy_chart"} <= QT_CLASS_MODULES
    assert "desktop.study_html" not in QT_CLASS_MODULES
    assert not set(MODULES) & QT_CLASS_MODULES


def test_a_module_that_cannot_be_imported_is_reported_and_the_switch_interval_restored() -> None:
    before = sys.getswitchinterval()
    took = import_all(["json", "no_such_module_for_tumorboard"])
    assert took["no_such_module_for_tumorboard"] == -1.0 and took["json"] >= 0.0
    assert sys.getswitchinterval() == before


def test_the_first_search_waits_for_the_engine_imported_on_the_worker(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A letter typed while the warm-up is importing the search engine is searched once the engine is imported:
    meanwhile the GUI thread does not import it (the store has made no engine) and the window takes keys."""
    release = threading.Event()
    real = warm_up.import_all
    monkeypatch.delitem(sys.modules, SEARCH, raising=False)  # as at a start: the engine not imported yet

    def held(modules: Sequence[str] = MODULES, done: set[str] | None = None) -> dict[str, float]:
        assert release.wait(10)
        return real(modules, done)

    monkeypatch.setattr(warm_up, "import_all", held)
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: window.warm_up.started, timeout=30_000)  # type: ignore[attr-defined]
        field = window.search.field
        field.setFocus()
        qtbot.keyClicks(field, "everolimus")
        qtbot.wait(150)
        assert window.store._engine is None and window.search.model.hit_count() == 0  # not searched here yet
        assert field.text() == "everolimus"  # the keys arrived meanwhile
        release.set()
        qtbot.waitUntil(lambda: window.search.model.hit_count() > 0, timeout=10_000)
        assert SEARCH in window.warm_up.imported  # type: ignore[attr-defined]
        assert any("verolimus" in h.title for g in window.search.model.groups for h in g.hits)
    finally:
        release.set()
        tasks.shutdown()
        if window.store is not None:
            window.store.close()


window_fixture = pytest.fixture(opened_window, name="window")


def test_the_handout_is_written_with_the_gui_thread_first_and_the_interval_restored(  # type: ignore[no-untyped-def]
        qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The handout's worker (reportlab's import, the typesetting) lets the GUI thread take the interpreter
    lock after SWITCH_S, not Python's 5 ms, and leaves the interval as it found it; saved with Ctrl+S."""
    import handout.document
    from desktop.responsive import SWITCH_S

    seen: list[float] = []
    real = handout.document.write_handout
    monkeypatch.setattr(handout.document, "write_handout",
                        lambda *a, **k: seen.append(sys.getswitchinterval()) or real(*a, **k))
    before = sys.getswitchinterval()
    press(qtbot, window, "Ctrl+4")
    compare = window.tab("Compare")
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is compare, timeout=5000)

    def type_into(box: QComboBox, text: str) -> None:
        box.setFocus()
        box.lineEdit().clear()
        qtbot.keyClicks(box.lineEdit(), text)
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)

    type_into(compare.controls.disease_box, "pNET")
    for box, typed in zip(compare.controls.therapy_boxes, ["everolimus", "sunitinib"], strict=False):
        type_into(box, typed)
    qtbot.waitUntil(lambda: len(compare.therapies()) == 2, timeout=10_000)
    qtbot.waitUntil(compare.controls.save_button.isEnabled, timeout=10_000)
    out = tmp_path / "h.pdf"
    with qtbot.waitSignal(compare.pdf_written, timeout=30_000):
        save_through_dialog(qtbot, lambda: press(qtbot, window, "Ctrl+S"), out)
    assert out.stat().st_size > 0
    assert seen == [pytest.approx(SWITCH_S)] and sys.getswitchinterval() == before


VISITS = r'''
import json, sys, threading
from tumorboard.cli import window_imports
window_imports()
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop import warm_up
from desktop.app import start
imports = []
real = warm_up.import_one

def recorded(name):
    before = set(sys.modules)
    took = real(name)
    imports.append((name, threading.current_thread() is threading.main_thread(), sorted(set(sys.modules) - before)))
    return took

warm_up.import_one = recorded
window, tasks = start(app)
window.resize(1366, 768)
window.show()
for _ in range(1500):
    if window.warm_up.is_settled:
        break
    QTest.qWait(20)
visited = []

class Spy:
    def find_spec(self, name, path=None, target=None):
        visited.append((name, threading.current_thread() is threading.main_thread()))

sys.meta_path.insert(0, Spy())
for action in window.tab_actions:  # Ctrl+1 ... Ctrl+5: each tab's first visit
    action.trigger()
    QTest.qWait(100)
window.command_actions["Efficacy chart"].trigger()  # Ctrl+E: the Trials tab's chart, drawn
QTest.qWait(300)
print(json.dumps({"settled": window.warm_up.is_settled, "imports": imports, "visited": visited}))
tasks.shutdown()
'''


def test_after_the_warm_up_a_first_visit_to_each_tab_and_the_first_chart_import_nothing(home: Path) -> None:
    """In a fresh process as at a start: the worker imports MODULES, then the GUI thread GUI_MODULES, leaves first (each
    import brings that module alone, a few ms); afterwards each tab's first visit and the first efficacy chart (by their
    menu actions) import no module of ours, nor pyqtgraph's."""
    import json
    import os
    import subprocess

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", VISITS], cwd=root, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["settled"]
    on_worker = [name for name, gui, _new in report["imports"] if not gui]
    on_gui = [(name, new) for name, gui, new in report["imports"] if gui]
    assert on_worker == list(MODULES)
    assert [name for name, _new in on_gui] == [m for m in warm_up.GUI_MODULES if m not in on_worker]
    assert all(set(new) <= {name} for name, new in on_gui), [(n, new) for n, new in on_gui if set(new) - {n}]
    ours = ("db.", "desktop.", "handout.", "tumorboard.", "pyqtgraph", "numpy")
    late = sorted({name for name, gui in report["visited"] if gui and name.startswith(ours)})
    assert not late, f"imported at a first visit on the GUI thread: {late} (add them to desktop/warm_up.py)"
    assert not set(warm_up.GUI_MODULES) & QT_CLASS_MODULES - {m for m, _n in on_gui}


def test_the_gui_thread_imports_its_modules_after_the_workers_one_a_turn_then_settles(  # type: ignore[no-untyped-def]
        qtbot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GUI_MODULES are imported on the GUI thread once the worker's imports are over, one a turn of the event loop
    (a zero-time timer started by one module's import has run before the next is imported), and the window then
    says it has settled."""
    turns: list[str] = []
    for name in ("tb_probe_a", "tb_probe_b", "tb_probe_c"):
        (tmp_path / f"{name}.py").write_text(
            "import threading\nfrom PySide6.QtCore import QTimer\nfrom desktop import warm_up\n"
            "from tests import test_warm_up as t\n"
            f"t.SEEN.append(({name!r}, threading.current_thread() is threading.main_thread(), "
            "t.WINDOW[0].warm_up.took is not None, list(t.TURNS)))\n"
            f"QTimer.singleShot(0, lambda: t.TURNS.append({name!r}))\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm_up, "GUI_MODULES", ("tb_probe_a", "tb_probe_b", "tb_probe_c"))
    monkeypatch.setattr(sys.modules[__name__], "TURNS", turns, raising=False)
    seen: list[tuple[str, bool, bool, list[str]]] = []
    monkeypatch.setattr(sys.modules[__name__], "SEEN", seen, raising=False)
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    monkeypatch.setattr(sys.modules[__name__], "WINDOW", [window], raising=False)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.warm_up.settled, timeout=30_000):  # type: ignore[attr-defined]
            window.resize(1366, 768)
            window.show()
        assert [s[0] for s in seen] == ["tb_probe_a", "tb_probe_b", "tb_probe_c"]
        assert all(on_gui and worker_done for _n, on_gui, worker_done, _t in seen)
        assert [s[3] for s in seen] == [[], ["tb_probe_a"], ["tb_probe_a", "tb_probe_b"]]  # one a turn
        assert set(window.warm_up.gui_took) == {"tb_probe_a", "tb_probe_b", "tb_probe_c"}  # type: ignore[attr-defined]
    finally:
        tasks.shutdown()
        if window.store is not None:
            window.store.close()
        for name in ("tb_probe_a", "tb_probe_b", "tb_probe_c"):
            sys.modules.pop(name, None)
