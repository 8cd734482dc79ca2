"""Who was treated, in a search: the words of a query that ask for a line, an earlier therapy or a
marker, and how well each study fits them.

- the line: 'first line' (a study of first-line patients fits, one of mixed lines partly, a study of
  pretreated patients only excluded them); 'second line', 'later line', 'pretreated' (later or mixed
  fits, first line only excluded them);
- earlier therapy: 'after lenvatinib', 'post-lenvatinib', 'progressed on lenvatinib', 'lenvatinib
  progression', 'after MKI', 'after somatostatin analogue': a drug stands for its classes
  (db/building/who_rows.py); a study fits when its population, or a cohort's or stratum's own, has the
  class `required` or `allowed`, and excluded the patient when it has it `excluded`;
- a marker: 'BRAF V600E', 'RET fusion', 'NTRK', 'BRAF' (every BRAF marker): a study fits when it
  requires the marker. A marker's words are also text (the sources write them), so they still find
  what mentions them; the words for the line and earlier therapy are not.

A study's fit is the best over its scopes (the study's population and each cohort's or stratum's;
one that says something before one that is silent); in a scope, the worst over what the query asks.
Nothing here decides the evidence order (db/presentation/evidence.py) or words a population (db/presentation/who.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from db.presentation.who import Names, excluded_text, line_text, marker_text, prior_text
from db.search.queries import SearchQueries
from db.search.query import Query, fts_expression
from db.search.terms import fold

FITS, PARTLY, NOT_STATED, EXCLUDED = range(4)
LEVELS = ("fits", "partly", "not stated", "excluded")

LINE_PHRASES = {
    ("first", "line"): "first", ("1st", "line"): "first", ("front", "line"): "first", ("frontline",): "first",
    ("firstline",): "first", ("treatment", "naive"): "first", ("previously", "untreated"): "first",
    ("second", "line"): "later", ("2nd", "line"): "later", ("third", "line"): "later", ("3rd", "line"): "later",
    ("later", "line"): "later", ("later", "lines"): "later", ("secondline",): "later",
    ("pretreated",): "later", ("previously", "treated"): "later",
}
BEFORE = [tuple(c.split()) for c in (  # words before a drug or class: after lenvatinib
    "after", "post", "following", "prior", "progressed on", "progressing on", "progression on",
    "progression after", "failure of", "failed", "after failure of", "after progression on", "pretreated with",
    "previously treated with", "refractory to", "resistant to")]
AFTER = [("progression",), ("progressed",), ("progressing",), ("failure",), ("pretreated",)]  # lenvatinib progression
END_POINT_WORDS = {("progression", "free")}  # 'sorafenib progression-free': the end point, not the cue
PREFIX_MIN = 3  # a drug or class name typed in part after 'after' ('after lenva') counts from this length
# line value asked -> the level of a study of each line
LINE_FIT = {"first": {"first": FITS, "mixed": PARTLY, "later": EXCLUDED},
            "later": {"later": FITS, "mixed": FITS, "first": EXCLUDED}}
RULE_FIT = {"required": FITS, "allowed": FITS, "excluded": EXCLUDED}
KEYS = {"line": "line", "prior": "prior", "marker": "markers"}  # search_population.what -> db/presentation/who.py's key


@dataclass(frozen=True)
class Want:
    what: str  # 'line', 'prior' or 'marker'
    values: frozenset[str]  # the line asked ('first' or 'later'), class ids or marker ids

    def level(self, value: str, rule: str) -> int:
        if self.what == "line":
            return LINE_FIT[next(iter(self.values))].get(value, NOT_STATED)
        return RULE_FIT.get(rule, NOT_STATED) if value in self.values else NOT_STATED


@dataclass(frozen=True)
class Wanted:
    wants: list[Want]
    query: Query  # the query without the words for the line and earlier therapy: what the text must match
    rest: Query  # without the marker words too: what a study that fits by its marker must match
    two_ways: str = ""  # 'sorafenib progression': the drug, read also as its progression-free survival


Said = tuple[str, str, str, str, int]  # a population row that decides a want: what, value, rule, share, level


@dataclass(frozen=True)
class Fit:
    level: int
    fitted: int  # how many of the query's wants the study fits
    said: int  # how many of them its population speaks to
    rows: tuple[Said, ...] = ()  # the rows that decide them (worded only for the hits shown: `WhoSearch.text`)
    label: str = ""  # the cohort's or stratum's label when its own population decides

    @property
    def name(self) -> str:
        return LEVELS[self.level]

    def key(self) -> tuple[int, int]:
        return self.level, -self.fitted


SILENT = Fit(NOT_STATED, 0, 0)


class WhoSearch:
    """The phrase vocabulary and the population rows of one database, read at the first search."""

    def __init__(self, sql: SearchQueries) -> None:
        self.sql = sql
        self.phrases: dict[str, dict[tuple[str, ...], frozenset[str]]] = {"class": {}, "marker": {}}
        found: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        for phrase, kind, target in sql.phrases():
            found[(kind, tuple(phrase.split(" ")))].add(target)
        for (kind, words), targets in found.items():
            self.phrases.setdefault(kind, {})[words] = frozenset(targets)
        self.by_word = {kind: _index(table, lambda w: w[0]) for kind, table in self.phrases.items()}
        self.by_letter = {kind: _index(table, lambda w: w[0][:1]) for kind, table in self.phrases.items()}
        self.longest = max((len(w) for table in self.phrases.values() for w in table), default=1)
        self._names: Names | None = None

    @property
    def names(self) -> Names:
        if self._names is None:
            rows = self.sql.vocabulary()
            self._names = Names({i: n for k, i, n in rows if k == "class"}, {i: n for k, i, n in rows if k == "marker"})
        return self._names

    # -- the query ---------------------------------------------------------------
    def read(self, query: Query) -> Wanted | None:
        """What the query asks of who was treated; None when nothing (the query is searched as before)."""
        at = [(n, fold(term.tokens[0])) for n, term in enumerate(query.terms)
              if term.column is None and not term.facet and len(term.tokens) == 1]
        tokens = [t for _, t in at]
        wants: list[Want] = []
        dropped: set[int] = set()
        markers: set[int] = set()
        i = 0
        while i < len(tokens):
            for what, match in (("prior", self._prior), ("line", _line), ("marker", self._marker)):
                found = match(tokens, i)
                if found is not None:
                    end, values = found
                    wants.append(Want(what, values))
                    (markers if what == "marker" else dropped).update(at[k][0] for k in range(i, end))
                    i = end
                    break
            else:
                i += 1
        if not wants:
            return None
        return Wanted(wants, _without(query, dropped), _without(query, dropped | markers), self._two_ways(tokens))

    def _prior(self, tokens: list[str], i: int) -> tuple[int, frozenset[str]] | None:
        """[words before] a drug or class [words after], at least one of them: 'after lenvatinib'."""
        for cue in sorted((c for c in BEFORE if tuple(tokens[i:i + len(c)]) == c), key=len, reverse=True):
            found = self._name("class", tokens, i + len(cue), PREFIX_MIN)
            if found is not None:
                end, classes = found
                return _after(tokens, end), classes
        found = self._name("class", tokens, i, None)
        if found is not None and _after(tokens, found[0]) > found[0]:
            return _after(tokens, found[0]), found[1]
        return None

    def _two_ways(self, tokens: list[str]) -> str:
        """The drug or class words of 'sorafenib progression': a bare 'progression' after a name, with no cue
        before it, may ask for patients who progressed on the drug or for the drug's progression-free
        survival; the engine answers both ('after sorafenib' and 'sorafenib pfs' ask for one)."""
        if len(tokens) < 2 or tokens[-1] != "progression" or any(
                tuple(tokens[i:i + len(c)]) == c for c in BEFORE for i in range(len(tokens))):
            return ""
        found = self._name("class", tokens, 0, None)
        return " ".join(tokens[:-1]) if found is not None and found[0] == len(tokens) - 1 else ""

    def _marker(self, tokens: list[str], i: int) -> tuple[int, frozenset[str]] | None:
        return self._name("marker", tokens, i, 1, first_whole=True)

    def _name(self, kind: str, tokens: list[str], i: int, prefix: int | None,
              first_whole: bool = False) -> tuple[int, frozenset[str]] | None:
        """The longest name of `kind` at `i`: (where it ends, its targets). The query's last word may be the
        start of a name's next word (at least `prefix` letters; never its first word when `first_whole`),
        when every name it may start stands for the same targets: 'after lenva', 'braf v6'."""
        table = self.phrases.get(kind, {})
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            words = tuple(tokens[i:i + n])
            if words in table:
                return i + n, table[words]
            if prefix is None or i + n != len(tokens) or len(words[-1]) < prefix or (first_whole and n == 1):
                continue
            done, part = words[:-1], words[-1]
            names = self.by_word[kind].get(words[0], []) if n > 1 else self.by_letter[kind].get(part[:1], [])
            targets = {table[w] for w in names if len(w) >= n and w[:n - 1] == done and w[n - 1].startswith(part)}
            if len(targets) == 1:
                return i + n, targets.pop()
        return None

    # -- the studies ---------------------------------------------------------------
    def fits(self, wants: list[Want], doc_ids: list[int]) -> dict[int, Fit]:
        """How each of these study documents fits what the query asks (studies that say nothing are left out)."""
        if not doc_ids:
            return {}
        whats = sorted({w.what for w in wants})
        rows = self.sql.population(doc_ids, whats)
        scopes: dict[int, dict[str, list[tuple[str, str, str, str, str]]]] = defaultdict(lambda: defaultdict(list))
        for doc, what, value, scope, rule, share, label in rows:
            scopes[doc][scope].append((what, value, rule, share, label))
        return {doc: min((self._scope_fit(wants, found) for found in by_scope.values()), key=_best)[0]
                for doc, by_scope in scopes.items()}

    @staticmethod
    def _scope_fit(wants: list[Want], rows: list[tuple[str, str, str, str, str]]) -> tuple[Fit, bool]:
        levels, said = [], []
        for want in wants:
            best: Said | None = None
            for what, value, rule, share, _ in rows:
                level = want.level(value, rule) if what == want.what else NOT_STATED
                if level != NOT_STATED and (best is None or level < best[4]):
                    best = what, value, rule, share, level
            levels.append(NOT_STATED if best is None else best[4])
            said += [best] if best is not None else []
        label = rows[0][4] if rows else ""
        return Fit(max(levels), levels.count(FITS), len(said), tuple(said), label), bool(label)

    def text(self, fit: Fit) -> str:
        """What the study (or the cohort or stratum that decides) states of what the query asks, in
        db/presentation/who.py's words: 'after VEGFR-targeted multikinase inhibitor', 'excluded: earlier …',
        'BRAF V600E required'."""
        texts = []
        for what, value, rule, share, level in fit.rows:
            key = KEYS[what]
            item = {"value": value, "class": value, "marker": value, "rule": rule, "share": share}
            if level == EXCLUDED:
                texts.append(excluded_text(key, item, self.names))
            elif key == "line":
                texts.append(line_text(item))
            else:
                texts.append(prior_text(item, self.names) if key == "prior" else marker_text(item, self.names))
        text = "; ".join(dict.fromkeys(texts))
        return f"{fit.label}: {text}" if fit.label and text else text

    def candidates(self, wants: list[Want], limit: int) -> list[int]:
        """Study documents whose population speaks to what the query asks: for each thing asked and each of
        its levels, the first `limit` in the index's order (the evidence order without a disease)."""
        found: set[int] = set()
        for want in wants:
            for value, rule in _stated(want):  # one index range each, read in order up to `limit`
                found.update(self.sql.stating(want.what, value, rule, limit))
        return sorted(found)

    def requiring(self, wanted: Wanted, cap: int, seek_max: int) -> list[int]:
        """The first `cap` study documents that require a marker the query names and match the rest of it
        (`wanted.rest`): a few are looked up one by one (FTS5 seeks each rowid: `braf v600e t`, with `t*` in
        every document, 0.2 ms instead of 30 at 100 000 studies); more than `seek_max`, in one pass over
        the match, each row tested against the list."""
        values = sorted({v for w in wanted.wants if w.what == "marker" for v in w.values})
        if not values:
            return []
        found = self.sql.requiring(values, cap)
        if not found or wanted.rest.empty:
            return found
        return self.sql.matching_among(fts_expression(wanted.rest), found, seek=len(found) <= seek_max)


