"""What fits on a laptop and a projector: the Trials columns without horizontal scrolling at
1366×768 and 1920×1080, the key columns at 150 % zoom, five Compare rows, a chart whose labels
fit, and a saved window that is never taller than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTableView

from desktop.main_window import MainWindow
from desktop.qt_names import HORIZONTAL
from desktop.settings import settings
from desktop.trials_model import DISEASE, HEADERS, HR, ORR, PFS, PHASE, REGIMEN, STUDY, YEAR, N
from tests.test_window import open_window
from tests.window_support import click_index, open_from_search, press

pytestmark = pytest.mark.gui
MEETING = [STUDY, PHASE, DISEASE, REGIMEN, N, PFS, HR, ORR]


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    yield win
    win.set_zoom(1.0)
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


def settle(qtbot, ms: int = 50) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(ms)
    QApplication.processEvents()


def whole(table: QTableView) -> list[int]:
    """The columns the user sees whole, without scrolling sideways."""
    header, width = table.horizontalHeader(), table.viewport().width()
    return [c for c in range(header.count()) if not header.isSectionHidden(c)
            and 0 <= header.sectionViewportPosition(c) <= width - header.sectionSize(c)]


def in_view(table: QTableView) -> list[str]:
    return [HEADERS[c] for c in whole(table)]


def zoom_to(qtbot, win: MainWindow, zoom: float) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+0, then Ctrl+= until the zoom is `zoom`."""
    press(qtbot, win, "Ctrl+0")
    while win.zoom < zoom:
        press(qtbot, win, "Ctrl+=")
    assert win.zoom == pytest.approx(zoom)


def trials_at(qtbot, win: MainWindow, width: int, height: int, zoom: float = 1.0) -> QTableView:  # type: ignore[no-untyped-def]
    win.resize(width, height)  # the user's screen
    press(qtbot, win, "Ctrl+1")
    zoom_to(qtbot, win, zoom)
    settle(qtbot)
    table = win.tab("Trials").table  # type: ignore[union-attr]
    assert table.horizontalScrollBar().maximum() == 0, "the Trials table scrolls sideways"
    return table


