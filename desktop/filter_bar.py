"""A tab's filter fields in one row where they fit, else wrapped onto more rows: at 1366 px, or at a
projector's zoom, each field keeps its minimum width instead of being cut or widening the window."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget


class FilterBar(QWidget):
    """Fields (a label with its box, or a button) in order, filled row by row; a row's spare room goes to
    its fields by their stretch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields: list[tuple[QWidget, int]] = []
        self._rows: list[list[int]] = []
        self._width = 1 << 20  # one row until the bar is given its width
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the window may be narrower

    def add_field(self, text: str, box: QWidget, stretch: int = 0) -> QLabel:
        """A label (its mnemonic takes the focus to the box) and the box, kept together on one row."""
        field = QWidget()
        row = QHBoxLayout(field)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text)
        label.setBuddy(box)
        row.addWidget(label)
        row.addWidget(box, 1)
        self.add(field, stretch)
        return label

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self._fields.append((widget, stretch))
        if len(self._rows) == 1 and self._width > self.width():  # no width yet: one row, laid out once
            row = self._layout.itemAt(0).layout()
            assert isinstance(row, QHBoxLayout)
            row.insertWidget(len(self._rows[0]), widget, stretch)
            self._rows[0].append(len(self._fields) - 1)
        else:
            self._arrange(self._width)

    def remove(self, widget: QWidget) -> None:
        """Take a field out (its widget stays the caller's to delete); the others close up."""
        self._fields = [(w, s) for w, s in self._fields if w is not widget]
        self._rows = []  # lay out again, even where the rows' indices happen to match
        self._arrange(self._width)

    def rows(self) -> list[list[QWidget]]:
        """The fields of each row, as laid out now."""
        return [[self._fields[i][0] for i in row] for row in self._rows]

    def _split(self, width: int) -> list[list[int]]:
        spacing = self._layout.spacing()
        rows: list[list[int]] = [[]]
        used = 0
        for i, (widget, _stretch) in enumerate(self._fields):
            need = widget.minimumSizeHint().width()
            if rows[-1] and used + spacing + need > width:
                rows.append([])
                used = 0
            used += need + (spacing if len(rows[-1]) else 0)
            rows[-1].append(i)
        return rows

    def _arrange(self, width: int) -> None:
        rows = self._split(width)
        if rows == self._rows:
            return
        while (item := self._layout.takeAt(0)) is not None:
            old = item.layout()
            if old is not None:
                while old.takeAt(0) is not None:
                    pass
                old.deleteLater()
        for row in rows:
            line = QHBoxLayout()
            for i in row:
                widget, stretch = self._fields[i]
                line.addWidget(widget, stretch)
            if not any(self._fields[i][1] for i in row):
                line.addStretch(1)  # buttons keep their size, to the left
            self._layout.addLayout(line)
        self._rows = rows
        self.updateGeometry()  # the height changed: the tab lays itself out again

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._width = event.size().width()
        self._arrange(self._width)
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest field (the rest wrap); as tall as the rows are now."""
        widest = max((w.minimumSizeHint().width() for w, _s in self._fields), default=0)
        return QSize(widest, self._layout.minimumSize().height())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._layout.sizeHint().height())
