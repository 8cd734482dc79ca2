"""The comparison's room of the store (`store.compare`): the SQL that turns typed names into regimens and
diseases, and finds the studies of a regimen. db/compare/names.py and summaries.py hold the rules."""

from __future__ import annotations

import sqlite3
from functools import cached_property


class CompareQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def regimen_labels(self) -> list[tuple[str, str, int]]:
        """(regimen key, label, number of studies) of every regimen some arm gives."""
        return list(self._regimen_labels)

    @cached_property
    def _regimen_labels(self) -> tuple[tuple[str, str, int], ...]:
        """Read once per store (every arm: most of a second at 100 000 studies); its dataset never changes."""
        return tuple((str(k), str(label), int(n)) for k, label, n in self.conn.execute(
            "SELECT regimen_key, MIN(regimen_label), COUNT(DISTINCT study_id) FROM arms GROUP BY regimen_key"))

    def drug_names(self) -> list[tuple[str, str]]:
        """(drug id, name) for every name, brand, code and synonym of every drug but placebo."""
        return [(str(i), str(n)) for i, n in self.conn.execute(
            "SELECT entity_id, name FROM entity_names WHERE entity_kind = 'drug' AND entity_id != 'placebo'")]

    def drug_brands(self) -> list[tuple[str, str]]:
        """(drug id, brand) for every brand of every drug (the sources' and the regulators' labels')."""
        return [(str(i), str(n)) for i, n in self.conn.execute(
            "SELECT entity_id, name FROM entity_names WHERE entity_kind = 'drug' AND name_kind = 'brand'")]

    def drug_labels(self) -> dict[str, str]:
        return {str(i): str(n) for i, n in self.conn.execute("SELECT id, name FROM drugs")}

    def drug_classes(self) -> list[tuple[str, str]]:
        """(drug id, class as the seeds name it) of every drug but placebo."""
        return [(str(i), str(c)) for i, c in self.conn.execute("SELECT id, class FROM drugs WHERE id != 'placebo'")]

    def disease_names(self) -> list[tuple[str, str]]:
        """(disease id, name) for every name and synonym: names first, then synonyms."""
        return [(str(i), str(n)) for i, n in self.conn.execute(
            "SELECT entity_id, name FROM entity_names WHERE entity_kind = 'disease' ORDER BY name_kind = 'synonym'")]

    def studies_with_regimen(self, key: str) -> list[str]:
        """The ids of the studies with an arm giving regimen `key` (as test or control), in seed order."""
        return [str(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT a.study_id FROM arms a JOIN studies s ON s.id = a.study_id WHERE a.regimen_key = ?"
            " ORDER BY s.ord", (key,))]
