"""A study's detail as HTML for a QTextBrowser: arms, outcomes with CIs, adverse events,
notes on the source, and the citation with its locator and DOI. Everything escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from db.present import band_label, measure_label, outcome_text, percent

Record = dict[str, Any]

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


def _notes(notes: list[Record], sources: dict[str, Record]) -> str:
    if not notes:
        return ""
    items = "".join(
        f'<li class="{escape(n["kind"])}"><b>{NOTE_LABELS.get(n["kind"], "Note")}:</b> {escape(n["text"])} '
        f'{_cite(sources, n["source_id"], n["locator"])}</li>'
        for n in notes
    )
    return f"<ul>{items}</ul>"


def _small(text: str | None, prefix: str = "", before: str = " ") -> str:
    return f"{before}<small>{prefix}{escape(text)}</small>" if text else ""


def _figure_table(outcomes: list[Record], sources: dict[str, Record]) -> str:
    rows = []
    for o in outcomes:
        label = escape(measure_label(o["measure"]))
        if o.get("arm"):
            label += _small(f"{o['arm']} vs {o['vs']}")
        label += _small(o["subgroup"])
        value = f"<b>{escape(outcome_text(o))}</b>{_small(o['note'], before='<br>')}"
        rows.append(f"<tr><td>{label}</td><td>{value}</td><td>{_cite(sources, o['source_id'], o['locator'])}</td></tr>")
    return f'<table class="figures">{"".join(rows)}</table>'


def _ae_table(aes: list[Record], sources: dict[str, Record]) -> str:
    high = " / ".join(band_label(b).capitalize() for b in sorted({ae["high_band"] for ae in aes}))
    rows = []
    for ae in aes:
        name = escape(ae["canonical_name"])
        if ae["term"].casefold() != ae["canonical_name"].casefold():
            name += _small(ae["term"], "reported: ")
        rows.append(
            f"<tr><td>{name}</td><td align='right'>{escape(percent(ae['all_text']))}</td>"
            f"<td align='right'>{escape(percent(ae['high_text']))}</td>"
            f"<td>{_cite(sources, ae['source_id'], ae['locator'])}{_small(ae['note'], before='<br>')}</td></tr>"
        )
    return (f'<table class="aes"><tr><th align="left">Adverse event</th><th>All grades</th>'
            f"<th>{escape(high)}</th><th align='left'>Source</th></tr>{''.join(rows)}</table>"
            "<p><small>– = not reported in the source (not zero).</small></p>")


def study_html(study: Record, sources: dict[str, Record], diseases: dict[str, str], dataset: str) -> str:
    s = study
    head = escape(s["name"])
    byline = " ".join(x for x in (s["first_author"], s["year"]) if x)
    facts = [f"Phase {escape(s['phase'])}", escape(s["kind"]), escape(s["status"])]
    if s["nct"]:
        facts.append(escape(s["nct"]))
    if s["enrolled_text"]:
        facts.append(f"enrolled {escape(s['enrolled_text'])}")
    if s["evaluable_text"]:
        facts.append(f"evaluable {escape(s['evaluable_text'])}")
    out = [f"<h2>{head}{f' <small>({escape(byline)})</small>' if byline and s['acronym'] else ''}</h2>"]
    if s["title"]:
        out.append(f"<p><i>{escape(s['title'])}</i></p>")
    out.append(f"<p>{' · '.join(facts)}</p>")
    disease_text = ", ".join(diseases.get(d, d) for d in s["diseases"])
    setting = s["setting"] if s["setting"] and s["setting"].casefold() != disease_text.casefold() else None
    out.append(f"<p><b>Disease:</b> {escape(disease_text)}" + (f" — {escape(setting)}" if setting else "") + "</p>")
    for label, key in (("Design", "design"), ("Line", "line"), ("Prior therapy", "prior_therapy")):
        if s[key]:
            out.append(f"<p><b>{label}:</b> {escape(s[key])}</p>")
    if s["summary"]:
        out.append(f"<p>{escape(s['summary'])}</p>")
    out.append(_notes(s["notes"], sources))

    for arm in s["arms"]:
        n = f" · n={escape(arm['n_text'])}" if arm["n_text"] else ""
        out.append(f"<h3>{escape(arm['label'])} <small>({escape(arm['role'])}{n})</small></h3>")
        if arm["regimen"]:
            out.append(f"<p>{_regimen(arm)}</p>")
        if arm["outcomes"]:
            out.append(_figure_table(arm["outcomes"], sources))
        if arm["adverse_events"]:
            out.append(_ae_table(arm["adverse_events"], sources))
        out.append(_notes(arm["notes"], sources))
    if s["comparisons"]:
        out.append("<h3>Between arms</h3>")
        out.append(_figure_table(s["comparisons"], sources))

    cited = dict.fromkeys([s["source_id"]] + [o["source_id"] for a in s["arms"] for o in a["outcomes"]])
    out.append("<h3>Sources</h3><ul>")
    for sid in cited:
        src = sources.get(sid)
        if src:
            doi = f' doi:{escape(src["doi"])}' if src["doi"] else ""
            out.append(f"<li>{escape(src['citation'])}{doi}</li>")
    out.append(f"</ul><p><small>Main locator: {escape(s['locator'])}. Dataset {escape(dataset)}. "
               "A summary of published data, not a recommendation.</small></p>")
    return "\n".join(x for x in out if x)


STYLE = """
h2 { margin-bottom: 2px; } h3 { margin-top: 14px; margin-bottom: 4px; }
table { border-collapse: collapse; } td, th { padding: 2px 8px 2px 0; vertical-align: top; }
.cite { color: palette(mid); }
li.contradiction b, li.ambiguity b { color: #b35c00; }
"""
