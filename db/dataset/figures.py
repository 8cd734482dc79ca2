"""Printed figures: a number as the source printed it, with its qualifier.

A figure keeps the exact text ("18.0", "<1", "NR") for display and export, and
a numeric value for sorting and charts when there is one. "Not reached",
"not estimable" and "none" (a source that says in words that no patient had it,
e.g. "there was no objective response") are values without a number; a figure
that the source does not report is simply absent, never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"^(?P<op><=|>=|<|>|≤|≥|~|≈)?\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<pct>%)?$"
)
_OPS = {"<=": "≤", ">=": "≥", "≈": "~"}

WORDS = {
    "nr": "not reached",
    "not reached": "not reached",
    "ne": "not estimable",
    "not estimable": "not estimable",
    "none": "none",
}


@dataclass(frozen=True)
class Figure:
    text: str
    value: float | None
    qualifier: str  # "", "<", ">", "≤", "≥", "~", "not reached", "not estimable", "none"

    @property
    def is_exact(self) -> bool:
        return self.value is not None and self.qualifier == ""


class FigureError(ValueError):
    pass


def parse_figure(text: str) -> Figure:
    """Parse a printed value.

    >>> parse_figure("<1")
    Figure(text='<1', value=1.0, qualifier='<')
    >>> parse_figure("NR").qualifier
    'not reached'
    """
    raw = text.strip()
    match = _NUMBER.match(raw)
    if match:
        op = match.group("op") or ""
        return Figure(raw, float(match.group("num")), _OPS.get(op, op))
    word = WORDS.get(raw.lower())
    if word:
        return Figure(raw, None, word)
    raise FigureError(
        f"'{raw}' is not a printed number (write it as printed, e.g. 11.4, <1, NR)"
    )
