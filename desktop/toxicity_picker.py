"""Choosing up to four therapies: a type-to-filter combo box adds one, a button per chosen
therapy (in its chart colour) removes it. A fifth is refused with a message."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.toxicity.table import Therapy
from desktop.filter_bar import FilterBar
from desktop.toxicity_chart import OKABE_ITO
from desktop.toxicity_model import TherapyListModel

MAX_THERAPIES = 4


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class TherapyPicker(QWidget):
    changed = Signal(list)  # the chosen therapy keys, in order (order = chart colour)
    refused = Signal(str)  # why a choice was not taken

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen: list[str] = []
        self._labels: dict[str, str] = {}
        self.model = TherapyListModel()
        self.combo = QComboBox()
        self.combo.setModel(self.model)
        self.line = QLineEdit()
        self.line.setPlaceholderText("Type to add a therapy (up to 4)…")
        self.combo.setEditable(True)
        self.combo.setLineEdit(self.line)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(22)
        self.combo.setMaxVisibleItems(20)
        completer = QCompleter(self.model, self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.setCurrentIndex(-1)
        self.combo.activated.connect(self._activated)
        self.line.returnPressed.connect(self._return_pressed)
        self.label = QLabel("&Therapy:")
        self.label.setBuddy(self.combo)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setToolTip("Remove every chosen therapy (Alt+L)")
        self.clear_button.clicked.connect(lambda: self.set_keys([]))
        self.chips: list[QToolButton] = []
        field = QWidget()
        row = QHBoxLayout(field)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.combo, 1)
        self.bar = FilterBar()  # the field, each chosen therapy and Clear: one row where they fit, else more
        self.bar.add(field)
        self.bar.add(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        self._rebuild_chips()

    def set_therapies(self, items: list[Therapy]) -> None:
        self._labels = {t.key: t.label for t in items}
        self.model.set_therapies(items)
        self.combo.setCurrentIndex(-1)

    def chosen(self) -> list[str]:
        return list(self._chosen)

    def label_of(self, key: str) -> str:
        return self._labels.get(key, key)

    def add(self, key: str) -> bool:
        if key in self._chosen:
            return True
        if key not in self._labels:
            self.refused.emit(f"No adverse-event figures for “{key}” in this dataset.")
            return False
        if len(self._chosen) >= MAX_THERAPIES:
            self.refused.emit(f"Up to {MAX_THERAPIES} therapies can be compared at once: remove one "
                              f"(its button, or Clear) before adding {self.label_of(key)}.")
            return False
        self._chosen.append(key)
        self._changed()
        return True

    def remove(self, key: str) -> None:
        if key in self._chosen:
            self._chosen.remove(key)
            self._changed()

    def _chip_clicked(self, key: str) -> None:
        place = self._chosen.index(key) if key in self._chosen else 0
        self.remove(key)
        # keep the keyboard user where they were: the next chip, else the combo box
        target = self.chips[min(place, len(self.chips) - 1)] if self.chips else self.combo
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_keys(self, keys: list[str]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k in self._labels]
        if wanted[MAX_THERAPIES:]:
            self.refused.emit(f"Only {MAX_THERAPIES} therapies can be compared at once; left out: "
                              + ", ".join(self.label_of(k) for k in wanted[MAX_THERAPIES:]) + ".")
        self._chosen = wanted[:MAX_THERAPIES]
        self._changed()

    def _activated(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.add(self.model.therapy(row).key)
        # the combo box sets its text after this signal: empty it once it has
        QTimer.singleShot(0, self, self._reset_combo)  # with self: never after it is deleted

    def _return_pressed(self) -> None:
        """Enter without choosing from the list: the best match for the typed text."""
        key = self.best_match(self.combo.currentText())
        if key is not None:
            self.add(key)
        elif self.combo.currentText().strip():
            self.refused.emit(f"No therapy with adverse-event figures matches “{self.combo.currentText().strip()}”.")
        QTimer.singleShot(0, self, self._reset_combo)  # with self: never after it is deleted

    def best_match(self, text: str) -> str | None:
        """Exact label, else the shortest label starting with the text, else the shortest containing it."""
        typed = text.split("  (")[0].strip().casefold()
        if not typed:
            return None
        items = [(label.casefold(), key) for key, label in self._labels.items()]
        for test in (str.__eq__, str.startswith, str.__contains__):
            found = sorted((len(label), label, key) for label, key in items if test(label, typed))
            if found:
                return found[0][2]
        return None

    def _reset_combo(self) -> None:
        self.combo.setCurrentIndex(-1)
        self.combo.clearEditText()
        if QApplication.focusWidget() is None and self.isVisible():  # the closed popup took it along
            self.combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _changed(self) -> None:
        self._rebuild_chips()
        self.changed.emit(self.chosen())

    def _rebuild_chips(self) -> None:
        for chip in self.chips:
            self.bar.remove(chip)
            chip.deleteLater()
        self.chips = []
        self.bar.remove(self.clear_button)
        previous: QWidget = self.combo
        for slot, key in enumerate(self._chosen):
            chip = QToolButton()
            chip.setText(f"{self.label_of(key)}  ✕")
            chip.setIcon(swatch(OKABE_ITO[slot % len(OKABE_ITO)]))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            chip.setToolTip(f"Remove {self.label_of(key)} (Space)")
            chip.setAccessibleName(f"Remove {self.label_of(key)}")
            chip.clicked.connect(lambda _checked=False, k=key: self._chip_clicked(k))
            self.bar.add(chip)
            self.chips.append(chip)
            QWidget.setTabOrder(previous, chip)
            previous = chip
        self.bar.add(self.clear_button)
        QWidget.setTabOrder(previous, self.clear_button)
        self.clear_button.setEnabled(bool(self._chosen))
