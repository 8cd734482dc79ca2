"""The search engine shared by the window and `tumorboard search`.

Ranking: an exact identifier (acronym, NCT id, drug or brand name, synonym) goes
first; the rest are ranked by bm25 over weighted columns, scaled by a per-kind
prior. bm25 reads every matching row, and every row each word occurs in to weigh
the words (about a microsecond a row): over 100 000 studies, `e` would cost a
quarter of a second. So when the match set or the words are broad (search_terms
knows how broad, db/search/terms.py), only a bounded candidate set is ranked: the
first matches in the index's static rank order (db/building/search_index.py: names first,
then studies by phase and size, then toxicity rows), weighed by bm25 over the
query's selective words, a broad word counting by its most frequent completion; when
every word is broad, by whether they are in the title, then static rank. When a word
matches nothing, close spellings from the index's own vocabulary are tried
("everolimis" finds everolimus). docs/performance.md has the figures.

Words about who was treated ('second line', 'after lenvatinib', 'BRAF V600E'; db/search/who.py) are
read from an index written at build time: the studies whose population speaks to them come first
among study hits when they fit, last when they excluded such patients.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import zip_longest

from db.dataset.diseases import DiseaseTree
from db.dataset.keys import normalize_key
from db.presentation.evidence import share
from db.search.bands import Bands
from db.search.queries import SearchQueries
from db.search.query import Query, Term, exact_only, fts_expression, options, parse
from db.search.terms import TermStats
from db.search.who import FITS, SILENT, Fit, Want, Wanted, WhoSearch

# title, names, drugs, diseases, aes, endpoints, facets, body
WEIGHTS = "10.0, 8.0, 4.0, 4.0, 4.0, 4.0, 1.0, 1.0"
CANDIDATES = 400  # rows bm25 orders before the prior and the query's intent reorder them
CAP = 1000  # at most this many matches are ranked (half among toxicity rows)
BUDGET = 15_000  # documents bm25 may read to weigh the words (its IDF pass)
STATIC_SHARE = 200  # matches per span ranked when every word is broad
BOOST = 1.5  # a candidate whose names hold the likely completion of a word too broad to weigh
MAX_LIMIT = 10_000  # hits asked for beyond this are not returned (and a huge number never reaches SQLite)
STRICT_ENV = "TUMORBOARD_STRICT_SEARCH"  # set (the tests do): an SQLite error in a query is raised
STRONG = 0.5  # a study hit scoring at least this share of the best study's score is ordered by evidence
SEEK_MAX = 64  # studies that require a marker: up to this many, FTS5 seeks each one (db/search/who.py)
_ID_FIELDS = re.compile(r"(?i)\b(?:kind:\s*\w+|(?:nct|trial|study):)")
_NCT_FIELD = re.compile(r"(?i)\bnct:")
_NCT_WORD = re.compile(r"(?i)^\s*(?:nct\s+(?P<after>.+?)|(?P<before>.+?)\s+nct)\s*$")
_NCT_KEY = re.compile(r"^nct\d{8}$")
_STEM = re.compile(r"^([a-z]+)(\d+[a-z]?)$")  # 'netter2': an acronym's letters and its number



def strict() -> bool:
    """Whether a query error is raised instead of answered with no hits. The window and the
    command line answer "no matches" rather than fail mid-meeting; the tests set it, so a
    broken expression (quoting, syntax) fails them instead of passing as an empty result."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    title: str
    snippet: str
    score: float
    exact: bool = False
    population: str = ""  # a study hit's fit to who the query asks for: fits, partly, not stated, excluded

    def as_dict(self) -> dict[str, object]:
        """The JSON form: `score` is null for an exact identifier hit (its score is infinite, which
        JSON cannot hold; such hits come first and say `"exact": true`); `population` is null unless
        the query asks who was treated (db/search/who.py)."""
        score = round(self.score, 4) if math.isfinite(self.score) else None
        return {"kind": self.kind, "id": self.ref, "title": self.title, "snippet": self.snippet,
                "score": score, "exact": self.exact, "population": self.population or None}


