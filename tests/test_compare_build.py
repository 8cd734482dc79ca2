"""The Compare grid is built off the GUI thread: while a comparison is read the window answers the keyboard,
the comparison comes by the tab's `built` signal, only the last one asked for is shown, and a handout asked for
meanwhile (Ctrl+S) is of the choices in the boxes. The handout's worker starts once the window has painted
"Writing the handout…"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop import compare_tab, pdf_output
from desktop.compare_tab import CompareTab
from tests.window_support import (
    compare_settled,
    compare_tab_alone,
    opened_window,
    paint_recorder,
    press,
    save_through_dialog,
)

pytestmark = pytest.mark.gui

tab = pytest.fixture(compare_tab_alone)
window = pytest.fixture(opened_window)


class HeldBuild:
    """The comparison's build, held on the worker until `release()`: a slow read at a large registry."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = compare_tab.build_comparison
        self._open = threading.Event()
        self.asked: list[list[str]] = []
        monkeypatch.setattr(compare_tab, "build_comparison", self)

    def __call__(self, store: Any, disease: str, keys: list[str], local: Any = None) -> Any:
        self.asked.append(list(keys))
        if not self._open.wait(20):
            raise TimeoutError("the build was never released")
        return self._real(store, disease, keys, local=local)

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldBuild]:
    build = HeldBuild(monkeypatch)
    yield build
    build.release()  # the worker is never left waiting when the test ends


def enter(qtbot, box: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a box and press Enter; the grid is not waited for."""
    box.setFocus()
    box.lineEdit().clear()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def headers(tab: CompareTab) -> list[str]:
    return [str(tab.model.headerData(c, Qt.Orientation.Horizontal)).split("\n")[0]
            for c in range(1, tab.model.columnCount())]


def test_the_comparison_comes_by_signal_while_the_window_answers(qtbot, tab: CompareTab,  # type: ignore[no-untyped-def]
                                                                 held: HeldBuild) -> None:
    controls = tab.controls
    enter(qtbot, controls.disease_box, "pNET")
    enter(qtbot, controls.therapy_boxes[0], "everolimus")
    enter(qtbot, controls.therapy_boxes[1], "sunitinib")
    qtbot.waitUntil(lambda: held.asked == [["everolimus", "sunitinib"]])  # being read on the worker
    controls.label_field.setFocus()  # the window takes keys meanwhile
    qtbot.keyClicks(controls.label_field, "Case 5")
    assert controls.label_field.text() == "Case 5"
    assert tab.pending() and tab.model.rowCount() == 0 and not controls.save_button.isEnabled()
    with qtbot.waitSignal(tab.built, timeout=20_000) as built:
        held.release()
    assert built.args == [tab.comparison()] and headers(tab) == ["Everolimus", "Sunitinib"]
    assert not tab.pending() and tab.model.rowCount() > 0 and controls.save_button.isEnabled()
    assert controls.label_field.text() == "Case 5" and tab.message.text().startswith(f"{tab.model.rowCount()} rows")


def test_only_the_last_comparison_asked_for_is_shown(qtbot, tab: CompareTab, held: HeldBuild) -> None:  # type: ignore[no-untyped-def]
    shown: list[list[str]] = []
    tab.model.modelReset.connect(lambda: shown.append(headers(tab)))
    enter(qtbot, tab.controls.disease_box, "pNET")
    enter(qtbot, tab.controls.therapy_boxes[0], "everolimus")
    enter(qtbot, tab.controls.therapy_boxes[1], "sunitinib")
    qtbot.waitUntil(lambda: len(held.asked) == 1)
    enter(qtbot, tab.controls.therapy_boxes[1], "lanreotide")  # changed before the first came back
    with qtbot.waitSignal(tab.built, timeout=20_000) as built:
        held.release()
    compare_settled(qtbot, tab)
    assert held.asked == [["everolimus", "sunitinib"], ["everolimus", "lanreotide"]]  # both were read
    assert [c.key for c in built.args[0].columns] == ["everolimus", "lanreotide"]
    assert headers(tab) == ["Everolimus", "Lanreotide"] and ["Everolimus", "Sunitinib"] not in shown


def test_ctrl_s_while_the_comparison_is_read_saves_the_boxes_choices(qtbot, window, held: HeldBuild,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out, proposed = tmp_path / "handout.pdf", []

    def answer(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        proposed.append(Path(start).name)
        return str(out), "PDF (*.pdf)"

    monkeypatch.setattr(pdf_output.QFileDialog, "getSaveFileName", answer)
    press(qtbot, window, "Ctrl+4")
    compare = window.tab("Compare")
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is compare)
    enter(qtbot, compare.controls.disease_box, "pNET")
    enter(qtbot, compare.controls.therapy_boxes[0], "everolimus")
    enter(qtbot, compare.controls.therapy_boxes[1], "sunitinib")
    qtbot.waitUntil(lambda: ["everolimus", "sunitinib"] in held.asked, timeout=20_000)
    press(qtbot, window, "Ctrl+S")  # before the grid shows them
    assert proposed == [] and compare.pending()
    with qtbot.waitSignal(compare.pdf_written, timeout=30_000):
        held.release()
    assert proposed == ["handout-pnet-everolimus-sunitinib.pdf"]
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Everolimus" in text and "Sunitinib" in text


def test_the_handout_is_written_once_the_window_says_so(qtbot, tab: CompareTab, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker (importing reportlab) starts after the window has painted 'Writing the handout…': that paint
    never waits for the interpreter lock the worker holds."""
    enter(qtbot, tab.controls.disease_box, "pNET")
    enter(qtbot, tab.controls.therapy_boxes[0], "everolimus")
    enter(qtbot, tab.controls.therapy_boxes[1], "sunitinib")
    compare_settled(qtbot, tab)
    painted = paint_recorder(tab.message)
    seen_at_start: list[list[str]] = []
    run = tab.tasks.run

    def started(fn: Any, done: Any) -> Any:
        seen_at_start.append(list(painted.texts))
        return run(fn, done)

    monkeypatch.setattr(tab.tasks, "run", started)
    out = tmp_path / "h.pdf"
    with qtbot.waitSignal(tab.pdf_written, timeout=20_000):
        save_through_dialog(qtbot, lambda: qtbot.mouseClick(tab.controls.save_button, Qt.MouseButton.LeftButton), out)
    assert len(seen_at_start) == 1 and f"Writing the handout to {out} …" in seen_at_start[0]
