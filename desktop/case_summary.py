"""What the Case tab shows beside the options for the one selected: its group and reasons, then its page-1
rows (db/case option_summary), every item with [source: place], and what each mark on them means."""

from __future__ import annotations

from html import escape

from db.case import Option
from db.compare.model import Item, Row
from db.presentation.present import ALERT, CAVEAT

READING = "Reading its figures…"
LEGEND = f"{ALERT} the sources disagree or are unclear; {CAVEAT} a caveat that changes how the figure reads"


def _item(item: Item) -> str:
    cite = f" [{item.source_id}: {item.locator}]" if item.source_id else ""
    return escape(item.text) + (f" <span style='color:#555'>{escape(cite)}</span>" if cite else "")


def summary_html(option: Option, fit_title: str, rows: list[Row], reading: bool = False) -> str:
    """`reading`: the option's rows are still being read (the tab reads them when it is first selected)."""
    received = " — <b>already received</b>: not offered for the handout" if option.already_received else ""
    parts = [f"<h3 style='margin:0'>{escape(option.label)}</h3>",
             f"<p style='margin:2px 0'><i>{escape(fit_title)}</i>{received}</p>",
             "<ul style='margin:0'>" + "".join(f"<li>{escape(r)}</li>" for r in option.reasons) + "</ul>"]
    if reading:
        return "".join([*parts, f"<p style='margin:3px 0; color:#555'>{READING}</p>"])
    marks: dict[str, str] = {}
    for row in rows:
        items = row.cells[0] if row.cells else ()
        text = "; ".join(t for t in (_item(i) for i in items) if t) or "not reported"
        parts.append(f"<p style='margin:3px 0'><b>{escape(row.title)}:</b> {text}</p>")
        for i in items:
            for c in i.caveats:
                marks.setdefault(f"{c.symbol} {c.heading}: {c.text}", "")
    if marks:
        parts.append("<p style='margin:6px 0 0 0'><b>Marks</b> (" + escape(LEGEND) + ")</p>")
        parts += [f"<p style='margin:1px 0'>{escape(m)}</p>" for m in marks]
    else:
        parts.append(f"<p style='margin:6px 0 0 0; color:#555'>Key: {escape(LEGEND)}</p>")
    return "".join(parts)
