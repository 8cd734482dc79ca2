"""Printing the handout keeps its vector text and leaves nothing in the temporary folder: a PDF
printer gets the handout's own PDF, CUPS gets it through `lp`, and only a printer that takes no
PDF gets pages rendered at 300 dpi or more."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from db.store import Store
from desktop import pdf_output
from desktop.compare_tab import CompareTab
from desktop.pdf_output import PRINT_DPI, lp_command, print_pdf
from tests.window_support import save_through_dialog, shown

pytestmark = pytest.mark.gui


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, watched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def tab(qtbot, store: Store, temp: Path) -> Iterator[CompareTab]:  # type: ignore[no-untyped-def]
    widget = shown(qtbot, CompareTab(store), exposed=False)
    widget.set_disease("pnet")
    widget.set_therapies(["everolimus", "sunitinib"])
    yield widget
    widget.shutdown()


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click the button once it can be clicked (the comparison is built off the GUI thread)."""
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_printing_to_a_pdf_printer_keeps_the_text_and_leaves_no_copy(qtbot, tab: CompareTab, temp: Path,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr(tab, "ask_printer", lambda: pdf_printer(printed))
    before = sorted(temp.rglob("*"))
    with qtbot.waitSignal(tab.pdf_written, timeout=20_000):
        click(qtbot, tab.controls.print_button)  # the print dialog answered by `ask_printer`
    assert "Key studies" in text_of(printed) and "RADIANT-3" in text_of(printed)  # text, not a picture of it
    assert printed.stat().st_size < 400_000
    assert sorted(temp.rglob("*")) == before, "a copy of the handout was left in the temporary folder"
    assert tab.message.text().startswith("Sent ")


def test_a_cancelled_print_leaves_no_copy(qtbot, tab: CompareTab, temp: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tab, "ask_printer", lambda: None)
    with qtbot.waitSignal(tab.pdf_written, timeout=20_000):
        click(qtbot, tab.controls.print_button)
    assert list(temp.iterdir()) == [] and tab.message.text() == "Not printed."


class FakePrinter:
    """A system printer as QPrintDialog leaves it: native format, a name, copies, a page range."""

    def __init__(self, first: int = 0, last: int = 0) -> None:
        self.range = (first, last)

    def outputFormat(self) -> Any:
        return QPrinter.OutputFormat.NativeFormat

    def outputFileName(self) -> str:
        return ""

    def printerName(self) -> str:
        return "Ward-5-Laser"

    def copyCount(self) -> int:
        return 2

    def fromPage(self) -> int:
        return self.range[0]

    def toPage(self) -> int:
        return self.range[1]

    def duplex(self) -> Any:
        return QPrinter.DuplexMode.DuplexLongSide

    def colorMode(self) -> Any:
        return QPrinter.ColorMode.Color


def handout(tab: CompareTab, qtbot, path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The handout saved as the user saves it: Save, the file's name typed into the dialog."""
    with qtbot.waitSignal(tab.pdf_written, timeout=20_000):
        save_through_dialog(qtbot, lambda: click(qtbot, tab.controls.save_button), path)
    assert path.is_file()
    return path


def test_a_system_printer_gets_the_pdf_itself_through_cups(qtbot, tab: CompareTab, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = handout(tab, qtbot, tmp_path / "h.pdf")
    lp = str(tmp_path / "bin" / "lp")  # where `which` found it: never run, `_spool` is replaced
    monkeypatch.setattr(pdf_output.shutil, "which", lambda name: lp if name == "lp" else None)
    monkeypatch.setattr(pdf_output.sys, "platform", "linux")
    sent: list[list[str]] = []
    monkeypatch.setattr(pdf_output, "_spool", sent.append)
    monkeypatch.setattr(pdf_output, "_paint", lambda *_a: pytest.fail("pages were rendered to images"))
    pages = len(PdfReader(pdf).pages)
    assert print_pdf(pdf, FakePrinter()) == pages  # type: ignore[arg-type]
    assert sent == [[lp, "-t", "h", "-n", "2", "-d", "Ward-5-Laser", "-o", "sides=two-sided-long-edge",
                     "--", str(pdf)]]
    assert "page-ranges=1-1" in lp_command(pdf, FakePrinter(1, 1), 1, 1, pages)  # type: ignore[arg-type,operator]


def test_without_a_pdf_print_path_pages_are_rendered_at_300_dpi(qtbot, tab: CompareTab, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = handout(tab, qtbot, tmp_path / "h.pdf")
    monkeypatch.setattr(pdf_output, "lp_command", lambda *_a: None)  # Windows: no lp
    out = tmp_path / "raster.pdf"
    printer = pdf_printer(out)
    printer.setFromTo(1, 1)  # a page range: the PDF cannot simply be copied
    assert print_pdf(pdf, printer) == 1
    page = PdfReader(out).pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    points = float(page.mediabox.width)
    assert max(int(i["/Width"]) for i in images) >= PRINT_DPI * points / 72 * 0.95
