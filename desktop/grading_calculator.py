"""The grade calculator panel: site, edition and the criteria in; grade, rule and edition out,
recomputed on every keystroke. All grading logic is db.grading.calculator.calculate."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.grading.calculator import (
    DEFAULT_SYSTEM,
    GradeResult,
    GradingInputError,
    System,
    calculate,
    sites,
    tumour_grade_systems,
)
from db.grading.tables import SITE_LABELS

NOT_GIVEN = "not given"
FONT_CHANGE = QEvent.Type.FontChange
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


class OptionalSpin(QDoubleSpinBox):
    """A number or "not given" (the minimum). Typing over "not given" replaces it, wherever the cursor is,
    and emptying the field means "not given" again."""

    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.lineEdit().textChanged.connect(self.edited)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.value() == self.minimum() and event.text() and event.text() in "0123456789.,-":
            self.lineEdit().selectAll()
        super().keyPressEvent(event)

    def textFromValue(self, value: float) -> str:
        """A whole number as typed ('3', not '3.0'); a fraction as the locale writes it."""
        return str(int(value)) if float(value).is_integer() else super().textFromValue(value)

    def number(self) -> float | None:
        if not self.isEnabled() or not self.cleanText().strip() or self.value() == self.minimum():
            return None
        return self.value()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if not self.cleanText().strip():
            self.setValue(self.minimum())
        super().focusOutEvent(event)


def _spin(maximum: float, suffix: str = "") -> OptionalSpin:
    spin = OptionalSpin()
    spin.setRange(-1.0, maximum)  # -1 is "not given"; (-1, 0) reaches the calculator, which rejects it
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(NOT_GIVEN)
    spin.setValue(-1.0)
    spin.setAccelerated(True)
    return spin


def _label(wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(SELECTABLE)
    return label


COMPACT = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon


class CalculatorPanel(QGroupBox):
    systemChanged = Signal(str)  # the selected system id
    resultChanged = Signal(object)  # GradeResult, or None when there is nothing to show

    def __init__(self, systems: list[System], parent: QWidget | None = None) -> None:
        super().__init__("Grade calculator", parent)
        self._systems = tumour_grade_systems(systems)
        self._updating = False
        self.result: GradeResult | None = None
        self.message = ""

        self.site = QComboBox()
        for site in sites(systems):
            self.site.addItem(SITE_LABELS.get(site, site), site)
        self.edition = QComboBox()
        self.ki67 = _spin(999.0, " %")
        self.mitoses = _spin(9999.0)
        self.necrosis = QComboBox()
        self.differentiation = QComboBox()
        self.clear_button = QPushButton("Clea&r values")
        self.mitoses_label = QLabel("&Mitoses:")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: a field goes under its label
        for text, widget in (("&Site:", self.site), ("&Edition:", self.edition), ("&Ki-67 index:", self.ki67),
                             (self.mitoses_label, self.mitoses), ("&Necrosis:", self.necrosis),
                             ("&Differentiation:", self.differentiation)):
            label = text if isinstance(text, QLabel) else QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.clear_button)
        self.combos = (self.site, self.edition, self.necrosis, self.differentiation)
        for combo in self.combos:
            combo.setMinimumContentsLength(12)
            combo.currentTextChanged.connect(combo.setToolTip)  # the whole choice, where the box elides it

        self.grade_label = _label(wrap=False)
        self.grade_label.setAccessibleName("Grade")
        self.label_label = _label()
        self.rule_label = _label()
        self.edition_label = _label()
        self.notes_label = _label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for w in (self.grade_label, self.label_label, self.rule_label, self.notes_label, self.edition_label):
            layout.addWidget(w)
        layout.addStretch(1)
        self._restyle()

        self.site.currentIndexChanged.connect(self._site_changed)
        self.edition.currentIndexChanged.connect(self._edition_changed)
        for spin in (self.ki67, self.mitoses):
            spin.edited.connect(self.recompute)
        for combo in (self.necrosis, self.differentiation):
            combo.currentIndexChanged.connect(self.recompute)
        self.clear_button.clicked.connect(self.clear)
        self._site_changed()

    @property
    def system(self) -> System:
        wanted = self.edition.currentData()
        return next(s for s in self._systems if s.id == wanted)

    def set_compact(self, on: bool) -> None:
        """The choices take the width the splitter gives: their text elides where it must (the whole of it in
        the list and the tooltip), so the window fits 1024 px; at a projector's zoom they ask for less."""
        for combo in self.combos:
            combo.setSizeAdjustPolicy(COMPACT)
            combo.setMinimumContentsLength(10 if on else 16)
        self.setMinimumWidth(0)

    def select_system(self, system_id: str) -> None:
        target = next((s for s in self._systems if s.id == system_id), None)
        if target is None or (self.edition.count() and self.system is target):
            return
        self._updating = True
        self.site.setCurrentIndex(self.site.findData(target.site))
        self._fill_editions(target.site, target.id)
        self._updating = False
        self._edition_changed()

    def clear(self) -> None:
        self._updating = True
        for spin in (self.ki67, self.mitoses):
            spin.setValue(spin.minimum())
        for combo in (self.necrosis, self.differentiation):
            combo.setCurrentIndex(0)
        self._updating = False
        self.recompute()

    def _fill_editions(self, site: str | None, selected: str | None = None) -> None:
        self.edition.blockSignals(True)
        self.edition.clear()
        for s in tumour_grade_systems(self._systems, site):
            self.edition.addItem(s.choice, s.id)
        wanted = selected or DEFAULT_SYSTEM.get(site or "")
        self.edition.setCurrentIndex(max(0, self.edition.findData(wanted)))
        self.edition.blockSignals(False)

    def _site_changed(self) -> None:
        if self._updating:
            return
        self._fill_editions(self.site.currentData())
        self._edition_changed()

    def _edition_changed(self) -> None:
        if self._updating:
            return
        s = self.system
        self._updating = True
        self.ki67.setEnabled(s.column("ki67") is not None)
        mitoses = s.column("mitoses")
        self.mitoses.setEnabled(mitoses is not None)
        self.mitoses_label.setText(f"&Mitoses ({mitoses.unit}):" if mitoses and mitoses.unit else "&Mitoses:")
        for combo, key in ((self.necrosis, "necrosis"), (self.differentiation, "differentiation")):
            kept = combo.currentData()
            combo.clear()
            combo.addItem(NOT_GIVEN, None)
            for value, printed in s.categories(key):
                combo.addItem(printed, value)
            combo.setCurrentIndex(max(0, combo.findData(kept)))
            combo.setEnabled(combo.count() > 1)
        self._updating = False
        self.systemChanged.emit(s.id)
        self.recompute()

    def recompute(self) -> None:
        if self._updating or not self.edition.count():
            return
        s = self.system
        values = {"ki67": self.ki67.number(), "mitoses": self.mitoses.number(),
                  "necrosis": self.necrosis.currentData(), "differentiation": self.differentiation.currentData()}
        self.edition_label.setText(f"{s.edition} · {s.source}, {s.locator}")
        self.result, self.message = None, ""
        if all(v is None for v in values.values()):
            self._show("—", "Enter the criteria", "Uses: " + ", ".join(c.label for c in s.columns), "")
        else:
            try:
                self.result = calculate(s, **values)
            except GradingInputError as exc:
                self.message = str(exc)
                self._show("—", "Check the input", "", f"⚠ {exc}")
            else:
                r = self.result
                self._show(r.grade or "—", r.label, r.rule, "\n".join(f"• {w}" for w in r.warnings))
        self.resultChanged.emit(self.result)

    def _show(self, grade: str, label: str, rule: str, notes: str) -> None:
        self.grade_label.setText(grade)
        self.label_label.setText(label)
        self.rule_label.setText(rule)
        self.rule_label.setVisible(bool(rule))
        self.notes_label.setText(notes)
        self.notes_label.setVisible(bool(notes))

    def _restyle(self) -> None:
        """Result text sized from the panel's own font, so it follows the app font (zoom)."""
        base = self.font().pointSizeF()
        for label, scale, bold in ((self.grade_label, 2.6, True), (self.label_label, 1.35, True),
                                   (self.rule_label, 1.1, False), (self.notes_label, 1.0, False)):
            font = QFont(self.font())
            font.setPointSizeF(base * scale)
            font.setBold(bold)
            label.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == FONT_CHANGE:
            self._restyle()