def _best(entry: tuple[Fit, bool]) -> tuple[bool, int, int, int, bool]:
    """The scope that speaks for the study: one that says something before one that is silent, the better fit,
    then the study's own population before a cohort's. So a study fits when the study or one of its cohorts
    or strata fits, and excluded the patient when none fits and one excluded them."""
    fit, arm = entry
    return not fit.said, fit.level, -fit.fitted, -fit.said, arm


def _stated(want: Want) -> list[tuple[str, str]]:
    """The (value, rule) pairs of the rows that speak to a want (a line's rule is '')."""
    if want.what == "line":
        return [(v, "") for v in LINE_FIT[next(iter(want.values))]]
    rules = ("required", "allowed", "excluded") if want.what == "prior" else ("required", "excluded")
    return [(v, rule) for v in sorted(want.values) for rule in rules]


def _line(tokens: list[str], i: int) -> tuple[int, frozenset[str]] | None:
    for n in (2, 1):
        value = LINE_PHRASES.get(tuple(tokens[i:i + n])) if i + n <= len(tokens) else None
        if value is not None:
            return i + n, frozenset({value})
    return None


def _after(tokens: list[str], end: int) -> int:
    """Past a word after the drug that says it came before ('lenvatinib progression'); 'progression-free' is an
    end point (db/search/endpoints.py), not a progression on the drug."""
    if end < len(tokens) and (tokens[end],) in AFTER and tuple(tokens[end:end + 2]) not in END_POINT_WORDS:
        return end + 1
    return end


def _without(query: Query, dropped: set[int]) -> Query:
    return Query(query.text, [t for n, t in enumerate(query.terms) if n not in dropped], query.kind)


def _index(table: dict[tuple[str, ...], frozenset[str]],
           key: Callable[[tuple[str, ...]], str]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in table:
        out[key(words)].append(words)
    return out
