"""What the index knows about a word the user typed, from the search_terms table.

A prefix of four or more letters is slow for FTS5 when it is common: the index has no
prefix list for it, so every matching term's document list is merged before the
first row comes out. When a prefix stands for a few terms (`hyper` for hypertension,
hyperglycaemia, ...), search asks for those terms instead, which FTS5 reads lazily.
The document counts tell search what ranking a query would cost, and the named
terms are the vocabulary for spelling corrections.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from db.search.queries import SearchQueries

EXPAND_MAX = 24  # a prefix that stands for more terms stays a prefix
INDEXED_PREFIX = 3  # the FTS table keeps prefix lists up to this length (db/dataset/schema.py: prefix='1 2 3')
SCAN_MAX = 2000  # terms summed for a document count; beyond that the word counts as everywhere
EVERYWHERE = 1 << 40
_END = "\U0010ffff"


def fold(word: str) -> str:
    """Case and accents folded as the unicode61 tokenizer (remove_diacritics 2) folds them."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class TermInfo:
    terms: tuple[str, ...]  # the index terms the word stands for; empty: keep the prefix
    docs: int  # documents it occurs in (an upper bound; EVERYWHERE when too many terms to count)
    top: str | None = None  # its most frequent completion ('hyper' -> hypertension), when it has a few


class TermStats:
    def __init__(self, sql: SearchQueries) -> None:
        self.sql = sql
        self._cache: dict[tuple[str, bool], TermInfo] = {}

    def info(self, word: str, prefix: bool) -> TermInfo:
        key = (word, prefix)
        found = self._cache.get(key)
        if found is None:
            found = self._lookup(fold(word), prefix)
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _lookup(self, word: str, prefix: bool) -> TermInfo:
        if not prefix:
            docs = self.sql.term_docs(word)
            return TermInfo((word,) if docs is not None else (), docs or 0, word if docs is not None else None)
        rows = self.sql.terms_from(word, word + _END, EXPAND_MAX + 1)
        if len(rows) <= EXPAND_MAX:
            # a few terms: the exact ones, unless FTS5 has a list for the prefix itself (none found:
            # leave the prefix to FTS5, which folds as it will)
            terms = tuple(t for t, _ in rows) if len(word) > INDEXED_PREFIX else ()
            top = max(rows, key=lambda r: r[1])[0] if rows else None
            return TermInfo(terms, sum(d for _, d in rows), top)
        count, docs = self.sql.terms_counted(word, word + _END, SCAN_MAX)
        return TermInfo((), EVERYWHERE if count >= SCAN_MAX else docs)

    def close_spellings(self, word: str, n: int = 3, cutoff: float = 0.8) -> list[str]:
        """Index terms spelled like `word` ('everolimis' -> everolimus): names only, same first
        letter, similar length, so the work stays small at any size of dataset."""
        w = fold(word)
        if len(w) < 4 or any(c.isdigit() for c in w):  # a mistyped NCT id or dose is not guessed at
            return []
        terms = self.sql.named_terms(w[0], w[0] + _END, len(w) - 2, len(w) + 2)
        import difflib  # a typo's path only

        return difflib.get_close_matches(w, [t for t in terms if len(t) >= 3], n=n, cutoff=cutoff)
