"""A study's design, population and end points in short text, from the dicts `Store.study` returns
(db/dataset/population.py's JSON form): what the CSV export, the served dataset and the release diff show.

    >>> entry_text("prior", [{"class": "vegfr-mki", "rule": "required"},
    ...                      {"class": "chemotherapy", "rule": "allowed", "share": "50%"}])
    'vegfr-mki required; chemotherapy allowed (50%)'
    >>> entry_text("primary", {"measure": "pfs", "result": "met", "boundary": "p ≤ 0.0246"})
    'pfs: met (p ≤ 0.0246)'
"""

from __future__ import annotations

from typing import Any

from db.dataset.record import Record, Row

DESIGN_FIELDS = ("allocation", "groups", "group_kind", "blinding", "text")
POPULATION_FIELDS = ("text", "line", "prior", "markers", "functional", "sstr", "grades", "progression")
ENDPOINT_FIELDS = ("primary", "secondary", "os", "crossover")


def item_text(key: str, item: Any) -> str:
    if isinstance(item, str):
        return item
    if key in ("prior", "markers"):
        text = f"{item.get('class') or item.get('marker')} {item.get('rule')}"
    elif key in ("primary", "secondary"):
        text = f"{item.get('measure')}: {item.get('result')}"
        if item.get("boundary"):
            text += f" ({item['boundary']})"
        return text
    elif key == "os":
        return str(item.get("text") or "")
    else:
        value = item.get("value")
        text = ", ".join(value) if isinstance(value, list) else str(value or "")
    return f"{text} ({item['share']})" if item.get("share") else text


def entry_text(key: str, entry: Any) -> str:
    """'' for an absent entry; `not stated`; an item's or a list's text."""
    if entry is None:
        return ""
    if isinstance(entry, list):
        return "; ".join(item_text(key, i) for i in entry)
    return item_text(key, entry)


def entry_items(entry: Any) -> list[Record]:
    if isinstance(entry, dict):
        return [entry]
    return [i for i in entry if isinstance(i, dict)] if isinstance(entry, list) else []


def entry_source(entry: Any) -> str:
    """'cmr2017, Table 4' (each distinct source and locator, '; ' between)."""
    cited = (", ".join(x for x in (i.get("source"), i.get("at")) if x) for i in entry_items(entry))
    return "; ".join(dict.fromkeys(c for c in cited if c))


def entry_notes(entry: Any) -> list[str]:
    return [str(i["note"]) for i in entry_items(entry) if i.get("note")]


def for_arm(study: Row, arm: Row | None) -> Record:
    """What holds for an arm's patients: the study's population with the arm's own keys over it."""
    own = (arm or {}).get("population") or {}
    return {**(study.get("population") or {}), **own}


def study_texts(study: Row, arm: Row | None = None) -> dict[str, str]:
    """The export's columns: line, prior classes, markers, the primary end point and its result."""
    population = for_arm(study, arm)
    primary = (study.get("endpoints") or {}).get("primary")
    return {
        "line": entry_text("line", population.get("line")),
        "prior_classes": entry_text("prior", population.get("prior")),
        "markers": entry_text("markers", population.get("markers")),
        "primary_endpoint": primary.get("measure", "") if isinstance(primary, dict) else entry_text("primary", primary),
        "primary_result": primary.get("result", "") if isinstance(primary, dict) else entry_text("primary", primary),
    }
