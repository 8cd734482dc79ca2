"""CTCAE v5.0 grades of the adverse-event terms in the dataset, for the look-up panel."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from db.store import Store

CTCAE_EDITION = "CTCAE v5.0"
CTCAE_SOURCE = "ctcae5"


@dataclass(frozen=True)
class CtcaeTerm:
    id: str
    name: str
    ctcae_term: str | None
    meddra: str | None
    soc: str | None
    definition: str | None
    grades: tuple[str | None, ...]  # grades 1 to 5, None where CTCAE gives no grade
    synonyms: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """'Acneiform rash (CTCAE: Rash acneiform)' when the CTCAE term differs from the name."""
        if self.ctcae_term and self.ctcae_term.casefold() != self.name.casefold():
            return f"{self.name} (CTCAE: {self.ctcae_term})"
        return self.name

    def grade(self, n: int) -> str | None:
        return self.grades[n - 1] if 1 <= n <= len(self.grades) else None

    def words(self) -> str:
        return _fold(" ".join([self.name, self.ctcae_term or "", self.soc or "", *self.synonyms]))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def ctcae_terms(store: Store) -> list[CtcaeTerm]:
    """Every adverse-event term with its CTCAE grades, in the dataset's order."""
    out = []
    for r in store.ae_terms():
        names = tuple(n["name"] for n in r["names"] if n["name"] != r["name"])
        out.append(CtcaeTerm(r["id"], r["name"], r["ctcae_term"], r["meddra"], r["soc"], r["definition"],
                             tuple(r[f"grade{n}"] for n in range(1, 6)), names))
    return out


def ctcae_term(store: Store, term_id: str) -> CtcaeTerm | None:
    return next((t for t in ctcae_terms(store) if t.id == term_id), None)


def filter_terms(terms: list[CtcaeTerm], text: str) -> list[CtcaeTerm]:
    """Terms whose name, CTCAE term, organ class or synonyms contain every word typed
    (case and accents ignored): 'hand foot' finds palmar-plantar erythrodysaesthesia."""
    words = _fold(text).split()
    if not words:
        return list(terms)
    return [t for t in terms if all(w in t.words() for w in words)]
