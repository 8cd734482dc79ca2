"""Lines of the five source documents (../shared/seeds from the project root) that a test rests on, and a
check that they still say the key words. Without the documents a test fails, never skips."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Lines:
    """Lines `first`..`last` (1-based, inclusive) of a source document and the words they must contain."""

    file: str
    first: int
    last: int
    words: tuple[str, ...]


@cache
def _source_lines(file: str) -> tuple[str, ...]:
    path = SOURCES / file
    if not path.is_file():
        pytest.fail(f"source document {path} is missing: tests that cite the sources need ../shared/seeds")
    return tuple(path.read_text(encoding="utf-8").splitlines())


def source_texts(cite: Lines) -> tuple[str, str]:
    """The cited lines as one line of text, runs of white space as one space, in the two readings of a
    hyphen that ends a line: a hyphenated word ('single-arm') and a word broken in two ('statistically')."""
    text = re.sub(r"\s+", " ", " ".join(_source_lines(cite.file)[cite.first - 1:cite.last]))
    return re.sub(r"- ", "-", text), re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)


def said(*cites: Lines) -> None:
    """Fail unless each cited passage contains its key words."""
    for cite in cites:
        texts = [t.casefold() for t in source_texts(cite)]
        missing = [w for w in cite.words if not any(w.casefold() in t for t in texts)]
        assert not missing, f"{cite.file} lines {cite.first}-{cite.last} do not contain {missing}"
