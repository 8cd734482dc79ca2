"""A hit's kind, prior and design rank from its rowid alone, from the search_bands table.

The search documents are numbered kind by kind and, within a kind, by prior
(db/building/search_index.py), so a few dozen bands describe them all: search ranks a few
hundred candidates without reading their rows, and reads the rows of the hits it shows.
"""

from __future__ import annotations

import bisect

from db.search.queries import SearchQueries


class Bands:
    def __init__(self, sql: SearchQueries) -> None:
        rows = sql.bands()
        self.firsts = [r[0] for r in rows]
        self.kinds = [r[1] for r in rows]
        self.priors = [r[2] for r in rows]
        self.designs = [r[3] for r in rows]
        self.end = sql.last_doc()

    def at(self, rowid: int) -> tuple[str, float]:
        i = bisect.bisect_right(self.firsts, rowid) - 1
        return self.kinds[i], self.priors[i]

    def design(self, rowid: int) -> int:
        """A study's (or its figure's) design rank, db/presentation/evidence.py: 0 randomised phase 3 ... 6 not
        stated."""
        return int(self.designs[bisect.bisect_right(self.firsts, rowid) - 1])

    def spans(self, kind: str | None) -> list[tuple[int, int]]:
        """Where to look for candidates: the rowids before the toxicity rows and the toxicity
        rows, each cut to one kind when the query asks for one (empty when it has none)."""
        tox = [i for i, k in enumerate(self.kinds) if k == "toxicity"]
        split = self.firsts[tox[0]] if tox else self.end + 1
        parts = [(1, split - 1), (split, self.end)]
        if kind is not None:
            found = [i for i, k in enumerate(self.kinds) if k == kind]
            if not found:
                return []
            last = found[-1]
            lo, hi = self.firsts[found[0]], (self.firsts[last + 1] - 1 if last + 1 < len(self.firsts) else self.end)
            parts = [(max(lo, a), min(hi, b)) for a, b in parts]
        return [(a, b) for a, b in parts if a <= b]
