"""Thin models for the Compare tab: the comparison table (topics down, therapies across), the
checkable list of topics that go into the handout, and the choices of the disease and therapy boxes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from db.compare.model import OFF_BY_DEFAULT, SETTING, TOPICS, Comparison
from desktop.qt_names import ALIGN, CHECK, DISPLAY, EDIT, FONT, HORIZONTAL, SORT_ROLE, TOOLTIP, TOP_LEFT, USER

WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

Index = QModelIndex | QPersistentModelIndex
TOPIC = 0  # the first column; column 1 + i is therapy i
WARNING = "⚠ "


class ComparisonModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._c: Comparison | None = None
        self._order: list[int] = []  # row order: the topics' order unless sorted
        self._bold = QFont()
        self._bold.setBold(True)

    def set_comparison(self, c: Comparison | None) -> None:
        self.beginResetModel()
        self._c = c
        self._order = list(range(len(c.rows))) if c else []
        self.endResetModel()

    def comparison(self) -> Comparison | None:
        return self._c

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._c is None else 1 + len(self._c.columns)

    def cell(self, row: int, column: int) -> str:
        """A cell as shown: one item a line, each with [reference: table or section]; ⚠ marks the setting."""
        assert self._c is not None
        r = self._c.rows[self._order[row]]
        if column == TOPIC:
            return r.title
        items = r.cells[column - 1]
        return "\n".join((WARNING if i.kind == SETTING else "") + " ".join(x for x in (i.text, self._c.cite(i)) if x)
                         for i in items)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self._c is None:
            return None
        if role in (DISPLAY, SORT_ROLE):
            return self.cell(index.row(), index.column())
        if role == TOOLTIP and index.column() > TOPIC:
            return self._sources(index.row(), index.column())
        if role == ALIGN:
            return TOP_LEFT
        if role == FONT and index.column() == TOPIC:
            return self._bold
        return None

    def _sources(self, row: int, column: int) -> str:
        assert self._c is not None
        items = self._c.rows[self._order[row]].cells[column - 1]
        refs = {self._c.number(i.source_id): i.source_id for i in items if i.source_id}
        lines = [f"[{n}] {self._c.catalog[s].short}" for n, s in sorted(refs.items()) if n is not None]
        text = "Sources: " + "; ".join(lines) if lines else "No source: what this dataset holds or lacks"
        marked = {c.key for i in items for c in i.caveats}
        notes = [f"{mark} {c.heading}: {c.text}" for mark, c in self._c.caveats if c.key in marked]
        return "\n\n".join([text, *notes])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != HORIZONTAL or self._c is None:
            return None
        if section == TOPIC:
            return "Topic" if role == DISPLAY else None
        col = self._c.columns[section - 1]
        if role == DISPLAY:  # a combination on two lines, 'Everolimus +' over 'Octreotide LAR': never clipped
            return col.label.replace(" + ", " +\n") + {
                "in": "", "broader": "\n⚠ broader setting", "other": "\n⚠ other setting", "none": "\n⚠ no study"
            }[col.setting]
        if role == TOOLTIP:
            return col.note or f"Studies in {self._c.disease_name}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By the column's text; an unknown column restores the topics' own order."""
        if self._c is None:
            return
        self.layoutAboutToBeChanged.emit()
        natural = list(range(len(self._c.rows)))
        if 0 <= column < self.columnCount():
            by_text = {n: self.cell(n, column).casefold() for n in natural}
            self._order = sorted(natural, key=by_text.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        else:
            self._order = natural
        self.layoutChanged.emit()


class WrapDelegate(QStyledItemDelegate):
    """Row heights from the wrapped text at the width the text really gets, with a line to spare (the
    default size hint measures at the full column width and so cuts the last line of a long cell)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        text = str(index.data(DISPLAY) or "")
        font = index.data(FONT)
        metrics = QFontMetrics(font if isinstance(font, QFont) else option.font)
        margin = self._view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, self._view) + 1
        width = max(20, self._view.columnWidth(index.column()) - 2 * margin - 2)
        box = metrics.boundingRect(QRect(0, 0, width, 1_000_000), WRAP, text)
        return QSize(width, box.height() + 2 * margin + metrics.lineSpacing())  # slack: Qt wraps a little narrower


class TopicListModel(QAbstractListModel):
    """The rows that go into the table and the handout: checkable, all checked at first."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._checked = {key: key not in OFF_BY_DEFAULT for key, _ in TOPICS}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TOPICS)

    def checked(self) -> list[str]:
        return [key for key, _ in TOPICS if self._checked[key]]

    def set_checked(self, key: str, on: bool) -> None:
        row = [k for k, _ in TOPICS].index(key)
        self.setData(self.index(row), CHECKED if on else UNCHECKED, CHECK)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return CHECKABLE

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        key, title = TOPICS[index.row()]
        if role == DISPLAY:
            return title
        if role == CHECK:
            return CHECKED if self._checked[key] else UNCHECKED
        if role == USER:
            return key
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != CHECK:
            return False
        key = TOPICS[index.row()][0]
        self._checked[key] = Qt.CheckState(value) == CHECKED
        self.dataChanged.emit(index, index, [CHECK])
        self.changed.emit()
        return True


class ChoiceModel(QAbstractListModel):
    """(label, key) choices for a combo box; row 0 may be a 'none' entry with key ''."""

    def __init__(self, items: list[tuple[str, str]], none: str | None = None) -> None:
        super().__init__()
        self._items = ([(none, "")] if none is not None else []) + items

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def key(self, row: int) -> str:
        return self._items[row][1] if 0 <= row < len(self._items) else ""

    def row_of(self, key: str) -> int:
        return next((n for n, (_label, k) in enumerate(self._items) if k == key), -1)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        label, key = self._items[index.row()]
        if role in (DISPLAY, EDIT):
            return label
        if role == USER:
            return key
        return None
