"""The Compare tab: a disease setting and 2-4 therapies side by side, every item with its source,
and the handout PDF made from it (saved, printed through Qt, or opened in the system viewer).

The comparison is built off the GUI thread, on a TaskRunner (the last one asked for is shown), and so is the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.compare.model import Comparison
from db.compare.names import ref_choices, shown_name
from db.compare.summaries import UnknownName, build_comparison, regimens, resolve_disease, resolve_therapy, with_topics
from db.notes.notebook import AVAILABILITY_LABELS, NotesStore
from db.store import Store
from desktop.compare_controls import Controls
from desktop.compare_model import ComparisonModel, TopicListModel, WrapDelegate
from desktop.marks_legend import legend_label
from desktop.notes_panel import NotesPanel
from desktop.pdf_output import (
    PrintError,
    ask_pdf_path,
    discard,
    open_pdf,
    print_folder,
    print_pdf,
    scratch_path,
)
from desktop.responsive import gui_first, run_after_paint
from desktop.tasks import TaskRunner
from handout.cases import identifier_warning

TOPIC_WIDTH = 150
ROW_PADDING = 1  # the grid line: Qt cuts a wrapped cell cleanly (last line "…") only at whole lines
SIDE_WIDTH = 230


class SideColumn(QScrollArea):
    """A column that scrolls up and down, as wide as its content needs (a plain scroll area would take a
    narrow default and cut its buttons)."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _width(self) -> int:
        content = self.widget()
        return content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(max(self._width(), self.widget().sizeHint().width()), super().sizeHint().height())


def build_at(path: Path, disease: str, keys: list[str], local: dict[str, tuple[str, str]] | None) -> Comparison:
    """On the worker: the comparison read through a connection of its own (the GUI thread's store is never used
    from the worker), while the GUI thread gets the interpreter lock promptly (desktop/responsive.py)."""
    with gui_first():
        store = Store(path)
        try:
            return build_comparison(store, disease, keys, local=local)
        finally:
            store.close()


