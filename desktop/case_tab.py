"""The Case tab: a patient's case (no identifiers) typed into a form, every therapy the sources study in its
setting grouped by how the evidence fits it, the selected option's cited figures beside, and the handout of
2-4 options chosen (Space, then Ctrl+S) with the case described on page 1.

The case is read on the worker (desktop/case_work.py) a moment after the last keystroke; a reading that
arrives after the form changed again is dropped, so the options shown are always the form's.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.case import MAX_PACKET, MIN_PACKET, NO_IDENTIFIERS
from db.case.model import ORDER_LINE
from db.store import Store
from desktop.case_form import CaseForm
from desktop.case_model import FIT, LEAD, REASONS, THERAPY, OptionsModel
from desktop.case_summary import summary_html
from desktop.case_work import CaseReading, read_case, read_option_rows, write_case_handout
from desktop.options_view import OptionsView
from desktop.responsive import gui_first, run_after_paint
from desktop.tasks import TaskRunner

READ_DELAY_MS = 250  # after the last keystroke
T = TypeVar("T")


def _promptly(work: Callable[..., T], *args: Any) -> T:
    """On the worker: `work(*args)`, the GUI thread taking the interpreter lock promptly meanwhile (a keystroke or
    a repaint while the case is read)."""
    with gui_first():
        return work(*args)


class CaseTab(QWidget):
    read = Signal(object)  # the CaseReading now shown
    pdf_written = Signal(object)
    pdf_failed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._own_tasks = tasks is None
        self.tasks = tasks or TaskRunner(self)
        if self._own_tasks and (app := QApplication.instance()) is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.reading: CaseReading | None = None
        self._rows_asked: set[str] = set()
        self._asked = 0  # readings asked for; only the last one is shown
        self._busy = False
        self._printing: Path | None = None  # a handout being written to print: printed, then removed
        self.form = CaseForm([name for _i, name in store.compare.disease_names()], self)
        self.form.changed.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(READ_DELAY_MS)
        self._timer.timeout.connect(self._ask)

        no_ids = QLabel(NO_IDENTIFIERS)
        no_ids.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Case message")
        self.order_line = QLabel(f"<b>{ORDER_LINE.split(':')[0]}</b>:{ORDER_LINE.split(':', 1)[1]}")
        self.order_line.setWordWrap(True)
        self.model = OptionsModel()
        self.model.chosen_changed.connect(self._chosen_changed)
        self.model.refused.connect(self.message.setText)
        self.table = OptionsView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Options for this case")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(REASONS, QHeaderView.ResizeMode.Stretch)
        for column in (THERAPY, LEAD, FIT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.table.installEventFilter(self)
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("Selected option: its figures and sources")
        self.summary.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        self.save_button = QPushButton("Save handout PDF… (Ctrl+S)")
        self.save_button.clicked.connect(self.save_dialog)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chosen_label, 1)
        bottom.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form.layout)
        layout.addWidget(no_ids)
        layout.addWidget(self.message)
        layout.addWidget(self.order_line)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        order = [*self.form.order, self.table, self.summary]
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        self._chosen_changed()
        self._say_what_to_do()

    # -- reading the case ----------------------------------------------------------
    def _changed(self) -> None:
        """The form changed: the options shown are no longer the form's until the new reading is back."""
        self._asked += 1  # a reading on its way is now stale
        if not self.form.marked():
            self.message.setText("Reading the case…")
        self._timer.start()

    def _ask(self) -> None:
        self._asked += 1
        asked, inputs, path = self._asked, self.form.inputs(), self.store.path
        self.tasks.run(lambda: _promptly(read_case, path, inputs),
                       lambda result, error: self._got(asked, result, error))

    def _got(self, asked: int, reading: Any, error: BaseException | None) -> None:
        if asked != self._asked:
            return
        if error is not None:
            reading = CaseReading(self.form.inputs(), problem=f"The case could not be read: {error}")
        self.show_reading(reading)

    def show_reading(self, reading: CaseReading) -> None:
        self.reading = reading
        self._rows_asked: set[str] = set()  # options whose rows are being read on the worker
        self.form.set_grade_fields(reading.grade_fields)
        self.model.set_options(reading.options, reading.leads)
        self.form.mark(reading.fields, reading.problem)
        self._fit_columns()  # before an option is selected: the worker then reads its rows, not competing with this
        if reading.options is None:
            self.summary.clear()
            self.message.setText(reading.problem)
        else:
            case = reading.options.case
            grade = f" Grade: {case.grade.rule} [{case.grade.source}]." if case.grade else ""
            self.message.setText(f"Case: {case.description}.{grade} {len(reading.options.options)} options; "
                                 "check 2 to 4 (Space) and save the handout (Ctrl+S).")
            first = next((r for r in range(self.model.rowCount()) if self.model.option(r)), -1)
            if first >= 0:
                self.table.selectRow(first)
        self._show_selected()
        self.read.emit(reading)

    def pending(self) -> bool:
        """True while the options shown may not be the form's (a keystroke not yet read)."""
        return self._timer.isActive() or self.reading is None or self.reading.inputs != self.form.inputs()

    def _show_selected(self) -> None:
        reading = self.reading
        option = self.model.option(self.table.currentIndex().row())
        if reading is None or reading.options is None or option is None:
            self.summary.clear()
            return
        title = reading.options.group(option.fit).title
        rows = reading.summaries.get(option.therapy)
        self.summary.setHtml(summary_html(option, title, rows or [], reading=rows is None))
        if rows is None and option.therapy not in self._rows_asked:
            self._rows_asked.add(option.therapy)
            options, therapy, path = reading.options, option.therapy, self.store.path
            self.tasks.run(lambda: _promptly(read_option_rows, path, options, therapy),
                           lambda result, error: self._got_rows(reading, therapy, result, error))

    def _got_rows(self, reading: CaseReading, therapy: str, rows: Any, error: BaseException | None) -> None:
        """An option's rows, read on the worker when it was first selected: shown if it still is."""
        if reading is not self.reading:
            return
        if error is not None:
            self._rows_asked.discard(therapy)  # asked again at its next selection
            self.message.setText(f"The figures of this option could not be read: {error}")
            return
        reading.summaries[therapy] = rows
        option = self.model.option(self.table.currentIndex().row())
        if option is not None and option.therapy == therapy:
            self._show_selected()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space on an option already received: say why it cannot be checked (its row has no box)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Space:
            option = self.model.option(self.table.currentIndex().row())
            if option is not None and option.already_received:
                self.message.setText(f"{option.label} was already received: it is not offered for the handout.")
                return True
        return super().eventFilter(watched, event)

    def _chosen_changed(self) -> None:
        chosen = self.chosen_options()
        names = ", ".join(o.label for o in chosen) or "none"
        self.chosen_label.setText(f"For the handout ({MIN_PACKET} to {MAX_PACKET}): {names}")
        self.save_button.setEnabled(MIN_PACKET <= len(chosen) <= MAX_PACKET and not self._busy)

    def chosen_options(self) -> list[Any]:
        options = self.reading.options if self.reading else None
        return [o for k in self.model.chosen() if options and (o := options.option(k))]

    def _say_what_to_do(self) -> None:
        self.message.setText("Type a disease (Alt+D), then what is known of the case; the options follow.")

    # -- the handout ----------------------------------------------------------------
    def _refusal(self) -> str:
        if self._busy:
            return "The handout is being written."
        if self.pending():
            return "The case is still being read; save again in a moment."
        if self.reading is None or self.reading.options is None:
            return "No options to compare: the case is not complete."
        n = len(self.model.chosen())
        if not MIN_PACKET <= n <= MAX_PACKET:
            return f"Check {MIN_PACKET} to {MAX_PACKET} options (Space) for the handout; {n} checked."
        return ""

    def _file_name(self) -> str:
        assert self.reading is not None and self.reading.options is not None
        name = f"handout-{self.reading.options.case.disease}-" + "-".join(self.model.chosen()) + ".pdf"
        return name.replace("+", "_")

    def save_dialog(self) -> None:
        if (why := self._refusal()):
            self.message.setText(why)
            return
        from desktop.pdf_output import ask_pdf_path

        if (path := ask_pdf_path(self, self._file_name())) is not None:
            self.save_pdf(path)

    def print_dialog(self) -> None:
        """Ctrl+P in this tab prints this case's handout (never the Compare tab's): written, then the system's
        print dialog."""
        if (why := self._refusal()):
            self.message.setText(why)
            return
        from desktop.pdf_output import print_folder

        self._printing = print_folder(self._file_name())
        self.save_pdf(self._printing)

    def _print(self, path: Path) -> None:
        from desktop.pdf_output import PrintError, discard, print_pdf

        try:
            printer = self.ask_printer()
            if printer is None:
                self.message.setText("Not printed.")
                return
            pages = print_pdf(path, printer)
        except PrintError as exc:
            self.message.setText(str(exc))
            return
        finally:
            discard(path)  # the printer has its own copy: none is left in the temporary folder
        self.message.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")

    def ask_printer(self) -> Any:
        """The system's print dialog; the chosen printer, or None when the user cancels."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the case handout")
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def save_pdf(self, out: Path | str) -> None:
        """Write the handout off the GUI thread; `pdf_written` or `pdf_failed` says how it went."""
        if (why := self._refusal()):
            self.message.setText(why)
            return
        assert self.reading is not None and self.reading.options is not None
        options, chosen, path, target = self.reading.options, self.model.chosen(), self.store.path, Path(out)
        self._busy = True
        self._chosen_changed()
        self.message.setText(f"Writing the handout to {target} …")

        def work() -> Path:
            with gui_first():
                return write_case_handout(path, options, chosen, target)

        # the message painted first, without waiting for the worker's import of reportlab
        run_after_paint(self, self.tasks, work, self._written)

    def _written(self, result: Any, error: BaseException | None) -> None:
        self._busy = False
        self._chosen_changed()
        printing, self._printing = self._printing, None
        if error is not None:
            if printing is not None:
                from desktop.pdf_output import discard

                discard(printing)
            self.message.setText(f"The handout was not written: {error}")
            self.pdf_failed.emit(str(error))
            return
        if printing is not None:
            self._print(Path(result))
        else:
            self.message.setText(f"Handout saved to {result}.")
        self.pdf_written.emit(Path(result))

    # -- window protocol ----------------------------------------------------------------
    def open_ref(self, ref: str) -> None:
        if ref.startswith("disease:"):
            disease = ref.removeprefix("disease:")
            names = {d["id"]: d["name"] for d in self.store.diseases()}
            self.form.disease.setText(names.get(disease, disease))  # the name, as the user would type it

    def focus_form(self) -> None:
        self.form.disease.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def apply_zoom(self, factor: float) -> None:
        QTimer.singleShot(0, self, self._fit_columns)

    def _fit_columns(self) -> None:
        """Therapy and lead study to their contents within a share of the table (the names come first when
        zoomed: elided ones are whole in the tooltip and beside), the reasons the rest; headings span the row."""
        width = self.table.viewport().width()
        for column, share in ((THERAPY, 0.42), (LEAD, 0.26), (FIT, 0.14)):
            self.table.resizeColumnToContents(column)
            if self.table.columnWidth(column) > width * share:
                self.table.setColumnWidth(column, max(60, round(width * share)))
        self.table.clearSpans()
        for row in self.model.heading_rows():
            self.table.setSpan(row, 0, 1, self.model.columnCount())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)  # with self: never after it is deleted

    def shutdown(self) -> None:
        self._timer.stop()
        if self._own_tasks:
            self.tasks.shutdown()
