"""The Compare tab's controls: the disease and therapy boxes (type to filter, Enter takes a synonym,
brand or code), the rows to include, the case label, notes, paper and the handout buttons."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.compare.names import Regimen
from db.dataset.keys import normalize_key
from desktop.compare_model import ChoiceModel, TopicListModel
from handout.cases import LABEL_HINT

SLOTS = 4
UNKNOWN_STYLE = "QLineEdit { background: #fde7e9; color: #7f0000; }"  # a name not understood: the box is marked


def _tree_order(diseases: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, id) depth first, so a disease's subtypes follow it."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for d in diseases:
        children.setdefault(d["parent_id"], []).append(d)
    out: list[tuple[str, str]] = []

    def walk(parent: str | None) -> None:
        for d in children.get(parent, []):
            out.append((d["name"], d["id"]))
            walk(d["id"])

    walk(None)
    return out


def _combo(model: ChoiceModel, placeholder: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setModel(model)
    combo.setEditable(True)
    line = QLineEdit(combo)
    combo.setLineEdit(line)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMaxVisibleItems(20)
    combo.setMinimumContentsLength(10)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    completer = QCompleter(model, combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    line.setPlaceholderText(placeholder)
    line.setClearButtonEnabled(True)
    combo.setCurrentIndex(0)
    return combo


class Controls(QObject):
    changed = Signal()  # the disease or a therapy changed
    typed = Signal(str, int, str)  # ("disease" or "therapy", slot, text): Enter on text that is no choice

    def __init__(self, diseases: list[dict[str, Any]], regimens: list[Regimen], topics: TopicListModel,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.refused = ""
        self._quiet = False
        self._typed: tuple[int, str] | None = None  # (slot, text) while a typed name is being resolved
        self.disease_model = ChoiceModel(_tree_order(diseases), none="")
        self.therapy_model = ChoiceModel([(r.label, r.key) for r in regimens], none="")
        self.disease_box = _combo(self.disease_model, "Disease setting, e.g. pNET", parent)
        self.therapy_boxes = [_combo(self.therapy_model, f"Therapy {n + 1}", parent) for n in range(SLOTS)]
        self.unknown: dict[int, str] = {}  # slot (-1 the disease) -> why the name typed there is not understood
        for slot, box in enumerate([self.disease_box, *self.therapy_boxes]):
            box.currentIndexChanged.connect(lambda _i, slot=slot - 1: self._changed(slot))
            line = box.findChild(QLineEdit)
            assert line is not None
            line.returnPressed.connect(lambda slot=slot, box=box: self._return(slot - 1, box))
            line.editingFinished.connect(lambda box=box: self._emptied(box))
        self.label_field = QLineEdit(parent)
        self.label_field.setPlaceholderText(LABEL_HINT)
        self.label_field.setToolTip(LABEL_HINT + ". Printed under the handout's title.")
        self.label_warning = QLabel(parent)
        self.label_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.label_warning.setWordWrap(True)
        self.label_warning.hide()
        self.resolved = QLabel(parent)  # what a typed synonym, brand, code or class resolved to
        self.resolved.setTextFormat(Qt.TextFormat.PlainText)
        self.resolved.setWordWrap(True)
        self.resolved.setAccessibleName("Resolved names")
        self.resolved.hide()
        self._resolved: dict[int, str] = {}
        self.notes_field = QLineEdit(parent)
        self.notes_field.setPlaceholderText("Printed under the title")
        self.notes_field.setToolTip("A note printed under the handout's title; no patient identifiers")
        self.paper_box = QComboBox(parent)
        self.paper_box.addItem("A4", "a4")
        self.paper_box.addItem("Letter", "letter")
        self.save_button = QPushButton("&Save handout PDF…", parent)
        self.save_button.setToolTip("Write the handout as a PDF file (Ctrl+S)")
        self.print_button = QPushButton("&Print…", parent)
        self.print_button.setToolTip("Print the handout (Ctrl+P)")
        self.open_button = QPushButton("Op&en in viewer", parent)
        self.open_button.setToolTip("Open the handout in the system's PDF viewer")

        self.topic_view = QListView(parent)
        self.topic_view.setModel(topics)
        self.topic_view.setAccessibleName("Rows in the handout")
        self.topic_view.setWordWrap(True)
        self.topic_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topic_view.setToolTip("Space ticks or clears the row under the cursor")
        self.rows_box = self._side_panel(parent)
        self.layout = self._top(parent)

    @staticmethod
    def _label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
        widget = QLabel(text, parent)
        widget.setBuddy(buddy)
        return widget

    def _side_panel(self, parent: QWidget) -> QWidget:
        """Rows to include, notes, paper and the handout buttons, beside the table."""
        panel = QWidget(parent)
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._label("&Rows in the handout:", self.topic_view, parent))
        box.addWidget(self.topic_view, 1)
        box.addWidget(self._label("N&otes:", self.notes_field, parent))
        box.addWidget(self.notes_field)
        paper = QHBoxLayout()
        paper.addWidget(self._label("P&aper:", self.paper_box, parent))
        paper.addWidget(self.paper_box, 1)
        box.addLayout(paper)
        for button in (self.save_button, self.print_button, self.open_button):
            box.addWidget(button)
        return panel

    def _top(self, parent: QWidget) -> QVBoxLayout:
        grid = QGridLayout()
        cells = [("&Disease:", self.disease_box), ("Case / &meeting:", self.label_field)]
        cells += [(f"Therapy &{n + 1}:", b) for n, b in enumerate(self.therapy_boxes)]
        for n, (text, widget) in enumerate(cells):
            grid.addWidget(self._label(text, widget, parent), n // 2, 2 * (n % 2))
            grid.addWidget(widget, n // 2, 2 * (n % 2) + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        box = QVBoxLayout()
        box.addLayout(grid)
        box.addWidget(self.resolved)
        box.addWidget(self.label_warning)
        order = [self.disease_box, self.label_field, *self.therapy_boxes, self.topic_view, self.notes_field,
                 self.paper_box, self.save_button, self.print_button, self.open_button]
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        self.last_widget = order[-1]
        return box

    # -- reading and setting the choices ---------------------------------------------
    def disease(self) -> str:
        return self.disease_model.key(self.disease_box.currentIndex())

    def therapies(self) -> list[str]:
        return [k for box in self.therapy_boxes if (k := self.therapy_model.key(box.currentIndex()))]

    def label(self) -> str:
        return self.label_field.text()

    def notes(self) -> str:
        return self.notes_field.text()

    def paper(self) -> str:
        return str(self.paper_box.currentData())

    def set_disease(self, ident: str) -> None:
        row = self.disease_model.row_of(ident)
        if row >= 0:
            self.disease_box.setCurrentIndex(row)
            self._say_resolved(-1, self.disease_box.currentText())

    def set_therapy(self, slot: int, key: str, shown: str = "") -> None:
        """`shown`: what the typed name resolved to, where it says more than the label ('Lutathera
        (177Lu-Dotatate)', a brand with its drug)."""
        self.therapy_boxes[slot].setCurrentIndex(max(0, self.therapy_model.row_of(key)))
        self._say_resolved(slot, self.therapy_boxes[slot].currentText(), shown)

    def _say_resolved(self, slot: int, label: str, shown: str = "") -> None:
        """'PRRT → 177Lu-Dotatate', 'Lutathera (177Lu-Dotatate)': shown when a name typed into this box became
        another one."""
        if self._typed is None or self._typed[0] != slot:
            return
        typed = self._typed[1]
        if label and shown and normalize_key(shown) != normalize_key(label):
            self._resolved[slot] = shown
        elif label and normalize_key(typed) != normalize_key(label):
            self._resolved[slot] = f"{typed} → {label}"
        else:
            self._resolved.pop(slot, None)
        self._show_resolved()

    def _show_resolved(self) -> None:
        text = "; ".join(self._resolved[k] for k in sorted(self._resolved))
        self.resolved.setText(text)
        self.resolved.setVisible(bool(text))

    def set_therapies(self, keys: list[str]) -> None:
        self._quiet = True
        for slot, box in enumerate(self.therapy_boxes):
            box.setCurrentIndex(max(0, self.therapy_model.row_of(keys[slot])) if slot < len(keys) else 0)
        self._quiet = False
        self.changed.emit()

    def add_therapy(self, key: str) -> None:
        """Into the first empty box; when all four are taken, the last one is replaced (and said so)."""
        self.refused = ""
        if key in self.therapies() or self.therapy_model.row_of(key) < 0:
            return
        empty = next((n for n, b in enumerate(self.therapy_boxes) if b.currentIndex() <= 0), None)
        if empty is None:
            old = self.therapy_boxes[-1].currentText()
            self.refused = f"Four therapies are chosen; {old} was replaced."
            empty = SLOTS - 1
        self.set_therapy(empty, key)

    def starting_with(self, kind: str, text: str) -> str:
        """The key of the shortest label that starts with the text, or ''."""
        model = self.disease_model if kind == "disease" else self.therapy_model
        typed = text.strip().casefold()
        labels = [(len(label), label, model.key(n)) for n in range(model.rowCount())
                  if (label := str(model.data(model.index(n, 0)))) and label.casefold().startswith(typed)]
        return min(labels)[2] if typed and labels else ""

    def set_ready(self, ready: bool) -> None:
        for button in (self.save_button, self.print_button, self.open_button):
            button.setEnabled(ready)

    def _changed(self, slot: int) -> None:
        if not self._quiet:
            self._resolve(slot)
            self.changed.emit()

    def _box(self, slot: int) -> QComboBox:
        return self.disease_box if slot < 0 else self.therapy_boxes[slot]

    def mark_unknown(self, slot: int, text: str, why: str) -> None:
        """A name that resolves to nothing: the box keeps the text, chooses nothing (so no comparison is made
        with what it held before) and is marked; `why` is said until the box changes (`unknown`)."""
        box = self._box(slot)
        self._quiet = True
        box.setCurrentIndex(0)
        self._quiet = False
        box.setEditText(text)
        self.unknown[slot] = why
        if self._resolved.pop(slot, None) is not None:
            self._show_resolved()
        line = box.lineEdit()
        line.setStyleSheet(UNKNOWN_STYLE)
        box.setToolTip(why)
        line.setAccessibleDescription(why)
        self.changed.emit()

    def _resolve(self, slot: int) -> None:
        """The box chose something or was emptied: its name is no longer unknown."""
        if self.unknown.pop(slot, None) is None:
            return
        box = self._box(slot)
        box.lineEdit().setStyleSheet("")
        box.setToolTip("")
        box.lineEdit().setAccessibleDescription("")

    def _emptied(self, box: QComboBox) -> None:
        """An emptied box (the clear button, or the text deleted) chooses nothing."""
        slot = -1 if box is self.disease_box else self.therapy_boxes.index(box)
        if box.currentText().strip():
            return
        if box.currentIndex() > 0:
            box.setCurrentIndex(0)
            if self._resolved.pop(slot, None) is not None:
                self._show_resolved()
        elif slot in self.unknown:
            self._resolve(slot)
            self.changed.emit()

    def _return(self, slot: int, box: QComboBox) -> None:
        text = box.currentText().strip()
        model = box.model()
        assert isinstance(model, ChoiceModel)
        if text and model.data(model.index(box.currentIndex(), 0)) != text:
            self._typed = (slot, text)
            try:
                self.typed.emit("disease" if slot < 0 else "therapy", slot, text)
            finally:
                self._typed = None
