"""Where a fact was written (file and line of a seed) and where it comes from (source and locator)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Loc:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Cite:
    """Where a fact comes from: a source id plus a locator (table, section)."""

    source: str
    at: str
    line: int = 0  # where `source` was written (the figure's own or an enclosing one)
