"""The few words of who was treated that the Trials tab needs at start: the line in one word, the markers
in words, the vocabularies' names. Small on purpose: it is compiled and imported before the first paint
(db/presentation/who.py, which re-exports it, holds the rest)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from db.dataset.record import Record, Row

NOT_STATED = "not stated"
LINE = {"first": "first line (no earlier systemic therapy)", "later": "after earlier systemic therapy",
        "mixed": "some had earlier systemic therapy"}
EMPTY: Mapping[str, str] = MappingProxyType({})


class Names(NamedTuple):
    """The vocabularies' display names: therapy classes and markers by id."""

    classes: Mapping[str, str] = EMPTY
    markers: Mapping[str, str] = EMPTY

    @classmethod
    def of(cls, store: Any) -> Names:
        return cls({c["id"]: c["name"] for c in store.vocabulary("class")},
                   {m["id"]: m["name"] for m in store.vocabulary("marker")})


def population_of(study: Row, arm: Row | None = None) -> Record:
    """What holds for an arm's patients: the study's population with a cohort's or stratum's own keys over it."""
    own = (arm or {}).get("population") or {}
    return {**(study.get("population") or {}), **own}


def items(entry: Any) -> list[Record]:
    """An entry's items: one, a list, or none for `not stated`."""
    if isinstance(entry, dict):
        return [entry]
    return [i for i in entry if isinstance(i, dict)] if isinstance(entry, list) else []


def marker_text(item: Row, names: Names) -> str:
    name = names.markers.get(str(item.get("marker")), str(item.get("marker")))
    return f"{name} {'required' if item.get('rule') == 'required' else 'excluded'}"


def line_word(study: Row, arm: Row | None = None) -> str:
    """The line in one word, for a table column and its filter: 'first', 'later', 'mixed' (items that
    disagree are mixed too) or 'not stated' (also where the study gives no population at all)."""
    values = list(dict.fromkeys(v for i in items(population_of(study, arm).get("line"))
                                if (v := str(i.get("value"))) in LINE))
    return (values[0] if len(values) == 1 else "mixed") if values else NOT_STATED


def markers_entry_text(entry: Any, names: Names) -> str:
    """A population's `markers` entry in words: 'BRAF V600E required; RET fusion excluded' or 'not stated'."""
    return "; ".join(marker_text(i, names) for i in items(entry)) or NOT_STATED


def markers_text(study: Row, names: Names | None = None, arm: Row | None = None) -> str:
    """The markers the study (or the arm) requires or excludes, for a table column and its filter."""
    return markers_entry_text(population_of(study, arm).get("markers"), names or Names())
