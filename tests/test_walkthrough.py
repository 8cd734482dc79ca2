"""Three tumour-board cases run by keyboard alone in the real window at 1366×768.

Every step is a key sent where the user's keyboard would send it (the widget with focus, or an open
completion list); after each step the test reads what the user then sees: the tab in front, the figure
in a table cell, a search hit's lines or the detail pane, the grade, the handout written through the
real (Qt, non-native) save dialog answered with Enter, and the text of the handout's first page.

Offscreen there is no window manager: when the window that had the focus goes (the save dialog
answered) `Walk.window_manager` gives the main window the focus back, as a desktop does.

With TUMORBOARD_SHOTS=<folder>, each step leaves a picture of the whole window there as
<case>-<nn>-<what>.png (the save dialog as <case>-<nn>-save-dialog.png, the handout's first page as
<case>-<nn>-handout-page1.png when pdftoppm is installed, the handout itself as <case>-handout.pdf).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMainWindow, QTableView, QTextBrowser, QWidget

from desktop.grading_models import HIGHLIGHT_ROLE
from desktop.main_window import MainWindow
from desktop.search_model import HIT_ROLE, SNIPPET_ROLE
from desktop.search_panel import shown_lines
from desktop.toxicity_model import ALL, HIGH
from tests.window_support import compare_settled, start_window

pytestmark = pytest.mark.gui
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
Key = Qt.Key
SAVE_WAIT_MS = 20_000
NO_NATIVE = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
# desktop/notes_panel.py, NotesPanel.__init__: `self.availability = QComboBox()` is made visible before it has a
# parent, so building the Compare tab flashes it as a window of its own (see test_the_first_ctrl_4_...)


class StrayWindows(QObject):
    """Names every window that appears other than a main window, a dialog, a completion list or a tooltip: a
    widget shown before it has a parent flashes on screen as a window of its own and takes the focus with it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() \
                and not isinstance(watched, QMainWindow | QDialog) \
                and watched.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            self.seen.append(f"{type(watched).__name__} “{watched.accessibleName()}”")
        return False


