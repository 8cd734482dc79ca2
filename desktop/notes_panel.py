"""Editing one local note (and, for a therapy, its availability), saved as the user types.

A note is written half a second after the last keystroke, when the panel loses focus,
and before it switches to another study or therapy; "Saved" appears only after the
commit returned. Nothing typed is lost: a save that fails is retried (a locked database
is a short wait, never a frozen window); text that still cannot be saved when the user
moves on or closes is kept as a draft that the next opening offers back, and where not
even a draft can be written the user is shown the text to copy. A note changed meanwhile
elsewhere is never overwritten silently: the user chooses. No patient identifiers: the
placeholder says so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.notes.drafts import drafts_folder, read_draft, remove_draft, write_draft
from db.notes.notebook import (
    ANY,
    AVAILABILITY,
    AVAILABILITY_LABELS,
    Note,
    NotesBusy,
    NotesConflict,
    NotesError,
    NotesStore,
)
from desktop.elided_label import ElidedLabel

SAVE_DELAY_MS = 500
RETRY_MS = 2000
PLACEHOLDER = ("Local note, kept on this workstation only (not part of the published data). "
               "No patient identifiers: no names, dates of birth or record numbers.")
MINE, THEIRS, BOTH = "mine", "theirs", "both"

# (stored note, the text in the editor) -> MINE, THEIRS or BOTH
Resolver = Callable[[Note | None, str], str]
# (what could not be kept, the text) -> True to go on (the text is then gone), False to stay
Asker = Callable[[str, str], bool]


def ask_conflict(parent: QWidget, stored: Note | None, mine: str) -> str:
    when = stored.updated_at.replace("T", " ")[:16] + " UTC" if stored else "just now"
    choices = ["Keep both (yours first)", "Keep yours (replace the other)", "Keep the other (drop yours)"]
    shown = (stored.text if stored else "(deleted)")[:400]
    choice, ok = QInputDialog.getItem(
        parent, "Note changed elsewhere",
        f"This note was changed in another window or on another workstation at {when}:\n\n{shown}\n\n"
        "What should be kept?", choices, 0, False)
    if not ok:
        return BOTH
    return {choices[0]: BOTH, choices[1]: MINE, choices[2]: THEIRS}[choice]


def ask_unsaved(parent: QWidget, why: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, "Note not saved",
                      f"This note could not be saved and could not be kept as a draft: {why}.\n\n"
                      "Copy the text below before going on, or stay to try again.",
                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, parent)
    box.setDetailedText(text)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.button(QMessageBox.StandardButton.Discard).setText("Go on without it")
    box.button(QMessageBox.StandardButton.Cancel).setText("Stay")
    return box.exec() == QMessageBox.StandardButton.Discard


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
        self.revision = 0  # the stored revision the editor's text was loaded from
        self._dirty = False
        self.drafts = drafts_folder(notes.path)
        self.resolve_conflict: Resolver = lambda stored, mine: ask_conflict(self, stored, mine)
        self.ask_unsaved: Asker = lambda why, text: ask_unsaved(self, why, text)
        self.title = ElidedLabel("Local note")  # a long study name must not narrow the study's pane beside it
        self.editor = NotesEditor(self)
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setAccessibleName("Local note")
        self.editor.setTabChangesFocus(True)
        self.availability = QComboBox(self)  # a parent before setVisible: never shown as a window of its own
        self.availability.setAccessibleName("Local availability")
        for value in AVAILABILITY:
            self.availability.addItem(AVAILABILITY_LABELS[value] or "Availability not recorded", value)
        self.availability.setVisible(kind == "therapy")
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # a narrow side panel stacks them
        self.top.addWidget(self.title, 1)
        self.top.addWidget(self.availability)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.top)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._edited)
        self.availability.currentIndexChanged.connect(self._edited)
        self.setEnabled(False)

    @property
    def unsaved(self) -> bool:
        return self._dirty

    def show_entity(self, ident: str | None, title: str = "") -> bool:
        """Show another note; False (and nothing changes) when the user chose to stay with unsaved text."""
        if not self.leave():
            return False
        self.entity = None  # until the new note is loaded: no save can land under the wrong id
        self._show("", "", read_only=True)
        self.setEnabled(False)
        self.title.setText(f"Local note: {title}" if title else "Local note")
        if ident is None:
            self.status.setText("")
            return True
        try:
            note = self.notes.get(self.kind, ident)
        except NotesError as exc:
            self.status.setText(f"Notes unavailable: {exc}")
            return True
        self.entity, self.revision = ident, note.revision if note else 0
        self.setEnabled(True)
        self._show(note.text if note else "", note.availability if note else "", read_only=False)
        self.status.setText(f"Last saved {note.updated_at.replace('T', ' ')[:16]} UTC" if note else "")
        if self.notes.read_only:
            self.editor.setReadOnly(True)
            self.availability.setEnabled(False)
            self.status.setText(f"Read-only: {self.notes.problem}")
        elif note is not None and note.damaged is not None:
            self.editor.setReadOnly(True)
            self.availability.setEnabled(False)
            self.status.setText("The stored text of this note is damaged (not valid UTF-8): shown with replacement "
                                "marks, kept as stored, and not editable so it is not overwritten. "
                                "`tumorboard notes export` writes a copy with its bytes.")
        else:
            self._offer_draft(ident)
        return True

    def _show(self, text: str, availability: str, read_only: bool) -> None:
        for widget in (self.editor, self.availability):
            widget.blockSignals(True)
        self.editor.setPlainText(text)
        self.availability.setCurrentIndex(AVAILABILITY.index(availability) if availability in AVAILABILITY else 0)
        for widget in (self.editor, self.availability):
            widget.blockSignals(False)
        self.editor.setReadOnly(read_only)
        self.availability.setEnabled(not read_only)
        self._dirty = False

    def _offer_draft(self, ident: str) -> None:
        draft = read_draft(self.drafts, self.kind, ident)
        if draft is None:
            return
        self._show(draft.text, draft.availability, read_only=False)
        self.revision = draft.revision
        self._dirty = True
        self.status.setText(f"Recovered text that could not be saved on {draft.kept_at.replace('T', ' ')[:16]} UTC "
                            f"({draft.reason}); saving it now.")
        self.flush()

    def _edited(self) -> None:
        if self.entity is None:
            return
        self._dirty = True
        self.status.setText("Editing…")
        self._timer.start()

    def flush(self) -> bool:
        """Write the pending change now; True when nothing is left unsaved. The status says what happened."""
        self._timer.stop()
        self._retry.stop()
        if not self._dirty or self.entity is None:
            return True
        text, availability = self.editor.toPlainText(), self.availability.currentData() or ""
        try:
            note = self.notes.save(self.kind, self.entity, text, availability, self.revision)
        except NotesConflict as exc:
            return self._resolve(exc.stored, text, availability)
        except NotesBusy as exc:
            self.status.setText(f"Not saved yet: {exc}. Your text is kept here.")
            self._retry.start()
            return False
        except NotesError as exc:
            self.status.setText(f"Not saved: {exc}. Your text is kept here.")
            return False
        return self._saved(note)

    def _saved(self, note: Note) -> bool:
        self._dirty = False
        self.revision = note.revision
        remove_draft(self.drafts, self.kind, note.entity_id)
        self.status.setText(f"Saved {note.updated_at[11:16]} UTC")
        self.saved.emit()
        return True

    def _resolve(self, stored: Note | None, text: str, availability: str) -> bool:
        choice = self.resolve_conflict(stored, text)
        assert self.entity is not None
        if choice == THEIRS:
            self._show(stored.text if stored else "", stored.availability if stored else "", read_only=False)
            self.revision = stored.revision if stored else 0
            remove_draft(self.drafts, self.kind, self.entity)
            self.status.setText("Kept the note as changed elsewhere.")
            return True
        if choice == BOTH and stored is not None and stored.text.strip() and stored.text != text:
            when = stored.updated_at.replace("T", " ")[:16]
            text = f"{text}\n\n— changed elsewhere, {when} UTC —\n{stored.text}"
            self._show(text, availability, read_only=False)
        try:
            note = self.notes.save(self.kind, self.entity, text, availability, ANY)
        except NotesError as exc:
            self._dirty = True
            self.status.setText(f"Not saved: {exc}. Your text is kept here.")
            return False
        return self._saved(note)

    def leave(self) -> bool:
        """Before the editor shows another note or the window closes: save, or keep a draft, or ask.

        False when the user chose to stay (the text is still unsaved and still shown)."""
        if self.flush():
            return True
        assert self.entity is not None
        why = self.status.text().removeprefix("Not saved: ").removeprefix("Not saved yet: ").split(". Your")[0]
        try:
            write_draft(self.drafts, self.kind, self.entity, self.editor.toPlainText(),
                        self.availability.currentData() or "", self.revision, why)
        except OSError as exc:
            if not self.ask_unsaved(f"{why}; the draft failed too ({exc.strerror or exc})", self.editor.toPlainText()):
                return False
        self._retry.stop()
        self._dirty = False
        return True
