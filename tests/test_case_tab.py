"""The Case tab as a user meets it, by keyboard: type a case, read its options grouped by fit, check three,
save the handout (Ctrl+S) and find the case and the three lead studies on page 1; a name the program does not
know is marked, keeps its text, says what is close, and leaves no options in view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.presentation.identifiers import short_name
from desktop.case_model import THERAPY
from desktop.case_summary import READING
from desktop.case_tab import CaseTab
from desktop.main_window import MainWindow
from tests.test_window import open_window
from tests.window_support import open_from_search, paint_recorder, press, save_through_dialog, shown

pytestmark = pytest.mark.gui
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win, tasks = open_window(qtbot)
    yield win
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


@pytest.fixture
def tab(qtbot, store) -> Iterator[CaseTab]:  # type: ignore[no-untyped-def]
    case_tab = shown(qtbot, CaseTab(store))
    yield case_tab
    case_tab.shutdown()


def active(qtbot, tab: CaseTab) -> None:  # type: ignore[no-untyped-def]
    """The tab's window active, as the one the user types into (its Alt keys work only then)."""
    tab.window().activateWindow()
    qtbot.waitUntil(tab.window().isActiveWindow, timeout=5000)


def alt(qtbot, tab: CaseTab, letter: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter, sent where the keyboard sends it: the label's mnemonic moves the focus to its field."""
    qtbot.keyClick(QApplication.focusWidget() or tab, letter, ALT)


def type_field(qtbot, tab: CaseTab, letter: Qt.Key, text: str) -> None:  # type: ignore[no-untyped-def]
    alt(qtbot, tab, letter)
    field = QApplication.focusWidget()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    if (popup := QApplication.activePopupWidget()) is not None:  # the disease's completion list: not chosen
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    active(qtbot, tab)  # offscreen no window manager gives the window back once the completion list is gone


def settled(qtbot, tab: CaseTab) -> None:  # type: ignore[no-untyped-def]
    """Until the options shown are the form's."""
    qtbot.waitUntil(lambda: not tab.pending(), timeout=20_000)


def groups(tab: CaseTab) -> dict[str, str]:
    """Therapy label (as shown) -> the heading of the group it is listed under."""
    out, heading = {}, ""
    for row in range(tab.model.rowCount()):
        text = tab.model.index(row, THERAPY).data()
        if tab.model.is_heading(row):
            heading = text
        else:
            out[text] = heading
    return out


def check(qtbot, tab: CaseTab, therapy: str) -> None:  # type: ignore[no-untyped-def]
    """Down to the option's row from the top (Ctrl+Home), then Space."""
    active(qtbot, tab)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus, timeout=2000)
    qtbot.keyClick(tab.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    target = tab.model.row_of(therapy)
    assert target >= 0, f"{therapy} is not offered"
    for _ in range(tab.model.rowCount()):
        if tab.table.currentIndex().row() == target:
            break
        qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert tab.table.currentIndex().row() == target
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)


def page_one(path: Path) -> str:
    return re.sub(r"\s+", " ", PdfReader(str(path)).pages[0].extract_text())


