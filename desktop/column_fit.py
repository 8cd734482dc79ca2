"""Column widths that fit a table into the width it has, from a laptop at 1366 px to a
projector at 150 % zoom: figure columns as wide as their text (up to a cap), the text columns
sharing the rest, and, when even that does not fit, the least needed columns left out first.

    >>> fit_widths([300, 80], [Column(30, 8, stretch=1), Column(8, 4)], em=10, available=300)
    [220, 80]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

RESIZE = QEvent.Type.Resize
FONT_CHANGE = QEvent.Type.FontChange


@dataclass(frozen=True)
class Column:
    cap_em: float  # no wider than this (in the font's 'M' widths) unless there is room to spare
    min_em: float  # no narrower than this; below it the column is left out
    stretch: int = 0  # its share of spare room; 0: never wider than its text
    drop: int = 0  # 0: always shown; otherwise the higher, the sooner it is left out


def _spread(widths: dict[int, float], floors: dict[int, float], columns: list[int], excess: float) -> float:
    """Take `excess` from `columns` in proportion to what each has above its floor; returns what is left."""
    room = sum(widths[c] - floors[c] for c in columns)
    if room <= 0:
        return excess
    take = min(excess, room)
    for c in columns:
        widths[c] -= (widths[c] - floors[c]) * take / room
    return excess - take


def _fill(widths: dict[int, float], wants: dict[int, float], spare: float) -> float:
    """Room to spare: figure columns grow towards their full text (beyond their cap), in equal shares so that one
    long cell does not take it all; returns what is left for the text columns."""
    hungry = [c for c in wants if wants[c] > widths[c]]
    while spare > 0.5 and hungry:
        share = spare / len(hungry)
        for c in hungry:
            grow = min(share, wants[c] - widths[c])
            widths[c] += grow
            spare -= grow
        hungry = [c for c in hungry if wants[c] - widths[c] > 0.5]
    return spare


def _fit(content: Sequence[int], specs: Sequence[Column], em: float, available: int,
         shown: list[int]) -> dict[int, float] | None:
    """Widths for the shown columns, or None when they cannot fit even at their minimum."""
    floors = {c: min(content[c], specs[c].min_em * em) for c in shown}
    widths = {c: max(floors[c], min(content[c], specs[c].cap_em * em)) for c in shown}
    stretchy = [c for c in shown if specs[c].stretch]
    spare = available - sum(widths.values())
    if spare >= 0:
        spare = _fill(widths, {c: float(content[c]) for c in shown if not specs[c].stretch}, spare)
        weight = sum(specs[c].stretch for c in stretchy)
        for c in stretchy:
            widths[c] += spare * specs[c].stretch / weight
        return widths
    excess = _spread(widths, floors, stretchy, -spare)  # text columns elide first
    if excess > 0 and any(specs[c].drop for c in shown):
        return None  # leave a column out rather than squeeze the figures
    excess = _spread(widths, floors, [c for c in shown if not specs[c].stretch], excess)
    return widths if excess <= 0.5 else None


def fit_widths(content: Sequence[int], specs: Sequence[Column], em: float, available: int) -> list[int]:
    """Pixel widths for each column (0: left out). `content`: each column's natural width (text or header)."""
    shown = list(range(len(specs)))
    while True:
        widths = _fit(content, specs, em, available, shown)
        droppable = [c for c in shown if specs[c].drop]
        if widths is not None or not droppable:
            break
        shown.remove(max(droppable, key=lambda c: specs[c].drop))
    if widths is None:  # the columns that stay cannot fit: their minimum, and a scroll bar
        widths = {c: min(content[c], specs[c].min_em * em) for c in shown}
    return [int(widths[c]) if c in widths else 0 for c in range(len(specs))]


class ColumnFitter(QObject):
    """Keeps a table's columns fitted to its viewport as the window, the zoom or the rows change.

    `texts(column)` gives a sample of the column's cell texts (what the widest cell is measured on);
    the user may still drag a column wider until the next resize. With `memo` (a name, and what the
    texts depend on: the dataset and the program's version) the measured widths are remembered in
    the settings with that key and the font, so a start does not read the sample again to fit."""

    hidden_changed = Signal()

    def __init__(self, table: QTableView, specs: Sequence[Column], texts: Callable[[int], Iterable[str]],
                 memo: tuple[str, str] | None = None) -> None:
        super().__init__(table)
        self.table, self.specs, self._texts = table, list(specs), texts
        self._memo = memo
        self._content: list[int] | None = None
        self.hidden: list[int] = []
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._remeasure = QTimer(self)  # a child: it goes with the table, never fires on a deleted one
        self._remeasure.setSingleShot(True)
        self._remeasure.setInterval(0)
        self._remeasure.timeout.connect(self.contents_changed)
        table.viewport().installEventFilter(self)
        table.installEventFilter(self)

    def contents_changed(self) -> None:
        """The font (or the sample) changed: measure again (a few hundred rows, about a millisecond)."""
        self._content = None
        self.fit()

    def _measure(self) -> list[int]:
        if self._memo is None:
            return self._measure_texts()
        from desktop.settings import settings

        name, depends = self._memo
        key = f"{depends}|{self.table.font().key()}"
        store = settings()
        if store.value(f"column-fit/{name}-key") == key:
            remembered = str(store.value(f"column-fit/{name}-widths", "")).split()
            if len(remembered) == len(self.specs) and all(w.isdigit() for w in remembered):
                return [int(w) for w in remembered]
        widths = self._measure_texts()
        store.setValue(f"column-fit/{name}-key", key)
        store.setValue(f"column-fit/{name}-widths", " ".join(map(str, widths)))
        return widths

    def _measure_texts(self) -> list[int]:
        metrics = self.table.fontMetrics()
        pad = metrics.horizontalAdvance("MM")
        header = self.table.horizontalHeader()
        widths = []
        for column in range(len(self.specs)):
            texts = self._texts(column)
            cells = max((metrics.horizontalAdvance(t) for t in texts), default=0) + pad
            widths.append(max(cells, header.sectionSizeHint(column)))
        return widths

    def fit(self) -> None:
        if self._content is None:
            self._content = self._measure()
        em = self.table.fontMetrics().horizontalAdvance("M")
        header = self.table.horizontalHeader()
        widths = fit_widths(self._content, self.specs, em, self.table.viewport().width())
        hidden = [c for c, w in enumerate(widths) if not w]
        if hidden != self.hidden:
            self.hidden = hidden
            self.hidden_changed.emit()
        for column, width in enumerate(widths):
            header.setSectionHidden(column, not width)
            if width:
                header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == RESIZE and watched is self.table.viewport():
            self.fit()
        elif kind == FONT_CHANGE and watched is self.table:
            self._remeasure.start()  # once the new font has reached the header too
        return False
