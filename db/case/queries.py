"""The case's room of the store (`store.case`): the arms under test in a family of diseases, in one read,
with what the options need of each study (the evidence order's fields, its populations) and nothing else.
db/case/options.py holds the rules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from typing import Any

TESTED = ("experimental", "single", "cohort", "stratum")  # db/presentation/evidence.py TESTED_ROLES


class CaseQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def tested_arms(self, diseases: Collection[str]) -> list[tuple[Any, ...]]:
        """One row per arm under test in a study of any of `diseases`: (study id, name, acronym, phase, kind,
        year, enrolled, evaluable, largest arm n, ord, the study's disease ids space-separated, its population
        JSON, arm key, arm label, role, regimen key, regimen label, the arm's own population JSON), in study
        order, then arm order."""
        marks = ",".join("?" * len(diseases))
        roles = ",".join("?" * len(TESTED))
        return self.conn.execute(
            "WITH chosen AS (SELECT DISTINCT study_id FROM study_diseases"
            f" WHERE disease_id IN ({marks}))"
            " SELECT s.id, s.name, s.acronym, s.phase, s.kind, s.year, s.enrolled, s.evaluable,"
            " (SELECT MAX(n) FROM arms m WHERE m.study_id = s.id), s.ord,"
            " (SELECT group_concat(disease_id, ' ') FROM study_diseases d WHERE d.study_id = s.id),"
            " s.population, a.key, a.label, a.role, a.regimen_key, a.regimen_label, a.population"
            " FROM chosen c JOIN studies s ON s.id = c.study_id JOIN arms a ON a.study_id = s.id"
            f" WHERE a.role IN ({roles}) ORDER BY s.ord, a.ord",
            [*sorted(diseases), *TESTED]).fetchall()

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
