"""The one way a figure becomes text, for every surface: the Trials table and study pane,
the Compare grid, the handout and its charts, search snippets, the Toxicity view, the CLI
and the CSV export.

A surface turns a store record into a `Reading` (`reading`, `ae_reading`, `count`) and asks
for text in a style; it never builds figure text itself. Whatever the style, the text keeps
the preferred reading, the interval's level as printed, the scope of n, the unit as printed
and a mark for every caveat. Nothing here rounds or computes a number.

    >>> r = reading({"measure": "pfs_hr", "value_text": "0.62", "ci_low_text": "0.39",
    ...              "ci_high_text": "0.68", "ci_level": "99"})
    >>> text(r, "cell")
    '0.62 (99% CI 0.39–0.68)'

VERSION is stored in the database: text written at build time (search snippets) is
rebuilt on the next start whenever it changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from db.dataset.record import Row
from db.dataset.vocab import MEASURES

R = TypeVar("R", bound=Row)

VERSION = "5"


ALERT = "⚠"  # the sources disagree, or are unclear, about this figure
CAVEAT = "†"  # a caveat that changes how this figure reads
NOT_REPORTED = "not reported"  # what every surface shows for a figure the source does not give: never 0, never "–"
NOT_REACHED = ("not reached", "not estimable")
SHORT = 80  # characters of a caveat's short form (page 1)
PLACES = ("after", "front")  # where a figure's marks go: after it, or before it (a narrow column elides the end)
BANDS = {"all": ("any grade", "any grade"), "3-4": ("grade 3–4", "3–4"), ">=3": ("grade ≥3", "≥3")}
MEANINGS = ((ALERT, "the sources disagree or are unclear"), (CAVEAT, "a caveat that changes how the figure reads"))
HEADINGS = {"contradiction": "Sources disagree", "ambiguity": "Unclear in the source", "caveat": "Caveat"}
SCOPE_TEXT = {
    "randomised": "randomised", "enrolled": "enrolled", "arm": "in this arm", "treated": "treated",
    "evaluable": "evaluable", "subgroup": "in the subgroup", "not stated": "scope not stated",
}


@dataclass(frozen=True)
class Caveat:
    key: str  # stable within a build: "note:12" or the reading id for a figure's own caveat
    kind: str  # contradiction, ambiguity or caveat
    text: str
    source_id: str = ""
    locator: str = ""

    @property
    def symbol(self) -> str:
        return ALERT if self.kind in ("contradiction", "ambiguity") else CAVEAT

    @property
    def heading(self) -> str:
        return HEADINGS.get(self.kind, "Caveat")

    @property
    def short(self) -> str:
        """The caveat in a short form for page 1 (`shorten`); the whole text stays in the caveats section."""
        return shorten(self.text)


Marker = Callable[[Caveat], str]  # how a surface writes a mark: "⚠", or "⚠3" on a page with footnotes


def shorten(text: str, limit: int = SHORT) -> str:
    """A statement's first sentence, cut at a word before `limit` characters with '…': for page 1, where the
    whole text is printed elsewhere in the same document."""
    first = re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0].rstrip(".;")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def key_text(sep: str = "; ") -> str:
    """What the marks mean, in one line: the handout's key and the window's legend say it alike.

    >>> key_text()
    '⚠ the sources disagree or are unclear; † a caveat that changes how the figure reads'
    """
    return sep.join(f"{mark} {meaning}" for mark, meaning in MEANINGS)


def symbol(c: Caveat) -> str:
    return c.symbol


@dataclass(frozen=True)
class Count:
    """A count as printed with whom it counts: enrolment, an arm's size, an outcome's denominator."""

    text: str
    value: float | None
    scope: str | None
    caveats: tuple[Caveat, ...] = ()
    source_id: str = ""
    locator: str = ""


@dataclass(frozen=True)
class Reading:
    measure: str  # a vocab measure, or "ae_all" / "ae_high" for an adverse event's rate
    label: str  # the category as printed (or the measure's name)
    kind: str  # time, percent, ratio, count
    text: str  # the value as printed: "11.4", "<1", "NR"
    value: float | None = None
    qualifier: str = ""
    unit: str | None = None
    timepoint: str | None = None
    subgroup: str | None = None
    ci_low: str | None = None
    ci_high: str | None = None
    ci_level: str | None = None
    p: str | None = None
    count: str | None = None
    of: Count | None = None
    band: str = ""  # adverse events: "all", "3-4" or ">=3", as the source's column says
    source_id: str = ""
    locator: str = ""
    note: str | None = None
    caveats: tuple[Caveat, ...] = ()
    figure_id: str = ""
    reading_id: str = ""
    preferred: bool = True
    why: str = ""
    alternatives: tuple[Reading, ...] = ()
    verdict: str = ""  # what the study's end point says of this result: "primary end point not met"

    @property
    def is_number(self) -> bool:
        return self.value is not None and self.qualifier not in NOT_REACHED


# -- from store records -------------------------------------------------------------------------

def caveats_of(record: Row, own: str = "caveat", linked: str = "caveats") -> tuple[Caveat, ...]:
    """The notes that mark a record (contradictions, ambiguities) and its own caveat, each once."""
    found = [Caveat(f"note:{c['note_id']}", c["kind"], c["text"], c.get("source_id") or "", c.get("locator") or "")
             for c in record.get(linked) or ()]
    if record.get(own):
        found.append(Caveat(f"caveat:{record.get('reading_id') or id(record)}", "caveat", str(record[own]),
                            record.get("source_id") or "", record.get("locator") or ""))
    return tuple(dict.fromkeys(found))


def measure_label(key: str) -> str:
    m = MEASURES.get(key)
    return m.label if m else key


def reading(o: Row, with_alternatives: bool = True) -> Reading:
    """An outcome or comparison record as a Reading (its alternatives too, where the store gives them)."""
    m = MEASURES.get(o["measure"])
    of = None
    if o.get("of_text"):
        of = Count(o["of_text"], None, o.get("of_scope"))
    alternatives = tuple(reading(a, False) for a in o.get("alternatives") or ()) if with_alternatives else ()
    return Reading(
        measure=o["measure"], label=o.get("label") or measure_label(o["measure"]), kind=m.kind if m else "",
        text=str(o["value_text"]), value=o.get("value"), qualifier=o.get("qualifier") or "", unit=o.get("unit"),
        timepoint=o.get("timepoint"), subgroup=o.get("subgroup"), ci_low=o.get("ci_low_text"),
        ci_high=o.get("ci_high_text"), ci_level=o.get("ci_level"), p=o.get("p_text"), count=o.get("count_text"),
        of=of, source_id=o.get("source_id") or "", locator=o.get("locator") or "", note=o.get("note"),
        caveats=caveats_of(o), figure_id=o.get("figure_id") or "", reading_id=o.get("reading_id") or "",
        preferred=bool(o.get("preferred", 1)), why=o.get("why") or "", alternatives=alternatives,
        verdict=o.get("verdict") or "",
    )


def ae_reading(ae: Row, high: bool, with_alternatives: bool = True) -> Reading | None:
    """One of an adverse-event row's two figures (any grade, or the high-grade band the column names)."""
    prefix = "high" if high else "all"
    if ae.get(f"{prefix}_text") is None:
        return None
    band = ae["high_band"] if high else "all"
    alternatives = tuple(r for a in ae.get("alternatives") or () if (r := ae_reading(a, high, False)))
    return Reading(
        measure=f"ae_{prefix}", label=band_label(band), kind="percent", text=str(ae[f"{prefix}_text"]),
        value=ae.get(f"{prefix}_value"), qualifier=ae.get(f"{prefix}_qualifier") or "", band=band,
        source_id=ae.get("source_id") or "", locator=ae.get("locator") or "", note=ae.get("note"),
        caveats=caveats_of(ae), figure_id=ae.get("figure_id") or "", reading_id=ae.get("reading_id") or "",
        preferred=bool(ae.get("preferred", 1)), why=ae.get("why") or "",
        alternatives=alternatives if with_alternatives else (),
    )


