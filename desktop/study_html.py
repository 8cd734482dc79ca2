"""A study's detail as HTML for a QTextBrowser: its design, who was treated and what it set out to show
(desktop/who_html.py), arms, outcomes with CIs, adverse events, notes on the source, and the citation
with its locator and DOI. Everything escaped."""

from __future__ import annotations

from html import escape

from db.dataset.record import Record
from db.presentation.evidence import design_text, status_text
from db.presentation.identifiers import (
    KIND_LABELS,
    REGISTRY_LEGEND,
    REGISTRY_MARK,
    nct_numbers,
    registry_acronym,
    short_name,
)
from db.presentation.present import (
    ALERT,
    NOT_REPORTED,
    band_label,
    caveat_lines,
    count,
    count_text,
    marks,
    reading,
    text,
    value_text,
    versus,
)
from db.presentation.present import ae_reading as ae_figure
from db.presentation.who import Names
from desktop.who_html import who_html

NOTE_LABELS = {"contradiction": "Sources disagree", "ambiguity": "Ambiguous in the source", "context": "Note"}


def _cite(sources: dict[str, Record], source_id: str, locator: str) -> str:
    short = sources.get(source_id, {}).get("short", source_id)
    return f'<span class="cite">[{escape(short)}, {escape(locator)}]</span>'


def _regimen(arm: Record) -> str:
    parts = []
    for d in arm["regimen"]:
        bits = [d["drug_name"]] + [d[k] for k in ("dose", "route", "schedule") if d[k]]
        parts.append(escape(" ".join(bits)))
    return " + ".join(parts)


def _symbol(note: Record) -> str:
    return f"{ALERT} " if note["kind"] in ("contradiction", "ambiguity") else ""


def _notes(notes: list[Record], sources: dict[str, Record]) -> str:
    if not notes:
        return ""
    items = "".join(
        f'<li class="{escape(n["kind"])}"><b>{_symbol(n)}{NOTE_LABELS.get(n["kind"], "Note")}:</b> {escape(n["text"])} '
        f'{_cite(sources, n["source_id"], n["locator"])}</li>'
        for n in notes
    )
    return f"<ul>{items}</ul>"


def _small(text: str | None, prefix: str = "", before: str = " ") -> str:
    return f"{before}<small>{prefix}{escape(text)}</small>" if text else ""


def _caveats(lines: list[str]) -> str:
    return "".join(f'<br><small class="caveat">{escape(line)}</small>' for line in lines)


def _ordered(records: list[Record]) -> list[Record]:
    """Each preferred reading followed by its other readings."""
    out = []
    for r in records:
        if r.get("preferred", 1):
            out += [r, *r.get("alternatives", [])]
    return out + [r for r in records if r not in out]


def _figure_table(outcomes: list[Record], sources: dict[str, Record], arms: dict[str, str] | None = None) -> str:
    """`arms`: the arms' labels by key, naming the two arms of a comparison."""
    arms = arms or {}
    rows = []
    for o in _ordered(outcomes):
        r = reading(o, with_alternatives=False)
        label = escape(r.label)
        if o.get("arm"):
            label += _small(versus(arms.get(o["arm"], o["arm"]), arms.get(o["vs"], o["vs"])))
        label += _small(o["subgroup"])
        if not r.preferred:
            label = f"<small>other reading of:</small> {label}"
        elif o.get("alternatives"):
            label += _small(f"shown first: {r.why}" if r.why else "shown first", before="<br>")
        shown = escape(text(r, "line"))
        value = (f"<b>{shown}</b>" if r.preferred else shown) + _small(o["note"], before="<br>")
        value += _caveats(caveat_lines(r.caveats))
        rows.append(f"<tr><td>{label}</td><td>{value}</td><td>{_cite(sources, o['source_id'], o['locator'])}</td></tr>")
    return f'<table class="figures">{"".join(rows)}</table>'


def _ae_table(aes: list[Record], sources: dict[str, Record]) -> str:
    bands = [ae["high_band"] for ae in aes]
    high = " / ".join(band_label(b).capitalize() for b in sorted(set(bands)))
    rows = []
    for ae in _ordered(aes):
        name = escape(ae["canonical_name"])
        if ae["term"].casefold() != ae["canonical_name"].casefold():
            name += _small(ae["term"], "reported: ")
        if not ae.get("preferred", 1):
            name = f"<small>other reading of:</small> {name}"
        cells = []
        for is_high in (False, True):
            r = ae_figure(ae, is_high, with_alternatives=False)
            shown = value_text(r) + (f" ({band_label(r.band)})" if is_high and len(set(bands)) > 1 else "") if r \
                else NOT_REPORTED
            cells.append(f"<td align='right'>{escape(shown)}{escape(marks(r.caveats)) if r else ''}</td>")
        lines = caveat_lines((ae_figure(ae, True) or ae_figure(ae, False)).caveats)  # type: ignore[union-attr]
        rows.append(
            f"<tr><td>{name}</td>{''.join(cells)}"
            f"<td>{_cite(sources, ae['source_id'], ae['locator'])}{_small(ae['note'], before='<br>')}"
            f"{_caveats(lines)}</td></tr>"
        )
    return (f'<table class="aes"><tr><th align="left">Adverse event</th><th>All grades</th>'
            f"<th>{escape(high)}</th><th align='left'>Source</th></tr>{''.join(rows)}</table>")


IDENTIFIER_FROM = {"registry": "from the trial registry", "publication": "from the trial's publication"}


