"""Thin table models for the Grading tab: a system's rows, the CTCAE terms, and one term's grades."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from db.grading.calculator import System
from db.toxicity.ctcae import CTCAE_EDITION, CtcaeTerm, filter_terms
from desktop.qt_names import BACKGROUND, DESCENDING, DISPLAY, FONT, FOREGROUND, HORIZONTAL, SORT_ROLE, TOOLTIP

HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 2
MARK = "▶ "
MAX_COLUMNS = 3  # beyond this, a system's criteria share one column, one line each

Index = QModelIndex | QPersistentModelIndex

# GradingRowsModel: the fixed columns; the system's criteria columns follow, then the description.
GRADE, LABEL = 0, 1
# CtcaeTermsModel
TERM = 0
# CtcaeGradesModel
GRADE_NO, GRADE_TEXT = 0, 1


class GradingRowsModel(QAbstractTableModel):
    """One grading system's rows; the calculator's result rows are marked and highlighted."""

    def __init__(self) -> None:
        super().__init__()
        self.system: System | None = None
        self._highlight: frozenset[int] = frozenset()
        self._headers: list[str] = []
        self._merged = False
        self._brushes: tuple[QBrush, QBrush] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_system(self, system: System | None) -> None:
        self.beginResetModel()
        self.system = system
        self._highlight = frozenset()
        self._headers = []
        self._merged = system is not None and len(system.columns) > MAX_COLUMNS
        if system is not None:
            self._headers = ["Grade", "Category" if system.kind != "performance" else "Status"]
            self._headers += ["Criteria"] if self._merged else [c.header for c in system.columns]
            if any(r.description for r in system.rows):
                self._headers.append("Description")
        palette = QApplication.palette()
        self._brushes = (palette.brush(QPalette.ColorRole.Highlight), palette.brush(QPalette.ColorRole.HighlightedText))
        self.endResetModel()

    def set_highlight(self, rows: tuple[int, ...]) -> None:
        if frozenset(rows) == self._highlight:
            return
        self._highlight = frozenset(rows)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    @property
    def headers(self) -> list[str]:
        return self._headers

    def highlighted(self) -> list[str]:
        """The grades currently marked as the calculator's result."""
        return [self.system.rows[i].grade for i in sorted(self._highlight)] if self.system else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.system is None else len(self.system.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def text(self, row: int, column: int) -> str:
        assert self.system is not None
        r = self.system.rows[row]
        if column == GRADE:
            return r.grade
        if column == LABEL:
            return r.label
        criteria = column - 2
        if self._merged and criteria == 0:
            return "\n".join(f"{c.label}: {r.criteria[c.key].printed}"
                             for c in self.system.columns if c.key in r.criteria)
        if not self._merged and criteria < len(self.system.columns):
            c = r.criteria.get(self.system.columns[criteria].key)
            return c.printed if c else ""
        return r.description or ""

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.system is None:
            return None
        row, column = index.row(), index.column()
        marked = row in self._highlight
        if role == DISPLAY:
            text = self.text(row, column)
            return MARK + text if marked and column == GRADE else text
        if role == TOOLTIP:
            return self.text(row, column) or None
        if role == SORT_ROLE:
            return row if column == GRADE else self.text(row, column).casefold()
        if role == HIGHLIGHT_ROLE:
            return marked
        if marked and self._brushes is not None:
            if role == BACKGROUND:
                return self._brushes[0]
            if role == FOREGROUND:
                return self._brushes[1]
            if role == FONT:
                return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == HORIZONTAL and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


class CtcaeTermsModel(QAbstractTableModel):
    """The adverse-event terms, filtered by what the user types and sorted in the model."""

    HEADERS = ("Adverse event",)

    def __init__(self, terms: list[CtcaeTerm]) -> None:
        super().__init__()
        self._all = terms
        self.terms = list(terms)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    @property
    def all_terms(self) -> list[CtcaeTerm]:
        return self._all

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self.terms = filter_terms(self._all, text)
        if self._sort is not None:
            self._sorted()
        self.endResetModel()

    def row_of(self, term_id: str) -> int | None:
        return next((i for i, t in enumerate(self.terms) if t.id == term_id), None)

    def _key(self, term: CtcaeTerm, column: int) -> str:
        return term.name.casefold()

    def _sorted(self) -> None:
        assert self._sort is not None
        column, order = self._sort
        self.terms.sort(key=lambda t: self._key(t, column), reverse=order == DESCENDING)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sorted()
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.terms)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        term = self.terms[index.row()]
        if role == DISPLAY:
            return term.name
        if role == TOOLTIP:
            return "\n".join([term.title, term.soc or "", ", ".join(term.synonyms)]).strip()
        if role == SORT_ROLE:
            return self._key(term, index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == HORIZONTAL:
            return self.HEADERS[section]
        return None


class CtcaeGradesModel(QAbstractTableModel):
    """Grades 1 to 5 of one term as CTCAE v5.0 prints them."""

    HEADERS = ("Grade", f"{CTCAE_EDITION} description")

    def __init__(self) -> None:
        super().__init__()
        self.term: CtcaeTerm | None = None

    def set_term(self, term: CtcaeTerm | None) -> None:
        self.beginResetModel()
        self.term = term
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.term is None else len(self.term.grades)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.term is None or role not in (DISPLAY, TOOLTIP, SORT_ROLE):
            return None
        grade = index.row() + 1
        if index.column() == GRADE_NO:
            return grade if role == SORT_ROLE else f"Grade {grade}"
        text = self.term.grade(grade)
        if text:
            return text
        if not any(self.term.grades):
            return "— (CTCAE v5.0 grades this under more specific terms; see the note above)"
        return "— (CTCAE v5.0 has no such grade for this term)"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == HORIZONTAL:
            return self.HEADERS[section]
        return None
