"""Parsing what a user types into the search field.

Free words are matched as prefixes in any column; `field:value` terms restrict a
word to one column (`drug:everolimus disease:pnet phase:3 ae:stomatitis
nct:NCT01010126 kind:study`). Anything else the user types, FTS operators,
quotes, stars or control characters included, is treated as plain words: the
parser only ever emits quoted tokens, so no input can form an FTS5 expression.
FTS5's own syntax typed out of habit is dropped rather than searched for as words:
the upper-case operators AND, OR, NOT and NEAR (with NEAR's distance), and column
filters that are not field terms (`title:`, `body:`, `{title names}:`), so
`NEAR(lenva hyper, 5)` or `title:RADIANT-3` find what `lenva hyper` and `RADIANT-3` find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 12
MAX_TOKEN = 48

FIELDS = {
    "drug": "drugs", "drugs": "drugs", "therapy": "drugs",
    "disease": "diseases", "dx": "diseases",
    "ae": "aes", "tox": "aes", "toxicity": "aes",
    "nct": "names", "trial": "names", "study": "names", "author": "names",
    "phase": "facets", "status": "facets", "year": "facets", "class": "facets",
}
FACET_PREFIX = {"phase": "phase", "status": "status", "year": "year", "class": "class"}
KINDS = {"study": "study", "studies": "study", "trial": "study", "drug": "drug", "disease": "disease",
         "ae": "adverse_event", "adverse_event": "adverse_event", "toxicity": "toxicity",
         "grading": "grading", "grade": "grading", "source": "source"}

_WORD = re.compile(r"\w+", re.UNICODE)
_NEAR_GROUP = re.compile(r"\bNEAR\s*\(([^()]*?)(?:,\s*\d+\s*)?\)")
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|NEAR(?:/\d+)?)\b")
_COLUMN_FILTER = re.compile(r"(?:\{[^{}]*\}|\b(?:title|names|diseases|aes|facets|body))\s*:", re.IGNORECASE)
_FIELD = re.compile(r'(?P<key>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S*))')


@dataclass
class Term:
    column: str | None  # None: any column
    tokens: list[str]
    facet: bool = False


@dataclass
class Query:
    text: str
    terms: list[Term] = field(default_factory=list)
    kind: str | None = None

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def words(self) -> list[str]:
        return [t for term in self.terms if term.column is None for t in term.tokens]



def _tokens(text: str) -> list[str]:
    return [t[:MAX_TOKEN] for t in _WORD.findall(text.replace("_", " ")) if t]


def _without_fts_syntax(text: str) -> str:
    """Drop FTS5 operators and column filters; keep them when nothing else is left (`NOT` alone)."""
    text = _COLUMN_FILTER.sub(" ", _NEAR_GROUP.sub(r" \1 ", text))
    stripped = _OPERATOR.sub(" ", text)
    return stripped if _WORD.search(stripped) else text


def parse(text: str) -> Query:
    text = _without_fts_syntax(text.replace("\x00", " ")[:2000])
    query = Query(text)
    rest: list[str] = []
    pos = 0
    for match in _FIELD.finditer(text):
        key = match.group("key").lower()
        value = match.group("quoted") if match.group("quoted") is not None else match.group("bare") or ""
        if key == "kind" and value.lower() in KINDS:
            rest.append(text[pos:match.start()])
            pos = match.end()
            query.kind = KINDS[value.lower()]
            continue
        if key not in FIELDS:
            continue
        rest.append(text[pos:match.start()])
        pos = match.end()
        column = FIELDS[key]
        if key in FACET_PREFIX:
            token = FACET_PREFIX[key] + "".join(_tokens(value)).lower()
            if token != FACET_PREFIX[key]:
                query.terms.append(Term(column, [token], facet=True))
        elif toks := _tokens(value):
            query.terms.append(Term(column, toks))
    rest.append(text[pos:])
    for tok in _tokens(" ".join(rest)):
        query.terms.append(Term(None, [tok]))
    query.terms = query.terms[:MAX_TERMS]
    return query


def exact_only(token: str) -> bool:
    """'3' in 'radiant 3' or 'grade 2' means 3, not 30 or 2019: short numbers match whole."""
    return token.isdigit() and len(token) <= 2


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def options(query: Query, alternatives: dict[str, list[str]] | None = None) -> list[str]:
    """Every word the expression will look up: the typed tokens and their spelling alternatives."""
    out: list[str] = []
    for term in query.terms:
        if not term.facet:
            for tok in term.tokens:
                out += [tok, *(alternatives or {}).get(tok, [])] if term.column is None else [tok]
    return list(dict.fromkeys(out))


def _word(option: str, expand: dict[str, list[str]] | None) -> str:
    """A prefix token, or the index terms it stands for when the caller knows them (no prefix scan)."""
    terms = (expand or {}).get(option)
    if terms:
        return " OR ".join(_quote(t) for t in terms)
    return _quote(option) + ("" if exact_only(option) else "*")


def fts_expression(query: Query, alternatives: dict[str, list[str]] | None = None,
                   expand: dict[str, list[str]] | None = None) -> str:
    """The FTS5 MATCH expression: every term must match (AND), each word as a prefix.

    `alternatives` maps a free word to spelling corrections that may stand for it;
    `expand` maps a word to the exact index terms its prefix matches.
    """
    parts = []
    for term in query.terms:
        if term.facet:
            parts.append(f"{term.column} : {_quote(term.tokens[0])}")
            continue
        for tok in term.tokens:
            opts = [tok, *(alternatives or {}).get(tok, [])] if term.column is None else [tok]
            words = [_word(o, expand) for o in opts]
            phrase = " OR ".join(words)
            if term.column:
                parts.append(f"{term.column} : ({phrase})")
            else:
                parts.append(f"({phrase})" if len(words) > 1 or " OR " in phrase else phrase)
    return " AND ".join(parts)