@dataclass
class Walk:
    """One case at the keyboard: keys to the focus, pictures of the window after each step."""

    qtbot: Any
    win: MainWindow
    case: str
    folder: Path | None
    shots: list[str] = field(default_factory=list)

    # -- the keyboard --------------------------------------------------------------
    @staticmethod
    def target() -> QWidget:
        """Where Qt delivers a key now: an open popup (the completion list), else the focus widget."""
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "nothing has focus: the keyboard user's next key goes nowhere"
        return widget

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        self.qtbot.keyClick(self.target(), key, modifiers)
        QApplication.processEvents()
        if QApplication.activeWindow() is None:
            self.window_manager()

    def window_manager(self) -> None:
        """What the desktop's window manager does when the window that had the focus is gone (the save dialog
        answered, a stray window): the window left on screen gets it back. Offscreen there is no window manager."""
        dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QDialog)]
        assert not dialogs and self.win.isVisible(), dialogs
        self.win.activateWindow()
        self.qtbot.waitUntil(self.win.isActiveWindow, timeout=2000)

    def type(self, text: str) -> None:
        for char in text:  # each to where it goes then: the completion list opens after the first
            self.qtbot.keyClicks(self.target(), char)
            QApplication.processEvents()

    def enter(self, text: str) -> None:
        self.type(text)
        self.key(Key.Key_Return)

    # -- what the user sees ----------------------------------------------------------
    def in_front(self) -> str:
        return self.win.tabs.tabText(self.win.tabs.currentIndex())

    def tab(self, title: str) -> Any:
        assert self.in_front() == title, f"{self.in_front()} is in front, not {title}"
        return self.win.tabs.currentWidget()

    @staticmethod
    def focused() -> QWidget | None:
        return QApplication.focusWidget()

    def shot(self, what: str, widget: QWidget | None = None) -> None:
        """The whole window (or the dialog) as the user sees it now."""
        if self.folder is None:
            return
        self.qtbot.wait(40)  # timers at 0 ms (row heights, splitter shares, the chart) have run
        QApplication.processEvents()
        name = f"{self.case}-{len(self.shots) + 1:02d}-{what}.png"
        assert (widget or self.win).grab().save(str(self.folder / name))
        self.shots.append(name)

    # -- the search list --------------------------------------------------------------
    def hits(self) -> list[tuple[str, str]]:
        """(group heading, hit title) in the order the list shows them."""
        model = self.win.search.model
        return [(str(model.index(g, 0).data()), str(model.index(r, 0, model.index(g, 0)).data()))
                for g in range(model.rowCount()) for r in range(model.rowCount(model.index(g, 0)))]

    def current_hit(self) -> str:
        """The hit chosen in the list, which the list shows whole."""
        view = self.win.search.view
        assert view.viewport().rect().contains(view.visualRect(view.currentIndex())), "the chosen hit is out of view"
        return str(view.currentIndex().data())

    def lines_of(self, group: int, row: int) -> list[str]:
        """A hit's lines as the list paints them at its width (elided where they do not fit)."""
        view, model = self.win.search.view, self.win.search.model
        index = model.index(row, 0, model.index(group, 0))
        bold = QFont(view.font())
        bold.setBold(True)
        width = view.visualRect(index).adjusted(4, 3, -4, -3).width()
        return shown_lines(QFontMetrics(view.font()), QFontMetrics(bold), width, index.data(HIT_ROLE),
                           str(index.data()), str(index.data(SNIPPET_ROLE) or ""))

    def search(self, text: str) -> list[tuple[str, str]]:
        """Ctrl+K from wherever focus is, type the query, read the answer."""
        self.key(Key.Key_K, CTRL)
        assert self.focused() is self.win.search.field
        self.type(text)
        self.qtbot.waitUntil(lambda: self.win.search.status.text().endswith("Enter opens"), timeout=2000)
        return self.hits()

    # -- the handout --------------------------------------------------------------------
    def save_handout(self, home: Path) -> Path:
        """Ctrl+S: the save dialog proposes a file in the home folder; Enter takes it; the tab says where it went."""
        compare = self.tab("Compare")
        proposed: list[str] = []

        def answer(tries: int = 0) -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QFileDialog):
                if tries < 250:
                    QTimer.singleShot(20, lambda: answer(tries + 1))
                return
            def in_dialog() -> bool:
                focus = QApplication.focusWidget()
                return focus is not None and focus.window() is dialog

            self.qtbot.waitUntil(in_dialog, timeout=2000)
            proposed.append(getattr(QApplication.focusWidget(), "text", lambda: "")())  # the file name field
            self.shot("save-dialog", dialog)
            self.key(Key.Key_Return)
            if dialog.isVisible():  # Enter did not answer it: never leave the test waiting in its event loop
                dialog.reject()

        QTimer.singleShot(0, answer)
        self.key(Key.Key_S, CTRL)  # returns once the dialog is answered
        assert proposed, "Ctrl+S opened no save dialog"
        assert proposed[0].startswith(f"handout-{compare.disease()}-"), proposed
        path = home / proposed[0]
        self.qtbot.waitUntil(lambda: compare.message.text().startswith("Handout saved to"), timeout=SAVE_WAIT_MS)
        assert compare.message.text().startswith(f"Handout saved to {path}.")
        assert path.stat().st_size > 10_000
        if self.folder is not None:
            shutil.copyfile(path, self.folder / f"{self.case}-handout.pdf")
            if shutil.which("pdftoppm"):
                page = self.folder / f"{self.case}-{len(self.shots) + 1:02d}-handout-page1"
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
                                str(page)], check=True, timeout=60)
                self.shots.append(page.name + ".png")
        return path


def first_page(path: Path) -> str:
    """The handout's first page as text: pdftotext where installed, else pypdf; whitespace folded."""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                              check=True, timeout=30).stdout
    else:
        text = PdfReader(path).pages[0].extract_text()
    return " ".join(text.split())


def landscape(path: Path) -> bool:
    box = PdfReader(path).pages[0].mediabox
    return float(box.width) > float(box.height)


