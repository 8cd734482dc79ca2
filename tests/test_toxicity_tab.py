"""The Toxicity tab as a user meets it: choose therapies by typing, read and sort the table, see
the chart, save it as PNG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog

from db.store import Store
from desktop.toxicity_chart import BASE_PT
from desktop.toxicity_model import ALL, EVENT, HIGH, SOURCE, THERAPY
from desktop.toxicity_tab import ToxicityTab
from tests.conftest import ROOT
from tests.window_support import open_from_search, opened_window, press, shown

pytestmark = pytest.mark.gui

@pytest.fixture
def tab(qtbot, store: Store) -> ToxicityTab:  # type: ignore[no-untyped-def]
    return shown(qtbot, ToxicityTab(store), 1366)


@pytest.fixture
def window(qtbot, home: Path):  # type: ignore[no-untyped-def]
    """The real window with the Toxicity tab in front (Ctrl+3)."""
    windows = opened_window(qtbot, home)
    win = next(windows)
    press(qtbot, win, "Ctrl+3")
    qtbot.waitUntil(lambda: win.tabs.currentWidget() is win.tab("Toxicity"))
    yield win
    next(windows, None)


def choose(qtbot, tab: ToxicityTab, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the therapy field and press Enter, as a user would."""
    line = tab.picker.line
    qtbot.keyClicks(line, typed)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: line.text() == "")
    qtbot.waitUntil(lambda: not tab.chart_pending())  # the chart follows once the table is painted


def column(tab: ToxicityTab, col: int) -> list[str]:
    return [tab.model.index(r, col).data() for r in range(tab.model.rowCount())]


def click_header(qtbot, tab: ToxicityTab, col: int) -> None:  # type: ignore[no-untyped-def]
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_choosing_two_therapies_fills_table_and_chart(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    assert tab.model.rowCount() == 0
    assert "Choose up to 4" in tab.message.text()
    choose(qtbot, tab, "everolimus")
    choose(qtbot, tab, "lenva")
    assert tab.selected_keys() == ["everolimus", "lenvatinib"]
    assert [c.text() for c in tab.picker.chips] == ["Everolimus  ✕", "Lenvatinib  ✕"]
    assert set(column(tab, THERAPY)) == {"Everolimus", "Lenvatinib"}
    rows = tab.model.rows()
    stomatitis = next(r for r in rows if (r.study_name, r.ae_id) == ("RADIANT-3", "stomatitis"))
    n = rows.index(stomatitis)
    assert [tab.model.index(n, c).data() for c in (ALL, HIGH, SOURCE)] == ["64%", "7% (3–4)",
                                                                           "Cancer Manag Res 2017, Table 5"]
    assert any(r.band == ">=3" for r in rows) and any(r.band == "3-4" for r in rows)
    assert all(r.cite for r in rows)
    assert "figures from" in tab.message.text()
    assert f"Dataset {tab.version}" in tab.detail.text()
    assert tab.chart.built and tab.chart.drawn
    assert f"Dataset {tab.version}" in tab.chart.caption_text
    assert "Cancer Manag Res 2017 (" in tab.chart.caption_text


def test_absent_figures_show_a_dash_and_sort_last(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    tab.set_therapies(["everolimus", "lenvatinib"])
    assert "not reported" in column(tab, HIGH)  # e.g. Leiden's figures without a grade: not 0
    for clicks in (1, 2):  # highest first, then lowest first: "not reported" stays at the bottom both ways
        click_header(qtbot, tab, HIGH)
        values = [r.high_grade.value if r.high_grade else None for r in tab.model.rows()]
        numbers = [v for v in values if v is not None]
        assert values == numbers + [None] * (len(values) - len(numbers))
        assert numbers == sorted(numbers, reverse=clicks == 1)
        assert column(tab, HIGH)[-1] == "not reported"
    click_header(qtbot, tab, THERAPY)
    assert column(tab, THERAPY) == sorted(column(tab, THERAPY))


def test_the_most_frequent_events_come_first(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    """The table opens sorted by the any-grade figure, highest first (RADIANT-3's stomatitis, 64%, is near the
    top, not below the fold as in name order), the header says so, and a click on a name column sorts by it."""
    choose(qtbot, tab, "everolimus")
    header = tab.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (ALL, Qt.SortOrder.DescendingOrder)
    rows = tab.model.rows()
    values = [r.all_grade.value for r in rows if r.all_grade is not None and r.all_grade.value is not None]
    assert len(values) > 20 and values == sorted(values, reverse=True)
    top = [(r.study_name, r.ae_id) for r in rows[:10]]
    assert ("RADIANT-3", "stomatitis") in top
    click_header(qtbot, tab, EVENT)
    assert column(tab, EVENT) == sorted(column(tab, EVENT), key=str.casefold)


def test_a_fifth_therapy_is_refused(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    for typed in ("everolimus", "lenvatinib", "sorafenib", "vandetanib"):
        choose(qtbot, tab, typed)
    assert len(tab.selected_keys()) == 4
    choose(qtbot, tab, "cabozantinib")
    assert tab.selected_keys() == ["everolimus", "lenvatinib", "sorafenib", "vandetanib"]
    assert "Up to 4 therapies" in tab.message.text()
    tab.picker.chips[0].click()  # remove Everolimus: now there is room
    choose(qtbot, tab, "cabozantinib")
    assert tab.selected_keys() == ["lenvatinib", "sorafenib", "vandetanib", "cabozantinib"]


def test_chart_has_a_bar_row_per_study_and_says_what_is_not_reported(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    tab.set_therapies(["everolimus", "lenvatinib"])
    qtbot.keyClicks(tab.filter_field, "hypertension")
    rows = tab.model.rows()
    assert rows and {r.ae_name for r in rows} == {"Hypertension"}
    assert {r.therapy_key for r in rows} == {"lenvatinib"}
    arms = list(dict.fromkeys((r.study_id, r.arm_key) for r in rows))
    chart = tab.chart
    qtbot.waitUntil(lambda: chart.headers == ["Hypertension"])  # the chart follows once typing pauses
    assert len(chart.tick_labels) == len(arms) + 1  # one per lenvatinib study, one "not reported" for everolimus
    assert "Everolimus" in chart.tick_labels and "Lenvatinib · SELECT" in chart.tick_labels
    first = {(r.study_id, r.arm_key): r for r in reversed(rows)}
    expected = sum((r.all_grade is not None and r.all_grade.value is not None)
                   + (r.high_grade is not None and r.high_grade.value is not None) for r in first.values())
    assert len(chart.drawn) == expected
    plot = chart._plot
    widths = [w for item in plot.items if type(item).__name__ == "BarGraphItem" for w in item.opts["width"]]
    assert sorted(widths) == sorted(v for _label, _kind, v in chart.drawn)
    assert ("Lenvatinib · SELECT", "high", 42.0) in chart.drawn


def drawn_axis_labels(tab: ToxicityTab) -> list[str]:
    """The left-axis labels pyqtgraph would paint now (it silently skips those that do not fit)."""
    axis = tab.chart._plot.getAxis("left")
    image = QImage(50, 50, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(axis.style["tickFont"])
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return [text for _rect, _flags, text in texts]


def test_chart_saves_as_png_atomically(qtbot, tab: ToxicityTab, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="no chart"):
        tab.save_chart_png(tmp_path / "none.png")
    tab.set_therapies(["everolimus", "sorafenib"])
    target = tab.save_chart_png(tmp_path / "chart.png")
    assert drawn_axis_labels(tab) == tab.chart.shown_labels  # none dropped for want of room
    assert len(tab.chart.shown_labels) == len(tab.chart.tick_labels)
    image = QImage(str(target))
    assert target.stat().st_size > 0 and image.width() > 800 and image.height() > 400
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]
    with pytest.raises(OSError):
        tab.save_chart_png(tmp_path / "missing" / "chart.png")
    assert not (tmp_path / "missing").exists()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "via-button"), ""))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "via-button.png").stat().st_size > 0
    assert "Chart saved" in tab.message.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "x.png"), ""))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "not saved" in tab.message.text()


