"""The search engine shared by the window and `tumorboard search`.

Ranking: an exact identifier (acronym, NCT id, drug or brand name, synonym) goes
first; the rest are ranked by bm25 over weighted columns, scaled by a per-kind
prior. Only a bounded candidate set is ranked, so a one-letter prefix over a large
dataset stays fast. When a word matches nothing, close spellings from the index's
own vocabulary are tried ("everolimis" finds everolimus).
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass

from db.query import Query, fts_expression, parse
from db.search_index import normalize_key

# title, names, drugs, diseases, aes, facets, body
WEIGHTS = "10.0, 8.0, 4.0, 4.0, 4.0, 1.0, 1.0"
CANDIDATES = 400


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    title: str
    snippet: str
    score: float
    exact: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.ref, "title": self.title, "snippet": self.snippet,
                "score": round(self.score, 4), "exact": self.exact}


class SearchEngine:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._vocab: list[str] | None = None
        self._ae_words: list[str] | None = None

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        query = parse(text)
        if query.empty:
            return []
        hits = self._ranked(query, fts_expression(query), limit)
        if not hits and query.words:
            alternatives = self._corrections(query)
            if alternatives:
                hits = self._ranked(query, fts_expression(query, alternatives), limit)
        hits = self._by_intent(query, hits)[:limit]
        exact = self._exact(query)
        if exact:
            seen = {(h.kind, h.ref) for h in exact}
            hits = exact + [h for h in hits if (h.kind, h.ref) not in seen]
        return hits[:limit]

    def _ranked(self, query: Query, expression: str, limit: int) -> list[Hit]:
        if not expression:
            return []
        kind_filter = "AND d.kind = ?" if query.kind else ""
        candidates = max(limit, CANDIDATES)
        sql = f"""
            SELECT d.kind, d.ref, d.title, d.snippet, c.score * d.prior
            FROM (SELECT rowid, bm25(search, {WEIGHTS}) AS score FROM search
                  WHERE search MATCH ? ORDER BY score LIMIT ?) AS c
            JOIN search_docs d ON d.id = c.rowid
            WHERE 1 {kind_filter}
            ORDER BY c.score * d.prior"""
        params: list[object] = [expression, candidates] + ([query.kind] if query.kind else [])
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []
        return [Hit(kind, ref, title, snippet, -score) for kind, ref, title, snippet, score in rows]

    def _by_intent(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """A query that names an adverse event asks for toxicity figures: those rows first
        within their score band; a query without one wants studies before toxicity rows."""
        wants_ae = any(t.column == "aes" for t in query.terms) or any(
            self._names_adverse_event(w) for w in query.words)
        factor = 1.5 if wants_ae else 0.85
        rescored = [Hit(h.kind, h.ref, h.title, h.snippet, h.score * factor) if h.kind == "toxicity" else h
                    for h in hits]
        return sorted(rescored, key=lambda h: -h.score)

    def _names_adverse_event(self, word: str) -> bool:
        if self._ae_words is None:
            rows = self.conn.execute("SELECT name FROM entity_names WHERE entity_kind = 'ae'").fetchall()
            self._ae_words = sorted({t for (name,) in rows for t in re.findall(r"\w+", name.casefold()) if len(t) >= 3})
        w = word.casefold()
        return len(w) >= 3 and any(t.startswith(w) for t in self._ae_words)

    def _exact(self, query: Query) -> list[Hit]:
        key = normalize_key(query.text)
        if not key or len(key) < 2:
            return []
        rows = self.conn.execute(
            "SELECT d.kind, d.ref, d.title, d.snippet FROM search_keys k JOIN search_docs d ON d.id = k.doc_id"
            " WHERE k.key = ? ORDER BY d.prior DESC LIMIT 5",
            (key,),
        ).fetchall()
        if query.kind:
            rows = [r for r in rows if r[0] == query.kind]
        return [Hit(kind, ref, title, snippet, float("inf"), exact=True) for kind, ref, title, snippet in rows]

    def _corrections(self, query: Query) -> dict[str, list[str]]:
        vocab = self.vocabulary()
        out: dict[str, list[str]] = {}
        for word in query.words:
            lowered = word.casefold()
            if len(lowered) < 4:
                continue
            close = difflib.get_close_matches(lowered, vocab, n=3, cutoff=0.8)
            if close:
                out[word] = close
        return out

    def vocabulary(self) -> list[str]:
        if self._vocab is None:
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search, 'row')")
            self._vocab = [r[0] for r in self.conn.execute("SELECT term FROM temp.search_vocab") if len(r[0]) >= 3]
        return self._vocab


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[Hit]:
    return SearchEngine(conn).search(text, limit)