def whole_columns(table: QTableView) -> list[int]:
    """The columns the user sees whole, without scrolling sideways."""
    header, width = table.horizontalHeader(), table.viewport().width()
    return [c for c in range(header.count()) if not header.isSectionHidden(c)
            and 0 <= header.sectionViewportPosition(c) <= width - header.sectionSize(c)]


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's home folder, where the save dialog proposes the handout."""
    folder = tmp_path / "user"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("USERPROFILE", str(folder))
    return folder


@pytest.fixture
def strays() -> Iterator[StrayWindows]:
    watcher = StrayWindows()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watcher)
    yield watcher
    app.removeEventFilter(watcher)


@pytest.fixture
def window(qtbot, home: Path, user_home: Path, strays: StrayWindows) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The real window at 1366×768, active, the shipped dataset built in the test's home, focus in the search."""
    native = QCoreApplication.testAttribute(NO_NATIVE)
    QCoreApplication.setAttribute(NO_NATIVE, True)  # Qt's own save dialog: keys reach it on every platform
    win, tasks = start_window(qtbot)
    win.resize(1366, 768)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    qtbot.waitUntil(win.search.field.hasFocus, timeout=5000)
    yield win
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]
    QCoreApplication.setAttribute(NO_NATIVE, native)


def walk(qtbot, win: MainWindow, case: str) -> Walk:  # type: ignore[no-untyped-def]
    shots = os.environ.get("TUMORBOARD_SHOTS")
    folder = Path(shots) if shots else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{case}-*"):
            old.unlink()
    return Walk(qtbot, win, case, folder)


def choose_in_compare(w: Walk, disease: str, label: str, therapies: list[str]) -> Any:
    """Ctrl+4, then Alt+D, Alt+M and Alt+1 … Alt+4: each box typed into and answered with Enter."""
    w.key(Key.Key_4, CTRL)
    compare = w.tab("Compare")
    w.key(Key.Key_D, ALT)
    assert w.focused() is compare.controls.disease_box
    w.enter(disease)
    w.key(Key.Key_M, ALT)
    assert w.focused() is compare.controls.label_field
    w.type(label)
    for n, name in enumerate(therapies):
        w.key(Key(Key.Key_1 + n), ALT)
        assert w.focused() is compare.controls.therapy_boxes[n]
        w.enter(name)
    compare_settled(w.qtbot, compare)  # the grid follows a moment later (built off the GUI thread)
    assert compare.controls.label_field.text() == label, compare.message.text()  # adding therapies keeps it
    assert "cleared" not in compare.message.text()
    return compare


def header(compare: Any) -> list[str]:
    model = compare.model
    return [" ".join(line for line in str(model.headerData(c, Qt.Orientation.Horizontal)).split("\n")
                     if not line.startswith("⚠")) for c in range(model.columnCount())]


def clipped_headers(compare: Any) -> list[str]:
    """The column headings whose longest line is wider than the column (the heading is cut on both sides)."""
    view = compare.table.horizontalHeader()
    metrics = QFontMetrics(view.font())
    return [text for c in range(view.count())
            if (text := str(compare.model.headerData(c, Qt.Orientation.Horizontal)))
            and max(metrics.horizontalAdvance(line) for line in text.split("\n")) > view.sectionSize(c) - 4]


def cell(compare: Any, topic: str, column: int) -> str:
    model = compare.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == topic)
    return str(model.index(row, column).data())


def study_in_view(trials: Any) -> str:
    return str(trials.model.index(trials.table.currentIndex().row(), 0).data())


def in_view(browser: QTextBrowser, text: str) -> bool:
    """Whether the first occurrence of `text` (case as given) is on screen in the browser as it is scrolled now."""
    found = browser.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    return not found.isNull() and 0 <= browser.cursorRect(found).bottom() <= browser.viewport().height()


def saved_handout(w: Walk, home: Path, summary: str, meeting: str, wide: bool) -> Path:
    """Ctrl+S, the dialog answered with Enter: the handout's first page has the evidence summary of the case,
    the meeting's label, and the orientation its number of therapies needs."""
    pdf = w.save_handout(home)
    page = first_page(pdf)
    assert summary in page
    assert f"Meeting: {meeting}" in page and landscape(pdf) == wide
    w.shot("handout-saved")
    return pdf


