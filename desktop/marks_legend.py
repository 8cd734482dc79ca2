"""What the marks in the window mean: one line under a grid, and the whole list in the F1 box. The words
are the handout's key (db/presentation/present.py `key_text`), so a mark reads the same on screen and paper."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from db.presentation.identifiers import REGISTRY_LEGEND, REGISTRY_MARK
from db.presentation.present import NOT_REPORTED, key_text

MARKS = [
    *(line.split(" ", 1) for line in key_text("\n").splitlines()),
    [REGISTRY_MARK, REGISTRY_LEGEND.removeprefix(REGISTRY_MARK).strip()],
    ["*", "the Toxicity row has a note of its source's (select the row to read it)"],
    [NOT_REPORTED, "the source gives no figure (never 0)"],
    ["NR", "not reached, as the source prints it"],
]


def legend_line() -> str:
    return f"{key_text(' · ')} · {REGISTRY_MARK} registry acronym · F1: every mark and key"


def legend_label() -> QLabel:
    """The line under a grid; the F1 box lists every mark in full."""
    label = QLabel(legend_line())
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName("What the marks mean")
    return label


def marks_html() -> str:
    from html import escape  # the F1 box's: html is no module of the first paint

    rows = "".join(f"<tr><td><b>{escape(mark)}</b></td><td>{escape(meaning)}</td></tr>" for mark, meaning in MARKS)
    return f"<p><b>Marks</b></p><table cellpadding='4'>{rows}</table>"