def count(record: Row, prefix: str) -> Count | None:
    """A study's `enrolled` / `evaluable` or an arm's `n` with its scope and marks."""
    if record.get(f"{prefix}_text") is None:
        return None
    return Count(str(record[f"{prefix}_text"]), record.get(prefix), record.get(f"{prefix}_scope"),
                 caveats_of(record, own=f"{prefix}_caveat", linked=f"{prefix}_caveats"),
                 record.get(f"{prefix}_source") or "", record.get(f"{prefix}_locator") or "")


def main(outcomes: Iterable[R], measure: str) -> R | None:
    """The preferred whole-arm reading of a measure (subgroup figures are for the study pane)."""
    return next((o for o in outcomes if o["measure"] == measure and not o.get("subgroup")
                 and o.get("preferred", 1)), None)


# -- text ---------------------------------------------------------------------------------------

def percent(text: str | None) -> str:
    """'64' -> '64%'; None -> 'not reported' (which is not 0)."""
    if text is None:
        return NOT_REPORTED
    return text if text.endswith("%") else f"{text}%"


def band_label(band: str, short: bool = False) -> str:
    """An adverse-event band as the source's column heads it: 'grade 3–4', 'grade ≥3', 'any grade'; `short`
    for a cell under a 'Grade ≥3' heading: '3–4', '≥3'.

    >>> band_label("3-4"), band_label(">=3", short=True)
    ('grade 3–4', '≥3')
    """
    long, brief = BANDS.get(band, (band, band))
    return brief if short else long


