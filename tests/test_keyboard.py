"""The window by keyboard alone: keys are sent to whatever has focus (the search field, a table,
an editor), and the test checks what the user then sees: the tab in front, the chart, the focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop import dialogs, pdf_output
from desktop.main_window import MainWindow
from tests.test_window import open_window

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TITLES = ["Trials", "Grading", "Toxicity", "Compare", "Case"]


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    yield win
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


def press(qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:  # type: ignore[no-untyped-def]
    """A key as the user presses it: to the widget that has focus."""
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has focus"
    qtbot.keyClick(focused, key, modifiers)


def focus(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


def in_front(win: MainWindow) -> str:
    return win.tabs.tabText(win.tabs.currentIndex())


def places(win: MainWindow) -> dict[str, tuple[int, QWidget]]:
    """Where focus sits during a meeting, with the tab that holds it."""
    trials, grading, compare = win.tab("Trials"), win.tab("Grading"), win.tab("Compare")
    return {
        "search": (1, win.search.field),
        "trials table": (0, trials.table),  # type: ignore[union-attr]
        "study note editor": (0, trials.notes_panel.editor),  # type: ignore[union-attr]
        "grade calculator": (1, grading.calculator.ki67),  # type: ignore[union-attr]
        "case label": (3, compare.controls.label_field),  # type: ignore[union-attr]
    }


def go(qtbot, win: MainWindow, place: str) -> QWidget:  # type: ignore[no-untyped-def]
    tab, widget = places(win)[place]
    win.show_tab(tab)
    focus(qtbot, widget)
    return widget


@pytest.mark.parametrize("place", ["search", "trials table", "study note editor", "grade calculator", "case label"])
def test_window_keys_work_from_any_focus(qtbot, window: MainWindow, place: str,  # type: ignore[no-untyped-def]
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window.tab("Trials").open_ref("radiant-3")  # type: ignore[union-attr]  # the note editor takes a study
    for number in (2, 3, 4, 1):
        go(qtbot, window, place)
        press(qtbot, Qt.Key(Qt.Key.Key_0 + number))
        assert in_front(window) == TITLES[number - 1], f"Ctrl+{number} from the {place}"
    go(qtbot, window, place)
    base = QApplication.font().pointSizeF()
    press(qtbot, Qt.Key.Key_Equal)
    assert QApplication.font().pointSizeF() > base
    press(qtbot, Qt.Key.Key_0)
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    shown: list[QWidget] = []
    monkeypatch.setattr(dialogs, "show_shortcuts", lambda parent: shown.append(parent))
    press(qtbot, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    assert shown == [window]


def test_view_menu_names_the_tabs_and_each_item_opens_its_tab(window: MainWindow) -> None:
    texts = [a.text().replace("&", "") for a in window.tab_actions]
    assert texts == TITLES
    for action, title in reversed(list(zip(window.tab_actions, TITLES, strict=True))):
        action.trigger()
        assert in_front(window) == title


@pytest.mark.parametrize("place", ["search", "trials table"])
def test_ctrl_tab_moves_between_tabs(qtbot, window: MainWindow, place: str) -> None:  # type: ignore[no-untyped-def]
    window.show_tab(0)
    go(qtbot, window, place)
    window.show_tab(0)
    press(qtbot, Qt.Key.Key_Tab)
    assert in_front(window) == "Grading"
    if place == "trials table":
        focus(qtbot, window.search.field)
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)  # what Ctrl+Shift+Tab sends
    assert in_front(window) == "Trials"
    press(qtbot, Qt.Key.Key_Tab, CTRL | SHIFT)
    assert in_front(window) == TITLES[-1]  # Ctrl+Shift+Tab from the first tab: the last


def test_ctrl_e_from_the_search_field_shows_the_efficacy_chart(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    trials = window.tab("Trials")
    trials.open_ref("radiant-3")  # type: ignore[union-attr]
    window.show_tab(1)
    focus(qtbot, window.search.field)
    press(qtbot, Qt.Key.Key_E)
    assert in_front(window) == "Trials"
    assert trials.bottom.currentWidget() is trials.chart and trials.chart.isVisible()  # type: ignore[union-attr]
    focus(qtbot, trials.table)  # type: ignore[union-attr]
    press(qtbot, Qt.Key.Key_E)  # inside the tab it toggles: back to the study
    assert trials.bottom.currentWidget() is trials.detail and trials.detail.isVisible()  # type: ignore[union-attr]


def test_ctrl_g_from_the_trials_table_opens_the_grade_calculator(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    trials = window.tab("Trials")
    window.show_tab(0)
    focus(qtbot, trials.table)  # type: ignore[union-attr]
    press(qtbot, Qt.Key.Key_G)
    grading = window.tab("Grading")
    assert in_front(window) == "Grading"
    qtbot.waitUntil(lambda: grading.calculator.ki67.hasFocus(), timeout=2000)  # type: ignore[union-attr]


class ClaimsCtrlK(QObject):
    """What a line edit does on X11, where Ctrl+K deletes to the end of the line (offscreen binds no Ctrl+K)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_K and event.modifiers() == CTRL:
            event.accept()
            return True
        return False


def test_ctrl_k_from_an_editor_goes_to_search_and_leaves_the_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    compare = window.tab("Compare")
    window.show_tab(3)
    label = compare.controls.label_field  # type: ignore[union-attr]
    claim = ClaimsCtrlK(label)
    label.installEventFilter(claim)
    focus(qtbot, label)
    qtbot.keyClicks(label, "Case 3")
    label.setCursorPosition(0)
    press(qtbot, Qt.Key.Key_K)  # a line edit's own Ctrl+K would delete to the end of the line
    qtbot.waitUntil(window.search.field.hasFocus, timeout=2000)
    assert label.text() == "Case 3"


def test_ctrl_s_from_the_search_field_saves_the_compare_handout(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "handout.pdf"
    monkeypatch.setattr(pdf_output.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "PDF (*.pdf)"))
    compare = window.tab("Compare")
    compare.set_disease("pnet")  # type: ignore[union-attr]
    compare.set_therapies(["everolimus", "sunitinib"])  # type: ignore[union-attr]
    window.show_tab(0)
    focus(qtbot, window.search.field)
    with qtbot.waitSignal(compare.pdf_written, timeout=20_000):  # type: ignore[union-attr]
        press(qtbot, Qt.Key.Key_S)
    assert in_front(window) == "Compare" and out.stat().st_size > 0
