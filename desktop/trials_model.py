"""The Trials table: a thin model over TrialRow summaries, filtered and sorted in SQL (db/trials/queries.py)
and read a screenful at a time (db/trials/fetch_queries.py), so that it opens as fast on a registry of 100 000
studies as on the shipped 86. A column's first order over a large registry (0.1-0.4 s at 100 000 studies), and a
drug, class or source filter's first lookup, are read on the worker: the table keeps its rows until they arrive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette

from db.presentation.present import ALERT, CAVEAT
from db.presentation.who_words import LINE as LINE_WORDS
from db.presentation.who_words import NOT_STATED
from db.trials.queries import COLUMNS as COLUMN_KEYS
from db.trials.queries import Filters, TrialsQuery
from db.trials.table import TrialRow
from desktop.qt_names import ALIGN, DESCENDING, DISPLAY, FOREGROUND, HORIZONTAL, RIGHT, SORT_ROLE, TOOLTIP
from desktop.responsive import gui_first
from desktop.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

STUDY, PHASE, DISEASE, LINE, MARKERS, REGIMEN, N, PFS, HR, ORR, YEAR = range(11)
HEADERS = ("Study", "Phase", "Disease", "Line", "Markers", "Regimen", "n", "Median PFS", "HR (PFS)", "ORR", "Year")
NUMERIC = {N, PFS, HR, ORR, YEAR}
MARKS = (ALERT, CAVEAT)
EVIDENCE = PHASE  # the Phase column sorts by db.presentation.evidence's order, best first
FETCH = 256  # rows the table is given at a time, as it is scrolled
BLOCK = 32  # rows read together when the view first shows one of them
SAMPLE_ROWS = 100  # rows whose texts the column widths are fitted to
CACHE_ROWS = 1024  # rows kept once read (few objects for the garbage collector to walk)
SORT_ON_WORKER = 2_000  # studies from which a first sort or lookup is read on the worker (a few ms at 2 000)
SAID = (LINE, MARKERS)  # 'not stated' in these is drawn dimmed: most studies' sources do not say
HEADER_HINTS = {
    LINE: "; ".join(f"{word}: {text}" for word, text in LINE_WORDS.items()) + "; not stated: the source does not say.",
    MARKERS: "The molecular markers the study required or excluded, as its source states them.",
}
EVIDENCE_HINT = ("Sorted by evidence: randomised phase 3 first, then other phase 3, randomised phase 2, single-arm "
                 "phase 2, phase 1, observational; within each, the larger n, then the more recent year.")


def _first(values: list[float | None]) -> float | None:
    return next((v for v in values if v is not None), None)


def _sort_key(row: TrialRow, column: int) -> Any:
    if column == STUDY:
        return row.name.casefold()
    if column == PHASE:
        return row.evidence
    if column == DISEASE:
        return ", ".join(row.disease_names).casefold()
    if column in (LINE, MARKERS):  # not stated: last either way, as a missing figure
        said = row.line if column == LINE else row.markers
        return None if said == NOT_STATED else said.casefold()
    if column == REGIMEN:
        return row.regimen.casefold()
    if column == N:
        return row.n
    if column == PFS:
        return _first([f.value for f in row.pfs])
    if column == HR:
        return _first([f.value for f in row.hr])
    if column == ORR:
        return _first([f.value for f in row.orr])
    return row.year or None


_TEXTS: tuple[Callable[[TrialRow], str], ...] = (
    lambda r: r.name + (f" ({r.byline})" if r.byline else ""), lambda r: r.design_short,
    lambda r: ", ".join(r.disease_names), lambda r: r.line, lambda r: r.markers, lambda r: r.regimen,
    lambda r: r.n_text, lambda r: r.pfs_text, lambda r: r.hr_text, lambda r: r.orr_text, lambda r: r.year,
)


def _display(row: TrialRow, column: int) -> str:
    return _TEXTS[column](row)  # only the column asked for: data() runs for every cell painted


_FRONT: dict[int, Callable[[TrialRow], str]] = {
    N: lambda r: r.n_cell("front"), PFS: lambda r: r.figures_cell("pfs", "front"),
    HR: lambda r: r.figures_cell("hr", "front"), ORR: lambda r: r.figures_cell("orr", "front"),
}


def _cell(row: TrialRow, column: int) -> str:
    """The display text, a figure's marks in front: a narrow column elides the end of its text, never the
    mark ('⚠ 10.8 months vs 5.8 months'); the tooltip keeps each mark in place."""
    front = _FRONT.get(column)
    return front(row) if front is not None else _display(row, column)


class TrialsModel(QAbstractTableModel):
    """Rows in the order db.trials.queries gives for the filters and sort; a row's cells are read (a block of
    BLOCK rows at a time) when the view first asks for them, and the view holds FETCH more rows each time
    it is scrolled to the end (Qt's canFetchMore/fetchMore), so a filter or sort over 100 000 studies
    reads a screenful. Given `tasks` (the window's worker), a registry of SORT_ON_WORKER studies or more has a
    column's first order, and a drug, class or source filter's first lookup, read there while the rows shown stay;
    `pending_changed` says when such a read starts and when its result is shown, and the last one asked for wins."""

    pending_changed = Signal()  # a sort or filter began to be read on the worker, or what was read is shown

    def __init__(self, query: TrialsQuery, rows: Callable[[Sequence[str]], list[TrialRow]],
                 tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.query = query
        self._read = rows
        self._tasks = tasks
        self._asked = 0  # sorts asked for: an order read on the worker is shown only if it is still the last
        self.pending_sort: tuple[int, Qt.SortOrder] | None = None  # the sort being read on the worker
        self.pending_filters: Filters | None = None  # filters whose studies are being looked up on the worker
        self._shown_filters = Filters()  # the filters of the rows shown
        self._order: Sequence[int] = range(query.total)  # positions into query.ids, in view order
        self._held = min(FETCH, len(self._order))  # rows the view has: the table's rowCount
        self._cache: dict[int, TrialRow] = {}  # by position: a study's row never changes
        self._sort: tuple[int, Qt.SortOrder] = (EVIDENCE, Qt.SortOrder.AscendingOrder)
        self._samples: list[TrialRow] | None = None
        self._dim: Any = None
        self.filters = Filters()

    # -- what the tab and the tests read ----------------------------------------------------
    @property
    def total(self) -> int:
        """Studies in the dataset."""
        return self.query.total

    @property
    def matches(self) -> int:
        """Studies the filters keep (the table holds the first of them until scrolled)."""
        return len(self._order)

    @property
    def rows(self) -> list[TrialRow]:
        """The rows the table holds now, in view order (every match of the shipped dataset)."""
        return [self.row_at(i) for i in range(self._held)]

    def head(self, limit: int) -> list[TrialRow]:
        """The first `limit` matches in view order (the efficacy chart's studies)."""
        return self._rows_at(range(min(limit, len(self._order))))

    def study_id(self, row: int) -> str:
        return self.query.ids[self._order[row]]

    def row_at(self, row: int) -> TrialRow:
        position = self._order[row]
        found = self._cache.get(position)
        if found is None:
            start = row - row % BLOCK
            self._rows_at(range(start, min(start + BLOCK, len(self._order))))
            found = self._cache[position]
        return found

    def _rows_at(self, rows: range) -> list[TrialRow]:
        positions = [self._order[r] for r in rows]
        if len(self._cache) + len(positions) > CACHE_ROWS:
            self._cache.clear()
        missing = [self.query.ids[p] for p in positions if p not in self._cache]
        if missing:
            for row in self._read(missing):
                self._cache[self.query.position[row.id]] = row
        return [self._cache[p] for p in positions]

    def row_of(self, study_id: str) -> int:
        """The study's row in the table (the table is given rows down to it), or -1 if filtered out."""
        position = self.query.position.get(study_id)
        if position is None:
            return -1
        try:
            row = self._order.index(position)
        except ValueError:
            return -1
        if row >= self._held:
            self._hold(row + 1)
        return row

    def best_evidence(self) -> str | None:
        """The match with the best evidence, whatever column the table is sorted by (positions are evidence order)."""
        return self.query.ids[min(self._order)] if self._order else None

    def sample_texts(self, column: int, limit: int = SAMPLE_ROWS) -> list[str]:
        """A column's cell texts over the first studies in evidence order, filtered or not: what its width is
        fitted to (every study of the shipped dataset)."""
        if self._samples is None:
            self._samples = self._read(self.query.ids[:limit])
            if len(self._cache) + len(self._samples) <= CACHE_ROWS:  # the first rows in evidence order: the table's
                self._cache.update(zip(range(len(self._samples)), self._samples, strict=True))
        return [_cell(r, column) for r in self._samples[:limit]]

    # -- filter and sort ---------------------------------------------------------------------
    def set_filters(self, filters: Filters, now: bool = False) -> None:
        """The studies the filters keep; a drug, class or source not looked up lately is looked up on the worker
        for a large registry (meanwhile the rows shown stay), and the last filters set win. `now`: here and now
        (a study is to be selected among them at once)."""
        self.filters = filters
        worker = self._worker()
        unread = self.query.unread(filters) if worker is not None and not now else []
        if worker is None or not unread:
            self._show_filters(filters)
            return
        self.pending_filters = filters
        self.pending_changed.emit()
        read = self.query.read_matches

        def work() -> Any:
            with gui_first():
                return read(unread)

        worker.run(work, lambda found, error: self._looked_up(filters, found, error))

    def _looked_up(self, filters: Filters, found: Any, error: BaseException | None) -> None:
        if error is None:
            self.query.keep_matches(found)
        if filters is self.filters:  # else other filters were set since: they are shown
            self._show_filters(filters)  # after an error they are looked up here, and the error raised as before

    def _show_filters(self, filters: Filters) -> None:
        self._shown_filters = filters
        self._apply()
        if self.pending_filters is not None:
            self.pending_filters = None
            self.pending_changed.emit()

    def _worker(self) -> TaskRunner | None:
        """Where a large registry's first reads run (None: here)."""
        return self._tasks if self._tasks is not None and self.query.total >= SORT_ON_WORKER else None

    def _apply(self) -> None:
        column, order = self._sort
        self.beginResetModel()
        self._order = self.query.select(self._shown_filters, COLUMN_KEYS[column], order == DESCENDING)
        self._held = min(FETCH, len(self._order))
        self.endResetModel()

    @property
    def sort_column(self) -> int:
        return self._sort[0]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.pending_sort == (column, order):  # asked again while it is read (the view's header asks twice)
            return
        self._asked += 1
        key, descending = COLUMN_KEYS[column], order == DESCENDING
        worker = self._worker()
        if worker is None or self.query.has_order(key, descending):
            self._show_sort(column, order)
            return
        asked, read = self._asked, self.query.read_orders
        self.pending_sort = (column, order)
        self.pending_changed.emit()

        def work() -> Any:
            with gui_first():  # the sort's Python must not hold the window's paints for 5 ms at a time
                return read(key)

        worker.run(work, lambda orders, error: self._sorted(asked, column, order, orders, error))

    def _sorted(self, asked: int, column: int, order: Qt.SortOrder, orders: Any, error: BaseException | None) -> None:
        if error is None:
            self.query.keep_orders(orders)  # a later click on this column finds it read
        if asked == self._asked:  # else another sort was asked for since: that one is shown
            self._show_sort(column, order)  # after an error the order is read here, and the error raised as before

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (column, order)
        self._apply()
        if self.pending_sort is not None:
            self.pending_sort = None
            self.pending_changed.emit()

    # -- fetch on scroll -----------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._held < len(self._order)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._hold(self._held + FETCH)

    def _hold(self, rows: int) -> None:
        rows = min(rows, len(self._order))
        if rows > self._held:
            self.beginInsertRows(QModelIndex(), self._held, rows - 1)
            self._held = rows
            self.endInsertRows()

    # -- Qt ----------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._held

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == ALIGN:
            return RIGHT if column in NUMERIC else None
        if role == FOREGROUND:
            return self.dim if column in SAID and _display(self.row_at(index.row()), column) == NOT_STATED else None
        if role not in (DISPLAY, TOOLTIP, SORT_ROLE):
            return None
        row = self.row_at(index.row())
        if role == DISPLAY:
            return _cell(row, column)
        if role == TOOLTIP:
            if column == PHASE:
                return f"Design: {row.design}. {EVIDENCE_HINT}"
            shown = _display(row, column)
            notes = row.caveat_text if column in (N, PFS, HR, ORR) else ""
            return f"{shown}\n\n{notes}" if notes and any(m in shown for m in MARKS) else shown
        return _sort_key(row, column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != HORIZONTAL:
            return None
        if role == DISPLAY:
            return HEADERS[section]
        if role == TOOLTIP:
            return EVIDENCE_HINT if section == EVIDENCE else HEADER_HINTS.get(section)
        return None

    @property
    def dim(self) -> Any:
        """The colour of 'not stated' in the Line and Markers columns (the palette's, read once)."""
        if self._dim is None:
            self._dim = QPalette().color(QPalette.ColorRole.PlaceholderText)
        return self._dim
