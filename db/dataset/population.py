"""Who a study treated, how it was built, what it set out to show: a study's `population`,
`design` and `endpoints` (docs/seed-format.md, last section) as read from seeds/, and the JSON
form the database keeps (the fields as written, each item with its `source` and `at`).

An entry is the text `not stated`, one item, or a list of items (`prior`, `markers`, `secondary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.dataset.cite import Cite, Loc
from db.dataset.vocab import NOT_STATED

Json = dict[str, Any]


@dataclass
class Item:
    """One curated statement: its fields as written (value, share, class, rule, marker, measure, result,
    boundary, text, note), where it is written and what it cites."""

    fields: dict[str, str | list[str]]
    cite: Cite
    loc: Loc

    def text(self, key: str) -> str | None:
        value = self.fields.get(key)
        return value if isinstance(value, str) else None


Entry = Item | list[Item] | str  # a str entry is always NOT_STATED


@dataclass
class Population:
    """Who was treated: line, prior, markers, functional, sstr, grades, progression (as written)."""

    entries: dict[str, Entry]
    loc: Loc
    text: str | None = None  # our words: who was treated
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Design:
    """How the study was built: allocation, groups, group_kind, blinding, text (`not stated` kept)."""

    fields: dict[str, str]
    cite: Cite | None  # None when nothing is stated (or the study has no source)
    loc: Loc
    note: str | None = None

    def get(self, key: str) -> str:
        return self.fields.get(key, NOT_STATED)


@dataclass
class Endpoints:
    """What the study set out to show: primary, secondary (a list), os, crossover."""

    entries: dict[str, Entry]
    loc: Loc


def state(entry: Entry | None) -> str:
    """'stated', 'not stated' or 'absent': what `check --coverage` counts."""
    if entry is None:
        return "absent"
    return NOT_STATED if isinstance(entry, str) else "stated"


def items(entry: Entry | None) -> list[Item]:
    """The items of an entry: none for `not stated` or an absent one."""
    if isinstance(entry, Item):
        return [entry]
    return entry if isinstance(entry, list) else []


def merged(study: Population | None, arm: Population | None) -> dict[str, Entry]:
    """What holds for an arm's patients: the study's population with the arm's own keys over it."""
    return {**(study.entries if study else {}), **(arm.entries if arm else {})}


def item_json(item: Item) -> Json:
    return {**item.fields, "source": item.cite.source, "at": item.cite.at}


def entry_json(entry: Entry) -> Any:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Item):
        return item_json(entry)
    return [item_json(i) for i in entry]


def population_json(p: Population) -> Json:
    out: Json = {"text": p.text} if p.text is not None else {}
    return out | {key: entry_json(e) for key, e in p.entries.items()}


def design_json(d: Design) -> Json:
    out: Json = dict(d.fields)
    out["source"] = d.cite.source if d.cite else None
    out["at"] = d.cite.at if d.cite else None
    if d.note is not None:
        out["note"] = d.note
    return out


def endpoints_json(e: Endpoints) -> Json:
    return {key: entry_json(v) for key, v in e.entries.items()}
