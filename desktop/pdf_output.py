"""Printing a handout PDF through Qt, and opening it in the system's PDF viewer.

Printing renders each page with QtPdf (in PySide6-Addons up to 6.11; its own wheel, PySide6-Pdf,
from 6.12) to an image at up to 300 dpi and paints it on the printer's page, keeping its
proportions. QtPdf is imported only here, when the user prints.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300


class PrintError(Exception):
    pass


def scratch_path(name: str) -> Path:
    """A file in a folder of the system's temporary area for handouts made to print or view."""
    folder = Path(tempfile.gettempdir()) / "tumorboard-handouts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (re.sub(r"[^\w.+-]+", "-", name).strip("-") or "handout.pdf")


def _fit(image: QSize, area: QRect) -> QRect:
    scale = min(area.width() / image.width(), area.height() / image.height())
    width, height = int(image.width() * scale), int(image.height() * scale)
    return QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2, width, height)


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Print the PDF's pages (the printer's page range, else all); returns how many were printed."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError as exc:
        raise PrintError("Printing needs Qt's PDF module (PySide6-Addons); open the handout in the viewer and "
                         "print from there.") from exc
    doc = QPdfDocument()
    if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() == 0:
        raise PrintError(f"The handout {path} could not be read for printing.")
    first = max(1, printer.fromPage() or 1)
    last = min(doc.pageCount(), printer.toPage() or doc.pageCount())
    dpi = min(PRINT_DPI, printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
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
    return last - first + 1


def open_pdf(path: Path) -> bool:
    """Hand the PDF to the system's viewer; False when no viewer took it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
