"""The main window as a user meets it: it opens, prepares the dataset, answers while they
type, opens a hit in its tab, zooms, and remembers its layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.app import show, start
from desktop.main_window import MainWindow
from desktop.search_panel import DEBOUNCE_MS
from desktop.settings import settings
from tests.window_support import answer_modal, menu_action, press

pytestmark = pytest.mark.gui


def open_window(qtbot, tabs=None):  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    win, tasks = start(app, tabs=tabs)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()  # at 1366×768, or the saved layout (start sizes the window, as `tumorboard` does)
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    return win, tasks


@pytest.fixture
def window(qtbot, home: Path):  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    yield win
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


def hits(win: MainWindow) -> list[tuple[str, str]]:
    """(group label, hit title) in display order."""
    model = win.search.model
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            out.append((group.data(), model.index(r, 0, group).data()))
    return out


def type_query(qtbot, win: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, win, "Ctrl+K")  # the search field, its text selected: typing replaces it
    qtbot.keyClicks(win.search.field, text)
    qtbot.wait(DEBOUNCE_MS + 5)  # the keystroke debounce: read the settled list
    assert win.search.field.text() == text


def test_status_bar_and_tabs(window: MainWindow) -> None:
    meta = window.store.meta()  # type: ignore[union-attr]
    assert f"Dataset {meta['dataset_version']}" in window.dataset_label.text()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Trials", "Grading", "Toxicity", "Compare", "Case"]


def test_typing_shows_grouped_results(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_query(qtbot, window, "stoma")
    found = hits(window)
    assert any(group.startswith("Adverse events") and title == "Stomatitis" for group, title in found)
    assert any(group.startswith("Toxicity") and title.startswith("Stomatitis — Everolimus") for group, title in found)
    assert "result" in window.search.status.text()


def test_lenva_hyper_answers_with_the_figure_and_its_source(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_query(qtbot, window, "lenva hyper")
    group, title = hits(window)[0]
    assert group.startswith("Toxicity") and title.startswith("Hypertension — Lenvatinib")
    hit = window.search.current_hit()
    assert hit is not None and "%" in hit.snippet and "Pitoia 2022" in hit.snippet


def test_enter_opens_a_study_in_the_trials_tab(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_query(qtbot, window, "RADIANT-3")
    assert hits(window)[0][1].startswith("RADIANT-3")
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    trials = window.tab("Trials")
    assert window.tabs.currentWidget() is trials
    assert "RADIANT-3" in trials.detail.toPlainText()  # type: ignore[union-attr]


def test_arrow_keys_choose_a_hit_without_leaving_the_field(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_query(qtbot, window, "everolimus")
    first = window.search.current_hit()
    qtbot.keyClick(window.search.field, Qt.Key.Key_Down)
    second = window.search.current_hit()
    assert first is not None and second is not None and first != second
    qtbot.keyClick(window.search.field, Qt.Key.Key_Escape)
    assert window.search.field.text() == "" and hits(window) == []


def test_no_match_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_query(qtbot, window, "zzzzqqq")
    assert hits(window) == []
    assert "No match" in window.search.status.text()


@pytest.mark.parametrize("keys", [(Qt.Key.Key_K,), (Qt.Key.Key_F,)])
def test_shortcut_focuses_search(qtbot, window: MainWindow, keys: tuple[Qt.Key]) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.tabs.setFocus()
    qtbot.waitUntil(window.tabs.hasFocus, timeout=2000)
    qtbot.keyClick(window.tabs, keys[0], Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.field.hasFocus, timeout=2000)


def test_zoom_scales_the_font_and_resets(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    base = QApplication.font().pointSizeF()
    press(qtbot, window, "Ctrl+=")
    press(qtbot, window, "Ctrl+=")
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.3)
    press(qtbot, window, "Ctrl+0")
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_layout_tab_and_zoom_are_remembered(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    press(qtbot, win, "Ctrl+3")
    press(qtbot, win, "Ctrl+=")
    assert (win.tabs.currentIndex(), win.zoom) == (2, pytest.approx(1.15))
    press(qtbot, win, "Ctrl+Q")
    assert not win.isVisible()
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]
    assert (home / "settings.ini").exists()
    again, tasks2 = open_window(qtbot)
    assert again.tabs.currentIndex() == 2
    assert again.zoom == pytest.approx(1.15)
    press(qtbot, again, "Ctrl+0")
    assert again.zoom == 1.0
    tasks2.shutdown()
    again.store.close()  # type: ignore[union-attr]


def test_the_first_start_opens_maximised(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    """No layout saved yet: the window takes the whole screen (a 1920×1080 screen is not left at 1366×768);
    once a layout is saved, `show` leaves the size to it (test_layout_tab_and_zoom_are_remembered)."""
    app = QApplication.instance()
    win, tasks = start(app)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    assert settings().value("window/geometry") is None
    show(win)
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    assert win.isMaximized()
    press(qtbot, win, "Ctrl+Q")
    assert not win.isVisible() and settings().value("window/geometry") is not None
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


def test_about_names_the_dataset_and_sources(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[object, str]] = []
    answer_modal(qtbot, Qt.Key.Key_Escape, seen)
    menu_action(window, "About").trigger()  # Help > About
    assert len(seen) == 1 and not seen[0][0].isVisible()  # type: ignore[attr-defined]
    text = seen[0][1]
    assert window.store.meta()["dataset_version"] in text  # type: ignore[union-attr]
    assert "doi:10.5306/wjco.v13.i1.9" in text and "not a treatment recommendation" in text


def test_f1_and_the_legend_line_say_what_every_mark_means(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The marks on screen are explained on screen: a legend line under the Trials and Compare grids, and F1
    lists every mark in the handout key's words (⚠ and † alike on paper and screen)."""
    from db.presentation.present import key_text

    seen: list[tuple[object, str]] = []
    answer_modal(qtbot, Qt.Key.Key_Escape, seen)
    press(qtbot, window, "F1")
    assert len(seen) == 1
    text = seen[0][1]
    for mark in ("⚠", "†", "ᴿ", "*", "not reported", "NR"):
        assert f"<b>{mark}</b>" in text, mark
    assert "the sources disagree or are unclear" in text and "Ctrl+K" in text
    for n, name in ((1, "Trials"), (4, "Compare")):
        press(qtbot, window, f"Ctrl+{n}")
        legend = window.tab(name).legend  # type: ignore[union-attr]
        assert legend.isVisible() and legend.text().startswith(key_text(" · "))


def test_a_toxicity_hit_keeps_its_event_and_therapy_whole(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Typed 'vemurafenib fatigue': the hit's first line keeps 'Fatigue — Vemurafenib' whole at the panel's
    width and shortens the long study name instead (the study is whole in the tooltip)."""
    from PySide6.QtGui import QFont, QFontMetrics

    from desktop.search_panel import toxicity_title

    type_query(qtbot, window, "vemurafenib fatigue")
    group = window.search.model.index(0, 0)
    hit = window.search.model.index(0, 0, group)
    title = str(hit.data())
    assert title.startswith("Fatigue — Vemurafenib (") and len(title) > 45
    bold = QFont(window.search.view.font())
    bold.setBold(True)
    width = window.search.view.visualRect(hit).adjusted(4, 3, -4, -3).width()
    shown = toxicity_title(QFontMetrics(bold), width, title)
    assert shown != title and shown.startswith("Fatigue — Vemurafenib (") and shown.endswith("…")
    assert title in str(hit.data(Qt.ItemDataRole.ToolTipRole))
