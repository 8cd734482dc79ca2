"""Who a study treated and what it set out to show, in words, for every surface: the study pane, the
Trials grid, search, Compare and the handout. From the dicts `Store.study` returns (db/dataset/population.py's
JSON form) and the vocabularies' names (`Store.vocabulary`); nothing here reads the database.

    >>> names = Names({"vegfr-mki": "VEGFR-targeted multikinase inhibitor"}, {"braf-v600e": "BRAF V600E"})
    >>> population = {"line": {"value": "later"}, "prior": [{"class": "vegfr-mki", "rule": "required"}],
    ...               "markers": [{"marker": "braf-v600e", "rule": "required"}]}
    >>> [s.text for s in who({"population": population}, names=names)]
    ['after earlier systemic therapy', 'after VEGFR-targeted multikinase inhibitor', 'BRAF V600E required']
    >>> line_word({"population": population}), markers_text({"population": population}, names)
    ('later', 'BRAF V600E required')
    >>> primary_text({"endpoints": {"primary": {"measure": "pfs", "text": "progression-free survival",
    ...                                          "result": "not met", "boundary": "p ≤ 0.0246"}}})
    'Primary end point (progression-free survival): not met (boundary p ≤ 0.0246 as printed)'
"""

from __future__ import annotations

from typing import NamedTuple

from db.dataset.record import Row
from db.presentation.who_words import (  # re-exported: one module for the words of who was treated
    LINE,
    NOT_STATED,
    Names,
    items,
    line_word,
    marker_text,
    markers_entry_text,
    markers_text,
    population_of,
)

__all__ = ["LINE", "NOT_STATED", "Names", "Statement", "line_word", "marker_text", "markers_entry_text", "markers_text",
           "os_statement", "population_of", "primary", "primary_text", "unstated", "verdicts", "who", "who_text"]

FUNCTIONAL = {"functional": "functional tumours", "nonfunctional": "nonfunctional tumours",
              "both": "functional and nonfunctional tumours"}
ABBREVIATIONS = {"pfs": "PFS", "os": "OS", "orr": "ORR", "dcr": "DCR", "ttp": "TTP"}
# an end point's measure -> the between-arm figures its result speaks for
VERDICT_MEASURES = {"pfs": ("pfs_hr",), "os": ("os_hr",), "orr": ("orr_difference",)}


class Statement(NamedTuple):
    """One thing said of who was treated, with its citation and the source's doubt, if any."""

    key: str  # line, prior, markers, functional, sstr, grades, progression, text
    text: str
    source_id: str = ""
    locator: str = ""
    note: str = ""


def _cited(key: str, text: str, item: Row, study: Row) -> Statement:
    return Statement(key, text, str(item.get("source") or study.get("source_id") or ""), str(item.get("at") or ""),
                     str(item.get("note") or ""))


def _share(item: Row) -> str:
    return f" ({item['share']})" if item.get("share") else ""


def prior_text(item: Row, names: Names) -> str:
    """'after VEGFR-targeted multikinase inhibitor', '25% had … before', 'no earlier …'."""
    name = names.classes.get(str(item.get("class")), str(item.get("class")))
    rule = item.get("rule")
    if rule == "required":
        return f"after {name}{_share(item)}"
    if rule == "excluded":
        return f"no earlier {name}"
    return f"{item['share']} had {name} before" if item.get("share") else f"some had {name} before"


# what a study of this line left out, as a search that asks for the other says it
EXCLUDED_LINE = {"first": "earlier systemic therapy", "later": "first line"}


def excluded_text(key: str, item: Row, names: Names) -> str:
    """What a study left out that a search asked for (`key` 'line', 'prior' or 'markers'): 'excluded: earlier
    VEGFR-targeted multikinase inhibitor', 'excluded: BRAF V600E', 'excluded: first line' (a study of
    pretreated patients only)."""
    if key == "line":
        return f"excluded: {EXCLUDED_LINE.get(str(item.get('value')), str(item.get('value')))}"
    if key == "prior":
        return f"excluded: earlier {names.classes.get(str(item.get('class')), str(item.get('class')))}"
    return f"excluded: {names.markers.get(str(item.get('marker')), str(item.get('marker')))}"


def line_text(item: Row) -> str:
    """'after earlier systemic therapy', 'some had earlier systemic therapy (25%)'."""
    value = str(item.get("value"))
    return LINE.get(value, value) + (_share(item) if value == "mixed" else "")


