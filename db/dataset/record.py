"""The one name for a record as the store gives it: a database row, or a study nested with its arms,
outcomes and notes (db/store.py `Store.studies`)."""

from __future__ import annotations

from typing import Any, TypedDict

Record = dict[str, Any]


class SourceRecord(TypedDict):
    """A source document or standard as `Store.sources()` gives it (table sources)."""

    id: str
    kind: str  # review, trial, news, standard, registry, label
    short: str  # 'Cancer Manag Res 2017'
    citation: str
    year: str | None
    doi: str | None
    pmid: str | None
    nct: str | None
    file: str | None
    description: str | None
    ord: int


class DiseaseRecord(TypedDict):
    """A disease as `Store.diseases()` gives it; the tree of them is `Store.disease_tree`."""

    id: str
    name: str
    short: str | None
    parent_id: str | None
    description: str | None
    ord: int


class VocabularyRecord(TypedDict):
    """A therapy class or a marker as `Store.vocabulary(kind)` gives it, with its synonyms."""

    id: str
    name: str
    synonyms: list[str]


def json_object(column: str | None) -> Record | None:
    """A JSON object column; a build of schema 5 or older (a kept previous dataset, for the release diff)
    has no such column, or the design as one line of text: {'text': ...}."""
    import json  # not an import at start-up: a study is read after the window is shown

    if column is None:
        return None
    try:
        value = json.loads(column)
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {"text": column}