def versus(treatment: str, control: str) -> str:
    """The one way a comparison is named on every surface: 'Everolimus vs Placebo'."""
    return f"{treatment} vs {control}"


def p_text(p: str | None) -> str:
    if p is None:
        return ""
    return f"p {p}" if p[:1] in "<>≤≥=" else f"p={p}"


def marks(caveats: Iterable[Caveat], marker: Marker = symbol) -> str:
    return "".join(dict.fromkeys(marker(c) for c in caveats))


def value_text(r: Reading) -> str:
    """'11.4 months', 'NR (not reached)', '64%', '48% at 6 months', '32 weeks': as printed."""
    text = r.text
    if r.value is None and r.qualifier:  # a word the source prints ("NR", "none"): no unit after it
        if text.casefold() != r.qualifier:
            text += f" ({r.qualifier})"  # a word, so no unit after it
    elif r.kind == "percent":
        text = percent(text)
    elif r.unit:
        text = f"{text} {r.unit}"
    if r.timepoint:
        text += f" at {r.timepoint}"
    return text


def interval_text(r: Reading) -> str:
    """'95% CI 9.3–13.3', '99% CI 0.39–0.68', 'range 2–30', 'interval 0.4–0.8, level not stated'."""
    if r.ci_low is None and r.ci_high is None:
        return ""
    span = f"{r.ci_low or '?'}–{r.ci_high or '?'}"
    level = r.ci_level or "not stated"
    if level == "range":
        return f"range {span}"
    if level == "not stated":
        return f"interval {span}, level not stated"
    return f"{level}% CI {span}"


def count_text(c: Count | None, marker: Marker = symbol, prefix: str = "n=", place: str = "after") -> str:
    """'n=410 randomised', 'n=207 (scope not stated)⚠', 'n not reported'; `place` 'front': '⚠ 207 (scope …)'."""
    if c is None:
        return f"n {NOT_REPORTED}"
    scope = SCOPE_TEXT.get(c.scope or "not stated", c.scope or "")
    scope = f" ({scope})" if c.scope in (None, "not stated") else f" {scope}"
    return _placed(f"{prefix}{c.text}{scope}", marks(c.caveats, marker), "", place)


def _placed(body: str, shown: str, tail: str, place: str) -> str:
    if place not in PLACES:
        raise ValueError(f"unknown mark place {place!r}")
    if place == "front":
        return f"{shown} {body}{tail}" if shown else body + tail
    return body + shown + tail


def _count_part(r: Reading) -> str:
    if r.count is None:
        return ""
    if r.of is not None:
        scope = SCOPE_TEXT.get(r.of.scope or "not stated", "")
        return f"{r.count}/{r.of.text}" + (f" {scope}" if r.of.scope not in (None, "not stated") else "")
    return f"{r.count} patients"


STYLES = ("value", "cell", "line", "full", "chart")


