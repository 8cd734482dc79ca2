"""The Case tab's options table, whose columns fit their contents without asking every row.

Qt fits a column (`resizeColumnToContents`) by asking the delegate to size each cell of up to
`resizeContentsPrecision` rows (1000), every cell some ten calls into Python: 80 ms for the three
fitted columns at 100 000 studies, the window frozen. Here the same rows are looked at, in the same
order and with Qt's rule for spans, but only their texts' widths are estimated (the sum of their
letters' widths, each letter measured once); the delegate sizes the few that may be the widest.
The width is the one Qt gives (tests/test_case_tab.py compares them).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QTableView

from desktop.case_model import OptionsModel

KERNING = 0.08  # an estimate is within this share of the text's width ('Ta' drawn 2-3 px closer: 5 %)


class LetterWidths(dict[str, float]):
    """Each letter's advance in a font, measured when first asked for."""

    def __init__(self, metrics: QFontMetricsF) -> None:
        super().__init__()
        self._metrics = metrics

    def __missing__(self, letter: str) -> float:
        width = self[letter] = self._metrics.horizontalAdvance(letter)
        return width

    def estimate(self, text: str) -> float:
        """The text's width but for kerning and shaping."""
        return sum(map(self.__getitem__, text))


class OptionsView(QTableView):
    def __init__(self) -> None:
        super().__init__()
        self._letters: dict[bool, LetterWidths] = {}  # bold or not: kept across readings, dropped at a new font

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._letters.clear()
        super().changeEvent(event)

    def _widths(self, bold: bool) -> LetterWidths:
        if bold not in self._letters:
            font = QFont(self.font())
            font.setBold(bold)
            self._letters[bold] = LetterWidths(QFontMetricsF(font))
        return self._letters[bold]

    def sampled_rows(self) -> list[int]:
        """The rows QTableView.sizeHintForColumn sizes (every row shown, in its place): those in view, then one
        below and one above in turn, up to the header's resizeContentsPrecision (0: those in view only; below 0:
        every row)."""
        header, most = self.verticalHeader(), self.horizontalHeader().resizeContentsPrecision()
        count = self.model().rowCount()
        top = max(0, header.visualIndexAt(0))
        bottom = header.visualIndexAt(self.viewport().height())
        if not self.isVisible() or bottom == -1:
            bottom = count - 1
        rows = list(range(top, bottom + 1))
        if 0 <= most <= len(rows):
            return rows[:most] if most else rows
        above, below = top, bottom
        while len(rows) != most and (above > 0 or below < count - 1):
            if (len(rows) % 2 and above > 0) or below == count - 1:
                above -= 1
                rows.append(above)
            else:
                below += 1
                rows.append(below)
        return rows

    def _beyond(self, row: int, column: int) -> int:
        """What Qt takes off the width of a span's first cell: the widths of the columns after it, as many as the
        span is wide (the group headings span the row: their text counts only where it outgrows the others)."""
        if self.rowSpan(row, column) == 1 and self.columnSpan(row, column) == 1:
            return 0
        span = self.visualRect(self.model().index(row, column))
        if span.left() != self.columnViewportPosition(column) or span.top() != self.rowViewportPosition(row):
            return 0  # a cell the span covers: sized as any other
        width = self.columnSpan(row, column)
        return sum(self.columnWidth(column + n) for n in range(1, width + 1))

    def sizeHintForColumn(self, column: int) -> int:
        model, header = self.model(), self.verticalHeader()
        if not isinstance(model, OptionsModel) or header.hiddenSectionCount() or header.sectionsMoved():
            return super().sizeHintForColumn(column)
        self.ensurePolished()
        letters = {bold: self._widths(bold) for bold in (False, True)}
        kinds: dict[tuple[bool, bool], dict[tuple[str, int], tuple[float, int]]] = {}  # one row per text drawn
        for row in self.sampled_rows():
            text, bold, check = model.drawn(row, column)
            cells = kinds.setdefault((bold, check), {})
            key = (text, self._beyond(row, column))
            if key not in cells:
                cells[key] = (letters[bold].estimate(text), row)
        hint = 0
        for cells in kinds.values():
            least = max(width * (1 - KERNING) - beyond for (_text, beyond), (width, _row) in cells.items())
            for (_text, beyond), (width, row) in cells.items():
                if width * (1 + KERNING) + 1 - beyond >= least:  # may be the widest
                    hint = max(hint, self.sizeHintForIndex(model.index(row, column)).width() - beyond)
        return hint + 1 if self.showGrid() else hint
