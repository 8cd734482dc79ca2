"""Printing a handout PDF through Qt, and opening it in the system's PDF viewer.

The handout is already a PDF with vector text, so printing sends that file where the print
path takes PDF: to a "print to file" PDF printer it is copied as it is, and on Linux and macOS
it goes to CUPS with `lp`, which prints PDF natively. Only where neither is possible (Windows'
native printers) is each page rendered with QtPdf (in PySide6-Addons up to 6.11; its own
wheel, PySide6-Pdf, from 6.12) at 300 dpi or the printer's resolution if higher, and
painted on the printer's page. QtPdf is imported only here, when the user prints.

A handout made to print lives in a folder of its own in the system's temporary area, removed
once printed (`print_folder`, `discard`); one made for the viewer is kept for the viewer to
read and removed on a later run after a day (`scratch_path`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

PRINT_DPI = 300
MAX_DPI = 600
PRINT_PREFIX = "tumorboard-print-"
VIEWER_FOLDER = "tumorboard-handouts"
KEEP_VIEWER_COPIES_S = 24 * 3600
LP_TIMEOUT_S = 60


class PrintError(Exception):
    pass


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.+-]+", "-", name).strip("-") or "handout.pdf"


def ask_pdf_path(parent: QWidget, name: str) -> Path | None:
    """Where to save a handout: the save dialog, proposing `name` in the home folder; '.pdf' added when the
    typed name lacks it; None when cancelled."""
    start = str(Path.home() / name)
    path, _filter = QFileDialog.getSaveFileName(parent, "Save handout PDF", start, "PDF (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def scratch_path(name: str) -> Path:
    """A file for the system's PDF viewer, in one folder of the temporary area; copies older than a day go."""
    folder = Path(tempfile.gettempdir()) / VIEWER_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_VIEWER_COPIES_S
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass  # open in a viewer on Windows: next time
    return folder / _safe_name(name)


def print_folder(name: str) -> Path:
    """A file in a new private folder for a handout made to print; `discard` removes the folder."""
    return Path(tempfile.mkdtemp(prefix=PRINT_PREFIX)) / _safe_name(name)


def discard(path: Path) -> None:
    """Remove a handout made to print, with its folder (only a folder `print_folder` made)."""
    if path.parent.name.startswith(PRINT_PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


def page_count(path: Path) -> int:
    doc = _open(path)
    try:
        return int(doc.pageCount())
    finally:
        doc.close()


def _open(path: Path) -> Any:
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError as exc:
        raise PrintError("Printing needs Qt's PDF module (PySide6-Addons); open the handout in the viewer and "
                         "print from there.") from exc
    doc = QPdfDocument()
    if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() == 0:
        doc.close()
        raise PrintError(f"The handout {path} could not be read for printing.")
    return doc


def _range(printer: QPrinter, pages: int) -> tuple[int, int]:
    first = max(1, printer.fromPage() or 1)
    return first, min(pages, printer.toPage() or pages)


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Print the PDF's pages (the printer's page range, else all); returns how many were printed."""
    pages = page_count(path)
    first, last = _range(printer, pages)
    if last < first:
        raise PrintError("The page range chosen holds no page of the handout.")
    whole = (first, last) == (1, pages)
    pdf_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName()
    if pdf_file and whole:
        shutil.copyfile(path, printer.outputFileName())  # the same vector PDF, nothing re-drawn
    elif not pdf_file and (command := lp_command(path, printer, first, last, pages)) is not None:
        _spool(command)
    else:
        _paint(path, printer, first, last)
    return last - first + 1


def lp_command(path: Path, printer: QPrinter, first: int, last: int, pages: int) -> list[str] | None:
    """CUPS' `lp` with the printer, copies, pages and sides chosen in the dialog; None where there is no CUPS."""
    lp = shutil.which("lp") if sys.platform != "win32" else None
    if lp is None:
        return None
    command = [lp, "-t", path.stem, "-n", str(max(1, printer.copyCount()))]
    if printer.printerName():
        command += ["-d", printer.printerName()]
    if (first, last) != (1, pages):
        command += ["-o", f"page-ranges={first}-{last}"]
    sides = {QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
             QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
             QPrinter.DuplexMode.DuplexNone: "one-sided"}.get(printer.duplex())
    if sides:
        command += ["-o", f"sides={sides}"]
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        command += ["-o", "print-color-mode=monochrome"]
    return [*command, "--", str(path)]


def _spool(command: list[str]) -> None:
    """`lp` copies the file to the print spool before it returns, so the handout may be removed after."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"The print system did not take the handout: {exc}") from exc
    if done.returncode != 0:
        raise PrintError(f"The print system refused the handout: {(done.stderr or done.stdout).strip()}")


def _fit(image: QSize, area: QRect) -> QRect:
    scale = min(area.width() / image.width(), area.height() / image.height())
    width, height = int(image.width() * scale), int(image.height() * scale)
    return QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2, width, height)


def _paint(path: Path, printer: QPrinter, first: int, last: int) -> None:
    """Where the print path takes no PDF: each page as an image of at least PRINT_DPI."""
    doc = _open(path)
    dpi = max(PRINT_DPI, min(MAX_DPI, printer.resolution()))
    painter = QPainter()
    if not painter.begin(printer):
        doc.close()
        raise PrintError("The printer could not be started.")
    try:
        for n, page in enumerate(range(first - 1, last)):
            if n and not printer.newPage():
                raise PrintError("The printer refused a new page.")
            points = doc.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = doc.render(page, size)
            painter.drawImage(_fit(image.size(), painter.viewport()), image)
    finally:
        painter.end()
        doc.close()


def open_pdf(path: Path) -> bool:
    """Hand the PDF to the system's viewer; False when no viewer took it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
