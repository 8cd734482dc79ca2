"""The Trials tab: filterable table of studies, the selected study's detail, an efficacy chart."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.notes.notebook import NotesStore
from db.presentation.evidence import status_text
from db.presentation.present import VERSION as PRESENTATION
from db.store import Store
from db.trials.queries import Filters
from db.trials.table import trial_rows
from desktop.column_fit import Column, ColumnFitter
from desktop.filter_bar import FilterBar
from desktop.marks_legend import legend_label
from desktop.notes_panel import NotesPanel
from desktop.tasks import TaskRunner
from desktop.trials_model import EVIDENCE, HEADERS, TrialsModel
from tumorboard import __version__

if TYPE_CHECKING:
    from desktop.efficacy_chart import EfficacyChart

ANY = "Any"
CHART_ROWS = 200  # the efficacy chart draws its first 20 arms and ratios from the first studies in view
HINT = ("Choose a study in the table above (click, or Up/Down) to see its figures, sources and notes here. "
        "Search (Ctrl+K) finds a study, drug or disease; Ctrl+E shows the efficacy chart of the studies in view.")
# Study, Phase, Disease, Line, Markers, Regimen, n, Median PFS, HR (PFS), ORR, Year: the text columns share
# the room, the figures keep theirs; where even their least does not fit (a projector's zoom) Year, Line,
# Markers, Disease, n, ORR and Phase give way, in that order
COLUMNS = (
    Column(26, 9, stretch=3), Column(7, 3, drop=1), Column(18, 6, stretch=1, drop=4), Column(7, 4, drop=6),
    Column(10, 5, drop=5), Column(26, 9, stretch=2), Column(8, 3, drop=3), Column(14, 8), Column(12, 6),
    Column(8, 4, drop=2), Column(4, 3, drop=7),
)
MARKERS_HINT = ("Type part of a marker's name (BRAF, RET, NTRK) or choose one: the studies whose Markers cell "
                "contains it; 'not stated' keeps those whose source does not say.")


class TrialsTab(QWidget):
    """`tasks`, the window's worker: a large registry's first sort by a column is read there."""

    def __init__(self, store: Store, parent: QWidget | None = None, notes: NotesStore | None = None,
                 tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.notes_panel = NotesPanel(notes, "study") if notes is not None else None
        meta = store.meta()
        self.dataset = meta["dataset_version"]
        self._sources = {s["id"]: s for s in store.sources()}
        disease_rows = store.diseases()
        self._disease_names = {d["id"]: d["name"] for d in disease_rows}
        query = store.trials
        self.model = TrialsModel(query, partial(trial_rows, store, names=query.names), tasks)

        self.disease = self._combo("Disease", [(d["name"], d["id"]) for d in disease_rows])
        self.drug_class = self._combo("Drug class", [(c, c) for c in query.drug_classes()])
        self.phase = self._combo("Phase", [(f"Phase {p}" if p[0].isdigit() else p, p) for p in query.phases()])
        self.status = self._combo("Status", [(status_text(s), s) for s in query.statuses()])
        self.line = self._combo("Line", [(line, line) for line in query.lines()])
        self.markers = self._combo("Markers", [(m, m) for m in query.markers()])
        self.markers.setEditable(True)  # typed text filters too: "BRAF" keeps BRAF V600E and BRAF mutation
        self.markers.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.markers.setCompleter(None)  # no completion: "BRAF" must not become "BRAF V600E" as it is typed
        self.markers.setToolTip(MARKERS_HINT)
        self._drug: str | None = None
        self._shown = 0  # studies shown in the detail pane so far
        self._source: str | None = None
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.count = QLabel("")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setWordWrap(True)  # the columns left out at this width must not make the window wider

        self.filters = filters = FilterBar()
        for text, combo, stretch in (("&Disease", self.disease, 3), ("Drug &class", self.drug_class, 3),
                                     ("P&hase", self.phase, 1), ("&Status", self.status, 1),
                                     ("Li&ne", self.line, 1), ("&Markers", self.markers, 2)):
            filters.add_field(text, combo, stretch)
        filters.add(self.clear_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(EVIDENCE, Qt.SortOrder.AscendingOrder)  # best evidence first
        self.table.setSortingEnabled(True)  # sorts by the indicator's column: never a first sort by Study
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_rows()
        self.table.setAccessibleName("Studies")
        self.columns = ColumnFitter(self.table, COLUMNS, self.model.sample_texts, memo=("trials", (
            f"{__version__} {PRESENTATION} {meta['seeds_hash']} {meta['built_at']} {len(query.ids)}")))
        self.columns.hidden_changed.connect(self._show_count)

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.detail.setAccessibleName("Study detail")
        self.detail.setHtml(f"<p style='color: gray'>{HINT}</p>")  # until a study is chosen
        self._chart: EfficacyChart | None = None  # built at the first Ctrl+E, not at start-up
        self._zoom = 1.0
        self.chart_button = QPushButton("Efficacy &chart")
        self.chart_button.setCheckable(True)
        self.chart_button.toggled.connect(self.show_chart)
        filters.add(self.chart_button)

        self.bottom = QStackedWidget()
        self.bottom.addWidget(self.detail)
        bottom: QWidget = self.bottom
        if self.notes_panel is not None:
            bottom = QSplitter(Qt.Orientation.Horizontal)
            bottom.addWidget(self.bottom)
            bottom.addWidget(self.notes_panel)
            bottom.setStretchFactor(0, 3)
            bottom.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self._split: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(filters)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count)
        self.legend = legend_label()
        layout.addWidget(self.legend)

        for combo in (self.disease, self.drug_class, self.phase, self.status, self.line):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.markers.editTextChanged.connect(lambda _text: self.apply_filters())  # a chosen entry changes the text
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_study_at(cur.row()))
        self.model.modelReset.connect(self._after_reset)
        self.model.pending_changed.connect(self._show_count)
        self.apply_filters()

    @staticmethod
    def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(ANY, None)
        for label, value in items:
            combo.addItem(label, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def descendants(self, disease: str) -> set[str]:
        return self.model.query.descendants(disease)

    def current_filters(self) -> Filters:
        typed = self.markers.currentText().strip()
        return Filters(disease=self.disease.currentData(), drug_class=self.drug_class.currentData(),
                       drug=self._drug, phase=self.phase.currentData(), status=self.status.currentData(),
                       source=self._source, line=self.line.currentData(),
                       markers=typed if typed and typed != ANY else None)

    def apply_filters(self, now: bool = False) -> None:
        self.model.set_filters(self.current_filters(), now)

    def clear_filters(self) -> None:
        self._drug = self._source = None
        for combo in (self.disease, self.drug_class, self.phase, self.status, self.line, self.markers):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            if combo.isEditable():  # typed text is not an entry: back to "Any"
                combo.setEditText(ANY)
            combo.blockSignals(False)
        self.apply_filters()

    def _after_reset(self) -> None:
        self._show_count()
        if self.chart_button.isChecked():
            self.chart.set_rows(self.model.head(CHART_ROWS), self.dataset)

    def _show_count(self) -> None:
        shown, total = self.model.matches, self.model.total
        extra = []
        if self._drug:
            extra.append(f"drug: {self._drug}")
        if self._source:
            extra.append(f"source: {self._sources.get(self._source, {}).get('short', self._source)}")
        left_out = ", ".join(HEADERS[c] for c in self.columns.hidden)
        pending = self.model.pending_sort
        self.count.setText(f"{shown:,} of {total:,} studies" + (f" ({', '.join(extra)})" if extra else "")
                           + (f" · sorting by {HEADERS[pending[0]]}…" if pending is not None else "")
                           + (" · filtering…" if self.model.pending_filters is not None else "")
                           + (f" · not shown at this width: {left_out} (zoom out or widen the window)"
                              if left_out else ""))

    def toggle_chart(self) -> None:
        """Ctrl+E in this tab: the chart, or back to the study."""
        self.chart_button.toggle()

    def open_chart(self) -> None:
        """Ctrl+E from elsewhere: this tab comes forward with its chart."""
        self.chart_button.setChecked(True)

    def show_chart(self, on: bool) -> None:
        """The chart takes the detail pane's place, and the study's note panel's, while the button is down."""
        self.bottom.setCurrentWidget(self.chart if on else self.detail)
        if self.notes_panel is not None:
            self.notes_panel.setVisible(not on)
        total = sum(self.splitter.sizes())
        if on:
            self._split = self.splitter.sizes()
            self.splitter.setSizes([total * 3 // 10, total - total * 3 // 10])  # the chart needs the height
        elif self._split:
            self.splitter.setSizes(self._split)
        if on:
            self.chart.set_rows(self.model.head(CHART_ROWS), self.dataset)

    def show_study_at(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.show_study(self.model.study_id(row))

    def show_study(self, study_id: str) -> None:
        self._shown += 1
        study = self.store.study(study_id)
        if study is None:
            return
        if self.chart_button.isChecked():
            self.chart_button.setChecked(False)
        if self.notes_panel is not None:
            self.notes_panel.show_entity(study_id, study["name"])
        from desktop.study_html import STYLE, study_html  # at the first study shown, not at start-up

        document = self.detail.document()
        if document.defaultStyleSheet() != STYLE:
            document.setDefaultStyleSheet(STYLE)
        self.detail.setHtml(study_html(study, self._sources, self._disease_names, self.dataset, self.model.query.names))

    def select_study(self, study_id: str) -> bool:
        row = self.model.row_of(study_id)
        if row < 0:
            self.clear_filters()
            row = self.model.row_of(study_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        shown = self._shown
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        if self._shown == shown:  # the row was current already: no signal showed it
            self.show_study(study_id)
        return True

    def open_ref(self, ref: str) -> None:
        """`study-id`, `drug:<id>`, `disease:<id>` or `source:<id>`."""
        kind, _, ident = ref.partition(":")
        if not ident:
            self.select_study(ref)
            return
        self.clear_filters()
        if kind == "drug":
            self._drug = ident
        elif kind == "source":
            self._source = ident
        elif kind == "disease":
            index = self.disease.findData(ident)
            self.disease.blockSignals(True)
            self.disease.setCurrentIndex(max(0, index))
            self.disease.blockSignals(False)
        self.apply_filters(now=True)  # its best study is selected at once
        best = self.model.best_evidence()  # whatever column the table is sorted by
        if best is not None:
            self.select_study(best)

    def _fit_rows(self) -> None:
        """One line per study at a fixed height: sizing every row to its contents reads every cell."""
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)

    def apply_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._fit_rows()
        if self._chart is not None:
            self._chart.apply_zoom(factor)

    @property
    def chart(self) -> EfficacyChart:
        """The efficacy chart in the detail pane's place (made when first asked for)."""
        if self._chart is None:
            from desktop.efficacy_chart import EfficacyChart

            self._chart = EfficacyChart()
            self.bottom.addWidget(self._chart)
            if self._zoom != 1.0:
                self._chart.apply_zoom(self._zoom)
        return self._chart

