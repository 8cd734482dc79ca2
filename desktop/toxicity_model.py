"""Thin models for the Toxicity tab: the therapy list for the picker and the figures table.

The table sorts in the model (sort()); on the numeric columns a figure the source does
not report ("not reported") goes last in either direction, since it is not 0.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from db.presentation.present import NOT_REPORTED, Reading, caveat_lines, text
from db.toxicity.table import Therapy, ToxRow
from desktop.qt_names import ALIGN, DESCENDING, DISPLAY, EDIT, ELIDE_MIDDLE, HORIZONTAL, RIGHT, TOOLTIP, USER

COLUMNS = ("Adverse event", "Therapy", "Study", "Disease", "All grades", "Grade ≥3", "Source")
EVENT, THERAPY, STUDY, DISEASE, ALL, HIGH, SOURCE = range(7)
HEADER_TIPS = (
    "Canonical term; the source's own wording is in the tooltip",
    "Regimen of the arm",
    "Study (arm in the tooltip)",
    "The study's disease setting: figures from other settings are not the same population",
    f"All grades, % of patients, as printed; {NOT_REPORTED} is not 0",
    f"Grade 3–4 or grade ≥3, as the source heads its column; {NOT_REPORTED} is not 0",
    "Source document and table or section",
)

Index = QModelIndex | QPersistentModelIndex


class MiddleElide(QStyledItemDelegate):
    """Elides in the middle. (Overriding initStyleOption instead leaks a reference to None per
    call in PySide6 6.12, which crashes Python 3.11 after a few thousand paints.)"""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        middle = QStyleOptionViewItem(option)
        middle.textElideMode = ELIDE_MIDDLE
        super().paint(painter, middle, index)


class TherapyListModel(QAbstractListModel):
    """The picker's choices: "Lenvatinib  (9 studies)"; UserRole gives the therapy key."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[Therapy] = []

    def set_therapies(self, items: list[Therapy]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def therapy(self, row: int) -> Therapy:
        return self._items[row]

    def row_of(self, key: str) -> int:
        return next((i for i, t in enumerate(self._items) if t.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        t = self._items[index.row()]
        if role in (DISPLAY, EDIT):  # the completer matches on the edit role
            return f"{t.label}  ({t.studies} stud{'ies' if t.studies != 1 else 'y'})"
        if role == USER:
            return t.key
        if role == TOOLTIP:
            return f"{t.label}: {t.figures} adverse-event figures from {t.studies} studies, {t.arms} arms"
        return None


def _number_key(fig: Reading | None) -> float | None:
    """'<1' sorts just below 1; a figure without a number (or absent) has no key."""
    if fig is None or fig.value is None:
        return None
    shift = {"<": -0.001, "≤": -0.0005, ">": 0.001, "≥": 0.0005}.get(fig.qualifier, 0.0)
    return fig.value + shift


INITIAL_SORT = Qt.ItemDataRole.InitialSortOrderRole

TEXT_KEYS: dict[int, Callable[[ToxRow], tuple[str, str]]] = {
    EVENT: lambda r: (r.ae_name.casefold(), r.therapy_label.casefold()),
    THERAPY: lambda r: (r.therapy_label.casefold(), r.ae_name.casefold()),
    STUDY: lambda r: (r.study_name.casefold(), r.ae_name.casefold()),
    DISEASE: lambda r: (r.disease_text.casefold(), r.ae_name.casefold()),
    SOURCE: lambda r: (r.source.casefold(), r.locator.casefold()),
}


class ToxicityTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ToxRow] = []
        self._natural: list[ToxRow] = []  # as given: by event, therapy, study
        self._sort: tuple[int, Qt.SortOrder] | None = (ALL, DESCENDING)  # the most frequent events first

    def set_rows(self, rows: list[ToxRow]) -> None:
        self.beginResetModel()
        self._natural = list(rows)
        self._rows = self._sorted(self._natural)
        self.endResetModel()

    def row(self, row: int) -> ToxRow:
        return self._rows[row]

    def rows(self) -> list[ToxRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self._display(r, column)
        if role == TOOLTIP:
            return self._tooltip(r, column)
        if role == ALIGN and column in (ALL, HIGH):
            return RIGHT
        if role == USER:
            return r
        return None

    @staticmethod
    def _display(r: ToxRow, column: int) -> str:
        if column == EVENT:
            return r.ae_name + (" *" if r.note else "") + (" (other reading)" if not r.preferred else "")
        if column == THERAPY:
            return r.therapy_label
        if column == STUDY:
            return r.study_name
        if column == DISEASE:
            return r.disease_text
        if column == ALL:
            return r.all_text
        if column == HIGH:
            return r.high_text
        return r.cite

    @staticmethod
    def _tooltip(r: ToxRow, column: int) -> str:
        lines = [f"{r.ae_name} (reported as “{r.term}”)", f"{r.therapy_label}: {r.study_name}, arm {r.arm_label}",
                 f"Disease: {r.disease_text}",
                 f"All grades: {r.all_text}", f"Grade {r.band_text}: {text(r.high_grade, 'value')}",
                 f"Source: {r.cite}"]
        lines += caveat_lines(r.caveats)
        lines += [f"Note: {n}" for n in (r.note, *r.arm_notes) if n]
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != HORIZONTAL:
            return None
        if role == DISPLAY:
            return COLUMNS[section]
        if role == TOOLTIP:
            return HEADER_TIPS[section]
        if role == INITIAL_SORT:  # a first click on a figure's column puts the highest first, as the table opens
            return DESCENDING if section in (ALL, HIGH) else Qt.SortOrder.AscendingOrder
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order) if 0 <= column < len(COLUMNS) else None
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [(self._rows[i.row()], i.column()) for i in old]
        self._rows = self._sorted(self._natural)
        where = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(where[id(r)], c) for r, c in held])
        self.layoutChanged.emit()

    def _sorted(self, rows: list[ToxRow]) -> list[ToxRow]:
        if self._sort is None:
            return list(rows)
        column, order = self._sort
        reverse = order == DESCENDING
        if column in TEXT_KEYS:
            return sorted(rows, key=TEXT_KEYS[column], reverse=reverse)
        keyed = [(_number_key(r.all_grade if column == ALL else r.high_grade), r) for r in rows]
        present = [(k, r) for k, r in keyed if k is not None]
        present.sort(key=lambda kr: kr[0], reverse=reverse)
        return [r for _k, r in present] + [r for k, r in keyed if k is None]


def detail_html(r: ToxRow, version: str) -> str:
    """The selected figure in full, with its source, notes and the dataset version."""
    parts = [f"(reported as “{r.term}”) — {r.therapy_label}, {r.study_name}, arm {r.arm_label}",
             f"disease: {r.disease_text}",
             f"all grades: {r.all_text}", f"grade {r.band_text}: {text(r.high_grade, 'value')}",
             f"source: {r.cite}", f"Dataset {version}"]
    notes = "".join(f"<br>{escape(line)}" for line in caveat_lines(r.caveats))
    notes += "".join(f"<br>Note: {escape(n)}" for n in (r.note, *r.arm_notes) if n)
    return f"<b>{escape(r.ae_name)}</b> " + " · ".join(escape(p) for p in parts) + notes
