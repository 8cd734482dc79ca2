"""The Trials table: a thin model over TrialRow summaries, filtered and sorted in the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.present import ALERT, CAVEAT
from db.trials import TrialRow
from desktop.qt_names import ALIGN, DISPLAY, HORIZONTAL, RIGHT, SORT_ROLE, TOOLTIP

Index = QModelIndex | QPersistentModelIndex

STUDY, PHASE, DISEASE, REGIMEN, N, PFS, HR, ORR, YEAR = range(9)
HEADERS = ("Study", "Phase", "Disease", "Regimen", "n", "Median PFS", "HR (PFS)", "ORR", "Year")
NUMERIC = {N, PFS, HR, ORR, YEAR}
MARKS = (ALERT, CAVEAT)
EVIDENCE = PHASE  # the Phase column sorts by db.evidence's order, best first
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


def phase_text(row: TrialRow) -> str:
    """'3, rand.', '2', 'observational': the phase, and whether randomised, as the evidence order weighs them
    (the tooltip spells the design out)."""
    return f"{row.phase}, rand." if row.randomised and row.phase != "observational" else row.phase


def _display(row: TrialRow, column: int) -> str:
    return (
        row.name + (f" ({row.byline})" if row.byline else ""), phase_text(row), ", ".join(row.disease_names),
        row.regimen,
        row.n_text, row.pfs_text, row.hr_text, row.orr_text, row.year,
    )[column]


def _cell(row: TrialRow, column: int) -> str:
    """The display text, with a figure's marks moved to the front: a narrow column elides the end of
    its text, never the mark ('⚠ 10.8 months vs 5.8 months'); the tooltip keeps each mark in place."""
    text = _display(row, column)
    lead = "".join(dict.fromkeys(ch for ch in text if ch in MARKS))
    if not lead or column not in NUMERIC:
        return text
    return f"{lead} {''.join(ch for ch in text if ch not in MARKS)}"


@dataclass
class Filters:
    disease: str | None = None  # a disease id: matches it and its descendants
    drug_class: str | None = None
    drug: str | None = None
    phase: str | None = None
    status: str | None = None
    source: str | None = None


class TrialsModel(QAbstractTableModel):
    def __init__(self, rows: list[TrialRow], descendants: Callable[[str], set[str]]) -> None:
        super().__init__()
        self._all = rows
        self._rows = list(rows)
        self._descendants = descendants
        self._sort: tuple[int, Qt.SortOrder] = (EVIDENCE, Qt.SortOrder.AscendingOrder)
        self.filters = Filters()

    @property
    def rows(self) -> list[TrialRow]:
        return self._rows

    @property
    def total(self) -> int:
        return len(self._all)

    def sample_texts(self, column: int, limit: int = 2000) -> list[str]:
        """A column's cell texts over all rows (up to `limit`), filtered or not: what its width is fitted to."""
        return [_cell(r, column) for r in self._all[:limit]]

    def row_of(self, study_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == study_id), -1)

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self._apply()

    def _keep(self, row: TrialRow) -> bool:
        f = self.filters
        if f.disease and not (set(row.diseases) & self._descendants(f.disease)):
            return False
        if f.drug_class and f.drug_class not in row.drug_classes:
            return False
        if f.drug and f.drug not in row.drug_ids:
            return False
        if f.phase and row.phase != f.phase:
            return False
        if f.status and row.status != f.status:
            return False
        return not (f.source and f.source not in row.source_ids)

    def _apply(self) -> None:
        self.beginResetModel()
        column, order = self._sort
        kept = [r for r in self._all if self._keep(r)]
        present = [r for r in kept if _sort_key(r, column) is not None]
        missing = [r for r in kept if _sort_key(r, column) is None]
        present.sort(key=lambda r: _sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = present + missing  # studies without the figure go last either way
        self.endResetModel()

    @property
    def sort_column(self) -> int:
        return self._sort[0]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            return _cell(row, column)
        if role == TOOLTIP:
            if column == PHASE:
                return f"Phase {row.phase}: {row.design}. {EVIDENCE_HINT}"
            shown = _display(row, column)
            notes = row.caveat_text if column in (N, PFS, HR, ORR) else ""
            return f"{shown}\n\n{notes}" if notes and any(m in shown for m in MARKS) else shown
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == ALIGN and column in NUMERIC:
            return RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != HORIZONTAL:
            return None
        if role == DISPLAY:
            return HEADERS[section]
        if role == TOOLTIP and section == EVIDENCE:
            return EVIDENCE_HINT
        return None