def test_a_case_typed_by_keys_gives_its_options_and_a_handout(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    press(qtbot, window, "Ctrl+5")
    tab = window.tabs.currentWidget()
    assert isinstance(tab, CaseTab) and window.tabs.tabText(window.tabs.currentIndex()) == "Case"
    assert "no patient identifiers" in " ".join(w.text() for w in tab.findChildren(type(tab.message)))
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    type_field(qtbot, tab, Qt.Key.Key_E, "octreotide")
    settled(qtbot, tab)
    found = groups(tab)
    assert found["Everolimus"].startswith("Fits the case")
    assert found["Sunitinib"].startswith("Fits the case")
    assert found["177Lu-Dotatate"].startswith("Other setting")
    assert found["Octreotide LAR — already received"]  # listed, and said so
    assert "Ordered by evidence, not advice" in tab.order_line.text()
    options = tab.reading.options  # type: ignore[union-attr]
    assert options is not None and options.case.description in tab.message.text()

    check(qtbot, tab, "octreotide")  # already received: never chosen
    assert tab.model.chosen() == [] and "already received" in tab.message.text()
    for therapy in ("everolimus", "sunitinib", "lutetium-dotatate"):
        check(qtbot, tab, therapy)
    assert tab.model.chosen() == ["everolimus", "sunitinib", "lutetium-dotatate"]
    assert "177Lu-Dotatate" in tab.summary.toPlainText()  # the option selected last, beside the table
    # its figures are read when it is first selected (not the first option: not read with the case)
    assert options.options[0].therapy != "lutetium-dotatate"
    qtbot.waitUntil(lambda: "[cmr2017: Table 2]" in tab.summary.toPlainText(), timeout=10_000)
    assert READING not in tab.summary.toPlainText()

    out = tmp_path / "case.pdf"
    with qtbot.waitSignal(tab.pdf_written, timeout=60_000):
        save_through_dialog(qtbot, lambda: press(qtbot, window, "Ctrl+S"), out)
    text = page_one(out)
    assert f"Case: {options.case.description}" in text
    assert "Pancreatic neuroendocrine tumour" in text and "after Octreotide LAR" in text
    for therapy in ("everolimus", "sunitinib", "lutetium-dotatate"):
        option = options.option(therapy)
        assert option is not None
        name = short_name(window.store.study(option.lead_study))  # type: ignore[union-attr]
        assert f"{name}: " in text, f"the lead study {name} is not on page 1"


def test_ctrl_p_in_the_case_tab_prints_the_case_handout(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+P with the Case tab in front prints this case's handout (never the Compare tab's), keeps the
    Case tab in front, and leaves no copy behind."""
    from PySide6.QtPrintSupport import QPrinter

    press(qtbot, window, "Ctrl+5")
    tab = window.tabs.currentWidget()
    assert isinstance(tab, CaseTab)
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    type_field(qtbot, tab, Qt.Key.Key_E, "octreotide")
    settled(qtbot, tab)
    for therapy in ("everolimus", "sunitinib"):
        check(qtbot, tab, therapy)
    printed = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(tab, "ask_printer", pdf_printer)
    with qtbot.waitSignal(tab.pdf_written, timeout=60_000) as written:
        press(qtbot, window, "Ctrl+P")
    assert window.tabs.currentWidget() is tab and tab.message.text().startswith("Sent ")
    assert f"Case: {tab.reading.options.case.description}" in page_one(printed)  # type: ignore[union-attr]
    assert not written.args[0].exists()


def test_an_unknown_disease_keeps_its_text_and_blanks_the_options(qtbot, tab: CaseTab) -> None:  # type: ignore[no-untyped-def]
    active(qtbot, tab)
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    settled(qtbot, tab)
    assert tab.model.rowCount() > 0
    type_field(qtbot, tab, Qt.Key.Key_D, "pancreatc")
    settled(qtbot, tab)
    assert tab.form.disease.text() == "pancreatc"
    assert tab.model.rowCount() == 0 and tab.reading.options is None  # type: ignore[union-attr]
    assert tab.summary.toPlainText() == ""
    message = tab.message.text()
    assert message.startswith("Disease:") and "'pancreatc'" in message and "pancreatic NET (pnet)" in message
    assert tab.form.marked() == {"disease"} and tab.form.disease.styleSheet()
    assert not tab.save_button.isEnabled()

    type_field(qtbot, tab, Qt.Key.Key_E, "octreotide")  # another field: the disease stays marked, said so
    settled(qtbot, tab)
    assert tab.form.marked() == {"disease"} and "'pancreatc'" in tab.message.text()
    assert tab.model.rowCount() == 0

    type_field(qtbot, tab, Qt.Key.Key_D, "midgut NET")
    settled(qtbot, tab)
    assert tab.form.marked() == set() and not tab.form.disease.styleSheet()
    assert tab.reading.options.case.disease == "midgut-net"  # type: ignore[union-attr]


def test_an_unknown_earlier_therapy_is_marked_in_its_own_field(qtbot, tab: CaseTab) -> None:  # type: ignore[no-untyped-def]
    active(qtbot, tab)
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    type_field(qtbot, tab, Qt.Key.Key_E, "octreotide, evrolimus")
    settled(qtbot, tab)
    assert tab.form.marked() == {"prior"} and tab.form.prior.text() == "octreotide, evrolimus"
    assert tab.message.text().startswith("Earlier therapies:") and "evrolimus" in tab.message.text()
    assert "Everolimus" in tab.message.text() and tab.model.rowCount() == 0


def test_the_mitoses_field_takes_the_unit_of_the_disease_edition(qtbot, tab: CaseTab) -> None:  # type: ignore[no-untyped-def]
    active(qtbot, tab)
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    settled(qtbot, tab)
    assert "per 10 HPF" in tab.form.labels["mitoses"].text() and not tab.form.necrosis.isVisible()
    type_field(qtbot, tab, Qt.Key.Key_D, "lung NET")
    settled(qtbot, tab)
    assert "per 2 mm²" in tab.form.labels["mitoses"].text() and tab.form.necrosis.isVisible()
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    type_field(qtbot, tab, Qt.Key.Key_K, "14")
    settled(qtbot, tab)
    case = tab.reading.options.case  # type: ignore[union-attr]
    assert case.grade is not None and case.grade.candidates == ("G2",) and "WHO 2010 / ENETS" in tab.message.text()


def test_a_disease_from_the_search_goes_into_the_case_in_front(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """With the Case tab in front, Ctrl+Enter on a disease hit sets the case's disease (Enter would open Trials)."""
    press(qtbot, window, "Ctrl+5")
    tab = window.tab("Case")
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab)
    open_from_search(qtbot, window, "pnet", "disease", "pnet", here=True)
    assert window.tabs.currentWidget() is tab
    name = next(d["name"] for d in window.store.diseases() if d["id"] == "pnet")  # type: ignore[union-attr]
    assert tab.form.disease.text() == name  # the disease's name, as a user would type it, not its id
    settled(qtbot, tab)
    fits = groups(tab)  # RADIANT-3 (everolimus) and Raymond (sunitinib) were in pNET
    assert fits["Everolimus"].startswith("Fits the case") and fits["Sunitinib"].startswith("Fits the case")