# -- case 1: pancreatic NET -----------------------------------------------------------------------------
def test_pnet_everolimus_grade_and_handout(qtbot, window: MainWindow, user_home: Path,  # type: ignore[no-untyped-def]
                                           strays: StrayWindows) -> None:
    w = walk(qtbot, window, "pnet")
    hits = w.search("everolimus pnet")
    assert hits[0][0].startswith("Studies · ") and hits[0][1] == "RADIANT-3 (Yao)"
    assert w.current_hit() == "RADIANT-3 (Yao)"
    w.shot("search")

    w.key(Key.Key_Return)
    trials = w.tab("Trials")
    assert study_in_view(trials) == "RADIANT-3 (Yao)"
    assert trials.table.selectionModel().isRowSelected(trials.table.currentIndex().row())
    detail = " ".join(trials.detail.toPlainText().split())
    assert detail.startswith("RADIANT-3 (Yao)")
    assert "(11.4 vs 5.4 months)" in detail and "Median PFS 11.4 months [Cancer Manag Res 2017, Table 4]" in detail
    assert in_view(trials.detail, "Who was treated"), "who was treated opens the pane"
    assert detail.index("Who was treated") < detail.index("Median PFS 11.4 months")  # then the figures
    assert window.statusBar().currentMessage() == "Opened RADIANT-3 (Yao)"
    w.shot("radiant-3")

    w.key(Key.Key_E, CTRL)
    assert trials.bottom.currentWidget() is trials.chart and trials.chart.isVisible()
    w.shot("efficacy-chart")
    w.key(Key.Key_E, CTRL)
    assert trials.bottom.currentWidget() is trials.detail and trials.detail.isVisible()
    assert study_in_view(trials) == "RADIANT-3 (Yao)"

    w.key(Key.Key_2, CTRL)
    grading = w.tab("Grading")
    w.key(Key.Key_G, CTRL)
    calc = grading.calculator
    assert w.focused() is calc.ki67
    w.type("14")
    w.key(Key.Key_Tab)
    assert w.focused() is calc.mitoses
    w.type("3")
    assert calc.grade_label.text() == "G2" and calc.label_label.text() == "NET, grade 2 (intermediate grade)"
    assert calc.rule_label.text() == ("Ki-67 14% falls in 3–20% (G2); mitoses 3 per 10 HPF fall in 2–20 (G2); "
                                      "concordant")
    assert calc.edition_label.text() == "WHO 2010 / ENETS · Cancer Manag Res 2017, Table 1"
    assert all(label.isVisible() for label in (calc.grade_label, calc.rule_label, calc.edition_label))
    marked = [grading.rows.index(r, 0).data() for r in range(grading.rows.rowCount())
              if grading.rows.index(r, 0).data(HIGHLIGHT_ROLE)]
    assert marked == ["▶ G2"]
    w.shot("grade-g2")

    compare = choose_in_compare(w, "pNET", "Case 1", ["everolimus", "sunitinib", "PRRT"])
    controls = compare.controls
    assert controls.disease_box.currentText() == "Pancreatic neuroendocrine tumour"
    assert controls.therapy_boxes[2].currentText() == "177Lu-Dotatate"
    assert "PRRT → 177Lu-Dotatate" in controls.resolved.text() and controls.resolved.isVisible()
    assert header(compare) == ["Topic", "Everolimus", "Sunitinib", "177Lu-Dotatate"]
    assert "median PFS 11.4 months vs 5.4 months (Placebo) [1: Table 4]" in cell(compare, "Key studies", 1)
    assert "Not from Pancreatic neuroendocrine tumour studies: 177Lu-Dotatate" in compare.message.text()
    w.shot("compare")

    pdf = saved_handout(w, user_home, "Evidence summary: Pancreatic neuroendocrine tumour Everolimus · Sunitinib · "
                        "177Lu-Dotatate", "Case 1", wide=False)
    assert pdf.name == "handout-pnet-everolimus-sunitinib-lutetium-dotatate.pdf"
    assert "Not from Pancreatic neuroendocrine tumour studies: 177Lu-Dotatate" in compare.message.text()
    assert strays.seen == []