def _identifiers(s: Record, sources: dict[str, Record]) -> str:
    """Names the sources do not print (acronym, registry number), each with where it comes from; and,
    where the dataset holds no registry number at all, that it is not recorded."""
    items = []
    for i in s.get("identifiers") or ():
        kind = sources.get(i["source_id"], {}).get("kind") or i.get("source_kind") or ""
        shown = i["value"] + (REGISTRY_MARK if i["kind"] == "acronym" and registry_acronym(s) == i["value"] else "")
        where = escape(IDENTIFIER_FROM.get(kind, "from " + kind))
        items.append(f"{escape(KIND_LABELS.get(i['kind'], i['kind']))} <b>{escape(shown)}</b> {where} "
                     f"{_cite(sources, i['source_id'], i['locator'])}")
    if not nct_numbers(s):
        items.append("ClinicalTrials.gov number not recorded in the dataset")
    if not items:
        return ""
    head = "Identifiers not printed in the sources" if s.get("identifiers") else "Identifiers"
    return f"<p><b>{head}:</b> {'; '.join(items)}</p>"


def _design(design: Record | None, sources: dict[str, Record]) -> str:
    """The design as the source describes it, cited, ⚠ and the note where it is unclear."""
    if not design or not design.get("text"):
        return ""
    mark = f"{ALERT} " if design.get("note") else ""
    cited = f" {_cite(sources, design['source'], design['at'])}" if design.get("source") and design.get("at") else ""
    note = f'<br><small class="caveat">{ALERT} {escape(design["note"])}</small>' if design.get("note") else ""
    return f"<p><b>Design as described:</b> {mark}{escape(design['text'])}{cited}{note}</p>"


def study_html(study: Record, sources: dict[str, Record], diseases: dict[str, str], dataset: str,
               names: Names | None = None) -> str:
    """`names`: the vocabularies' (db.presentation.who.Names.of(store)), naming earlier therapies and markers."""
    s = study
    head = escape(short_name(s))
    byline = " ".join(x for x in (s["first_author"], s["year"]) if x)
    design = design_text(s)
    facts = [escape(design[:1].upper() + design[1:]), escape(status_text(s["status"]))]
    if s["nct"]:
        facts.append(escape(s["nct"]))
    counted = [(key, c) for key in ("enrolled", "evaluable") if (c := count(s, key))]
    facts += [escape(count_text(c)) for _, c in counted]
    named = s["acronym"] or registry_acronym(s)
    out = [f"<h2>{head}{f' <small>({escape(byline)})</small>' if byline and named else ''}</h2>"]
    if s["title"]:
        out.append(f"<p><i>{escape(s['title'])}</i></p>")
    out.append(f"<p>{' · '.join(facts)}</p>")
    out.append(_identifiers(s, sources))
    for key, c in counted:
        out.append(_caveats(caveat_lines(c.caveats)).removeprefix("<br>"))
        if s[f"{key}_note"]:
            out.append(f"<p>{_small(s[f'{key}_note'], before='')}</p>")
    disease_text = ", ".join(diseases.get(d, d) for d in s["diseases"])
    setting = s["setting"] if s["setting"] and s["setting"].casefold() != disease_text.casefold() else None
    out.append(f"<p><b>Disease:</b> {escape(disease_text)}" + (f" — {escape(setting)}" if setting else "") + "</p>")
    out.append(_design(s.get("design"), sources))
    out.append(who_html(s, names or Names(), lambda source, locator: _cite(sources, source, locator)))

    for arm in s["arms"]:  # the figures after who was treated; what else the study is about after them
        n_count = count(arm, "n")
        n = f" · {escape(count_text(n_count))}" if n_count else ""
        out.append(f"<h3>{escape(arm['label'])} <small>({escape(arm['role'])}{n})</small></h3>")
        if n_count and n_count.caveats:
            out.append(_caveats(caveat_lines(n_count.caveats)).removeprefix("<br>"))
        if arm["regimen"]:
            out.append(f"<p>{_regimen(arm)}</p>")
        if arm["outcomes"]:
            out.append(_figure_table(arm["outcomes"], sources))
        if arm["adverse_events"]:
            out.append(_ae_table(arm["adverse_events"], sources))
        out.append(_notes(arm["notes"], sources))
    if s["comparisons"]:
        out.append("<h3>Between arms</h3>")
        out.append(_figure_table(s["comparisons"], sources, {a["key"]: a["label"] for a in s["arms"]}))
    if s["summary"] or s["notes"]:
        out.append("<h3>About this study</h3>")
    if s["summary"]:
        out.append(f"<p>{escape(s['summary'])}</p>")
    out.append(_notes(s["notes"], sources))

    cited = dict.fromkeys([s["source_id"]] + [o["source_id"] for a in s["arms"] for o in a["outcomes"]])
    for i in s.get("identifiers") or ():
        cited.setdefault(i["source_id"])
    out.append("<h3>Sources</h3><ul>")
    for sid in cited:
        src = sources.get(sid)
        if src:
            doi = f' doi:{escape(src["doi"])}' if src["doi"] else ""
            only = " <small>(identifiers only)</small>" if src.get("kind") in ("registry", "publication") else ""
            out.append(f"<li>{escape(src['citation'])}{doi}{only}</li>")
    legend = f" {escape(REGISTRY_LEGEND)}." if registry_acronym(s) else ""
    out.append(f"</ul><p><small>Main locator: {escape(s['locator'])}. Dataset {escape(dataset)}.{legend} "
               "A summary of published data, not a recommendation.</small></p>")
    return "\n".join(x for x in out if x)


STYLE = """
h2 { margin-bottom: 2px; } h3 { margin-top: 14px; margin-bottom: 4px; } p { margin-top: 4px; margin-bottom: 4px; }
table { border-collapse: collapse; } td, th { padding: 2px 8px 2px 0; vertical-align: top; }
.cite { color: palette(mid); }
li.contradiction b, li.ambiguity b { color: #b35c00; }
.caveat { color: #b35c00; }
"""