@pytest.mark.parametrize("precision", [1000, 9, 0, -1])
def test_the_options_columns_are_as_wide_as_qt_fits_them(qtbot, tab: CaseTab, precision: int) -> None:  # type: ignore[no-untyped-def]
    """The fitted columns (therapy, lead study, fit) as wide as Qt's own fitting of each cell makes them: the table
    sizes only the few texts that may be the widest (a thousand rows at 100 000 studies froze the window), over
    the rows Qt would size (`precision` of them, from those in view), a group heading (a span) counted as Qt does."""
    from PySide6.QtWidgets import QStyledItemDelegate, QTableView

    from desktop.case_model import FIT, LEAD

    class Recording(QStyledItemDelegate):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[int] = []

        def sizeHint(self, option, index):  # type: ignore[no-untyped-def]
            self.rows.append(index.row())
            return super().sizeHint(option, index)

    tab.table.horizontalHeader().setResizeContentsPrecision(precision)
    tab.resize(1100, 420)  # a few rows in view: Qt goes on below and above them, in turn, up to `precision`
    active(qtbot, tab)
    type_field(qtbot, tab, Qt.Key.Key_D, "GEP-NET")
    settled(qtbot, tab)
    rows = tab.model.rowCount()
    assert rows > 12 and tab.model.heading_rows()
    assert tab.table.rowAt(tab.table.viewport().height() - 1) < 9  # fewer in view than 9
    recording = Recording()
    tab.table.setItemDelegate(recording)
    for scrolled in (0, rows // 2, rows - 1):  # the rows Qt sizes start from those in view
        tab.table.scrollTo(tab.model.index(scrolled, 0))
        for column in (THERAPY, LEAD, FIT):
            recording.rows.clear()
            ours = tab.table.sizeHintForColumn(column)
            ours_sized, recording.rows = recording.rows, []
            assert ours == QTableView.sizeHintForColumn(tab.table, column), (scrolled, column)
            assert recording.rows == list(tab.table.sampled_rows())
            assert len(ours_sized) < len(recording.rows) or len(recording.rows) < 4


def test_the_case_handout_is_written_once_the_window_says_so(qtbot, tab: CaseTab, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker (importing reportlab) starts after the window has painted 'Writing the handout…'."""
    active(qtbot, tab)
    type_field(qtbot, tab, Qt.Key.Key_D, "pNET")
    settled(qtbot, tab)
    for therapy in ("everolimus", "sunitinib"):
        check(qtbot, tab, therapy)
    painted = paint_recorder(tab.message)
    seen_at_start: list[list[str]] = []
    run = tab.tasks.run

    def started(fn, done):  # type: ignore[no-untyped-def]
        seen_at_start.append(list(painted.texts))
        return run(fn, done)

    monkeypatch.setattr(tab.tasks, "run", started)
    out = tmp_path / "case.pdf"
    with qtbot.waitSignal(tab.pdf_written, timeout=60_000):
        save_through_dialog(qtbot, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton), out)
    assert len(seen_at_start) == 1 and f"Writing the handout to {out} …" in seen_at_start[0]
