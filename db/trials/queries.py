"""The Trials table's filters and sort orders, answered in SQL for a registry of any size.

`TrialsQuery` reads once what ordering and filtering need of every study, not what a row shows: its
id in evidence order (db/presentation/evidence.py's order, in which the search index numbers studies:
`search_docs` rowids), its diseases, and the studies of each phase, status, line and markers (one
grouped read: a few dozen groups). A filter is a set of positions (diseases, phases, statuses, lines
and markers from that read, a markers text matched against each group's markers in words; drugs and
drug classes looked up along study_drugs, sources through the tables' indexes), cached per value; in
evidence order the set's positions sorted, in another column's order one pass over it; a sort by another
column reads that column's key for every study once (db/trials/sort_queries.py) and keeps the order. What
a row shows is read only for the rows in view (db/trials/fetch_queries.py). At 100 000 studies the first
read takes 0.1-0.2 s and a filter 1-15 ms of CPU (docs/performance.md).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

from db.presentation.evidence import evidence_key
from db.presentation.who_words import LINE, NOT_STATED
from db.trials.fetch_queries import study_records
from db.trials.sort_queries import marker_words, seed_order, sort_keys, vocabulary_names

if TYPE_CHECKING:
    from db.dataset.diseases import DiseaseTree

# the columns a Trials table sorts by, in the table's order; "evidence" is the Phase column
COLUMNS = ("study", "evidence", "disease", "line", "markers", "regimen", "n", "pfs", "hr", "orr", "year")
LINES = (*LINE, NOT_STATED)  # the Line filter's entries, in this order
CACHED_FILTERS = 32
GROUPED = ("phase", "status", "line", "markers")  # the filters answered from the grouped read, in its order
SEP = "\x1f"  # between the ids of a group (unit separator: never in an id)
GROUPS = ("SELECT phase, status, population_line, population_markers, group_concat(id, char(31)) FROM studies"
          " GROUP BY phase, status, population_line, population_markers")  # along studies_groups (db/dataset/schema.py)


@dataclass(frozen=True)
class Filters:
    disease: str | None = None  # a disease id: matches it and its descendants
    drug_class: str | None = None
    drug: str | None = None
    phase: str | None = None
    status: str | None = None
    source: str | None = None
    line: str | None = None  # 'first', 'later', 'mixed' or 'not stated'
    markers: str | None = None  # text the Markers cell contains, any case: 'BRAF', 'not stated'


def _by_evidence(conn: sqlite3.Connection, total: int) -> list[tuple[str, str]]:
    """(study id, its disease ids) for every study, best evidence first: the search index's study band
    (db/building/search_index.py numbers studies in db.presentation.evidence's order); [] if the band does not hold
    them all."""
    bands = conn.execute("SELECT first, kind FROM search_bands ORDER BY first").fetchall()
    firsts = [int(b[0]) for b in bands if b[1] == "study"]
    if not firsts:
        return []
    after = [int(b[0]) for b in bands if int(b[0]) > firsts[-1] and b[1] != "study"]
    last = after[0] - 1 if after else int(conn.execute("SELECT max(id) FROM search_docs").fetchone()[0])
    rows = conn.execute("SELECT ref, diseases FROM search_docs WHERE id BETWEEN ? AND ? ORDER BY id",
                        (firsts[0], last)).fetchall()
    return rows if len(rows) == total else []


def _computed_by_evidence(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """The slow way (seconds at 100 000 studies): db.presentation.evidence's key for every study, read whole."""
    return [(s["id"], " ".join(s["diseases"])) for s in sorted(study_records(conn), key=evidence_key)]


Orders = dict[tuple[str, bool], list[int]]  # (column, descending) -> positions in that order
LOOKED_UP = ("drug", "drug_class", "source")  # the filters looked up in SQL; the others come from the first read


def _values(filters: Filters) -> list[tuple[str, str]]:
    """(kind, value) of each filter set, the markers text casefolded."""
    return [(kind, value) for kind, value in (
        ("disease", filters.disease), ("drug", filters.drug), ("drug_class", filters.drug_class),
        ("source", filters.source), ("phase", filters.phase), ("status", filters.status),
        ("line", filters.line), ("markers", (filters.markers or "").strip().casefold())) if value]


RUN = 4096  # positions sorted at a time by `read_orders`


def _ordered(keys: list[Any], seed: list[int], descending: bool, run: int | None = None) -> list[int]:
    """Positions by key, studies without one last either way, ties in seed order (the sorts are stable).

    With `run`, runs of that many positions are sorted and then merged: the same order, but a sort holds the
    interpreter lock from start to end (100 000 keys: 50-100 ms), a run of 4 096 a few milliseconds, and the
    merge is Python that lets another thread in (the GUI thread, while a worker reads an order)."""
    present = [p for p in seed if keys[p] is not None]
    if run is None or len(present) <= run:
        present.sort(key=keys.__getitem__, reverse=descending)
    else:
        runs = [sorted(present[i:i + run], key=keys.__getitem__, reverse=descending)
                for i in range(0, len(present), run)]
        present = list(heapq.merge(*runs, key=keys.__getitem__, reverse=descending))
    return present + [p for p in seed if keys[p] is None]


class TrialsQuery:
    def __init__(self, conn: sqlite3.Connection, tree: DiseaseTree,
                 connect: Callable[[], sqlite3.Connection] | None = None) -> None:
        self.conn = conn
        self.tree = tree  # the store's
        self._connect = connect  # another connection to the same database, for `read_orders` on a worker
        total = int(conn.execute("SELECT count(*) FROM studies").fetchone()[0])
        groups = conn.execute(GROUPS).fetchall()  # a few hundred groups: SQLite groups the ids, Python only maps them
        self.names = vocabulary_names(conn)
        self._marker_words = {markers: marker_words(markers, self.names) for markers in {g[3] for g in groups}}
        if not self._index(_by_evidence(conn, total), groups):  # the search index is out of step with the studies
            self._index(_computed_by_evidence(conn), groups)
        self._orders: dict[tuple[str, bool], Sequence[int]] = {("evidence", False): range(total)}
        self._found: dict[tuple[str, str], frozenset[int]] = {}
        self._read_keys: dict[str, list[Any]] = {}

    def _index(self, studies: list[tuple[str, str]], groups: list[tuple[str, str, str, str, str]]) -> bool:
        """Positions, and the positions of each phase, status, line and markers and of each disease's studies;
        False if `studies` are not every study."""
        self.ids = [s for s, _d in studies]
        self.position = dict(zip(self.ids, range(len(self.ids)), strict=True))
        grouped: dict[tuple[str, str, str, str], list[int | None]] = {
            (phase, status, line, markers): list(map(self.position.get, ids.split(SEP)))
            for phase, status, line, markers, ids in groups}
        if sum(map(len, grouped.values())) != len(self.ids) or any(None in g for g in grouped.values()):
            return False
        self._groups = cast(dict[tuple[str, str, str, str], list[int]], grouped)  # every position found
        same: dict[str, list[int]] = {}  # most studies share their disease list with many others
        for i, (_study, diseases) in enumerate(studies):
            same.setdefault(diseases, []).append(i)
        self._by_disease: dict[str, list[int]] = {}
        for diseases, positions in same.items():
            for disease in diseases.split():
                self._by_disease.setdefault(disease, []).extend(positions)
        return True

    @property
    def total(self) -> int:
        return len(self.ids)

    # -- what the filters offer ------------------------------------------------------------
    def phases(self) -> list[str]:
        return sorted({group[0] for group in self._groups})

    def statuses(self) -> list[str]:
        return sorted({group[1] for group in self._groups})

    def lines(self) -> list[str]:
        """The lines some study has, in LINES' order."""
        found = {group[2] for group in self._groups}
        return [line for line in LINES if line in found]

    def markers(self) -> list[str]:
        """The markers some study requires or excludes, by name in the vocabulary's order, and 'not stated'
        where some study does not say."""
        named = {name for words in self._marker_words.values() for name in words.names}
        found = [name for name in self.names.markers.values() if name in named]
        return found + sorted(named - set(found)) + (
            [NOT_STATED] if any(words.text == NOT_STATED for words in self._marker_words.values()) else [])

    def drug_classes(self) -> list[str]:
        """The classes of the drugs some study gives (placebo aside)."""
        return [str(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT class FROM drugs d WHERE id != 'placebo'"
            " AND EXISTS (SELECT 1 FROM arm_drugs WHERE drug_id = d.id) ORDER BY class")]

    def descendants(self, disease: str) -> set[str]:
        """The disease and every narrower one (db/dataset/diseases.py, the one tree every surface reads)."""
        return self.tree.below(disease)

    # -- filter and sort -------------------------------------------------------------------
    def select(self, filters: Filters, column: str = "evidence", descending: bool = False) -> Sequence[int]:
        """Positions (indexes into `ids`) of the studies the filters keep, in the column's order; studies
        without the column's figure last either way, ties in seed order."""
        order = self.order(column, descending)
        sets = sorted((self._matching(kind, value) for kind, value in _values(filters)), key=len)
        if not sets:
            return order
        kept = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        if isinstance(order, range):  # evidence order, either way: the positions themselves, sorted
            return sorted(kept, reverse=order.step < 0)
        return [p for p in order if p in kept]

    def _matching(self, kind: str, value: str) -> frozenset[int]:
        key = (kind, value)
        if key not in self._found:
            if len(self._found) >= CACHED_FILTERS:
                self._found.pop(next(iter(self._found)))
            if kind == "disease":  # read with the index
                by_disease = self._by_disease
                found = frozenset(chain.from_iterable(by_disease.get(d, ()) for d in self.descendants(value)))
            elif kind in GROUPED:
                at = GROUPED.index(kind)
                found = frozenset(chain.from_iterable(positions for group, positions in self._groups.items()
                                                      if self._keeps(kind, group[at], value)))
            else:
                found = self._looked_up(self.conn, kind, value)
            self._found[key] = found
        return self._found[key]

    def unread(self, filters: Filters) -> list[tuple[str, str]]:
        """The filter values `select` would first look up in SQL (a drug, drug class or source not asked for lately:
        up to 15 ms of CPU for a drug class at 100 000 studies); the others are answered from what was read at the
        start."""
        return [(kind, value) for kind, value in _values(filters)
                if kind in LOOKED_UP and (kind, value) not in self._found]

    def read_matches(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], frozenset[int]]:
        """The studies each (kind, value) of `unread` keeps, read on a connection of its own and changing nothing
        here: for a worker thread. `keep_matches` takes the result."""
        conn = self._connect() if self._connect is not None else self.conn
        try:
            return {(kind, value): self._looked_up(conn, kind, value) for kind, value in wanted}
        finally:
            if conn is not self.conn:
                conn.close()

    def keep_matches(self, found: dict[tuple[str, str], frozenset[int]]) -> None:
        for key, positions in found.items():
            if key not in self._found and len(self._found) >= CACHED_FILTERS:
                self._found.pop(next(iter(self._found)))
            self._found[key] = positions

    def _looked_up(self, conn: sqlite3.Connection, kind: str, value: str) -> frozenset[int]:
        """The positions of the studies the filter keeps. SQLite joins their ids in one text (split here): a row
        per study costs Python a tuple and a string each (17 000 studies of a drug class at 100 000: 5 ms)."""
        joined = conn.execute(f"SELECT group_concat(id, char(31)) FROM ({self._look_up(kind)})",
                              (value,) * (3 if kind == "source" else 1)).fetchone()[0]
        return frozenset(map(self.position.__getitem__, joined.split(SEP))) if joined else frozenset()

    def _keeps(self, kind: str, grouped: str, value: str) -> bool:
        """Whether a group's phase, status or line is the value, or its markers in words contain it (casefolded)."""
        return value in self._marker_words[grouped].text.casefold() if kind == "markers" else grouped == value

    @staticmethod
    def _look_up(kind: str) -> str:
        """The query of the ids (column `id`) of the studies a drug, drug class or source filter keeps."""
        if kind == "drug":  # an arm's drugs, as the row lists them: placebo is not one
            return "SELECT study_id AS id FROM study_drugs WHERE drug_id = ? AND drug_id != 'placebo'"
        if kind == "drug_class":  # a study given two drugs of the class is listed twice: `_looked_up` keeps it once
            return ("SELECT study_id AS id FROM study_drugs WHERE drug_id IN"
                    " (SELECT id FROM drugs WHERE class = ? AND id != 'placebo')")
        if kind == "source":  # the study's own citation, or one of an arm's figures'
            return ("SELECT id FROM studies WHERE source_id = ?"
                    " UNION SELECT study_id FROM outcomes WHERE source_id = ? AND arm_id IS NOT NULL"
                    " AND vs_arm_id IS NULL UNION SELECT study_id FROM adverse_events WHERE source_id = ?")
        raise ValueError(f"unknown filter {kind!r}")

    def order(self, column: str, descending: bool = False) -> Sequence[int]:
        """Every study's position in the column's order (read once per column and direction)."""
        if column not in COLUMNS:
            raise ValueError(f"unknown column {column!r}")
        key = (column, descending)
        if key not in self._orders:
            if column == "evidence":  # one key per study: descending is the reverse
                self._orders[key] = range(self.total - 1, -1, -1)
            else:
                keys = self._read_keys.pop(column, None) or sort_keys(self.conn, column, self.position)
                if (column, not descending) not in self._orders:
                    self._read_keys[column] = keys  # for the other direction
                self._orders[key] = _ordered(keys, self._seed_order(), descending)
        return self._orders[key]

    def has_order(self, column: str, descending: bool = False) -> bool:
        """Whether the column's order is at hand (`order` then reads nothing)."""
        return column == "evidence" or (column, descending) in self._orders

    def read_orders(self, column: str) -> Orders:
        """The column's order both ways (and the seed order ties follow), read on a connection of its own and
        changing nothing here: for a worker thread, while the GUI thread reads rows on `conn`. `keep_orders`
        takes the result."""
        if column not in COLUMNS or column == "evidence":
            raise ValueError(f"no order to read for {column!r}")
        conn = self._connect() if self._connect is not None else self.conn
        try:
            keys = sort_keys(conn, column, self.position)
            seed = list(self._orders.get(("seed", False)) or seed_order(conn, self.position))
        finally:
            if conn is not self.conn:
                conn.close()
        return {("seed", False): seed, (column, False): _ordered(keys, seed, False, RUN),
                (column, True): _ordered(keys, seed, True, RUN)}

    def keep_orders(self, orders: Orders) -> None:
        """Orders read by `read_orders`: `order` answers them from now on."""
        self._orders.update(orders)

    def _seed_order(self) -> list[int]:
        if ("seed", False) not in self._orders:
            self._orders[("seed", False)] = seed_order(self.conn, self.position)
        return list(self._orders[("seed", False)])