def text(r: Reading | None, style: str = "cell", marker: Marker = symbol, against: str = "", place: str = "after",
         band: bool = False) -> str:
    """A figure as text in one of the STYLES; every style keeps the marks. No figure: 'not reported'.

    value  '10.8 months⚠'                              a table cell, a chart label
    cell   '0.587 (95% CI 0.45–0.76)'                   value with its interval
    line   '0.587 (95% CI 0.45–0.76; p <0.0001)'        with p and the count
    full   line, then the other readings: '…; other reading: 12.2 months (Table 1)⚠'
    chart  as value

    `against` names the other arm of a between-arm figure ('vs Placebo'); the words on a missed end point
    or boundary ('primary end point not met') follow it, in every style. `place` puts the marks after the
    figure or in front of it ('⚠ 10.8 months'): a narrow column elides the end, so there the verdict comes
    right after the value in its short form ('† 0.77 not met (95% CI …)'), the full words in the tooltip;
    `band` names an adverse event's high-grade band after its value ('42% (≥3)').
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    if r is None:
        return NOT_REPORTED
    out = value_text(r)
    if band and r.band and r.band != "all":
        out += f" ({band_label(r.band, short=True)})"
    if r.verdict and place == "front":
        out += f" {verdict_word(r.verdict)}"
    if style in ("cell", "line", "full"):
        extras = [interval_text(r)]
        if style != "cell":
            extras += [p_text(r.p), _count_part(r)]
        extras = [x for x in extras if x]
        if extras:
            out += f" ({'; '.join(extras)})"
    tail = f" vs {against}" if against else ""
    if r.verdict and place != "front":  # never dropped: a non-significant result must not read as significant
        tail += f", {r.verdict}"
    if style == "full" and r.alternatives:
        others = "; ".join(f"{value_text(a)} ({a.locator}){marks(a.caveats, marker)}" for a in r.alternatives)
        tail += f"; other reading{'s' if len(r.alternatives) > 1 else ''}: {others}"
    return _placed(out, marks(r.caveats, marker), tail, place)


def verdict_word(verdict: str) -> str:
    """A verdict in the few words a narrow cell keeps in view; the whole of it stays in the tooltip.

    >>> verdict_word("primary end point not met (boundary p ≤ 0.0246 as printed)")
    'not met'
    >>> verdict_word("not significant: boundary 0.0002 as printed (interim)")
    'not significant'
    >>> verdict_word("primary end point met at an interim analysis")
    'met (interim)'
    """
    short = re.split(r" \(|:", verdict.removeprefix("primary end point "), maxsplit=1)[0]
    return short.replace(" at an interim analysis", " (interim)")


def joined(readings: Sequence[Reading], style: str = "cell", sep: str = " vs ", marker: Marker = symbol,
           place: str = "after") -> str:
    """Several figures in one cell ('10.8 months⚠ vs 5.8 months'); with `place` 'front' every mark of the cell
    goes first, each once ('⚠ 10.8 months vs 5.8 months'), so a narrow column that elides the end keeps them.
    """
    if place != "front":
        return sep.join(text(r, style, marker, place=place) for r in readings)
    shown = marks([c for r in readings for c in r.caveats], marker)
    return _placed(sep.join(text(r, style, lambda c: "", place="front") for r in readings), shown, "", place)


def caveat_lines(caveats: Iterable[Caveat], marker: Marker = symbol) -> list[str]:
    """'⚠ Sources disagree: Table 1 prints …' for a tooltip, a footnote or a caveats section."""
    return [f"{marker(c)} {c.heading}: {c.text}" for c in caveats]


def all_caveats(r: Reading) -> tuple[Caveat, ...]:
    """The reading's caveats and those of its alternatives, each once."""
    return tuple(dict.fromkeys([*r.caveats, *(c for a in r.alternatives for c in a.caveats)]))


def fields(r: Reading) -> dict[str, Any]:
    """The reading as flat columns, for the CSV export."""
    return {
        "figure_id": r.figure_id, "reading_id": r.reading_id, "preferred": "yes" if r.preferred else "no",
        "why_preferred": r.why, "label": r.label, "value": r.text, "number": r.value, "qualifier": r.qualifier,
        "unit": "%" if r.kind == "percent" else (r.unit or ""), "ci_low": r.ci_low, "ci_high": r.ci_high,
        "ci_level": r.ci_level if r.ci_low is not None or r.ci_high is not None else "",
        "p": r.p, "timepoint": r.timepoint, "subgroup": r.subgroup, "count": r.count,
        "of": r.of.text if r.of else "", "of_scope": r.of.scope if r.of else "", "band": r.band,
        "display": text(r, "line"), "marks": marks(r.caveats), "verdict": r.verdict,
        "caveats": " | ".join(caveat_lines(r.caveats)),
    }


class Numbering:
    """A marker that numbers caveats in the order a document first marks them: '⚠1', '†2'.

    A document (the handout, the Compare grid) lists each number with its text once."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, c: Caveat) -> str:
        return f"{c.symbol}{self.numbers.setdefault(c.key, len(self.numbers) + 1)}"


def ae_text(ae: Row, marker: Marker = symbol, alternatives: bool = True) -> str:
    """'any grade 68%, grade ≥3 42%⚠': an adverse-event row's figures with their bands, as printed;
    with its other readings after it."""
    parts = [f"{r.label} {value_text(r)}" for r in (ae_reading(ae, False), ae_reading(ae, True)) if r]
    out = ", ".join(parts) + marks(caveats_of(ae), marker)
    if alternatives and ae.get("alternatives"):
        others = "; ".join(f"{ae_text(a, marker, False)} ({a.get('locator')})" for a in ae["alternatives"])
        out += f"; other reading: {others}"
    return out