class Hits(list[Hit]):
    """Hits, best first, and `notice`: what to say beside them when the query is an acronym or a
    registry number the dataset does not hold ('' otherwise)."""

    def __init__(self, hits: Iterable[Hit] = (), notice: str = "") -> None:
        super().__init__(hits)
        self.notice = notice


def two_ways_notice(name: str) -> str:
    """Said beside the hits of 'sorafenib progression', so the reader knows both readings are listed."""
    return (f"“progression” read two ways: {name}'s progression-free survival, and patients who progressed "
            f"on {name} (“{name} pfs” or “after {name}” asks for one).")


def study_of(hit: Hit) -> str | None:
    """The study a study or toxicity hit belongs to."""
    if hit.kind == "study":
        return hit.ref
    return hit.ref.split("/")[0] if hit.kind == "toxicity" else None


Scored = list[tuple[int, float]]  # (rowid, bm25-like score: lower is better)
CACHE_KIB = 32768  # SQLite's page cache for this connection: a 100 000-study index does not fit in the default 2 MiB


class SearchEngine:
    def __init__(self, conn: sqlite3.Connection, tree: DiseaseTree) -> None:
        self.conn = conn
        self.tree = tree  # the store's, read once
        self.sql = SearchQueries(conn)
        self.terms = TermStats(self.sql)
        self._bands: Bands | None = None
        self._ae_words: list[str] | None = None
        self._diseases: _DiseaseNames | None = None
        self._who: WhoSearch | None = None

    @property
    def who(self) -> WhoSearch:
        if self._who is None:
            self._who = WhoSearch(self.sql)
        return self._who

    @property
    def bands(self) -> Bands:
        if self._bands is None:
            self.sql.use_cache(CACHE_KIB)
            self._bands = Bands(self.sql)
        return self._bands

    def search(self, text: str, limit: int = 50) -> Hits:
        query = parse(text)
        limit = max(1, min(int(limit), MAX_LIMIT))
        if query.empty:
            return Hits()
        wanted = self.who.read(query)
        if wanted is None:
            hits = self._hits(query, self._scored(query, limit), limit)
        elif wanted.query.empty:
            hits = self._population_hits(wanted, query.kind, limit)
        else:
            hits = self._hits(wanted.query, self._with_markers(self._scored(wanted.query, CAP), wanted), limit,
                              wanted.wants)
        exact = self._exact(query)
        if exact:
            seen = {(h.kind, h.ref) for h in exact}
            hits = exact + [h for h in hits if (h.kind, h.ref) not in seen]
        notice, others, named = self._identifier_check(query, exact)
        if others:
            hits = [h for h in hits if study_of(h) not in others]
        if named is not None and all((h.kind, h.ref) != ("study", named.ref) for h in hits):
            hits.insert(0, named)
        if wanted is not None and wanted.two_ways:
            hits = self._both_readings(wanted.two_ways, hits, limit)
            notice = " ".join(n for n in (notice, two_ways_notice(wanted.two_ways)) if n)
        return Hits(hits[:limit], notice)

    def _both_readings(self, name: str, after: list[Hit], limit: int) -> list[Hit]:
        """'sorafenib progression': the drug's studies with a PFS figure ('sorafenib pfs') and the studies of
        patients who progressed on it, taken in turn, each list in its own order."""
        end_point = self.search(f"{name} pfs", limit)
        merged: dict[tuple[str, str], Hit] = {}
        for pair in zip_longest(end_point, after):
            for hit in pair:
                if hit is not None:
                    merged.setdefault((hit.kind, hit.ref), hit)
        return list(merged.values())

    def _scored(self, query: Query, limit: int) -> Scored:
        scored = self._ranked(query, limit)
        if not scored and query.words:
            alternatives = self._corrections(query)
            if alternatives:
                scored = self._ranked(query, limit, alternatives)
        return scored

    def _population_hits(self, wanted: Wanted, kind: str | None, limit: int) -> list[Hit]:
        """A query only about who was treated ('after lenvatinib', 'second line'): the studies whose population
        speaks to it, those that fit first, those that excluded such patients last, each in evidence order."""
        if kind not in (None, "study"):
            return []
        fits = self.who.fits(wanted.wants, self.who.candidates(wanted.wants, limit))
        ranked = sorted((doc for doc, fit in fits.items() if fit.said), key=lambda d: (*fits[d].key(), d))
        return self._read([(doc, "study", 1.0) for doc in ranked[:limit]], fits, wanted.wants)

    def _with_markers(self, scored: Scored, wanted: Wanted) -> Scored:
        """Add the studies that require a marker the query names and match the rest of it, though their
        text may not name the marker, with the best score (their fit puts them first among studies anyway)."""
        best, seen = min((score for _, score in scored), default=-1.0), {rowid for rowid, _ in scored}
        found = self.who.requiring(wanted, CAP, SEEK_MAX)
        return scored + [(rowid, best) for rowid in dict.fromkeys(found) if rowid not in seen]

    def _ranked(self, query: Query, limit: int, alternatives: dict[str, list[str]] | None = None) -> Scored:
        infos = {w: self.terms.info(w, prefix=not exact_only(w)) for w in options(query, alternatives)}
        facets = {t.tokens[0]: self.terms.info(t.tokens[0], prefix=False).docs for t in query.terms if t.facet}
        expand = {w: list(i.terms) for w, i in infos.items() if i.terms}
        spans = self.bands.spans(query.kind)
        if not spans:
            return []
        n = max(limit, CANDIDATES)
        share = CAP // len(spans)
        try:
            ids, complete = [], True
            for lo, hi in spans:  # the first matches among studies and names, and among toxicity rows
                found = self.sql.matching(fts_expression(query, alternatives, expand), lo, hi, share + 1)
                complete = complete and len(found) <= share
                ids += found[:share]
            if not ids:
                return []
            # what bm25 would read to weigh the words: each word's documents, at most all of them
            weigh = sum(min(d, self.bands.end) for d in [*(i.docs for i in infos.values()), *facets.values()])
            if complete and weigh <= BUDGET:
                return self._bm25(fts_expression(query, alternatives), spans[0][0], spans[-1][1], n)
            return self._bounded(query, alternatives, expand, facets, spans, ids, n)
        except sqlite3.OperationalError:
            if strict():
                raise
            import logging  # only on this path: its import would cost every start about 3 ms

            logging.getLogger(__name__).exception("search query failed: %r", query.text)
            return []

    def _bm25(self, expression: str, lo: int, hi: int, n: int, within: list[int] | None = None) -> Scored:
        return self.sql.scored(expression, WEIGHTS, lo, hi, within, n)

    def _bounded(self, query: Query, alternatives: dict[str, list[str]] | None, expand: dict[str, list[str]],
                 facets: dict[str, int], spans: list[tuple[int, int]], ids: list[int], n: int) -> Scored:
        """Rank the first matches in static order by bm25 over the words it can afford to weigh
        (the rarest first), or, when every word is broad, by where the words occur."""
        words: list[tuple[int, Term]] = []
        for term in query.terms:
            if term.facet:
                words.append((facets[term.tokens[0]], term))
                continue
            for tok in term.tokens:
                sub = Term(term.column, [tok])
                words.append((sum(self.terms.info(o, not exact_only(o)).docs
                                  for o in options(Query("", [sub]), alternatives)), sub))
        chosen, spent = [], 0
        for docs, term in sorted(words, key=lambda w: w[0]):
            if spent + docs > BUDGET:
                break
            chosen.append(term)
            spent += docs
        if chosen:
            expression = fts_expression(Query(query.text, chosen), alternatives, expand)
            scored = self._bm25(expression, min(ids), max(ids), n, within=ids)
            if scored:
                return self._boost(scored, expression, [t for _, t in words if t not in chosen], ids)
        return self._static(query, alternatives, expand, spans, ids, n)

    def _static(self, query: Query, alternatives: dict[str, list[str]] | None, expand: dict[str, list[str]],
                spans: list[tuple[int, int]], ids: list[int], n: int) -> Scored:
        """Every word is broad: the first matches of each span, those with a word in the title first.

        A column filter on a word in most documents reads all their position lists, so the title
        is tested on the first STATIC_SHARE names and studies only; a toxicity row's title is its
        adverse event, which the query names when it asks for toxicity figures."""
        base = fts_expression(query, alternatives, expand)
        words = [fts_expression(Query("", [t]), alternatives, expand) for t in query.terms
                 if t.column is None and not t.facet]
        runs = [run[:STATIC_SHARE] for lo, hi in spans if (run := [i for i in ids if lo <= i <= hi])]
        titled: set[int] = set()
        for run in runs:
            if self.bands.at(run[0])[0] == "toxicity":
                titled |= set(run) if self._toxicity_factor(query) > 1 else set()
            elif words:
                titled |= set(self.sql.matching(f"{base} AND title : ({' OR '.join(words)})", run[0], run[-1]))
        ordered = sorted((i for run in runs for i in run), key=lambda i: (i not in titled, i))[:n]
        return [(i, -(2.0 if i in titled else 1.0) * (1.0 - k / (2 * len(ordered)))) for k, i in enumerate(ordered)]

    def _boost(self, scored: Scored, weighed: str, broad: list[Term], ids: list[int]) -> Scored:
        """The words too broad to weigh count by their most frequent completion in a name column:
        `lenva hyper` puts hypertension before hyperkeratosis."""
        tops = [info.top for t in broad if t.column is None and not t.facet
                for info in [self.terms.info(t.tokens[0], not exact_only(t.tokens[0]))] if info.top]
        if not tops:
            return scored
        names = " AND ".join('"' + top.replace('"', '""') + '"' for top in tops)
        expression = f"{weighed} AND {{title names drugs diseases aes}} : ({names})"
        boosted = set(self.sql.matching(expression, min(ids), max(ids)))
        return sorted(((i, s * BOOST if i in boosted else s) for i, s in scored), key=lambda r: r[1])

    def _hits(self, query: Query, scored: Scored, limit: int, wants: list[Want] | None = None) -> list[Hit]:
        """Scale by prior and intent (kind and prior come from the bands), then read the rows shown."""
        ranked = []
        for rowid, score in scored:
            kind, prior = self.bands.at(rowid)
            if query.kind is None or kind == query.kind:
                ranked.append((rowid, kind, -score * prior))
        ranked.sort(key=lambda r: -r[2])
        factor = self._toxicity_factor(query)
        ranked = sorted(((i, k, s * factor if k == "toxicity" else s) for i, k, s in ranked), key=lambda r: -r[2])
        fits = self.who.fits(wants, [i for i, k, _ in ranked if k == "study"]) if wants else {}
        ranked = self._evidence_order(query, ranked, fits if wants else None)
        return self._read(ranked[:limit], fits, wants)

    def _read(self, top: list[tuple[int, str, float]], fits: dict[int, Fit], wants: list[Want] | None) -> list[Hit]:
        """The hits shown, their rows read; a study hit says how it fits who the query asks for."""
        if not top:
            return []
        rows = self.sql.shown([i for i, _, _ in top])
        hits = []
        for i, kind, score in top:
            if i not in rows:
                continue
            snippet, fit = rows[i][3], fits.get(i, SILENT)
            said = self.who.text(fit) if wants and kind == "study" else ""
            if said:
                snippet = f"{said} · {snippet}"
            hits.append(Hit(kind, rows[i][1], rows[i][2], snippet, score,
                            population=fit.name if wants and kind == "study" else ""))
        return hits

    def _evidence_order(self, query: Query, ranked: list[tuple[int, str, float]],
                        fits: dict[int, Fit] | None = None) -> list[tuple[int, str, float]]:
        """Study hits in evidence order (db/presentation/evidence.py, as the handout's lead study), in the places study
        hits hold: the query's disease (or a subtype), then a parent of it, before other diseases; among
        the good matches (STRONG), the better design, the disease itself before a parent, the larger
        and more recent study (the index's static order); weaker matches after, by score. When the query
        asks who was treated (`fits`), the studies that fit come first (all of them as good matches), then
        those that do not say, then those that excluded such patients (db/search/who.py), each group in
        that order."""
        slots = [n for n, r in enumerate(ranked) if r[1] == "study"]
        if len(slots) < 2:
            return ranked
        studies = [ranked[n] for n in slots]
        best = max(r[2] for r in studies)
        named, parents = self.diseases.setting(query)
        diseases: dict[int, set[str]] = {}
        if named:
            diseases = self.sql.diseases_of([r[0] for r in studies])

        def key(entry: tuple[int, str, float]) -> tuple[object, ...]:
            rowid, _, score = entry
            own = diseases.get(rowid, set())
            in_named = bool(own & named)
            outside = bool(named) and not (in_named or own & parents)
            found = None if fits is None else fits.get(rowid, SILENT)
            fit = () if found is None else found.key()
            if score >= STRONG * best or (found is not None and found.level == FITS):  # a fit is a good match
                return (*fit, outside, 0, self.bands.design(rowid), bool(named) and not in_named,
                        -share(own, named), rowid)
            return (*fit, outside, 1, -score)

        out = list(ranked)
        for n, entry in zip(slots, sorted(studies, key=key), strict=True):
            out[n] = entry
        return out

    @property
    def diseases(self) -> _DiseaseNames:
        if self._diseases is None:
            self._diseases = _DiseaseNames(self.sql, self.tree)
        return self._diseases

    def _identifier_check(self, query: Query, exact: list[Hit]) -> tuple[str, set[str], Hit | None]:
        """Acronyms and registry numbers match exactly: (what to tell the user, studies to leave out,
        the study whose number was asked for).

        A complete NCT number no study holds: say so. `nct:NETTER-1` (or `NETTER-1 nct`) for a study
        whose number is not recorded: say so. An acronym with a number (NETTER-2, RADIANT-5) that no
        study holds: say so, and leave out the studies of the same name with another number
        (NETTER-1), which are other trials; with an exact hit (RADIANT-3) leave those out too."""
        typed = _ID_FIELDS.sub(" ", query.text).strip()
        key = normalize_key(typed)
        found = {h.ref for h in exact if h.kind == "study"}
        if _NCT_KEY.match(key):
            return ("" if found else f"No study with the registry number {typed.upper()} in the dataset."), set(), None
        asked = _NCT_WORD.match(typed)
        if (_NCT_FIELD.search(query.text) or asked) and not key.startswith("nct"):
            name = typed if asked is None else (asked.group("after") or asked.group("before"))
            study = self._study_named(normalize_key(name))
            if study is None:
                return "", set(), None
            hit = Hit("study", study[0], study[1], study[2], math.inf, exact=True)
            if self._has_registry_number(study[0]):
                return "", set(), hit
            return f"{study[1]}: its registry number (NCT) is not recorded in the dataset.", set(), hit
        stem = _STEM.match(key)
        if stem is None or stem.group(1) == "nct":
            return "", set(), None
        rows = self.sql.study_keys(stem.group(1) + "0", stem.group(1) + ":")
        same = [(k, ref) for k, ref in rows if (m := _STEM.match(k)) and m.group(1) == stem.group(1)]
        equal = [k for k, ref in same if _number(k) == _number(key) and ref not in found]  # KEYNOTE-28: -028
        study = self._study_named(equal[0]) if equal and not found else None
        named = Hit("study", study[0], study[1], study[2], math.inf, exact=True) if study else None
        found |= {ref for k, ref in same if k in equal}
        others = {ref for k, ref in same if not k.startswith(key)} - found
        if found or any(k.startswith(key) for k, _ in same) or not others:
            return "", others, named
        return f"No study with the acronym {typed} in the dataset; acronyms are matched exactly.", others, None

    def _study_named(self, key: str) -> tuple[str, str, str] | None:
        return self.sql.study_named(key) if key else None

    def _has_registry_number(self, study_id: str) -> bool:
        return self.sql.has_registry_number(study_id)

    def _toxicity_factor(self, query: Query) -> float:
        """A query that names an adverse event asks for toxicity figures: those rows first
        within their score band; a query without one wants studies before toxicity rows."""
        wants_ae = any(t.column == "aes" for t in query.terms) or any(  # 'lung' is the setting, not a word
            self._names_adverse_event(w) and not self.diseases.names(w) for w in query.words)  # of an event
        return 1.5 if wants_ae else 0.85

    def _names_adverse_event(self, word: str) -> bool:
        if self._ae_words is None:
            names = [name for _ident, name in self.sql.entity_names("ae")]
            self._ae_words = sorted({t for name in names for t in re.findall(r"\w+", name.casefold()) if len(t) >= 3})
        w = word.casefold()
        return len(w) >= 3 and any(t.startswith(w) for t in self._ae_words)

    def _exact(self, query: Query) -> list[Hit]:
        key = normalize_key(_ID_FIELDS.sub(" ", query.text))
        if not key or len(key) < 2:
            return []
        rows = self.sql.exact(key)
        if query.kind:
            rows = [r for r in rows if r[0] == query.kind]
        return [Hit(kind, ref, title, snippet, float("inf"), exact=True) for kind, ref, title, snippet in rows]

    def _corrections(self, query: Query) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for word in query.words:
            close = self.terms.close_spellings(word)
            if close:
                out[word] = close
        return out