def test_open_ref_selects_the_figure_and_drug_refs_the_therapies(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A toxicity hit opened from the search (Enter); a drug and an adverse event put into the Toxicity tab in
    front (Ctrl+Enter)."""
    tab = window.tab("Toxicity")
    open_from_search(qtbot, window, "radiant-3 stomatitis", "toxicity", "radiant-3/everolimus/stomatitis")
    assert window.tabs.currentWidget() is tab
    assert tab.selected_keys() == ["everolimus"]
    current = tab.model.row(tab.table.currentIndex().row())
    assert (current.study_id, current.ae_id) == ("radiant-3", "stomatitis")
    assert "Stomatitis" in tab.detail.text() and "Table 5" in tab.detail.text()
    open_from_search(qtbot, window, "everolimus", "drug", "everolimus", here=True)
    keys = tab.selected_keys()
    assert keys[0] == "everolimus" and len(keys) <= 4 and all("everolimus" in k for k in keys)
    open_from_search(qtbot, window, "hypertension", "adverse_event", "hypertension", here=True)
    assert tab.filter_field.text() == "Hypertension" and window.tabs.currentWidget() is tab


def test_zoom_scales_the_chart_text(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab("Toxicity")
    choose(qtbot, tab, "lenvatinib")
    for _ in range(3):  # 115 %, 130 %, 150 %
        press(qtbot, window, "Ctrl+=")
    assert window.zoom == 1.5
    font = tab.chart._plot.getAxis("left").style["tickFont"]
    assert BASE_PT == 10.0 and font.pointSizeF() == pytest.approx(15.0)
    assert tab.chart.drawn


def test_importing_the_tab_does_not_import_pyqtgraph() -> None:
    code = "import sys, desktop.toxicity_tab; sys.exit('pyqtgraph' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0


def test_a_narrow_chart_scrolls_sideways_to_every_value_it_prints(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """At 1024 px beside the search (a pane of some 290 px), "100% / not reported" ran past the chart's edge, cut
    with no way to read it; now the chart is as wide as its values need and the pane scrolls to them."""
    tab = shown(qtbot, ToxicityTab(store), 780)
    for typed in ("everolimus", "lenva", "soraf"):
        choose(qtbot, tab, typed)
    chart = tab.chart
    qtbot.waitUntil(lambda: bool(chart._texts) and all(item is not None for item, *_r in chart._texts))
    qtbot.wait(50)
    scene_width = chart._glw.width()
    assert chart._scroll.viewport().width() < scene_width  # narrower than what it prints: it scrolls
    assert chart._scroll.horizontalScrollBar().maximum() > 0
    for item, *_rest in chart._texts:
        right = chart._glw.mapFromScene(item.mapRectToScene(item.boundingRect()).topRight()).x()
        assert right <= scene_width, (item.toPlainText(), right, scene_width)
