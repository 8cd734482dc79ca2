"""Search results grouped by kind, best group first: a two-level tree model.

Top-level rows are the groups ("Toxicity · 12"); their children are the hits. Groups
are ordered by their best hit, so an exact NCT id or acronym puts its group on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.qt_names import DISPLAY, TOOLTIP

if TYPE_CHECKING:
    from db.search.engine import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2
IS_GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
ENABLED = Qt.ItemFlag.ItemIsEnabled
SELECTABLE = Qt.ItemFlag.ItemIsSelectable

KIND_LABELS = {"study": "Studies", "toxicity": "Toxicity", "drug": "Drugs", "disease": "Diseases",
               "adverse_event": "Adverse events", "grading": "Grading", "source": "Sources"}

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = 2**31 - 1


@dataclass
class Group:
    kind: str
    hits: list[Hit]

    @property
    def label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)} · {len(self.hits)}"


def group_hits(hits: list[Hit]) -> list[Group]:
    groups: dict[str, Group] = {}
    for hit in hits:  # hits arrive best first, so each group's first hit is its best
        groups.setdefault(hit.kind, Group(hit.kind, [])).hits.append(hit)
    return list(groups.values())


class SearchResultsModel(QAbstractItemModel):
    def __init__(self) -> None:
        super().__init__()
        self._groups: list[Group] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._groups = group_hits(hits)
        self.endResetModel()

    @property
    def groups(self) -> list[Group]:
        return self._groups

    def hit_count(self) -> int:
        return sum(len(g.hits) for g in self._groups)

    def first_hit_index(self) -> QModelIndex:
        return self.index(0, 0, self.index(0, 0)) if self._groups else QModelIndex()

    def hit_at(self, index: Index) -> Hit | None:
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        return self._groups[index.internalId()].hits[index.row()]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _NO_PARENT) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _NO_PARENT:
            return QModelIndex()
        group = parent.row()
        return self.createIndex(row, 0, group) if row < len(self._groups[group].hits) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _NO_PARENT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _NO_PARENT:
            return len(self._groups[parent.row()].hits)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ENABLED if index.internalId() == _NO_PARENT else ENABLED | SELECTABLE

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _NO_PARENT:
            group = self._groups[index.row()]
            if role == DISPLAY:
                return group.label
            return True if role == IS_GROUP_ROLE else None
        hit = self._groups[index.internalId()].hits[index.row()]
        if role == DISPLAY:
            return hit.title
        if role == SNIPPET_ROLE:
            return hit.snippet
        if role == TOOLTIP:
            return f"{hit.title}\n{hit.snippet}"
        if role == HIT_ROLE:
            return hit
        if role == IS_GROUP_ROLE:
            return False
        return None
