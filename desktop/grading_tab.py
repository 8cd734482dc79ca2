"""The Grading tab: grading tables by edition, the grade calculator beside them, and look-ups
for RECIST 1.1, ECOG and the CTCAE v5.0 grades of an adverse event."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.grading.calculator import GradeResult, System, load_systems, reference_tables, tumour_grade_systems
from db.store import Store
from db.toxicity.ctcae import CTCAE_EDITION, CTCAE_SOURCE, ctcae_terms
from desktop.ctcae_panel import CtcaePanel, table_view
from desktop.grading_calculator import CalculatorPanel
from desktop.grading_models import GRADE, LABEL, GradingRowsModel

CTCAE = "ctcae"
FONT_CHANGE = QEvent.Type.FontChange
COMPACT_ZOOM = 1.3  # from here the calculator's choices narrow so that the grading table keeps its columns
ROWS = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class GradingTab(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.systems = load_systems(store)
        self._version = store.meta().get("dataset_version", "")
        citation = next((s["citation"] for s in store.sources() if s["id"] == CTCAE_SOURCE), "")

        self.table_picker = QComboBox()
        self.table_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.table_picker.setMinimumContentsLength(16)  # the whole name in its list and tooltip
        self.table_picker.currentTextChanged.connect(self.table_picker.setToolTip)
        for s in tumour_grade_systems(self.systems) + reference_tables(self.systems):
            self.table_picker.addItem(f"{s.edition} — {s.name}", s.id)
        self.table_picker.addItem(f"{CTCAE_EDITION} — adverse-event grades", CTCAE)
        picker_label = QLabel("&Table:")
        picker_label.setBuddy(self.table_picker)

        self.rows = GradingRowsModel()
        self.rows_view = table_view()
        self.rows_view.setModel(self.rows)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        system_page = QWidget()
        page_layout = QVBoxLayout(system_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.details)
        page_layout.addWidget(self.rows_view, 1)

        self._citation = citation
        self._ctcae: CtcaePanel | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(system_page)
        self._ctcae_place = QWidget()  # the CTCAE panel's place: `ctcae` makes it when it is first needed
        self.stack.addWidget(self._ctcae_place)

        self.calculator = CalculatorPanel(self.systems)
        self.calculator.set_compact(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(picker_label)
        top.addWidget(self.table_picker, 1)
        left_layout.addLayout(top)
        left_layout.addWidget(self.stack, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.calculator)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.table_picker.currentIndexChanged.connect(self._picked)
        self.calculator.systemChanged.connect(self.show_system)
        self.calculator.resultChanged.connect(self._result_changed)
        self._refit = QTimer(self)  # after a resize, once the table has its new width
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_table)
        self.show_system(self.calculator.system.id)

    # -- public --------------------------------------------------------------
    @property
    def ctcae(self) -> CtcaePanel:
        """The CTCAE v5.0 look-up, made when first needed: on a page not shown at first, it was 60 % of the tab's
        first build (the tab's first visit held the window 31-46 ms with it, 18-29 ms without)."""
        if self._ctcae is None:
            self._ctcae = CtcaePanel(ctcae_terms(self.store), self._citation)
            self.stack.insertWidget(1, self._ctcae)
            self.stack.removeWidget(self._ctcae_place)
            self._ctcae_place.deleteLater()
        return self._ctcae

    def open_ref(self, ref: str) -> None:
        """'who-2019-gep', 'who-2019-gep/G2', 'ae:<term id>' (or a bare adverse-event term id)."""
        system_id, _, grade = ref.partition("/")
        system = next((s for s in self.systems if s.id == system_id), None)
        if system is not None:
            self.show_system(system.id)
            row = system.row_index(grade) if grade else None
            if row is not None:
                index = self.rows.index(row, GRADE)
                self.rows_view.selectionModel().setCurrentIndex(index, ROWS)
                self.rows_view.scrollTo(index)
            return
        term_id = ref.removeprefix("ae:")
        if self.ctcae.has_term(term_id):
            self.table_picker.setCurrentIndex(self.table_picker.findData(CTCAE))
            self.ctcae.show_term(term_id)

    def apply_zoom(self, factor: float) -> None:
        self.calculator.set_compact(factor >= COMPACT_ZOOM)
        # Fonts follow the app font (the calculator re-derives its large text on FontChange);
        # only the column widths and row heights of the wrapped tables need recomputing.
        self._fit_table()
        if self._ctcae is not None:
            self._ctcae.grades_view.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == FONT_CHANGE:
            self._fit_table()

    def focus_calculator(self) -> None:
        field = self.calculator.ki67 if self.calculator.ki67.isEnabled() else self.calculator.mitoses
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def show_system(self, system_id: str) -> None:
        index = self.table_picker.findData(system_id)
        if index >= 0 and index != self.table_picker.currentIndex():
            self.table_picker.setCurrentIndex(index)  # -> _picked
        elif self.rows.system is None or self.rows.system.id != system_id:
            self._picked()

    # -- internals -----------------------------------------------------------
    def _system(self, system_id: str) -> System | None:
        return next((s for s in self.systems if s.id == system_id), None)

    def _picked(self) -> None:
        picked = self.table_picker.currentData()
        if picked == CTCAE:
            self.stack.setCurrentWidget(self.ctcae)
            return
        system = self._system(picked)
        self.stack.setCurrentIndex(0)
        if system is None or system is self.rows.system:
            return
        self.rows.set_system(system)
        self._fit_table()
        self.details.setText(self._details(system))
        if system.kind == "tumour_grade":
            self.calculator.select_system(system.id)
        self._result_changed(self.calculator.result)

    def _fit_table(self) -> None:
        """Criteria columns as wide as their text up to a cap; the last column (or the category) takes the rest.
        Where that is wider than the table (a projector's zoom), the criteria columns narrow and wrap: the Ki-67
        and mitosis bounds must never sit beyond a horizontal scroll. A grade table's category then moves after
        the criteria and keeps its longest word whole, so it wraps by words and only its end may need the
        scroll bar (at 1024 px and 150 % it was cut to a letter a line)."""
        view, header = self.rows_view, self.rows_view.horizontalHeader()
        count = self.rows.columnCount()
        if not count:
            return
        header.setStretchLastSection(False)
        stretch = count - 1 if self.rows.headers[-1] in ("Description", "Criteria") else LABEL
        metrics = view.fontMetrics()
        em = metrics.horizontalAdvance("M")
        wanted: dict[int, int] = {}
        for column in range(count):
            if column == GRADE:
                mode = QHeaderView.ResizeMode.ResizeToContents
            elif column == stretch:
                mode = QHeaderView.ResizeMode.Stretch
            else:
                mode = QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
            if mode == QHeaderView.ResizeMode.Interactive:
                cap = 18 * em if column == LABEL else 14 * em
                wanted[column] = min(max(view.sizeHintForColumn(column), header.sectionSizeHint(column)), cap)
        words = max((metrics.horizontalAdvance(w) for r in range(self.rows.rowCount())
                     for w in str(self.rows.index(r, stretch).data() or "").split()), default=0) + em
        left_for_stretch = max(8 * em, words)
        room = view.viewport().width() - view.sizeHintForColumn(GRADE) - left_for_stretch
        total = sum(wanted.values())
        scale = room / total if total > room > 0 else 1.0
        for column, width in wanted.items():
            text = str(self.rows.headerData(column, Qt.Orientation.Horizontal) or "")
            floor = max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0) + em
            header.resizeSection(column, max(floor, int(width * scale)))  # the header's lines stay whole
        used = sum(header.sectionSize(c) for c in range(count) if c != stretch)
        squeezed = stretch == LABEL and view.viewport().width() - used < words
        header.moveSection(header.visualIndex(LABEL), count - 1 if squeezed else LABEL)
        if squeezed:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(stretch, words)
        view.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit.start()

    def _result_changed(self, result: GradeResult | None) -> None:
        same = result is not None and result.system is self.rows.system
        self.rows.set_highlight(result.rows if result is not None and same else ())

    def _details(self, s: System) -> str:
        parts = [f"<b>{escape(s.name)}</b>",
                 f"<b>Edition:</b> {escape(s.edition)} · <b>Source:</b> {escape(s.source)}, {escape(s.locator)}"]
        if s.rule:
            parts.append(f"<b>Rule:</b> {escape(s.rule)}")
        if s.note:
            parts.append(f"<b>Note:</b> {escape(s.note)}")
        parts.append(f"<small>{escape(s.citation)} · Dataset {escape(self._version)}</small>")
        return "<br>".join(parts)
