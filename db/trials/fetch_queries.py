"""What a Trials row needs of some studies, read by id: a page of the table, not the whole registry.

`study_records(conn, ids)` nests each study as `Store.studies()` does (arms with their whole-arm
outcomes, comparisons, the notes that mark each reading, its design and population), but reads only
the measures the Trials table shows (median PFS, ORR, the PFS hazard ratio), an arm's cited sources
instead of its adverse events, no doses (an arm's drugs are its `regimen_key`), and only the given
studies, each query through an index (arm_drugs has none by arm). db/trials/table.py builds the rows from
these records exactly as from `Store.studies()`; tests/test_trials_sql.py checks that the two agree.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from db.dataset.record import Record, json_object
from db.presentation.reading_links import link_records

SHOWN_MEASURES = ("pfs_median", "orr", "pfs_hr")


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Record]:
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _grouped(records: list[Record], key: str) -> dict[Any, list[Record]]:
    out: dict[Any, list[Record]] = defaultdict(list)
    for r in records:
        out[r[key]].append(r)
    return out


def _where(column: str, ids: Sequence[str] | None, arms: bool = False) -> str:
    """' WHERE study_id IN (?,…)' for these studies (' WHERE arm_id IN (…their arms…)' with `arms`); '' for all."""
    if ids is None:
        return ""
    listed = f"IN ({','.join('?' * len(ids))})"
    return f" WHERE {column} IN (SELECT id FROM arms WHERE study_id {listed})" if arms else f" WHERE {column} {listed}"


def study_records(conn: sqlite3.Connection, ids: Sequence[str] | None = None) -> list[Record]:
    """The studies `ids` (all, in seed order, when None), in the order given; an unknown id is left out."""
    if ids is not None and not ids:
        return []
    params: Sequence[str] = () if ids is None else ids
    studies = _rows(conn, f"SELECT * FROM studies{_where('id', ids)} ORDER BY ord", params)
    diseases = _grouped(_rows(conn, f"SELECT study_id, disease_id FROM study_diseases{_where('study_id', ids)}"
                              " ORDER BY study_id, ord", params), "study_id")
    identifiers = _grouped(_rows(conn, f"SELECT study_id, kind, value FROM study_identifiers"
                                 f"{_where('study_id', ids)} ORDER BY study_id, ord", params), "study_id")
    arms = _grouped(_rows(conn, f"SELECT * FROM arms{_where('study_id', ids)} ORDER BY study_id, ord", params),
                    "study_id")
    sources = _grouped(_rows(conn, f"SELECT arm_id, source_id FROM adverse_events{_where('arm_id', ids, arms=True)}"
                             f" UNION SELECT arm_id, source_id FROM outcomes{_where('arm_id', ids, arms=True)}"
                             f" {'AND' if ids is not None else 'WHERE'} arm_id IS NOT NULL AND vs_arm_id IS NULL",
                             [*params, *params]), "arm_id")
    measures = f"measure IN ({','.join(repr(m) for m in SHOWN_MEASURES)})"
    where = _where("study_id", ids)
    outcomes = _grouped(_rows(conn, f"SELECT * FROM outcomes{where} {'AND' if where else 'WHERE'} {measures}"
                              " ORDER BY study_id, ord", params), "study_id")
    marks = _grouped(_rows(conn, "SELECT nf.reading_id, n.id AS note_id, n.kind, n.text, n.source_id, n.locator"
                           f" FROM note_figures nf JOIN notes n ON n.id = nf.note_id{_where('n.study_id', ids)}"
                           " ORDER BY n.id", params), "reading_id")
    for s in studies:
        for key in ("enrolled", "evaluable"):
            s[f"{key}_caveats"] = marks.get(s[f"{key}_reading"], [])
        for key in ("design", "population"):  # the design label and the Line and Markers cells read them
            s[key] = json_object(s[key])
        s["diseases"] = [d["disease_id"] for d in diseases.get(s["id"], [])]
        s["identifiers"] = identifiers.get(s["id"], [])
        study_outcomes = outcomes.get(s["id"], [])
        link_records(study_outcomes, marks)
        key_of = {}
        for a in arms.get(s["id"], []):
            key_of[a["id"]] = a["key"]
            a["outcomes"] = [o for o in study_outcomes if o["arm_id"] == a["id"] and o["vs_arm_id"] is None]
            a["adverse_events"] = []  # not shown in the table: only where they are cited, below
            a["source_ids"] = {r["source_id"] for r in sources.get(a["id"], [])}
        s["arms"] = arms.get(s["id"], [])
        s["comparisons"] = [o | {"arm": key_of[o["arm_id"]], "vs": key_of[o["vs_arm_id"]]}
                            for o in study_outcomes if o["vs_arm_id"] is not None]
    if ids is None:
        return studies
    found = {s["id"]: s for s in studies}
    return [found[i] for i in ids if i in found]


def drug_classes(conn: sqlite3.Connection) -> dict[str, str]:
    """Each drug's class as the seeds name it ('mTOR inhibitor (rapalog)'): the Trials filter's classes."""
    return {str(i): str(c) for i, c in conn.execute("SELECT id, class FROM drugs")}