def who(study: Row, arm: Row | None = None, names: Names | None = None) -> list[Statement]:
    """What the sources state of who was treated (the arm's own population over the study's); fields the
    source leaves unstated are left out (`unstated` lists them)."""
    names = names or Names()
    p = population_of(study, arm)
    out: list[Statement] = []
    for item in items(p.get("line")):
        value = str(item.get("value"))
        if value in LINE:
            out.append(_cited("line", line_text(item), item, study))
    out += [_cited("prior", prior_text(i, names), i, study) for i in items(p.get("prior"))]
    out += [_cited("markers", marker_text(i, names), i, study) for i in items(p.get("markers"))]
    for item in items(p.get("functional")):
        if str(item.get("value")) in FUNCTIONAL:
            out.append(_cited("functional", FUNCTIONAL[str(item["value"])], item, study))
    out += [_cited("sstr", "SSTR-positive disease required", i, study) for i in items(p.get("sstr"))
            if i.get("value") == "required"]
    for item in items(p.get("grades")):
        grades = item.get("value")
        out.append(_cited("grades", "grades " + (", ".join(grades) if isinstance(grades, list) else str(grades)),
                          item, study))
    out += [_cited("progression", f"progression: {i['value']}", i, study) for i in items(p.get("progression"))
            if i.get("value") and i.get("value") != NOT_STATED]
    return out


def unstated(study: Row, arm: Row | None = None) -> list[str]:
    """The fields a source leaves unstated: 'line', 'prior therapy', 'markers' (NET: 'functional status', 'SSTR')."""
    p = population_of(study, arm)
    labels = {"line": "line", "prior": "prior therapy", "markers": "markers", "functional": "functional status",
              "sstr": "SSTR status", "grades": "grades"}
    return [label for key, label in labels.items() if p.get(key) == NOT_STATED]


def who_text(study: Row, arm: Row | None = None, names: Names | None = None) -> str:
    """One line: the curators' phrase (a cohort's or stratum's own, else the study's; where a cohort has
    none, its line and earlier therapy), then the markers, functional and SSTR status the source states.
    Radioiodine is left out of the line: every RAI-refractory study has had it."""
    own = (arm or {}).get("population") or {}
    statements = who(study, arm, names)
    text = str(own.get("text") or "") if own else str((study.get("population") or {}).get("text") or "")
    if text:
        parts = [str(text)]
    else:
        parts = [s.text for s in statements if s.key in ("line", "prior") and "radioactive iodine" not in s.text]
    said = " ".join(parts).lower()
    parts += [s.text for s in statements if s.key in ("markers", "functional", "sstr")
              and not (s.key == "functional" and "functional" in said)]  # the phrase may already say it
    return "; ".join(dict.fromkeys(parts)) or "who was treated: not stated in the source"


def primary_text(study: Row, short: bool = False) -> str:
    """'Primary end point (progression-free survival): not met (boundary p ≤ 0.0246 as printed)'; `short`
    names a common end point by its abbreviation ('(PFS)')."""
    primary = (study.get("endpoints") or {}).get("primary")
    if not isinstance(primary, dict):
        return "Primary end point: not stated in the source"
    what = primary.get("text") or primary.get("measure") or ""
    if short and str(primary.get("measure")) in ABBREVIATIONS:
        what = ABBREVIATIONS[str(primary["measure"])]
    result = str(primary.get("result") or NOT_STATED)
    boundary = f" (boundary {primary['boundary']} as printed)" if primary.get("boundary") else ""
    return f"Primary end point ({what}): {result}{boundary}"


def primary(study: Row) -> Statement:
    """`primary_text` with the citation of the primary end point's item (none where it is not stated)."""
    item = (study.get("endpoints") or {}).get("primary")
    text = primary_text(study)
    return _cited("primary", text, item, study) if isinstance(item, dict) else Statement("primary", text)


def verdicts(study: Row) -> dict[str, str]:
    """Words a between-arm figure carries on every surface, by measure: 'primary end point not met',
    'met at an interim analysis', 'not significant: boundary 0.0002 as printed (interim)'."""
    endpoints = study.get("endpoints") or {}
    out: dict[str, str] = {}
    primary = endpoints.get("primary")
    if isinstance(primary, dict):
        boundary = f" (boundary {primary['boundary']} as printed)" if primary.get("boundary") else ""
        words = {"not met": f"primary end point not met{boundary}",
                 "met at an interim analysis": "primary end point met at an interim analysis"}.get(
            str(primary.get("result")), "")
        for measure in VERDICT_MEASURES.get(str(primary.get("measure")), ()):
            if words:
                out[measure] = words
    for item in items(endpoints.get("secondary")):
        if item.get("result") == "not met":
            interim = " (interim)" if "interim" in str(item.get("text") or "").lower() else ""
            words = (f"not significant: boundary {item['boundary']} as printed{interim}" if item.get("boundary")
                     else "not significant as printed")
            for measure in VERDICT_MEASURES.get(str(item.get("measure")), ()):
                out.setdefault(measure, words)
    return out


def os_statement(study: Row) -> Statement | None:
    """The source's words on overall survival, where it gives them (DECISION: no OS gain, most controls
    crossed over), with the crossover share as printed."""
    endpoints = study.get("endpoints") or {}
    os_ = endpoints.get("os")
    if not isinstance(os_, dict) or not os_.get("text"):
        return None
    text = str(os_["text"])
    cross = endpoints.get("crossover")
    if isinstance(cross, dict) and cross.get("value"):
        text += f" (crossover {cross['value']} as printed)"
    return _cited("os", text, os_, study)
