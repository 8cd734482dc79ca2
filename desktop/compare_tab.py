"""The Compare tab: a disease setting and 2-4 therapies side by side, every item with its source,
and the handout PDF made from it (saved, printed through Qt, or opened in the system viewer).

The comparison is built on the GUI thread (a few milliseconds); the PDF off it, on a TaskRunner.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.compare import UnknownName, build_comparison, regimens, resolve_disease, resolve_therapy, with_topics
from db.compare_names import ref_choices
from db.compare_types import Comparison
from db.notes import AVAILABILITY_LABELS, NotesStore
from db.store import Store
from desktop.compare_controls import Controls
from desktop.compare_model import ComparisonModel, TopicListModel, WrapDelegate
from desktop.notes_panel import NotesPanel
from desktop.pdf_output import PrintError, open_pdf, print_pdf, scratch_path
from desktop.tasks import TaskRunner
from handout.cases import identifier_warning

TOPIC_WIDTH = 150
SIDE_WIDTH = 230


class CompareTab(QWidget):
    pdf_written = Signal(object, str)  # (path, why: "save", "print" or "open")
    pdf_failed = Signal(str)

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
        self.regimens = regimens(store)
        self.topics = TopicListModel()
        self.controls = Controls(store.diseases(), self.regimens, self.topics, self)
        self.controls.changed.connect(self.rebuild)
        self.controls.typed.connect(self._resolve_typed)
        self.topics.changed.connect(self._show)
        self.controls.label_field.textChanged.connect(self._check_label)
        self.controls.save_button.clicked.connect(self.save_dialog)
        self.controls.print_button.clicked.connect(self.print_dialog)
        self.controls.open_button.clicked.connect(self.open_in_viewer)

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
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        self.references = QLabel()
        self.references.setWordWrap(True)
        self.references.setTextFormat(Qt.TextFormat.RichText)
        self.references.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.references)
        if notes is not None:
            self.note_target = QComboBox()
            self.note_target.setAccessibleName("Therapy whose local note to edit")
            self.notes_panel = NotesPanel(notes, "therapy")
            self.notes_panel.editor.setMaximumHeight(90)
            self.note_target.currentIndexChanged.connect(self._note_target_changed)
            self.notes_panel.saved.connect(self.rebuild)
            row = QHBoxLayout()
            row.addWidget(QLabel("Local note for:"))
            row.addWidget(self.note_target, 1)
            right_layout.addLayout(row)
            right_layout.addWidget(self.notes_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.controls.rows_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.controls.layout)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.controls.last_widget, self.table)
        for keys, slot in (("Ctrl+S", self.save_dialog), ("Ctrl+P", self.print_dialog)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
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

    def rebuild(self) -> None:
        disease, keys = self.disease(), self.therapies()
        unique = list(dict.fromkeys(keys))
        self._full = None
        if disease and len(unique) >= 2:
            self._full = build_comparison(self.store, disease, unique, local=self._local_notes(unique))
        self._refresh_note_targets(unique)
        self._show()
        if not disease or len(unique) < 2:
            self._say(f"Choose a disease setting (Alt+D) and 2 to 4 therapies (Alt+1 … Alt+4). Dataset {self.version}.")
        elif len(unique) < len(keys):
            self._say("The same therapy is chosen twice; it is shown once.")

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
        self.model.set_comparison(shown)
        header = self.table.horizontalHeader()
        if shown is not None:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            for column in range(1, self.model.columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._fit()
        QTimer.singleShot(0, self.table.resizeRowsToContents)  # once the stretched columns have their widths
        self.references.setText(self._references_html(shown))
        self.controls.set_ready(shown is not None and bool(shown.rows) and not self._busy)
        if shown is not None:
            missing = [c.label for c in shown.columns if c.setting != "in"]
            note = f" ⚠ Not from {shown.disease_name} studies: {', '.join(missing)} (see the cells)." if missing else ""
            self._say(f"{len(shown.rows)} rows · figures as printed in the sources; “not reported” is not 0 · "
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
                self.controls.set_therapy(slot, resolve_therapy(self.store, text).key)
        except UnknownName as exc:
            key = self.controls.starting_with(kind, text)
            if key and kind == "disease":
                self.controls.set_disease(key)
            elif key:
                self.controls.set_therapy(slot, key)
            else:
                self._say(str(exc)[0].upper() + str(exc)[1:] + ".")

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
            """On the worker: reportlab is imported here, and the worker reads through its own connection."""
            from handout.document import write_handout

            store = Store(self.store.path)
            try:
                return write_handout(store, comparison, path, paper=paper, meeting=label, notes=notes)
            finally:
                store.close()

        self.tasks.run(work, lambda result, error: self._made(result, error, why))

    def _made(self, result: Any, error: BaseException | None, why: str) -> None:
        self._busy = False
        self.controls.set_ready(self.comparison() is not None)
        if error is not None:
            self._say(f"The handout was not written: {error}")
            self.pdf_failed.emit(str(error))
            return
        path = Path(result)
        if why == "print":
            self._print(path)
        elif why == "open" and not open_pdf(path):
            self._say(f"No PDF viewer opened {path}; the file is there.")
        else:
            self._say(f"Handout saved to {path}" if why == "save" else f"Opened {path} in the PDF viewer.")
        self.pdf_written.emit(path, why)

    def save_pdf(self, path: Path | str) -> None:
        """Write the handout to `path` off the GUI thread; `pdf_written` or `pdf_failed` says how it went."""
        self._make(Path(path), "save")

    def save_dialog(self) -> None:
        if self.comparison() is None:
            return
        start = str(Path.home() / self._file_name())
        path, _filter = QFileDialog.getSaveFileName(self, "Save handout PDF", start, "PDF (*.pdf)")
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def open_in_viewer(self) -> None:
        self._make(scratch_path(self._file_name()), "open")

    def print_dialog(self) -> None:
        self._make(scratch_path(self._file_name()), "print")

    def _print(self, path: Path) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print handout")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(path, printer)

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
        QTimer.singleShot(0, self._fit)

    def _fit(self) -> None:
        """Side panel and topic column grow with the zoom, within limits that leave the therapies room."""
        side = min(round(SIDE_WIDTH * self._zoom), round(self.width() * 0.24))
        self.splitter.setSizes([side, max(300, self.width() - side)])
        if self.model.columnCount():
            topic = min(round(TOPIC_WIDTH * self._zoom), round(self.table.viewport().width() * 0.22))
            self.table.horizontalHeader().resizeSection(0, max(90, topic))
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit)

    def shutdown(self) -> None:
        if self._own_tasks:
            self.tasks.shutdown()