class CompareTab(QWidget):
    pdf_written = Signal(object, str)  # (path, why: "save", "print" or "open")
    pdf_failed = Signal(str)
    built = Signal(object)  # the Comparison now shown, once the one asked for is built

    def __init__(self, store: Store, parent: QWidget | None = None, tasks: TaskRunner | None = None,
                 notes: NotesStore | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.notes = notes
        self.version = store.meta().get("dataset_version", "?")
        self._own_tasks = tasks is None
        self.tasks = tasks or TaskRunner(self)
        if self._own_tasks and (app := QApplication.instance()) is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._full: Comparison | None = None
        self._zoom = 1.0
        self._busy = False
        self._building: object | None = None  # the build on its way (only the last one asked for is shown)
        self._waiting: tuple[Callable[[], None], bool] | None = None  # a handout asked for while it was being built
        self.regimens = regimens(store)
        self.topics = TopicListModel()
        self.controls = Controls(store.diseases(), self.regimens, self.topics, self)
        self.controls.changed.connect(self.rebuild)
        self.controls.typed.connect(self._resolve_typed)
        self.topics.changed.connect(self._show)
        self.controls.label_field.textChanged.connect(self._check_label)
        self._label_case: tuple[str, tuple[str, ...]] | None = None  # the comparison the case label was typed for
        self._clearing_label = False
        self._label_notice = ""
        self._setting_note = ""  # "⚠ Not from <disease> studies: …" of the comparison shown, kept with later messages
        self.controls.label_field.textEdited.connect(self._label_edited)
        self.controls.save_button.clicked.connect(self.save_dialog)
        self.controls.print_button.clicked.connect(self.print_dialog)
        self.controls.open_button.clicked.connect(self.open_in_viewer)

        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.fit_rows)
        self.model = ComparisonModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self._wrap = WrapDelegate(self.table)
        self.table.setItemDelegate(self._wrap)
        self.table.setAlternatingRowColors(True)
        self.table.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Therapy comparison")
        # each column resized (a stretched grid resizes them all) fits the rows once, in the next turn of the loop:
        # fitting them at each resize measured every cell once per column (80-120 ms for four therapies)
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._rows_timer.start())
        self.references = QLabel()
        self.references.setWordWrap(True)
        self.references.setTextFormat(Qt.TextFormat.RichText)
        self.references.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget()  # rows, handout buttons and the therapy's local note: the grid gets the height
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls.rows_box, 1)
        if notes is not None:
            self.note_target = QComboBox()
            self.note_target.setAccessibleName("Therapy whose local note to edit")
            self.notes_panel = NotesPanel(notes, "therapy")
            self.notes_panel.editor.setMaximumHeight(90)
            self.notes_panel.title.setWordWrap(True)  # the side panel stays narrow: the grid gets the width
            self.notes_panel.top.setDirection(QBoxLayout.Direction.TopToBottom)
            self.notes_panel.availability.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.notes_panel.availability.setMinimumContentsLength(10)
            self.note_target.currentIndexChanged.connect(self._note_target_changed)
            self.notes_panel.saved.connect(self.rebuild)
            target_label = QLabel("Local &note for:")
            target_label.setBuddy(self.note_target)
            left_layout.addWidget(target_label)
            left_layout.addWidget(self.note_target)
            left_layout.addWidget(self.notes_panel)
        references = QScrollArea()  # a long list of references and caveats scrolls; it never squeezes the grid
        references.setWidget(self.references)
        references.setWidgetResizable(True)
        references.setFrameShape(QFrame.Shape.NoFrame)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.table)
        self.right.addWidget(references)
        self.right.setStretchFactor(0, 4)
        self.right.setStretchFactor(1, 1)
        self.right.setChildrenCollapsible(False)
        side = SideColumn(left)  # on a short screen at 150 % the side column scrolls; nothing in it is squeezed
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.controls.layout)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.legend = legend_label()
        layout.addWidget(self.legend)
        QWidget.setTabOrder(self.controls.last_widget, self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.fit_rows())
        self.rebuild()

    # -- what the user chose -------------------------------------------------
    def disease(self) -> str:
        return self.controls.disease()

    def therapies(self) -> list[str]:
        return self.controls.therapies()

    def set_disease(self, disease: str) -> None:
        self.controls.set_disease(disease)

    def set_therapies(self, keys: list[str]) -> None:
        self.controls.set_therapies(keys)

    def comparison(self) -> Comparison | None:
        """What the table shows and the handout prints: the chosen rows only."""
        return self.model.comparison()

    def pending(self) -> bool:
        """True while the comparison of the boxes' choices is being built: the table may still show the last one."""
        return self._building is not None

    def rebuild(self) -> None:
        """The boxes changed: a comparison is built on the worker (`built` says when it is shown); what needs no
        reading of the dataset (nothing to compare yet, a name not understood) is shown at once."""
        disease, keys = self.disease(), self.therapies()
        unique = list(dict.fromkeys(keys))
        self._building = None  # a comparison on its way is for earlier choices: dropped when it arrives
        unknown = self.controls.unknown
        self._refresh_note_targets(unique)
        if unknown:  # no cell is shown for a disease or therapy the user did not get
            self._full = None
            self._show()
            self._say(" ".join(unknown[slot] for slot in sorted(unknown))
                      + " Nothing is compared until the marked box names something in the dataset.")
            self._drop_waiting()
            return
        if disease and len(unique) >= 2:
            if cleared := self._label_follows_case((disease, tuple(unique))):
                self._label_notice = (f"The case label “{cleared}” was cleared: the disease or therapies changed, so "
                                      "this is another case. Type it again if it is the same case.")
            self._build(disease, unique)
            return
        self._full = None
        self._show()
        self._say(f"Choose a disease setting (Alt+D) and 2 to 4 therapies (Alt+1 … Alt+4). Dataset {self.version}.")
        self._say_label_notice()
        self._drop_waiting()

    def _build(self, disease: str, keys: list[str]) -> None:
        """The comparison read on the worker through its own connection; the last one asked for is shown."""
        request = self._building = object()
        path, local = self.store.path, self._local_notes(keys)
        self.controls.set_ready(False)
        self.tasks.run(lambda: build_at(path, disease, keys, local),
                       lambda result, error: self._built(request, keys, result, error))

    def _built(self, request: object, keys: list[str], result: Any, error: BaseException | None) -> None:
        if request is not self._building:
            return
        self._building = None
        if error is not None:
            self._full = None
            self._show()
            self._say(f"The comparison could not be built: {error}")
            self._drop_waiting()
            return
        self._full = result
        self._show()
        if len(keys) < len(self.therapies()):
            self._say("The same therapy is chosen twice; it is shown once.")
        self._say_label_notice()
        self.built.emit(self.comparison())
        if self._waiting is not None:
            act, self._waiting = self._waiting[0], None
            act()

    def _say_label_notice(self) -> None:
        if self._label_notice:  # said until a label is typed again
            self._say(f"{self.message.text()} {self._label_notice}")

    def _when_shown(self, act: Callable[[], None], reports: bool = False) -> None:
        """`act` now, or once the comparison being built is shown: a handout asked for meanwhile (Ctrl+S just after
        Enter in a box) is of the choices in the boxes. `reports`: `act` says how it went by pdf_written or
        pdf_failed, and so must a dropped one."""
        if self.pending():
            self._drop_waiting()
            self._waiting = (act, reports)
        else:
            act()

    def _drop_waiting(self) -> None:
        """The choices changed so that nothing is compared: the handout asked for meanwhile is not made."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None and waiting[1]:
            self.pdf_failed.emit("nothing is compared")

    def _label_follows_case(self, case: tuple[str, tuple[str, ...]] | None) -> str:
        """The case label belongs to the comparison it was typed for (or, typed first, to the first complete one);
        another disease or other therapies are another case, and the label is cleared so that it is never printed
        on that case's handout. A therapy added after the case's own (Alt+3 once Alt+1 and Alt+2 are chosen) is the
        same case growing: the label follows it. Returns the label cleared, or ''."""
        label = self.controls.label_field.text()
        if not label or case is None:
            return ""
        if self._label_case is None or self._grows(self._label_case, case):
            self._label_case = case
            return ""
        self._label_case = None
        self._clearing_label = True
        self.controls.label_field.clear()
        self._clearing_label = False
        return label

    @staticmethod
    def _grows(old: tuple[str, tuple[str, ...]], new: tuple[str, tuple[str, ...]]) -> bool:
        """The same disease, and the old therapies first in the new, in their order (equal included)."""
        return new[0] == old[0] and new[1][: len(old[1])] == old[1]

    def _label_edited(self) -> None:
        self._label_notice = ""
        if not self._clearing_label:
            disease, unique = self.disease(), tuple(dict.fromkeys(self.therapies()))
            self._label_case = (disease, unique) if disease and len(unique) >= 2 else None

    def _local_notes(self, keys: list[str]) -> dict[str, tuple[str, str]] | None:
        if self.notes is None:
            return None
        found = {}
        for key in keys:
            note = self.notes.get("therapy", key)
            if note is not None:
                found[key] = (note.text, AVAILABILITY_LABELS.get(note.availability, ""))
        return found

    def _refresh_note_targets(self, keys: list[str]) -> None:
        if self.notes is None:
            return
        labels = {r.key: r.label for r in self.regimens}
        current = self.note_target.currentData()
        self.note_target.blockSignals(True)
        self.note_target.clear()
        for key in keys:
            self.note_target.addItem(labels.get(key, key), key)
        index = self.note_target.findData(current)
        self.note_target.setCurrentIndex(index if index >= 0 else 0)
        self.note_target.blockSignals(False)
        self._note_target_changed()

    def _note_target_changed(self) -> None:
        key = self.note_target.currentData()
        if key != self.notes_panel.entity:
            self.notes_panel.show_entity(key, self.note_target.currentText() if key else "")

    def _show(self) -> None:
        shown = with_topics(self._full, self.topics.checked()) if self._full else None
        self.table.setUpdatesEnabled(False)  # painted once, with its rows fitted (fit_rows), in a later turn
        self.model.set_comparison(shown)
        header = self.table.horizontalHeader()
        if shown is not None:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            for column in range(1, self.model.columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._fit()
        self._rows_timer.start()  # once the stretched columns have their widths
        self.references.setText(self._references_html(shown))
        self.controls.set_ready(shown is not None and bool(shown.rows) and not self._busy and not self.pending())
        if shown is not None:
            missing = [c.label for c in shown.columns if c.setting != "in"]
            note = f" ⚠ Not from {shown.disease_name} studies: {', '.join(missing)} (see the cells)." if missing else ""
            self._setting_note = note
            self._say(f"{len(shown.rows)} rows (a row ending in … opens in full when selected) · figures as printed "
                      "in the sources; “not reported” is not 0 · "
                      f"Dataset {self.version}.{note}")

    def _references_html(self, c: Comparison | None) -> str:
        if c is None:
            return ""
        refs = "<br>".join(f"[{r.number}] {escape(r.citation)}" + (f" doi:{escape(r.doi)}" if r.doi else "")
                           for r in c.references)
        if c.caveats:
            refs += "<br><b>Caveats</b><br>" + "<br>".join(f"{escape(mark)} {escape(cav.heading)}: {escape(cav.text)}"
                                                         for mark, cav in c.caveats)
        return (f"<b>References</b> (Dataset {escape(self.version)})<br>{refs}" if refs else
                f"No reference is cited by the rows chosen (Dataset {escape(self.version)}).")

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _check_label(self, text: str) -> None:
        warning = identifier_warning(text)
        self.controls.label_warning.setText(warning or "")
        self.controls.label_warning.setVisible(bool(warning))

    def _resolve_typed(self, kind: str, slot: int, text: str) -> None:
        """Enter in a box with text that is no choice's label: a synonym, brand or code; else the shortest
        label that starts with the text ("sunit"); else say what is close."""
        try:
            if kind == "disease":
                self.controls.set_disease(resolve_disease(self.store, text))
            else:
                regimen = resolve_therapy(self.store, text)
                self.controls.set_therapy(slot, regimen.key, shown_name(self.store, text, regimen))
        except UnknownName as exc:
            key = self.controls.starting_with(kind, text)
            if key and kind == "disease":
                self.controls.set_disease(key)
            elif key:
                self.controls.set_therapy(slot, key)
            else:
                self.controls.mark_unknown(slot, text, str(exc)[0].upper() + str(exc)[1:] + ".")

    # -- the handout -----------------------------------------------------------
    def _file_name(self) -> str:
        c = self.comparison()
        keys = "-".join(col.key for col in c.columns) if c else "handout"
        return f"handout-{c.disease_id if c else ''}-{keys}.pdf".replace("+", "_")

    def _make(self, path: Path, why: str) -> None:
        comparison = self.comparison()
        if comparison is None or self._busy:
            return
        label, notes, paper = self.controls.label(), self.controls.notes(), self.controls.paper()
        self._busy = True
        self.controls.set_ready(False)
        self._say(f"Writing the handout to {path} …")

        def work() -> Path:
            """On the worker: reportlab is imported here, and the worker reads through its own connection;
            the window keeps answering meanwhile (desktop/responsive.py)."""
            with gui_first():
                from handout.document import write_handout

                store = Store(self.store.path)
                try:
                    return write_handout(store, comparison, path, paper=paper, meeting=label, notes=notes)
                finally:
                    store.close()

        # the message and the buttons painted first, without waiting for the worker
        run_after_paint(self, self.tasks, work, lambda result, error: self._made(result, error, why, path))

    def _made(self, result: Any, error: BaseException | None, why: str, path: Path) -> None:
        self._busy = False
        self.controls.set_ready(self.comparison() is not None and not self.pending())
        if error is not None:
            if why == "print":
                discard(path)
            self._say(f"The handout was not written: {error}")
            self.pdf_failed.emit(str(error))
            return
        path = Path(result)  # for "print", removed once printed
        if why == "print":
            try:
                self._print(path)
            finally:
                discard(path)  # the printer has its own copy: none is left in the temporary folder
        elif why == "open" and not open_pdf(path):
            self._say(f"No PDF viewer opened {path}; the file is there.")
        else:
            done = f"Handout saved to {path}." if why == "save" else f"Opened {path} in the PDF viewer."
            self._say(done + self._setting_note)  # the warning stays in view: it is on the handout too
        self.pdf_written.emit(path, why)

    def save_pdf(self, path: Path | str) -> None:
        """Write the handout to `path` off the GUI thread; `pdf_written` or `pdf_failed` says how it went."""
        self._when_shown(lambda: self._make(Path(path), "save"), reports=True)

    def save_dialog(self) -> None:
        self._when_shown(self._save_dialog)

    def _save_dialog(self) -> None:
        if self.comparison() is None:
            return
        if (path := ask_pdf_path(self, self._file_name())) is not None:
            self._make(path, "save")

    def open_in_viewer(self) -> None:
        self._when_shown(lambda: self._make(scratch_path(self._file_name()), "open"))

    def print_dialog(self) -> None:
        self._when_shown(self._print_dialog)

    def _print_dialog(self) -> None:
        if self.comparison() is not None and not self._busy:
            self._make(print_folder(self._file_name()), "print")

    def _print(self, path: Path) -> None:
        printer = self.ask_printer()
        if printer is None:
            self._say("Not printed.")
        else:
            self.print_to(path, printer)

    def ask_printer(self) -> Any:
        """The system's print dialog; the chosen printer, or None when the user cancels."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print handout")
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def print_to(self, path: Path, printer: Any) -> int:
        try:
            pages = print_pdf(path, printer)
        except PrintError as exc:
            self._say(str(exc))
            return 0
        self._say(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")
        return pages

    # -- refs from search, zoom, shutdown ------------------------------------------
    def open_ref(self, ref: str) -> None:
        """`drug:<id>` adds that drug's therapy; `disease:<id>` sets the disease; a regimen key, a study id
        or a `study/arm/ae` ref adds the therapy of that arm, or of the study's experimental arms."""
        disease, keys = ref_choices(self.store, ref)
        if disease and (ref.startswith("disease:") or not self.disease()):
            self.controls.set_disease(disease)
        for key in keys:
            self.controls.add_therapy(key)
        if self.controls.refused:
            self._say(self.controls.refused)

    def apply_zoom(self, factor: float) -> None:
        """Widget fonts follow the application font; row heights and the topic column follow once it is applied."""
        self._zoom = factor
        QTimer.singleShot(0, self, self._fit)  # with self: never after it is deleted

    def _fit(self) -> None:
        """Side panel and topic column grow with the zoom, within limits that leave the therapies room."""
        side = min(round(SIDE_WIDTH * self._zoom), round(self.width() * 0.24))
        self.splitter.setSizes([side, max(300, self.width() - side)])
        height = self.right.height()
        refs = max(4 * self.fontMetrics().lineSpacing(), height // 5)
        self.right.setSizes([height - refs, refs])
        if self.model.columnCount():
            topic = min(round(TOPIC_WIDTH * self._zoom), round(self.table.viewport().width() * 0.22))
            self.table.horizontalHeader().resizeSection(0, max(90, topic))
        self._rows_timer.start()

    def fit_rows(self) -> None:
        """Every row as tall as its text, up to a fifth of the grid, so that five topics show at once on a laptop;
        the current row (click, or Up/Down) opens in full."""
        self.table.resizeRowsToContents()
        self.table.setUpdatesEnabled(True)
        line = self.table.fontMetrics().lineSpacing()
        lines = max(3, (self.table.viewport().height() * 2 // 11 - ROW_PADDING) // line)
        cap = lines * line + ROW_PADDING  # whole lines: the last one ends in '…' where the cell goes on
        current = self.table.currentIndex().row()
        for row in range(self.model.rowCount()):
            if row != current and self.table.rowHeight(row) > cap:
                self.table.setRowHeight(row, cap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit)  # with self: never after it is deleted

    def shutdown(self) -> None:
        if self._own_tasks:
            self.tasks.shutdown()
