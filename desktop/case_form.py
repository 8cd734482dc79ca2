"""The Case tab's form: disease (completed over every name the program knows), grade inputs in the edition's
units, NET status, markers and earlier therapies as comma-separated lists. Each field has an Alt key; a field
the program could not use is marked, keeps its text, and is unmarked when it changes."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QWidget

from desktop.case_work import CaseInputs, GradeFields

MARKED = "border: 2px solid #b00020;"
NOT_GIVEN = "not given"
UNITS = {"ki67": "%", "mitoses": "per 10 HPF or per 2 mm²"}  # until the disease names the edition


def _combo(choices: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for text, value in [(NOT_GIVEN, None), *choices]:
        box.addItem(text, value)
    return box


class CaseForm(QObject):
    changed = Signal()

    def __init__(self, disease_names: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.disease = QLineEdit()
        self.disease.setPlaceholderText("pNET, RAIR-DTC, midgut NET …")
        completer = QCompleter(sorted(set(disease_names), key=str.casefold), self.disease)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.disease.setCompleter(completer)
        self.ki67 = QLineEdit()
        self.mitoses = QLineEdit()
        self.necrosis = _combo([])
        self.differentiation = _combo([("well", "well"), ("poor", "poor")])
        self.functional = _combo([("yes", True), ("no", False)])
        self.sstr = _combo([("positive", "positive"), ("negative", "negative"), ("unknown", "unknown")])
        self.markers = QLineEdit()
        self.negative = QLineEdit()
        self.prior = QLineEdit()
        for edit, hint in ((self.markers, "e.g. BRAF V600E, RET fusion"), (self.negative, "e.g. RET fusion"),
                           (self.prior, "drugs or classes, e.g. octreotide, MKI")):
            edit.setPlaceholderText(hint)
        self.ki67.setPlaceholderText(NOT_GIVEN)
        self.mitoses.setPlaceholderText(NOT_GIVEN)
        self.fields: dict[str, QWidget] = {
            "disease": self.disease, "ki67": self.ki67, "mitoses": self.mitoses, "necrosis": self.necrosis,
            "differentiation": self.differentiation, "functional": self.functional, "sstr": self.sstr,
            "marker": self.markers, "negative": self.negative, "prior": self.prior}
        self.labels: dict[str, QLabel] = {}
        texts = {"disease": "&Disease:", "ki67": "&Ki-67 (%):", "mitoses": "Mi&toses:", "necrosis": "Necr&osis:",
                 "differentiation": "Di&fferentiation:", "functional": "F&unctional:", "sstr": "SST&R imaging:",
                 "marker": "&Markers found:", "negative": "Tested ne&gative:", "prior": "&Earlier therapies:"}
        for key, text in texts.items():
            label = QLabel(text)
            label.setWordWrap(True)  # 'Mitoses (per 10 HPF or per 2 mm²):' takes two lines on a narrow screen
            label.setBuddy(self.fields[key])
            self.labels[key] = label
            self.fields[key].setAccessibleName(text.replace("&", "").rstrip(":"))
        self.layout = QGridLayout()
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setVerticalSpacing(3)
        # the disease and the earlier therapies take a whole row: a name or a list typed there is seen whole
        places = (("disease", 0, 0, 3), ("prior", 1, 0, 3), ("marker", 2, 0, 1), ("negative", 2, 2, 1),
                  ("functional", 3, 0, 1), ("sstr", 3, 2, 1), ("ki67", 4, 0, 1), ("mitoses", 4, 2, 1),
                  ("necrosis", 5, 0, 1), ("differentiation", 5, 2, 1))
        for key, row, col, span in places:
            self.layout.addWidget(self.labels[key], row, col)
            self.layout.addWidget(self.fields[key], row, col + 1, 1, span)
        self.layout.setColumnStretch(1, 1)
        self.layout.setColumnStretch(3, 1)
        self.order: list[QWidget] = [self.disease, self.prior, self.markers, self.negative, self.functional,
                                     self.sstr, self.ki67, self.mitoses, self.necrosis, self.differentiation]
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(lambda _t, k=key: self._edited(k))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
        self._marked: set[str] = set()
        self.set_grade_fields(None)

    def inputs(self) -> CaseInputs:
        return CaseInputs(self.disease.text(), self.ki67.text(), self.mitoses.text(), self.necrosis.currentData(),
                          self.differentiation.currentData(), self.functional.currentData(), self.sstr.currentData(),
                          self.markers.text(), self.negative.text(), self.prior.text())

    def set_grade_fields(self, fields: GradeFields | None) -> None:
        """The mitoses unit of the edition; necrosis and differentiation shown where the edition uses them (or
        where a value is set, so that it is never hidden while it counts)."""
        units = fields.units if fields else {}
        unit = units.get("mitoses") or UNITS["mitoses"]
        edition = f" ({fields.edition})" if fields else ""
        self.labels["mitoses"].setText(f"Mi&toses ({unit}):")
        self.mitoses.setToolTip(f"Mitotic count per {unit.removeprefix('per ')}{edition}")
        self.ki67.setToolTip(f"Ki-67 index in %{edition}")
        choices = fields.choices.get("necrosis", []) if fields else []
        if choices and self.necrosis.count() == 1:
            self.necrosis.blockSignals(True)
            for value, printed in choices:
                self.necrosis.addItem(printed, value)
            self.necrosis.blockSignals(False)
        for key in ("necrosis", "differentiation"):
            box = self.fields[key]
            assert isinstance(box, QComboBox)
            used = key in units or box.currentIndex() > 0
            box.setVisible(used and box.count() > 1)
            self.labels[key].setVisible(used and box.count() > 1)

    def mark(self, keys: tuple[str, ...], why: str) -> None:
        self.unmark()
        for key in keys:
            widget = self.fields.get(key)
            if widget is not None:
                widget.setStyleSheet(MARKED)
                widget.setToolTip(why)
                self._marked.add(key)

    def unmark(self, keys: set[str] | None = None) -> None:
        for key in list(self._marked if keys is None else keys & self._marked):
            self.fields[key].setStyleSheet("")
            self.fields[key].setToolTip("")
            self._marked.discard(key)

    def marked(self) -> set[str]:
        return set(self._marked)

    def _edited(self, key: str) -> None:
        self.unmark({key})
        self.changed.emit()
