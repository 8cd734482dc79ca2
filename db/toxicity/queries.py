"""The toxicity room of the store (`store.toxicity`): every SQL statement the Toxicity view and the
comparison's adverse-event rows need, and nothing else. Rows come back as the database gives them;
db/toxicity/table.py makes them into figures."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from db.dataset.record import Record


def _marks(n: int) -> str:
    return ",".join("?" * n)


class ToxicityQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def regimen_counts(self) -> list[tuple[str, str, int, int, int]]:
        """(regimen key, label, studies, arms, adverse-event figures) of every regimen with a figure, placebo
        left out."""
        return [(str(k), str(label), int(s), int(a), int(f)) for k, label, s, a, f in self.conn.execute(
            "SELECT a.regimen_key, MIN(a.regimen_label), COUNT(DISTINCT a.study_id), COUNT(DISTINCT a.id),"
            " COUNT(ae.id) FROM arms a JOIN adverse_events ae ON ae.arm_id = a.id"
            " WHERE a.regimen_key != 'placebo' GROUP BY a.regimen_key")]

    def figures(self, keys: Sequence[str], study: str | None = None) -> list[sqlite3.Row]:
        """Every adverse-event row of arms giving one of the regimens (in `study` only, when given), with its
        event's, arm's, study's and source's names."""
        within, params = (" AND ae.study_id = ?", [study]) if study is not None else ("", [])
        return self.conn.execute(
            "SELECT ae.*, t.name AS ae_name, t.ctcae_term, t.short AS ctcae_short, a.key AS arm_key,"
            " a.label AS arm_label, a.regimen_key,"
            " a.regimen_label, s.name AS study_name, s.acronym AS study_acronym, src.short AS source_short,"
            " s.ord AS study_ord, a.ord AS arm_ord"
            " FROM adverse_events ae JOIN arms a ON a.id = ae.arm_id JOIN studies s ON s.id = ae.study_id"
            " JOIN ae_terms t ON t.id = ae.ae_id JOIN sources src ON src.id = ae.source_id"
            f" WHERE a.regimen_key IN ({_marks(len(keys))}){within}", [*keys, *params]).fetchall()

    def studies(self, ids: Iterable[str]) -> dict[str, Record]:
        """What the evidence order reads of each study (phase, kind, n, year, diseases) and its names."""
        ids = sorted(ids)
        out: dict[str, Record] = {}
        for r in self.conn.execute(
            "SELECT s.id, s.name, s.acronym, s.phase, s.kind, s.year, s.enrolled, s.evaluable, s.ord,"
            " (SELECT max(n) FROM arms WHERE study_id = s.id) AS arm_n,"
            " (SELECT group_concat(disease_id, ' ') FROM study_diseases WHERE study_id = s.id) AS disease_ids"
            f" FROM studies s WHERE s.id IN ({_marks(len(ids))})", ids
        ):
            out[r["id"]] = dict(r) | {"diseases": (r["disease_ids"] or "").split(), "arms": [{"n": r["arm_n"]}],
                                      "identifiers": []}
        for sid, kind, value in self.conn.execute(
            f"SELECT study_id, kind, value FROM study_identifiers WHERE study_id IN ({_marks(len(ids))})"
            " ORDER BY ord", ids
        ):
            out[sid]["identifiers"].append({"kind": kind, "value": value})
        return out

    def marking_notes(self, reading_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.conn.execute(
            "SELECT nf.reading_id, n.id AS note_id, n.kind, n.text, n.source_id, n.locator FROM note_figures nf"
            f" JOIN notes n ON n.id = nf.note_id WHERE nf.reading_id IN ({_marks(len(reading_ids))}) ORDER BY n.id",
            list(reading_ids)
        ):
            out[row["reading_id"]].append(dict(row))
        return out

    def ae_names(self, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Every name of each adverse event (its synonyms), for the Toxicity filter."""
        ids = sorted(ids)
        out: dict[str, list[str]] = defaultdict(list)
        for ident, name in self.conn.execute(
            f"SELECT entity_id, name FROM entity_names WHERE entity_kind = 'ae' AND entity_id IN ({_marks(len(ids))})",
            ids
        ):
            out[ident].append(name)
        return {k: tuple(v) for k, v in out.items()}

    def arm_notes(self, arm_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """Ambiguities and contradictions attached to an arm: they change how its figures read."""
        ids = sorted(arm_ids)
        out: dict[int, list[str]] = defaultdict(list)
        for arm_id, text in self.conn.execute(
            f"SELECT arm_id, text FROM notes WHERE arm_id IN ({_marks(len(ids))})"
            " AND kind IN ('ambiguity', 'contradiction') ORDER BY ord", ids
        ):
            out[arm_id].append(text)
        return {k: tuple(v) for k, v in out.items()}

    def disease_names(self) -> dict[str, str]:
        return {str(i): str(n) for i, n in self.conn.execute("SELECT id, name FROM diseases")}

    def regimens_with_drug(self, drug_id: str) -> set[str]:
        return {str(key) for (key,) in self.conn.execute(
            "SELECT DISTINCT a.regimen_key FROM arms a JOIN arm_drugs ad ON ad.arm_id = a.id WHERE ad.drug_id = ?",
            (drug_id,))}

    def regimen_of_arm(self, study_id: str, arm_key: str) -> str | None:
        row = self.conn.execute("SELECT regimen_key FROM arms WHERE study_id = ? AND key = ?",
                                (study_id, arm_key)).fetchone()
        return None if row is None else str(row[0])

    def ae_name(self, ae_id: str) -> str | None:
        row = self.conn.execute("SELECT name FROM ae_terms WHERE id = ?", (ae_id,)).fetchone()
        return None if row is None else str(row[0])

    def is_drug(self, drug_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM drugs WHERE id = ?", (drug_id,)).fetchone() is not None
