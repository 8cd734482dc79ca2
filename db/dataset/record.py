"""The one name for a record as the store gives it: a database row, or a study nested with its arms,
outcomes and notes (db/store.py `Store.studies`)."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


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
