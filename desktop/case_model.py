"""The Case tab's options table: a heading row per group (fits, partly, conflicts, other setting), then each
option with its lead study, fit and reasons; options are checked (Space or a click) for the handout, 2 to 4
of them, never one the case has already received."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from db.case import MAX_PACKET, CaseOptions, Group, Option
from desktop.qt_names import CHECK, DISPLAY, FONT, HORIZONTAL, TOOLTIP

Index = QModelIndex | QPersistentModelIndex
THERAPY, LEAD, FIT, REASONS = range(4)
HEADERS = ("Therapy", "Lead study", "Fit", "Reasons")
FIT_WORDS = {"fits": "fits", "partly": "in part", "conflicts": "conflicts", "other-setting": "other setting"}
RECEIVED = "already received"
CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
PLAIN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class OptionsModel(QAbstractTableModel):
    chosen_changed = Signal()
    refused = Signal(str)  # why an option could not be checked

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Group | Option] = []
        self._leads: dict[str, str] = {}
        self._chosen: list[str] = []  # therapy keys, in the order checked
        self._bold = QFont()
        self._bold.setBold(True)

    def set_options(self, options: CaseOptions | None, leads: dict[str, str] | None = None) -> None:
        """New options in one reset; the choices still offered (and not already received) stay chosen."""
        self.beginResetModel()
        self._rows = [x for g in options.groups for x in (g, *g.options)] if options else []
        self._leads = leads or {}
        usable = {o.therapy for o in self._rows if isinstance(o, Option) and not o.already_received}
        self._chosen = [k for k in self._chosen if k in usable]
        self.endResetModel()
        self.chosen_changed.emit()

    def option(self, row: int) -> Option | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, Option) else None

    def is_heading(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and isinstance(self._rows[row], Group)

    def heading_rows(self) -> list[int]:
        return [row for row, item in enumerate(self._rows) if isinstance(item, Group)]

    def row_of(self, therapy: str) -> int:
        return next((i for i, x in enumerate(self._rows) if isinstance(x, Option) and x.therapy == therapy), -1)

    def chosen(self) -> list[str]:
        return list(self._chosen)

    def drawn(self, row: int, column: int) -> tuple[str, bool, bool]:
        """What a cell's width depends on: its text, bold or not, with a check box or not."""
        item = self._rows[row]
        if isinstance(item, Group):
            return (self._heading(item) if column == THERAPY else ""), True, False
        return self._text(item, column, False), False, column == THERAPY and not item.already_received

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == HORIZONTAL and role == DISPLAY:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        option = self.option(index.row()) if index.isValid() else None
        if option is None:
            return Qt.ItemFlag.ItemIsEnabled
        return CHECKABLE if index.column() == THERAPY and not option.already_received else PLAIN

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if isinstance(item, Group):
            if role in (DISPLAY, TOOLTIP) and index.column() == THERAPY:
                return self._heading(item)
            return self._bold if role == FONT else None
        if role in (DISPLAY, TOOLTIP):
            return self._text(item, index.column(), role == TOOLTIP)
        if role == CHECK and index.column() == THERAPY and not item.already_received:
            return Qt.CheckState.Checked if item.therapy in self._chosen else Qt.CheckState.Unchecked
        return None

    @staticmethod
    def _heading(group: Group) -> str:
        return f"{group.title} ({len(group.options)})" + ("" if group.options else ": none")

    def _text(self, o: Option, column: int, whole: bool) -> str:
        if column == THERAPY:
            return o.label + (f" — {RECEIVED}" if o.already_received else "")
        if column == LEAD:
            return self._leads.get(o.lead_study, o.lead_study)
        if column == FIT:
            return FIT_WORDS.get(o.fit, o.fit) + (f"; {RECEIVED}" if o.already_received else "")
        return ("\n" if whole else "; ").join(o.reasons)

    def setData(self, index: Index, value: Any, role: int = CHECK) -> bool:
        option = self.option(index.row()) if index.isValid() else None
        if role != CHECK or index.column() != THERAPY or option is None:
            return False
        if option.already_received:
            self.refused.emit(f"{option.label} was already received: it is not offered for the handout.")
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if checked and option.therapy not in self._chosen:
            if len(self._chosen) >= MAX_PACKET:
                self.refused.emit(f"At most {MAX_PACKET} options go into a handout: uncheck one first.")
                return False
            self._chosen.append(option.therapy)
        elif not checked and option.therapy in self._chosen:
            self._chosen.remove(option.therapy)
        else:
            return False
        self.dataChanged.emit(index, index, [CHECK])
        self.chosen_changed.emit()
        return True
