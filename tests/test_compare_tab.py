"""The Compare tab as a user meets it: choose a disease and therapies by typing, read the table and
its sources, leave a row out, save the handout, print it through Qt and open it in the viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox

from desktop import compare_tab
from desktop.compare_model import TOPIC
from desktop.compare_tab import CompareTab
from tests.window_support import (
    click_index,
    compare_settled,
    compare_tab_alone,
    open_from_search,
    opened_window,
    press,
    save_through_dialog,
    type_text,
)

pytestmark = pytest.mark.gui


tab = pytest.fixture(compare_tab_alone)
window = pytest.fixture(opened_window)


def type_into(qtbot, box: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a box and press Enter, as a user would, and see the grid follow."""
    box.setFocus()
    box.lineEdit().clear()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    compare_settled(qtbot, box)


def choose(qtbot, tab: CompareTab, disease: str, therapies: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The disease and the therapies typed into their boxes (by name, as the user knows them)."""
    type_into(qtbot, tab.controls.disease_box, disease)
    for box, typed in zip(tab.controls.therapy_boxes, therapies, strict=False):
        type_into(qtbot, box, typed)
    qtbot.waitUntil(lambda: len(tab.therapies()) == len(therapies))


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click the button once it can be clicked (the comparison is built off the GUI thread)."""
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_pnet(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, tab.controls.disease_box, "pNET")
    for box, typed in zip(tab.controls.therapy_boxes, ["Afinitor", "sunitinib", "177Lu-Dotatate", "lanreotide"],
                          strict=True):
        type_into(qtbot, box, typed)
    qtbot.waitUntil(lambda: len(tab.therapies()) == 4)


def column(tab: CompareTab, col: int) -> list[str]:
    return [tab.model.index(r, col).data() for r in range(tab.model.rowCount())]


def test_choosing_disease_and_therapies_fills_the_table(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    assert tab.model.rowCount() == 0 and "Choose a disease setting" in tab.message.text()
    assert not tab.controls.save_button.isEnabled()
    choose_pnet(qtbot, tab)
    assert tab.disease() == "pnet"
    assert tab.therapies() == ["everolimus", "sunitinib", "lutetium-dotatate", "lanreotide"]
    assert tab.controls.disease_box.currentText() == "Pancreatic neuroendocrine tumour"
    assert column(tab, TOPIC)[:3] == ["Class and targets", "Dose and schedule", "Key studies"]
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())]
    assert headers == ["Topic", "Everolimus", "Sunitinib", "177Lu-Dotatate\n⚠ other setting",
                       "Lanreotide\n⚠ broader setting"]
    studies = column(tab, 1)[2]
    assert "median PFS 11.4 months vs 5.4 months (Placebo) [1: Table 4]" in studies
    assert "HR for PFS 0.34 (p <0.0001) vs Placebo" in studies
    lutetium = column(tab, 3)
    assert lutetium[1].startswith("⚠ no study in pancreatic NET in this dataset; shown: midgut NET (NETTER-1ᴿ)\n")
    assert lutetium[2].startswith("⚠ NETTER-1ᴿ: not pancreatic NET\n")
    assert "[1] Cancer Manag Res. 2017" in tab.references.text() and "10.2147/CMAR.S113382" in tab.references.text()
    assert "Dataset 2026.12.1" in tab.references.text()
    assert tab.controls.save_button.isEnabled()


def test_typing_part_of_a_name_and_unknown_names(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, tab.controls.therapy_boxes[0], "sunit")  # the shortest name that starts so
    type_into(qtbot, tab.controls.therapy_boxes[1], "everolimus and octreotide")  # a regimen, in words
    assert tab.therapies() == ["sunitinib", "everolimus+octreotide"]
    type_into(qtbot, tab.controls.therapy_boxes[2], "sorafenb")
    assert len(tab.therapies()) == 2
    assert tab.message.text().startswith("Unknown therapy 'sorafenb'; close matches: Sorafenib, ")
    type_into(qtbot, tab.controls.disease_box, "small-bowel NET")  # a synonym
    assert tab.disease() == "midgut-net"
    type_into(qtbot, tab.controls.therapy_boxes[0], "")  # emptied: nothing chosen there
    assert tab.therapies() == ["everolimus+octreotide"]