def test_trials_shows_the_meeting_columns_at_1366(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert set(in_view(trials_at(qtbot, window, 1366, 768))) >= {HEADERS[c] for c in MEETING}


def test_trials_shows_every_column_at_1920_and_gives_the_room_to_study_and_regimen(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = trials_at(qtbot, window, 1920, 1080)
    assert in_view(table) == list(HEADERS)
    header = table.horizontalHeader()
    assert header.sectionSize(YEAR) < min(header.sectionSize(STUDY), header.sectionSize(REGIMEN))


def test_the_search_results_widen_with_the_zoom_where_there_is_room(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """At 150 % on a wide screen a hit's second line (the grade ≥3 figure) keeps its characters in view."""
    trials_at(qtbot, window, 1920, 1080)
    before = window.search.width()
    ctrl_plus = [a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+="]
    while window.zoom < 1.5:
        ctrl_plus[0].trigger()
    settle(qtbot)
    assert window.search.width() >= 1.3 * before
    assert window.search.width() <= 0.4 * window.splitter.width() + 1


def test_at_150_percent_the_key_columns_stay_and_grow(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = trials_at(qtbot, window, 1366, 768).horizontalHeader().sectionSize(PFS)
    table = trials_at(qtbot, window, 1366, 768, zoom=1.5)
    assert {HEADERS[c] for c in (STUDY, REGIMEN, PFS, HR)} <= set(in_view(table))
    assert table.horizontalHeader().sectionSize(PFS) > before  # columns follow the zoom
    left_out = [h for h in HEADERS if h not in in_view(table)]
    assert all(h in window.tab("Trials").count.text() for h in left_out)  # type: ignore[union-attr]  # said, not hidden silently


def test_the_trials_filters_wrap_rather_than_cut_or_widen_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for width, height, zoom, rows in ((1366, 768, 1.0, 2), (1366, 768, 1.5, 2), (1920, 1080, 1.0, 1)):
        table = trials_at(qtbot, window, width, height, zoom)
        assert window.width() == width, "the filters widen the window"
        tab = window.tab("Trials")
        assert len(tab.filters.rows()) == rows, (width, zoom)  # type: ignore[union-attr]
        for box in (tab.disease, tab.drug_class, tab.phase, tab.status, tab.line, tab.markers,  # type: ignore[union-attr]
                    tab.clear_button, tab.chart_button):  # type: ignore[union-attr]
            left = box.mapTo(tab, box.rect().topLeft()).x()  # type: ignore[arg-type]
            assert box.isVisible() and box.width() >= box.minimumSizeHint().width(), (box.accessibleName(), zoom)
            assert left >= 0 and left + box.width() <= tab.width(), (box.accessibleName(), zoom)  # type: ignore[union-attr]
        assert tab.filters.geometry().bottom() < table.mapTo(tab, QPoint(0, 0)).y()  # type: ignore[union-attr, arg-type]


def test_compare_shows_five_topic_rows_at_1366(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window, "Ctrl+4")
    compare = window.tabs.currentWidget()
    typed_in = ["pNET", "everolimus", "sunitinib", "177Lu-Dotatate"]
    boxes = [compare.controls.disease_box, *compare.controls.therapy_boxes]  # type: ignore[union-attr]
    for box, typed in zip(boxes, typed_in, strict=False):
        box.setFocus()
        qtbot.keyClicks(box.lineEdit(), typed)
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert compare.therapies() == ["everolimus", "sunitinib", "lutetium-dotatate"]  # type: ignore[union-attr]
    table = compare.table  # type: ignore[union-attr]

    def whole_rows() -> int:
        height = table.viewport().height()
        return sum(1 for r in range(table.model().rowCount())
                   if table.rowViewportPosition(r) >= 0 and table.rowViewportPosition(r) + table.rowHeight(r) <= height)

    qtbot.waitUntil(lambda: whole_rows() >= 5, timeout=3000)
    click_index(qtbot, table, table.model().index(0, 1))  # the chosen row opens in full
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0), timeout=3000)


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_efficacy_chart_is_not_hidden_and_its_labels_fit(qtbot, window: MainWindow, zoom: float) -> None:  # type: ignore[no-untyped-def]
    """Every hazard-ratio label within its plot, its value in view: RADIANT-2's 'primary end point not met'
    label ran off the left edge and took its 0.77 with it, and the first label sat above the plot at 150 %."""
    window.resize(1366, 768)
    zoom_to(qtbot, window, zoom)
    trials = window.tab("Trials")
    open_from_search(qtbot, window, "radiant-3", "study", "radiant-3")
    qtbot.mouseClick(trials.clear_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    trials.chart_button.click()  # type: ignore[union-attr]
    settle(qtbot, 300)
    chart = trials.chart  # type: ignore[union-attr]
    assert not trials.notes_panel.isVisible()  # type: ignore[union-attr]  # the note panel gives the chart its room
    plots = chart._plots
    for plot, items in ((chart._pfs_plot, chart.bars), (chart._hr_plot, chart.hrs)):
        box = plot.sceneBoundingRect()
        assert box.right() <= plots.viewport().width() + 1 and box.width() > 150, "a plot is cut off"
        ticks = [label for _pos, label in plot.getAxis("left")._tickLevels[0]]
        for label, item in zip(ticks, items, strict=False):
            full = item[0]
            assert label == full or (label.endswith("…") and full.startswith(label[:-1].rstrip())
                                     and full[len(label[:-1].rstrip())] in " :+,;"), f"{label!r} cuts {full!r} mid-word"
    view = chart._hr_plot.getViewBox()
    area = view.sceneBoundingRect()
    assert len(chart._hr_labels) == chart.shown[1] >= 5
    for (label, value, _y, _px), (_name, hr, *_r, printed) in zip(chart._hr_labels, chart.hrs, strict=False):
        box, text = label.sceneBoundingRect(), label.toPlainText()
        assert box.right() <= area.right() + 2, f"{text!r} runs off the plot"
        assert box.left() >= area.left() - 2 and box.top() >= area.top() - 2, f"{text!r} starts outside the plot"
        assert value == hr and text == printed and str(printed).lstrip("†⚠ ").startswith(f"{hr:g}"[:3]), text
    assert any("not met" in label.toPlainText() for label, *_r in chart._hr_labels)  # RADIANT-2's verdict kept


def test_a_saved_window_larger_than_the_screen_reopens_within_it(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    screen = win.screen().availableGeometry()
    win.resize(screen.width() + 300, screen.height() + 600)  # as it was left on a larger screen
    press(qtbot, win, "Ctrl+Q")  # quitting keeps the layout
    assert not win.isVisible()
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]
    assert isinstance(settings().value("window/geometry"), QByteArray)
    again, tasks2 = open_window(qtbot)
    qtbot.wait(50)  # the fit once shown
    frame = again.frameGeometry()
    assert frame.height() <= screen.height(), "the status bar would be below the screen's edge"
    # no wider than the screen (800 px here; the Trials filters wrap, so the window fits it) or, where the tabs
    # need more, than its minimum width, the frame aside (known only once shown); its top-left corner and status
    # bar on the screen
    assert frame.width() <= max(screen.width(), again.minimumSizeHint().width()) + 8
    assert screen.contains(frame.topLeft())
    tasks2.shutdown()
    again.store.close()  # type: ignore[union-attr]


def test_grading_keeps_the_ki67_and_mitosis_bounds_in_view_at_150_percent(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window, "Ctrl+2")
    zoom_to(qtbot, window, 1.5)
    settle(qtbot, 100)
    view = window.tab("Grading").rows_view  # type: ignore[union-attr]
    columns = [str(view.model().headerData(c, HORIZONTAL)) for c in range(view.model().columnCount())]
    assert [columns[c] for c in whole(view)] == columns and any("Ki-67" in c for c in columns)


def test_grading_at_1024_and_150_percent_keeps_bounds_and_category_words_whole(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """On a 1024-px projector at 150 % the category was cut to a letter a line; now the criteria stay in view,
    the category follows them with its longest word whole, and its tooltip gives it all."""
    window.resize(1024, 768)
    press(qtbot, window, "Ctrl+2")
    zoom_to(qtbot, window, 1.5)
    settle(qtbot, 100)
    view = window.tab("Grading").rows_view  # type: ignore[union-attr]
    model, header = view.model(), view.horizontalHeader()
    columns = [str(model.headerData(c, HORIZONTAL)) for c in range(model.columnCount())]
    category = columns.index("Category")
    seen = [columns[c] for c in whole(view)]
    assert "Grade" in seen and any("Ki-67" in c for c in seen) and any("Mitotic" in c for c in seen)
    metrics = view.fontMetrics()
    for row in range(model.rowCount()):
        text = str(model.index(row, category).data())
        longest = max(metrics.horizontalAdvance(w) for w in text.split())
        assert header.sectionSize(category) >= longest, (text, header.sectionSize(category))
        assert model.index(row, category).data(Qt.ItemDataRole.ToolTipRole) == text


def test_compare_side_column_at_1024_and_150_percent_scrolls_rather_than_cuts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The row checklist showed one row and the handout buttons and the availability box were cut; now the
    column keeps each control whole, shows several rows of the checklist, and scrolls to the local note."""
    window.resize(1024, 768)
    press(qtbot, window, "Ctrl+4")
    zoom_to(qtbot, window, 1.5)
    settle(qtbot, 100)
    tab = window.tab("Compare")
    controls = tab.controls  # type: ignore[union-attr]
    for button in (controls.save_button, controls.print_button, controls.open_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    rows = controls.topic_view
    assert rows.height() >= 4 * rows.sizeHintForRow(0)
    availability = tab.notes_panel.availability  # type: ignore[union-attr]
    side = tab.splitter.widget(0)  # type: ignore[union-attr]
    assert availability.width() >= availability.minimumSizeHint().width()
    side.ensureWidgetVisible(availability)
    settle(qtbot)
    top_left = availability.mapTo(side.viewport(), availability.rect().topLeft())
    assert side.viewport().rect().contains(top_left)


def test_case_fields_at_1024_and_150_percent_hold_a_disease_name(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The disease and earlier therapies take a row each and the labels wrap: 'RAI-refractory DTC' typed into
    the disease field is seen whole."""
    window.resize(1024, 768)
    press(qtbot, window, "Ctrl+5")
    zoom_to(qtbot, window, 1.5)
    settle(qtbot, 100)
    form = window.tab("Case").form  # type: ignore[union-attr]
    qtbot.keyClicks(form.disease, "RAI-refractory DTC")
    settle(qtbot)
    room = form.disease.width() - 2 * form.disease.fontMetrics().horizontalAdvance("M")
    assert form.disease.fontMetrics().horizontalAdvance(form.disease.text()) <= room
    assert form.prior.width() == form.disease.width()


def test_a_status_message_at_1024_and_150_percent_is_whole_beside_the_version(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """'Zoom 150%' was cut to its 'Z' by the dataset line; while a message shows, that line shortens to the version."""
    window.resize(1024, 768)
    version = window.store.meta()["dataset_version"]  # type: ignore[union-attr]
    zoom_to(qtbot, window, 1.5)
    settle(qtbot)
    bar, label = window.statusBar(), window.dataset_label
    message = bar.currentMessage()
    assert message == "Zoom 150%" and f"Dataset {version}" in label.text()
    room = bar.width() - label.width() - 3 * bar.fontMetrics().horizontalAdvance("M")
    assert bar.fontMetrics().horizontalAdvance(message) <= room
    bar.clearMessage()
    assert label.text().startswith("Tumor Board Reference") and f"Dataset {version}" in label.text()


@pytest.mark.parametrize("width", [1366, 1600])
def test_toxicity_figures_stay_in_view_at_150_percent(qtbot, window: MainWindow, width: int) -> None:  # type: ignore[no-untyped-def]
    """The grade ≥3 figure ('lenva hyper') sat past a sideways scroll at 150 %: the event and therapy columns
    give way first, whole in their tooltips."""
    from desktop.toxicity_model import ALL, EVENT, HIGH, THERAPY

    window.resize(width, 768)
    press(qtbot, window, "Ctrl+3")
    zoom_to(qtbot, window, 1.5)
    tab = window.tab("Toxicity")
    tab.set_therapies(["everolimus", "lenvatinib", "sorafenib"])  # type: ignore[union-attr]
    settle(qtbot, 150)
    table = tab.table  # type: ignore[union-attr]
    table.horizontalScrollBar().setValue(0)
    seen = whole(table)
    assert {EVENT, THERAPY, ALL, HIGH} <= set(seen), seen
    model = table.model()
    for row in range(min(model.rowCount(), 20)):
        for column in (EVENT, THERAPY):
            index = model.index(row, column)
            name = str(index.data()).split(" *")[0].split(" (")[0]  # the name, without its note mark or reading
            assert name and name in str(index.data(Qt.ItemDataRole.ToolTipRole)), (row, column)


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_every_tab_fits_a_1024_pixel_projector(qtbot, window: MainWindow, zoom: float) -> None:  # type: ignore[no-untyped-def]
    """With every tab opened (Toxicity with four therapies chosen), the window may be as narrow as 1024 px, at
    100 % and at 150 %: the Toxicity controls wrap onto a second row, the calculator's choices elide (whole in
    their list and tooltip)."""
    zoom_to(qtbot, window, zoom)
    for n in range(1, window.tabs.count() + 1):
        press(qtbot, window, f"Ctrl+{n}")
        settle(qtbot)
    window.tab("Toxicity").set_therapies(["everolimus", "lenvatinib", "sorafenib", "sunitinib"])  # type: ignore[union-attr]
    settle(qtbot)
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 768)
    settle(qtbot)
    assert window.width() == 1024
