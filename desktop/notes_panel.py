"""Editing one local note (and, for a therapy, its availability), saved as the user types.

A note is written half a second after the last keystroke, when the panel loses focus,
and before it switches to another study or therapy; "Saved" appears only after the
commit returned. No patient identifiers: the placeholder says so.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from db.notes import AVAILABILITY, AVAILABILITY_LABELS, NotesError, NotesStore

SAVE_DELAY_MS = 500
PLACEHOLDER = ("Local note, kept on this workstation only (not part of the published data). "
               "No patient identifiers: no names, dates of birth or record numbers.")


class NotesEditor(QPlainTextEdit):
    def __init__(self, panel: NotesPanel) -> None:
        super().__init__()
        self._panel = panel

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._panel.flush()
        super().focusOutEvent(event)


class NotesPanel(QWidget):
    saved = Signal()

    def __init__(self, notes: NotesStore, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = notes
        self.kind = kind
        self.entity: str | None = None
        self._dirty = False
        self.title = QLabel("Local note")
        self.editor = NotesEditor(self)
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setAccessibleName("Local note")
        self.editor.setTabChangesFocus(True)
        self.availability = QComboBox()
        self.availability.setAccessibleName("Local availability")
        for value in AVAILABILITY:
            self.availability.addItem(AVAILABILITY_LABELS[value] or "Availability not recorded", value)
        self.availability.setVisible(kind == "therapy")
        self.status = QLabel("")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.availability)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._edited)
        self.availability.currentIndexChanged.connect(self._edited)
        self.setEnabled(False)

    def show_entity(self, ident: str | None, title: str = "") -> None:
        self.flush()
        self.entity = ident
        self.setEnabled(ident is not None)
        note = self.notes.get(self.kind, ident) if ident else None
        for widget in (self.editor, self.availability):
            widget.blockSignals(True)
        self.editor.setPlainText(note.text if note else "")
        self.availability.setCurrentIndex(AVAILABILITY.index(note.availability) if note else 0)
        for widget in (self.editor, self.availability):
            widget.blockSignals(False)
        self._dirty = False
        self.title.setText(f"Local note: {title}" if title else "Local note")
        self.status.setText(f"Last saved {note.updated_at.replace('T', ' ')[:16]} UTC" if note else "")

    def _edited(self) -> None:
        if self.entity is None:
            return
        self._dirty = True
        self.status.setText("Editing…")
        self._timer.start()

    def flush(self) -> None:
        """Write the pending change now; the status says whether it reached the disk."""
        self._timer.stop()
        if not self._dirty or self.entity is None:
            return
        try:
            note = self.notes.save(self.kind, self.entity, self.editor.toPlainText(),
                                   self.availability.currentData() or "")
        except NotesError as exc:
            self.status.setText(f"Not saved: {exc}. Your text is still here; it will be saved on the next edit.")
            return
        self._dirty = False
        self.status.setText(f"Saved {note.updated_at[11:16]} UTC")
        self.saved.emit()