# -- case 2: radioiodine-refractory differentiated thyroid cancer ----------------------------------------
def test_rair_dtc_hypertension_and_four_therapy_handout(qtbot, window: MainWindow, user_home: Path,  # type: ignore[no-untyped-def]
                                                         strays: StrayWindows) -> None:
    w = walk(qtbot, window, "thyroid")
    hits = w.search("lenva hyper")
    assert hits[0] == ("Toxicity · 8", "Hypertension — Lenvatinib (SELECT)")
    assert all(title.startswith("Hypertension — Lenvatinib") for _group, title in hits[:8])
    assert w.current_hit() == "Hypertension — Lenvatinib (SELECT)"
    title, figures, source = w.lines_of(0, 0)  # what the list shows of the first hit, at the panel's width
    assert title == "Hypertension — Lenvatinib (SELECT)"
    assert figures.startswith("any grade 68%, grade ≥3 42%") and source == "Pitoia 2022, Table 1"
    for row in range(1, 8):  # every figure's event, therapy, figure and source in view (the study shortened first)
        title, figures, source = w.lines_of(0, row)
        assert "Lenvatinib" in title and "%" in figures and source.startswith("Pitoia 2022"), (title, figures, source)
    w.shot("search")

    w.key(Key.Key_Return)
    toxicity = w.tab("Toxicity")
    assert [chip.text() for chip in toxicity.picker.chips] == ["Lenvatinib  ✕"]
    row = toxicity.table.currentIndex().row()
    assert toxicity.table.selectionModel().isRowSelected(row)
    figure = toxicity.model.row(row)
    assert (figure.study_id, figure.ae_id) == ("select", "hypertension")
    assert toxicity.model.index(row, HIGH).data().startswith("42%")
    assert toxicity.model.index(row, ALL).data() == "68%"
    assert {ALL, HIGH} <= set(whole_columns(toxicity.table)), "the figures are beyond a sideways scroll"
    detail = toxicity.detail.text()
    assert "grade ≥3: 42%" in detail and "source: Pitoia 2022, Table 1" in detail
    assert toxicity.ctcae.title.text().startswith("<b style='font-size:large'>Hypertension</b>")
    qtbot.wait(300)  # the chart follows once typing pauses
    chart, grades = toxicity.right.sizes()
    assert toxicity.chart.built and chart > grades, "the chart is squeezed under the CTCAE grades"
    w.shot("toxicity")

    compare = choose_in_compare(w, "RAI-refractory DTC", "Case 2",
                                ["lenvatinib", "sorafenib", "cabozantinib", "vandetanib"])
    assert compare.controls.disease_box.currentText() == "Radioiodine-refractory differentiated thyroid cancer"
    resolved = compare.controls.resolved.text()
    assert "RAI-refractory DTC → Radioiodine-refractory differentiated thyroid cancer" in resolved
    assert header(compare) == ["Topic", "Lenvatinib", "Sorafenib", "Cabozantinib", "Vandetanib"]
    assert "SELECT: phase 3," in cell(compare, "Key studies", 1)  # the source never says randomised
    w.shot("compare")

    pdf = saved_handout(w, user_home, "Evidence summary: Radioiodine-refractory differentiated thyroid cancer "
                        "Lenvatinib · Sorafenib · Cabozantinib · Vandetanib", "Case 2", wide=True)
    assert pdf.name == "handout-rair-dtc-lenvatinib-sorafenib-cabozantinib-vandetanib.pdf"
    assert strays.seen == []


