"""The Toxicity tab: adverse events of up to four therapies, side by side, table and chart, in all
diseases or one disease setting, with the CTCAE v5.0 grades of the selected figure's event.

Every figure is shown as its source prints it, with the source and table; a figure the
source does not report shows as "not reported", never 0.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.store import Store
from db.toxicity.ctcae import CTCAE_SOURCE, ctcae_terms
from db.toxicity.plan import plan_chart
from db.toxicity.table import (
    ToxRow,
    ae_name,
    disease_choices,
    filter_rows,
    in_setting,
    is_drug,
    therapies,
    therapies_with_drug,
    therapy_of_arm,
    toxicity_rows,
)
from desktop.ctcae_panel import CtcaeGrades
from desktop.filter_bar import FilterBar
from desktop.responsive import PAINT_WAIT_MS, after_paint
from desktop.toxicity_chart import ToxicityChart
from desktop.toxicity_model import (
    ALL,
    EVENT,
    HIGH,
    SOURCE,
    STUDY,
    THERAPY,
    MiddleElide,
    ToxicityTableModel,
    detail_html,
)
from desktop.toxicity_picker import MAX_THERAPIES, TherapyPicker

VIEWS = ("Table and chart", "Table only", "Chart only")
BOTH, TABLE_ONLY, CHART_ONLY = range(3)
ALL_DISEASES = "All diseases"
CHART_DELAY_MS = 250
LEGEND = "Figures as printed in each source · not reported is not 0 · * = note (select the row)"
CHART_SHARE = 0.6  # of the right column's height, above the CTCAE grades, until the user moves the handle


class ToxicityTab(QWidget):
    therapies_changed = Signal(list)  # the chosen therapy keys

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.version = store.meta().get("dataset_version", "?")
        self._rows: list[ToxRow] = []

        self.picker = TherapyPicker()
        self.picker.set_therapies(therapies(store))
        self.picker.changed.connect(self._therapies_changed)
        self.picker.refused.connect(self._say)

        self.filter_field = QLineEdit()
        self.filter_field.setPlaceholderText("e.g. hyper, stomatitis, HFS")
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.textChanged.connect(lambda _text: self.refresh(chart_now=False))
        # the table follows each keystroke; the chart (~0.1 s to rebuild) once typing pauses
        self._chart_timer = QTimer(self, singleShot=True, interval=CHART_DELAY_MS)
        self._chart_timer.timeout.connect(self._update_chart)
        self.disease_combo = QComboBox()
        self.disease_combo.setAccessibleName("Disease")
        self.disease_combo.addItem(ALL_DISEASES, None)
        self._disease_names: dict[str, str] = {}
        for name, ident in disease_choices(store):
            self.disease_combo.addItem(name, ident)
            self._disease_names[ident] = name
        self.disease_combo.setToolTip("Only figures from studies in this disease (or one of its subtypes); "
                                      "all diseases by default, each figure's disease in the table")
        self.disease_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.disease_combo.setMinimumContentsLength(14)
        self.disease_combo.currentIndexChanged.connect(self._disease_changed)
        self.top_spin = QSpinBox()
        self.top_spin.setRange(1, 30)
        self.top_spin.setValue(8)
        self.top_spin.setToolTip("How many adverse events the chart shows: those with the highest figures")
        self.top_spin.valueChanged.connect(self._update_chart)
        self.view_combo = QComboBox()
        self.view_combo.addItems(VIEWS)
        self.view_combo.setToolTip("Table and chart side by side, or one of them on the whole width "
                                   "(useful at presentation zoom)")
        self.view_combo.currentIndexChanged.connect(self._set_view)
        self.save_button = QPushButton("&Save chart as PNG…")
        self.save_button.clicked.connect(self.save_chart_dialog)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = ToxicityTableModel()
        self.table = self._make_table()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ToxicityChart()
        citation = next((s["citation"] for s in store.sources() if s["id"] == CTCAE_SOURCE), "")
        self._terms = {t.id: t for t in ctcae_terms(store)}
        self.ctcae = CtcaeGrades(citation, empty="Select a figure to see the CTCAE v5.0 grades of its adverse event.")

        self.controls = controls = FilterBar()  # one row where it fits, else two: the window fits 1024 px
        controls.add_field("&Disease:", self.disease_combo, 2)
        controls.add_field("Adverse &event:", self.filter_field, 3)
        controls.add_field("Chart: top &n events", self.top_spin)
        controls.add_field("Sho&w:", self.view_combo)
        controls.add(self.save_button)
        self.left = left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.detail)
        self.right = QSplitter(Qt.Orientation.Vertical)  # the chart, and the grades of the event in view
        self.right.addWidget(self.chart)
        self.right.addWidget(self.ctcae)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.right.setChildrenCollapsible(False)
        # the grades' size hint would leave the chart a strip of 70 px at 1366×768: share the height instead
        self._chart_share_kept = True
        self.right.splitterMoved.connect(self._chart_share_moved)
        self._share_timer = QTimer(self, singleShot=True, interval=0)
        self._share_timer.timeout.connect(self._share_right)
        self._fit_timer = QTimer(self, singleShot=True, interval=0)  # once the table has its new width or font
        self._fit_timer.timeout.connect(self._fit_columns)
        self.table.installEventFilter(self)  # the font (a zoom) and the table's width decide the fit
        self.table.viewport().installEventFilter(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addWidget(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.picker.clear_button, self.disease_combo)
        for a, b in ((self.disease_combo, self.filter_field), (self.filter_field, self.top_spin),
                     (self.top_spin, self.view_combo), (self.view_combo, self.save_button),
                     (self.save_button, self.table)):
            QWidget.setTabOrder(a, b)
        self.refresh()

    def _make_table(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(ALL, Qt.SortOrder.DescendingOrder)  # by frequency, highest first
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        self._middle = MiddleElide(view)  # study and source: keep the year and the table number in sight
        view.setItemDelegateForColumn(STUDY, self._middle)
        view.setItemDelegateForColumn(SOURCE, self._middle)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        for column in (ALL, HIGH):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.resizeSection(STUDY, 165)
        for place, column in enumerate((ALL, HIGH), start=THERAPY + 1):  # the figures beside their event: in
            header.moveSection(header.visualIndex(column), place)  # view on a laptop, study and source after
        view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_detail(current.row()))
        view.setAccessibleName("Adverse-event figures")
        return view

    def _fit_columns(self) -> None:
        """The figures beside their event, in view: the event and therapy columns give way (down to 6 and 5 em,
        whole in their tooltips) before the all-grade and grade ≥3 figures would need a sideways scroll, as
        they did at 150 %; the study, disease and source follow them."""
        view, header = self.table, self.table.horizontalHeader()
        em = view.fontMetrics().horizontalAdvance("M")
        room = view.viewport().width() - header.sectionSize(ALL) - header.sectionSize(HIGH)
        event, therapy = 14 * em, 10 * em
        event -= min(max(event + therapy - room, 0), event - 6 * em)
        therapy -= min(max(event + therapy - room, 0), therapy - 5 * em)
        header.resizeSection(EVENT, event)
        header.resizeSection(THERAPY, therapy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and watched in (
                self.table, self.table.viewport()):
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._chart_share_kept:
            self._share_timer.start()  # once the splitter has its new height

    def _chart_share_moved(self) -> None:
        self._chart_share_kept = False

    def _share_right(self) -> None:
        height = sum(self.right.sizes())
        if self._chart_share_kept and height > 0:
            chart = round(height * CHART_SHARE)
            self.right.setSizes([chart, height - chart])

    def _set_view(self, index: int) -> None:
        self.left.setVisible(index != CHART_ONLY)
        self.chart.setVisible(index != TABLE_ONLY)
        self.ctcae.setVisible(index != CHART_ONLY)

    # -- what the user chose -------------------------------------------------
    def selected_keys(self) -> list[str]:
        return self.picker.chosen()

    def set_therapies(self, keys: list[str]) -> None:
        self.picker.set_keys(keys)

    def disease(self) -> str | None:
        """The disease filter: a disease id, or None for all."""
        data = self.disease_combo.currentData()
        return None if data is None else str(data)

    def set_disease(self, ident: str | None) -> None:
        self.disease_combo.setCurrentIndex(max(0, self.disease_combo.findData(ident)) if ident else 0)

    def _disease_changed(self) -> None:
        self._rows = toxicity_rows(self.store, self.picker.chosen(), self.disease())
        self.refresh()

    def _therapies_changed(self, keys: list[str]) -> None:
        self._rows = toxicity_rows(self.store, keys, self.disease())
        self.refresh()
        self.therapies_changed.emit(keys)

    def _info(self, text: str) -> None:
        self.message.setText(escape(text))

    def _say(self, text: str) -> None:
        self.message.setText(f"<b>{escape(text)}</b>")

    def refresh(self, chart_now: bool = True) -> None:
        keys = self.picker.chosen()
        disease = self.disease()
        in_disease = in_setting(self._rows, self.store, disease)
        rows = filter_rows(in_disease, self.filter_field.text())
        self.model.set_rows(rows)
        where = f" in {self._disease_names.get(disease, disease)}" if disease else ""
        if not keys:
            self._info(f"Choose up to {MAX_THERAPIES} therapies to compare their adverse events (Alt+T, type, Enter).")
        elif not rows and in_disease:
            self._info(f"No adverse event matches “{self.filter_field.text().strip()}” for these therapies{where}.")
        elif not rows:
            self._info(f"No adverse-event figures for these therapies{where}"
                       + (" (other diseases have some: choose All diseases)." if self._rows else "."))
        else:
            studies = len({r.study_id for r in rows})
            settings = len({r.disease_text for r in rows})
            pooled = f" · {settings} disease settings: see the Disease column" if not disease and settings > 1 else ""
            self._info(f"{len(rows)} figure{'s' if len(rows) != 1 else ''} from {studies} "
                       f"stud{'ies' if studies != 1 else 'y'}{where}{pooled} · click a column heading to sort")
        self.save_button.setEnabled(bool(rows))
        self._show_detail(-1)
        # the chart once the table is painted, in a turn of the event loop of its own (each 15-25 ms the first time:
        # in one turn, 45-50 ms); after a typed filter, once the typing pauses
        self._chart_timer.start(PAINT_WAIT_MS if chart_now else CHART_DELAY_MS)
        if chart_now:
            after_paint(self, self._chart_soon)

    def chart_pending(self) -> bool:
        """Whether the chart is still to follow what the table shows."""
        return self._chart_timer.isActive()

    def _chart_soon(self) -> None:
        """Once the table is painted: the chart in the next turn (drawn in this one, right after the paint's, the two
        held the window 40-55 ms together), unless it was drawn meanwhile."""
        if self._chart_timer.isActive():
            self._chart_timer.start(0)

    def _update_chart(self) -> None:
        self._chart_timer.stop()
        keys = self.picker.chosen()
        rows = self.model.rows()
        labels = {k: self.picker.label_of(k) for k in keys}
        self.chart.set_plan(plan_chart(rows, keys, self.top_spin.value(), labels) if keys else None, self.version)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            figure = self.model.row(row)
            self.detail.setText(detail_html(figure, self.version))
            self.ctcae.show_term(self._terms.get(figure.ae_id))
            return
        self.ctcae.show_term(None)
        sources = sorted({r.source for r in self.model.rows()})
        text = LEGEND + f" · Dataset {self.version}"
        self.detail.setText(escape(text + (" · Sources: " + ", ".join(sources) if sources else "")))

    # -- refs from search ----------------------------------------------------
    def open_ref(self, ref: str) -> None:
        """`study/arm/ae` (a toxicity hit), `drug:<id>`, `ae:<id>`, or a bare therapy key, drug id or
        adverse-event id (a drug or adverse_event hit's ref)."""
        parts = ref.split("/")
        if len(parts) == 3:
            self._open_figure(*parts)
        elif ref.startswith("drug:"):
            self._open_drug(ref.removeprefix("drug:"))
        elif ref.startswith("ae:"):
            self.filter_field.setText(ae_name(self.store, ref.removeprefix("ae:")) or "")
        elif self.picker.model.row_of(ref) >= 0:
            self.picker.add(ref)
        elif is_drug(self.store, ref):
            self._open_drug(ref)
        elif ae_name(self.store, ref):
            self.filter_field.setText(ae_name(self.store, ref) or "")

    def _open_drug(self, drug_id: str) -> None:
        keys = therapies_with_drug(self.store, drug_id)
        if not keys:
            self._say(f"No adverse-event figures for regimens with “{drug_id}” in this dataset.")
            return
        self.filter_field.clear()
        self.picker.set_keys(keys[:MAX_THERAPIES])
        if len(keys) > MAX_THERAPIES:
            self._say(f"{len(keys)} therapies contain this drug; showing the {MAX_THERAPIES} with the most figures "
                      f"(left out: {', '.join(self.picker.label_of(k) for k in keys[MAX_THERAPIES:])}).")

    def _open_figure(self, study_id: str, arm_key: str, ae_id: str) -> None:
        key = therapy_of_arm(self.store, study_id, arm_key)
        if key is None:
            return
        if key not in self.picker.chosen():
            keys = self.picker.chosen()
            if len(keys) >= MAX_THERAPIES:
                keys = keys[: MAX_THERAPIES - 1]
            self.picker.set_keys([*keys, key])
        self.filter_field.clear()
        for n, r in enumerate(self.model.rows()):
            if (r.study_id, r.arm_key, r.ae_id) == (study_id, arm_key, ae_id):
                index = self.model.index(n, EVENT)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                break

    # -- presentation --------------------------------------------------------
    def apply_zoom(self, factor: float) -> None:
        self.chart.set_zoom(factor)

    def save_chart_png(self, path: Path | str) -> Path:
        if self._chart_timer.isActive():  # a choice or filter a moment ago: save what it shows
            self._update_chart()
        return self.chart.save_png(Path(path))

    def save_chart_dialog(self) -> None:
        names = "-".join(self.picker.chosen()).replace("+", "_") or "chart"
        start = str(Path.home() / f"toxicity-{names}.png")
        path, _filter = QFileDialog.getSaveFileName(self, "Save chart as PNG", start, "PNG image (*.png)")
        if not path:
            return
        target = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
        try:
            self.save_chart_png(target)
        except (OSError, ValueError) as exc:
            self._say(f"The chart was not saved: {exc}")
        else:
            self._info(f"Chart saved to {target}")
