"""The search results as a thin table model: kind, title and snippet per hit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.search import Hit

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
HORIZONTAL = Qt.Orientation.Horizontal

KIND_LABELS = {"study": "Study", "drug": "Drug", "disease": "Disease", "adverse_event": "Adverse event",
               "toxicity": "Toxicity", "grading": "Grading", "source": "Source"}
COLUMNS = ("Kind", "Result", "Details")
KIND, TITLE, SNIPPET = range(3)

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, TOOLTIP):
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if column == KIND:
            return KIND_LABELS.get(hit.kind, hit.kind)
        if column == TITLE:
            return hit.title
        return hit.snippet

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == HORIZONTAL:
            return COLUMNS[section]
        return None