# -- case 3: lung NET ----------------------------------------------------------------------------------------
def test_lung_net_everolimus_toxicity_and_alternatives(qtbot, window: MainWindow, user_home: Path,  # type: ignore[no-untyped-def]
                                                        strays: StrayWindows) -> None:
    w = walk(qtbot, window, "lungnet")
    hits = w.search("everolimus lung")
    groups = list(dict.fromkeys(group.split(" · ")[0] for group, _title in hits))
    studies = [title for group, title in hits if group.startswith("Studies")]
    assert groups[:2] == ["Studies", "Toxicity"] and studies[0] == "RADIANT-4 (Yao)"  # 'lung': the setting
    assert w.current_hit() == "RADIANT-4 (Yao)"
    w.shot("search")
    w.key(Key.Key_Down, CTRL)  # the next group: its first toxicity figure
    assert w.current_hit() == next(title for group, title in hits if group.startswith("Toxicity"))
    w.key(Key.Key_Up, CTRL)  # back to the studies
    assert w.current_hit() == "RADIANT-4 (Yao)"
    w.shot("radiant-4-chosen")

    w.key(Key.Key_Return)
    trials = w.tab("Trials")
    assert study_in_view(trials) == "RADIANT-4 (Yao)"
    detail = " ".join(trials.detail.toPlainText().split())
    assert detail.startswith("RADIANT-4 (Yao)") and "Lung neuroendocrine tumour" in detail
    assert "Median PFS 11 months [Cancer Manag Res 2017, Table 4]" in detail
    w.shot("radiant-4")

    w.key(Key.Key_3, CTRL)
    toxicity = w.tab("Toxicity")
    w.key(Key.Key_T, ALT)
    assert w.focused() is toxicity.picker.combo
    w.enter("everolimus")
    assert [chip.text() for chip in toxicity.picker.chips] == ["Everolimus  ✕"]
    everywhere = toxicity.model.rowCount()
    tabs = 0
    while w.focused() is not toxicity.disease_combo:  # Tab to the disease filter: past the chip and Clear
        w.key(Key.Key_Tab)
        tabs += 1
        assert tabs <= 3, f"Tab went to {w.focused()}"
    w.type("Lung")
    assert toxicity.disease_combo.currentText() == "Lung neuroendocrine tumour"
    shown = {toxicity.model.row(r).study_name for r in range(toxicity.model.rowCount())}
    assert shown == {"RADIANT-4"} and 0 < toxicity.model.rowCount() < everywhere
    assert toxicity.message.text().startswith(f"{toxicity.model.rowCount()} figures from 1 study in Lung "
                                              "neuroendocrine tumour")
    assert {ALL, HIGH} <= set(whole_columns(toxicity.table))
    w.shot("toxicity-lung")

    compare = choose_in_compare(w, "lung NET", "Case 3", ["everolimus", "pasireotide", "everolimus + pasireotide",
                                                          "everolimus and octreotide"])
    assert compare.controls.disease_box.currentText() == "Lung neuroendocrine tumour"
    assert header(compare) == ["Topic", "Everolimus", "Pasireotide", "Everolimus + Pasireotide",
                               "Everolimus + Octreotide LAR"]
    assert clipped_headers(compare) == []
    assert "RADIANT-4: randomised phase 3" in cell(compare, "Key studies", 1)
    luna = [cell(compare, "Key studies", i) for i in (2, 3)]
    assert all("LUNA: phase 2" in c and "single-arm" not in c for c in luna)  # three arms: never "single-arm"
    assert "Not from" not in compare.message.text()  # every one of them has a lung NET study
    w.shot("compare")

    saved_handout(w, user_home, "Evidence summary: Lung neuroendocrine tumour Everolimus · Pasireotide · "
                  "Everolimus + Pasireotide · Everolimus + Octreotide LAR", "Case 3", wide=True)
    assert strays.seen == []


# -- what the walk-through found, fixed ------------------------------------------------------------------------
def test_the_first_ctrl_4_opens_no_window_and_keeps_the_focus(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                              strays: StrayWindows) -> None:
    qtbot.keyClick(window.search.field, Key.Key_4, CTRL)
    QApplication.processEvents()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Compare"
    assert strays.seen == []
    assert window.isActiveWindow() and QApplication.focusWidget() is window.search.field


def test_everolimus_lung_puts_radiant_4_first_among_studies(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    hits = walk(qtbot, window, "ranking").search("everolimus lung")
    assert next(title for group, title in hits if group.startswith("Studies")) == "RADIANT-4 (Yao)"
