"""Linking figure records read from the database: each reading's marking notes, each preferred
reading's other readings. Imports nothing: the store uses it at start-up."""

from __future__ import annotations

from typing import Any


def link_records(records: list[dict[str, Any]], marks: dict[Any, list[dict[str, Any]]]) -> None:
    """Give each figure record (a database row) the notes that mark its reading, and each preferred
    reading its other readings: what the store, the search index and the Trials fetch all need."""
    preferred = {}
    for r in records:
        r["caveats"] = marks.get(r["reading_id"], [])
        r["alternatives"] = []
        if r["preferred"]:
            preferred[r["figure_id"]] = r
    for r in records:
        if not r["preferred"] and r["figure_id"] in preferred:
            preferred[r["figure_id"]]["alternatives"].append(r)
