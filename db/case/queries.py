"""The case's room of the store (`store.case`): the arms under test in a family of diseases, in one read of
the rows the build wrote for it (db/building/case_rows.py), with what the options need of each, their names
included, and nothing else. db/case/options.py holds the rules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from functools import cached_property
from typing import Any

Therapy = tuple[str, str, str, str, str, str, str, str, str]


class CaseQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def family_therapies(self, root: str) -> list[Therapy]:
        """One row per therapy with an arm under test in a study of the family of `root` (db/building/
        case_rows.py): (regimen key, then its arms as lists in the evidence order of no setting: space-separated
        study ids, the studies' places, the arms' positions in seed order, their disease lists' ids in
        `disease_lists` times 7 plus the design rank, their populations' ids in `populations`; then joined by
        U+001F what a reason names of each arm and the arm's key; the regimen's label)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a family's thousands of rows are unpacked, never read by name
        return cursor.execute(
            "SELECT regimen_key, studies, places, seeds, kinds, populations, names, keys, label"
            " FROM case_therapies WHERE root = ?", (root,)).fetchall()

    @cached_property
    def disease_lists(self) -> dict[int, list[str]]:
        """Each distinct list of a study's disease ids (sorted), by its id in case_therapies; read once per store."""
        return {int(i): str(text).split() for i, text in self.conn.execute("SELECT id, diseases FROM case_diseases")}

    @cached_property
    def populations(self) -> dict[int, str]:
        """Each distinct population of an arm's patients (the study's, a cohort's own over it), as JSON; read
        once per store."""
        return {int(i): str(text) for i, text in self.conn.execute("SELECT id, population FROM case_populations")}

    def study_names(self, studies: Collection[str]) -> dict[str, dict[str, Any]]:
        """What names each of `studies`: id, name, printed acronym, first author, year."""
        return {str(r[0]): {"id": r[0], "name": r[1], "acronym": r[2], "first_author": r[3], "year": r[4]}
                for r in self.conn.execute(
                    "SELECT id, name, acronym, first_author, year FROM studies"
                    " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(studies)),))}

    def registry_acronyms(self, studies: Collection[str]) -> dict[str, str]:
        """The first registry acronym of each of `studies` that has one (db/presentation/identifiers.py)."""
        out: dict[str, str] = {}
        for sid, value in self.conn.execute(
                "SELECT study_id, value FROM study_identifiers WHERE kind = 'acronym'"
                " AND study_id IN (SELECT value FROM json_each(?)) ORDER BY study_id, ord",
                (json.dumps(sorted(studies)),)):
            out.setdefault(str(sid), str(value))
        return out

    def drug_classes(self) -> dict[str, list[str]]:
        """Each drug's therapy classes (seeds/therapy-classes.yaml ids), in seed order."""
        out: dict[str, list[str]] = {}
        for drug, cls in self.conn.execute("SELECT drug_id, class_id FROM drug_classes ORDER BY drug_id, ord"):
            out.setdefault(str(drug), []).append(str(cls))
        return out
