"""Every study's sort key for a Trials column, read in SQL: what desktop/trials_model.py's `_sort_key`
gives for the study's row, without building the row (tests/test_trials_sql.py checks they agree).

`sort_keys(conn, column, position)` returns a list indexed by the studies' positions (db/trials/queries.py);
None where a study has no such figure (it sorts last either way).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from itertools import groupby
from typing import Any, NamedTuple

from db.presentation.identifiers import short_name
from db.presentation.present import NOT_REACHED
from db.presentation.who_words import NOT_STATED, Names, markers_entry_text

Keys = list[Any]

# a number, not "not reached": the row's ArmFigure.value (db.presentation.present.Reading.is_number)
_NUMBER = f"value IS NOT NULL AND coalesce(qualifier, '') NOT IN ({','.join('?' * len(NOT_REACHED))})"
# a whole-population preferred reading, as db.presentation.present.main picks and the table lists hazard ratios
_MAIN = "coalesce(subgroup, '') = '' AND preferred"


def sort_keys(conn: sqlite3.Connection, column: str, position: Mapping[str, int]) -> Keys:
    readers: dict[str, Callable[[sqlite3.Connection, Mapping[str, int]], Keys]] = {
        "study": _names, "n": _enrolled, "year": _years, "disease": _diseases, "regimen": _regimens,
        "pfs": lambda c, p: _arm_figures(c, p, "pfs_median"), "orr": lambda c, p: _arm_figures(c, p, "orr"),
        "hr": _hazard_ratios, "line": _lines, "markers": _markers,
    }
    if column not in readers:
        raise ValueError(f"no sort key for {column!r}")
    return readers[column](conn, position)


class MarkerWords(NamedTuple):
    text: str  # the Markers cell: 'BRAF V600E required', 'not stated'
    names: tuple[str, ...]  # the markers' names: 'BRAF V600E'


def vocabulary_names(conn: sqlite3.Connection) -> Names:
    """db.presentation.who's Names from the vocabulary table (what `Names.of(store)` reads)."""
    rows = conn.execute("SELECT kind, id, name FROM vocabulary ORDER BY ord").fetchall()
    return Names({i: n for k, i, n in rows if k == "class"}, {i: n for k, i, n in rows if k == "marker"})


def marker_words(column: str, names: Names) -> MarkerWords:
    """A `population_markers` column (the markers entry as JSON) in words, through db.presentation.who."""
    entry = json.loads(column)
    items = entry if isinstance(entry, list) else []
    return MarkerWords(markers_entry_text(entry, names),
                       tuple(names.markers.get(str(i.get("marker")), str(i.get("marker"))) for i in items))


def seed_order(conn: sqlite3.Connection, position: Mapping[str, int]) -> list[int]:
    """Positions in the seed files' order: how ties and studies without a figure are ordered."""
    return list(map(position.__getitem__, [s for (s,) in conn.execute("SELECT id FROM studies ORDER BY ord")]))


def _set(keys: Keys, position: Mapping[str, int], rows: Any) -> Keys:
    for study, key in rows:
        keys[position[study]] = key
    return keys


def _names(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """The name the row shows, case-folded: the study's, or its registry acronym (marked) when it prints none."""
    registry: dict[str, list[dict[str, Any]]] = {}
    for study, value in conn.execute(
            "SELECT study_id, value FROM study_identifiers WHERE kind = 'acronym' ORDER BY study_id, ord"):
        registry.setdefault(study, []).append({"kind": "acronym", "value": value})
    rows = conn.execute("SELECT id, name, acronym FROM studies")
    return _set([None] * len(position), position, (
        (study, short_name({"name": name, "acronym": acronym, "identifiers": registry[study]}).casefold()
         if study in registry else str(name).casefold()) for study, name, acronym in rows))


def _enrolled(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    return _set([None] * len(position), position, conn.execute("SELECT id, enrolled FROM studies"))


def _years(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    return _set([None] * len(position), position, conn.execute("SELECT id, nullif(year, '') FROM studies"))


def _lines(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """'first', 'later', 'mixed'; None where not stated (last either way, as a missing figure)."""
    return _set([None] * len(position), position,
                conn.execute("SELECT id, nullif(population_line, ?) FROM studies", (NOT_STATED,)))


def _markers(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """The Markers cell case-folded; None where not stated. A few distinct columns, each put in words once."""
    names = vocabulary_names(conn)
    words: dict[str, str | None] = {}
    for (column,) in conn.execute("SELECT DISTINCT population_markers FROM studies"):
        text = marker_words(column, names).text
        words[column] = None if text == NOT_STATED else text.casefold()
    return _set([None] * len(position), position, (
        (study, words[column]) for study, column in conn.execute("SELECT id, population_markers FROM studies")))


def _joined(position: Mapping[str, int], rows: Any, join: Callable[[list[str]], str]) -> Keys:
    """`rows` (study, text) in each study's order, joined and case-folded; '' for a study with none."""
    return _set([""] * len(position), position, (
        (study, join([text for _s, text in group]).casefold()) for study, group in groupby(rows, lambda r: r[0])))


def _diseases(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """'Pancreatic neuroendocrine tumour, Gastrointestinal neuroendocrine tumour' as the row lists them."""
    rows = conn.execute("SELECT sd.study_id, coalesce(d.name, sd.disease_id) FROM study_diseases sd"
                        " LEFT JOIN diseases d ON d.id = sd.disease_id ORDER BY sd.study_id, sd.ord")
    return _joined(position, rows, ", ".join)


def _regimens(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """'Everolimus vs Placebo': each regimen once, in arm order."""
    rows = conn.execute("SELECT study_id, regimen_label FROM arms ORDER BY study_id, ord")
    return _joined(position, rows, lambda labels: " vs ".join(dict.fromkeys(labels)))


def _arm_figures(conn: sqlite3.Connection, position: Mapping[str, int], measure: str) -> Keys:
    """The first arm (in arm order) whose main reading of the measure (its first whole-population preferred
    one, db.presentation.present.main) is a number: that number. SQLite takes a bare column from the row of min()."""
    rows = conn.execute(
        "SELECT study, min(arm_ord), value FROM (SELECT a.study_id AS study, a.ord AS arm_ord, min(o.ord),"
        " o.value AS value, o.qualifier AS qualifier FROM outcomes o JOIN arms a ON a.id = o.arm_id"
        " WHERE o.measure = ? AND o.vs_arm_id IS NULL AND coalesce(o.subgroup, '') = '' AND o.preferred"
        f" GROUP BY o.arm_id) WHERE {_NUMBER} GROUP BY study", (measure, *NOT_REACHED))
    return _set([None] * len(position), position, ((study, value) for study, _arm, value in rows))


def _hazard_ratios(conn: sqlite3.Connection, position: Mapping[str, int]) -> Keys:
    """The first PFS hazard ratio (as printed) that is a number."""
    rows = conn.execute(f"SELECT study_id, min(ord), value FROM outcomes WHERE measure = 'pfs_hr'"
                        f" AND vs_arm_id IS NOT NULL AND {_MAIN} AND {_NUMBER} GROUP BY study_id", NOT_REACHED)
    return _set([None] * len(position), position, ((study, value) for study, _ord, value in rows))