def _number(key: str) -> tuple[int, str]:
    """'keynote028' -> (28, ''): an acronym's number without its leading zeros."""
    number = _STEM.match(key).group(2)  # type: ignore[union-attr]
    digits = number.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), number[len(digits):]


class _DiseaseNames:
    """The diseases a query names ('pnet', 'pancreatic neuroendocrine', `disease:dtc`), with the
    subtypes and parents the evidence order needs; read once per connection (a few hundred names)."""

    def __init__(self, sql: SearchQueries, tree: DiseaseTree) -> None:
        self.tree = tree
        self.by_key: dict[str, set[str]] = {}
        names = sql.entity_names("disease")
        for ident, name in names:
            for text in (name, ident):
                self.by_key.setdefault(normalize_key(text), set()).add(ident)
        self.keys = sorted(self.by_key)
        starts: dict[str, set[str]] = {}
        for ident, name in names:
            first = re.findall(r"\w+", name.casefold())[:1]
            if first and len(first[0]) >= 4:
                starts.setdefault(first[0], set()).add(ident)
        # 'lung', 'thyroid', 'pancreatic': the first word of a family's names alone names the family
        self.by_first_word = {word: {top} for word, ids in starts.items() if (top := tree.family(ids)) is not None}

    def names(self, word: str) -> bool:
        """Whether this one word names a disease (exactly, or as the first word of a family's names)."""
        return normalize_key(word) in self.by_key or word.casefold() in self.by_first_word

    def named(self, query: Query) -> set[str]:
        """Diseases whose name or synonym the query's words spell out: one word exactly ('pnet', 'net') or as
        the first word of a family's names ('lung'), or two words and more as the start of a name
        ('pancreatic neuro')."""
        words = [t for term in query.terms if not term.facet and term.column in (None, "diseases")
                 for t in term.tokens]
        found: set[str] = set()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 5) + 1):
                key = normalize_key("".join(words[i:j]))
                if key in self.by_key:
                    found |= self.by_key[key]
                elif j - i == 1 and words[i].casefold() in self.by_first_word:
                    found |= self.by_first_word[words[i].casefold()]
                elif j - i >= 2:
                    at = bisect.bisect_left(self.keys, key)
                    while at < len(self.keys) and self.keys[at].startswith(key):
                        found |= self.by_key[self.keys[at]]
                        at += 1
        return found

    def setting(self, query: Query) -> tuple[set[str], set[str]]:
        """(the named diseases and their subtypes, their parents); both empty when the query names none."""
        return self.tree.setting(self.named(query))