def test_a_row_left_out_leaves_table_and_handout(qtbot, tab: CompareTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    choose_pnet(qtbot, tab)
    view = tab.controls.topic_view
    approvals = view.model().index(7, 0)
    click_index(qtbot, view, approvals)
    assert view.currentIndex() == approvals
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert "Approvals" not in column(tab, TOPIC) and tab.model.rowCount() == 7
    tab.controls.label_field.setFocus()
    type_text(qtbot, tab.controls.label_field, "Case 3 <pNET G2> & co 中文")
    assert tab.controls.label_field.text() == "Case 3 <pNET G2> & co 中文"
    out = tmp_path / "handout.pdf"
    with qtbot.waitSignal(tab.pdf_written, timeout=10000) as done:
        save_through_dialog(qtbot, lambda: click(qtbot, tab.controls.save_button), out)
    assert done.args == [out, "save"]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    detail = text.split(" Detail ", 1)[1]  # page 1's summary always holds every figure row
    assert "Meeting: Case 3 <pNET G2> & co" in text and "Key studies" in detail and "Approvals" not in detail
    assert f"Handout saved to {out}" in tab.message.text() and tab.controls.save_button.isEnabled()


def test_a_failed_save_says_why(qtbot, tab: CompareTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, "pNET", ["everolimus", "sunitinib"])
    folder = tmp_path / "missing"
    folder.mkdir()
    with qtbot.waitSignal(tab.pdf_failed, timeout=10000):  # the folder goes (a stick pulled) once it is chosen
        save_through_dialog(qtbot, lambda: click(qtbot, tab.controls.save_button), folder / "h.pdf",
                            after_enter=folder.rmdir)
    assert "The handout was not written" in tab.message.text() and "does not exist" in tab.message.text()
    assert not (tmp_path / "missing").exists() and tab.controls.save_button.isEnabled()


def test_print_renders_pages_to_the_printer(qtbot, tab: CompareTab, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    choose(qtbot, tab, "pNET", ["everolimus", "sunitinib"])
    out = tmp_path / "h.pdf"
    with qtbot.waitSignal(tab.pdf_written, timeout=10000):
        save_through_dialog(qtbot, lambda: click(qtbot, tab.controls.save_button), out)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(tab, "ask_printer", lambda: printer)  # the print dialog's answer
    with qtbot.waitSignal(tab.pdf_written, timeout=10000):
        click(qtbot, tab.controls.print_button)
    pages = len(PdfReader(tmp_path / "printed.pdf").pages)
    assert pages == len(PdfReader(out).pages)
    assert f"Sent {pages} pages to the printer." == tab.message.text()


def test_open_in_viewer(qtbot, tab: CompareTab, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[Path] = []
    monkeypatch.setattr(compare_tab, "open_pdf", lambda path: opened.append(path) or True)
    choose(qtbot, tab, "RAIR-DTC", ["lenvatinib", "sorafenib"])
    assert tab.disease() == "rair-dtc"
    with qtbot.waitSignal(tab.pdf_written, timeout=10000):
        click(qtbot, tab.controls.open_button)
    assert opened and opened[0].name == "handout-rair-dtc-lenvatinib-sorafenib.pdf" and opened[0].stat().st_size > 0


def test_refs_from_search(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """With the Compare tab in front, Ctrl+Enter on a search hit puts it into the comparison."""
    press(qtbot, window, "Ctrl+4")
    tab = window.tab("Compare")
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab)
    open_from_search(qtbot, window, "pnet", "disease", "pnet", here=True)
    open_from_search(qtbot, window, "everolimus", "drug", "everolimus", here=True)
    open_from_search(qtbot, window, "Lutathera", "drug", "lutetium-dotatate", here=True)
    assert window.tabs.currentWidget() is tab
    assert tab.disease() == "pnet" and tab.therapies() == ["everolimus", "lutetium-dotatate"]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 8)
    open_from_search(qtbot, window, "select", "study", "select", here=True)  # its experimental arm's therapy
    assert tab.therapies()[-1] == "lenvatinib"
    open_from_search(qtbot, window, "radiant-3 stomatitis", "toxicity", "radiant-3/everolimus/stomatitis",
                     here=True)  # already chosen: nothing changes
    assert len(tab.therapies()) == 3 and window.tabs.currentWidget() is tab
    open_from_search(qtbot, window, "who-2019-gep G3", "grading", "who-2019-gep/G3", here=True)
    assert window.tabs.currentWidget() is window.tab("Grading")  # not a comparison's: opened where Enter opens it
    assert len(tab.therapies()) == 3


def test_label_with_an_identifier_warns(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    field = tab.controls.label_field
    assert "no patient identifiers" in field.placeholderText()
    field.setFocus()
    qtbot.keyClicks(field, "MRN 1234567")
    assert tab.controls.label_warning.isVisible() and "long number" in tab.controls.label_warning.text()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "Case 3")
    assert field.text() == "Case 3"
    assert not tab.controls.label_warning.isVisible()


def test_zoom_keeps_rows_readable(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.resize(1600, 900)  # the meeting room's screen (this one is 800 px wide)
    press(qtbot, window, "Ctrl+4")
    tab = window.tab("Compare")
    choose(qtbot, tab, "pNET", ["everolimus", "sunitinib"])
    before = tab.table.horizontalHeader().sectionSize(TOPIC)
    for _ in range(3):  # 150 %
        press(qtbot, window, "Ctrl+=")
    qtbot.waitUntil(lambda: tab.table.horizontalHeader().sectionSize(TOPIC) > before)
