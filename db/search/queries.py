"""The search room of the store: every SQL statement search runs, over the full-text index (`search`)
and the tables the build writes for it (search_docs, search_keys, search_terms, search_bands,
search_population, search_phrases). The engine, the term statistics, the bands and who-was-treated
decide what to ask; this module only asks."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def _ints(ids: Sequence[int]) -> str:
    """Rowids written into the statement (integers only): SQLite plans `IN (1,2,3)` better than bound lists."""
    return ",".join(str(int(i)) for i in ids)


class SearchQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def use_cache(self, kib: int) -> None:
        """A page cache of `kib` KiB for this connection: a large index does not fit in SQLite's default."""
        self.conn.execute(f"PRAGMA cache_size = -{int(kib)}")

    # -- the full-text index -----------------------------------------------------------------
    def matching(self, expression: str, lo: int, hi: int, limit: int | None = None) -> list[int]:
        """Rowids in [lo, hi] that match, in rowid order (at most `limit`)."""
        if limit is None:
            return [int(r[0]) for r in self.conn.execute(
                "SELECT rowid FROM search WHERE search MATCH ? AND rowid BETWEEN ? AND ?", (expression, lo, hi))]
        return [int(r[0]) for r in self.conn.execute(
            "SELECT rowid FROM search WHERE search MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?",
            (expression, lo, hi, limit))]

    def scored(self, expression: str, weights: str, lo: int, hi: int, among: Sequence[int] | None,
               n: int) -> list[tuple[int, float]]:
        """(rowid, bm25 score: lower is better) of the best `n` matches in [lo, hi] (among some rowids)."""
        # `+rowid`: a plain rowid IN (...) would run the whole MATCH once per listed rowid
        only = f" AND +rowid IN ({_ints(among)})" if among else ""
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(
            f"SELECT rowid, bm25(search, {weights}) AS score FROM search"
            f" WHERE search MATCH ? AND rowid BETWEEN ? AND ?{only} ORDER BY score LIMIT ?",
            (expression, lo, hi, n))]

    def matching_among(self, expression: str, ids: Sequence[int], seek: bool) -> list[int]:
        """Which of `ids` match; `seek` looks each up by rowid (few ids), else one pass over the matches."""
        plus = "" if seek else "+"
        return [int(r[0]) for r in self.conn.execute(
            f"SELECT rowid FROM search WHERE search MATCH ? AND {plus}rowid IN ({_ints(ids)})", (expression,))]

    # -- documents ------------------------------------------------------------------------------
    def shown(self, ids: Sequence[int]) -> dict[int, tuple[int, str, str, str]]:
        """(id, ref, title, snippet) of the documents a result shows, by id."""
        return {int(r[0]): (int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in self.conn.execute(
            f"SELECT id, ref, title, snippet FROM search_docs WHERE id IN ({_ints(ids)})")}

    def diseases_of(self, ids: Sequence[int]) -> dict[int, set[str]]:
        return {int(r[0]): set(str(r[1]).split()) for r in self.conn.execute(
            f"SELECT id, diseases FROM search_docs WHERE id IN ({_ints(ids)})")}

    def last_doc(self) -> int:
        return int(self.conn.execute("SELECT max(id) FROM search_docs").fetchone()[0] or 0)

    def bands(self) -> list[tuple[int, str, float, int]]:
        """(first rowid, kind, prior, design rank) of each band of documents, in rowid order."""
        return [(int(a), str(k), float(p), int(d)) for a, k, p, d in self.conn.execute(
            "SELECT first, kind, prior, design FROM search_bands ORDER BY first")]

    # -- identifiers ----------------------------------------------------------------------------
    def exact(self, key: str) -> list[tuple[str, str, str, str]]:
        """(kind, ref, title, snippet) of the documents an identifier names exactly, most prior first; the title
        is the key's own where it has one (a brand: "Lutathera (177Lu-Dotatate)")."""
        return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in self.conn.execute(
            "SELECT d.kind, d.ref, coalesce(k.title, d.title), d.snippet FROM search_keys k"
            " JOIN search_docs d ON d.id = k.doc_id WHERE k.key = ? ORDER BY d.prior DESC LIMIT 5", (key,))]

    def study_keys(self, low: str, high: str) -> list[tuple[str, str]]:
        """(key, study ref) of study identifiers from `low` up to `high` (excluded), at most 200."""
        return [(str(k), str(ref)) for k, ref in self.conn.execute(
            "SELECT k.key, d.ref FROM search_keys k JOIN search_docs d ON d.id = k.doc_id"
            " WHERE k.key >= ? AND k.key < ? AND d.kind = 'study' LIMIT 200", (low, high))]

    def study_named(self, key: str) -> tuple[str, str, str] | None:
        """(ref, title, snippet) of the first study this identifier names."""
        row = self.conn.execute(
            "SELECT d.ref, d.title, d.snippet FROM search_keys k JOIN search_docs d ON d.id = k.doc_id"
            " WHERE k.key = ? AND d.kind = 'study' ORDER BY d.id LIMIT 1", (key,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def has_registry_number(self, study_id: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM studies WHERE id = ? AND nct IS NOT NULL UNION ALL"
            " SELECT 1 FROM study_identifiers WHERE study_id = ? AND kind = 'nct'",
            (study_id, study_id)).fetchone() is not None

    # -- names ----------------------------------------------------------------------------------
    def entity_names(self, kind: str) -> list[tuple[str, str]]:
        """(id, name) of every name and synonym of a kind of entity ('ae', 'disease')."""
        return [(str(i), str(n)) for i, n in self.conn.execute(
            "SELECT entity_id, name FROM entity_names WHERE entity_kind = ?", (kind,))]

    def vocabulary(self) -> list[tuple[str, str, str]]:
        """(kind, id, name) of the therapy classes and markers."""
        return [(str(k), str(i), str(n)) for k, i, n in self.conn.execute("SELECT kind, id, name FROM vocabulary")]

    def phrases(self) -> list[tuple[str, str, str]]:
        """(folded words, kind, target) of every phrase that names a class or a marker."""
        return [(str(w), str(k), str(t)) for w, k, t in self.conn.execute(
            "SELECT words, kind, target FROM search_phrases")]

    # -- term statistics ------------------------------------------------------------------------
    def term_docs(self, term: str) -> int | None:
        row = self.conn.execute("SELECT docs FROM search_terms WHERE term = ?", (term,)).fetchone()
        return None if row is None else int(row[0])

    def terms_from(self, low: str, high: str, limit: int) -> list[tuple[str, int]]:
        """(term, documents) of the terms from `low` up to `high` (excluded), in order, at most `limit`."""
        return [(str(t), int(d)) for t, d in self.conn.execute(
            "SELECT term, docs FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
            (low, high, limit))]

    def terms_counted(self, low: str, high: str, limit: int) -> tuple[int, int]:
        """(terms, their documents added up) from `low` up to `high`, counting at most `limit` terms."""
        count, docs = self.conn.execute(
            "SELECT count(*), sum(docs) FROM (SELECT docs FROM search_terms WHERE term >= ? AND term < ? LIMIT ?)",
            (low, high, limit)).fetchone()
        return int(count), int(docs or 0)

    def named_terms(self, low: str, high: str, shortest: int, longest: int) -> list[str]:
        """Terms that are part of a name, from `low` up to `high`, of a length within the bounds."""
        return [str(t) for (t,) in self.conn.execute(
            "SELECT term FROM search_terms WHERE named AND term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
            (low, high, shortest, longest))]

    # -- who was treated ------------------------------------------------------------------------
    def population(self, doc_ids: Sequence[int],
                   whats: Sequence[str]) -> list[tuple[int, str, str, str, str, str, str]]:
        """(doc id, what, value, scope, rule, share, label) of the documents' population rows."""
        return [(int(d), str(w), str(v), str(s), str(r), str(sh), str(la))
                for d, w, v, s, r, sh, la in self.conn.execute(
            f"SELECT doc_id, what, value, scope, rule, share, label FROM search_population"
            f" WHERE doc_id IN ({_ints(doc_ids)}) AND what IN ({','.join('?' * len(whats))})", list(whats))]

    def stating(self, what: str, value: str, rule: str, limit: int) -> list[int]:
        """The first `limit` documents whose population states this value under this rule."""
        return [int(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT doc_id FROM search_population WHERE what = ? AND value = ? AND rule = ?"
            " ORDER BY doc_id LIMIT ?", (what, value, rule, limit))]

    def requiring(self, markers: Sequence[str], cap: int) -> list[int]:
        """The first `cap` documents whose population requires one of the markers."""
        return [int(r[0]) for r in self.conn.execute(
            f"SELECT DISTINCT doc_id FROM search_population WHERE what = 'marker' AND value IN"
            f" ({','.join('?' * len(markers))}) AND rule = 'required' ORDER BY doc_id LIMIT ?", [*markers, cap])]
