"""CTCAE v5.0 look-up: a filter field over the adverse-event terms and the chosen term's grades 1 to 5
(`CtcaePanel`, in the Grading tab); the grades of one term on their own (`CtcaeGrades`, also beside
the Toxicity table)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.toxicity.ctcae import CTCAE_EDITION, CtcaeTerm
from desktop.grading_models import GRADE_NO, TERM, CtcaeGradesModel, CtcaeTermsModel

ROWS = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


def table_view() -> QTableView:
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    view.verticalHeader().hide()
    view.setWordWrap(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class CtcaeGrades(QWidget):
    """One term's CTCAE v5.0 grades 1 to 5 with its name, MedDRA code, organ class, definition and
    the citation: the Grading tab's look-up and the Toxicity tab (beside its table) show it."""

    def __init__(self, citation: str, parent: QWidget | None = None, empty: str = "") -> None:
        super().__init__(parent)
        self.empty = empty or "No adverse event matches the filter."
        self.grades = CtcaeGradesModel()
        self.grades_view = table_view()
        self.grades_view.setModel(self.grades)
        self.grades_view.horizontalHeader().setSectionResizeMode(GRADE_NO, QHeaderView.ResizeMode.ResizeToContents)
        self.grades_view.setAccessibleName(f"{CTCAE_EDITION} grades")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)  # every part escaped
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = QLabel(f"Source: {escape(citation)}" if citation else "")
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grades_view, 1)
        layout.addWidget(self.source)
        self.title.setText(self.empty)

    @property
    def term(self) -> CtcaeTerm | None:
        return self.grades.term

    def show_term(self, term: CtcaeTerm | None) -> None:
        if term is self.grades.term and term is not None:
            return
        self.grades.set_term(term)
        if term is None:
            self.title.setText(self.empty)
            return
        facts = [f"{CTCAE_EDITION} term: {term.ctcae_term}" if term.ctcae_term else f"Not a {CTCAE_EDITION} term",
                 f"MedDRA {term.meddra}" if term.meddra else "", term.soc or ""]
        text = f"<b style='font-size:large'>{escape(term.name)}</b><br>" + escape(" · ".join(f for f in facts if f))
        if term.definition:
            text += f"<br>{escape(term.definition)}"
        self.title.setText(text)


class CtcaePanel(QWidget):
    def __init__(self, terms: list[CtcaeTerm], citation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, CTCAE term, synonym or organ class")
        self.filter.setClearButtonEnabled(True)
        filter_label = QLabel("&Adverse event:")
        filter_label.setBuddy(self.filter)

        self.terms = CtcaeTermsModel(terms)
        self.terms_view = table_view()
        self.terms_view.setModel(self.terms)
        self.terms_view.setSortingEnabled(True)
        self.terms_view.sortByColumn(TERM, Qt.SortOrder.AscendingOrder)
        self.terms_view.setWordWrap(False)

        detail = self.detail = CtcaeGrades(citation)
        self.grades, self.grades_view, self.title, self.source = detail.grades, detail.grades_view, detail.title, \
            detail.source
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.terms_view)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.filter.textChanged.connect(self._filtered)
        self.filter.returnPressed.connect(self.terms_view.setFocus)
        self.terms_view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._select_row(0)

    @property
    def term(self) -> CtcaeTerm | None:
        return self.grades.term

    def has_term(self, term_id: str) -> bool:
        return any(t.id == term_id for t in self.terms.all_terms)

    def show_term(self, term_id: str) -> bool:
        if not self.has_term(term_id):
            return False
        if self.terms.row_of(term_id) is None:
            self.filter.clear()
        row = self.terms.row_of(term_id)
        self._select_row(row or 0)
        return True

    def _filtered(self, text: str) -> None:
        current = self.term.id if self.term else None
        self.terms.set_filter(text)
        row = self.terms.row_of(current) if current else None
        self._select_row(0 if row is None else row)

    def _select_row(self, row: int) -> None:
        if not self.terms.rowCount():
            self._show(None)
            return
        index = self.terms.index(row, TERM)
        self.terms_view.selectionModel().setCurrentIndex(index, ROWS)
        self.terms_view.scrollTo(index)
        self._show(self.terms.terms[row])

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.terms.terms[current.row()] if current.isValid() else None)

    def _show(self, term: CtcaeTerm | None) -> None:
        self.detail.show_term(term)
