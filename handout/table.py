"""The comparison table: topics down, therapies across, every item with its citation.

Cells wrap; a row that does not fit splits inside itself (splitInRow first, so the page fills up and
no header lands mid-page) and the therapy header repeats at the top of every page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from db.compare_types import HEAD, NOTE, SETTING, Comparison, Item, Row
from handout.fonts import SANS, markup
from handout.styles import HEADER_BG, RULE, TOPIC_BG, styles, therapy_colour

TOPIC_WIDTH = 27 * mm


def _item(c: Comparison, item: Item) -> Paragraph:
    s = styles()
    cite = c.cite(item)
    text = markup(item.text) + (f' <font size="6.5" color="#555555">{markup(cite)}</font>' if cite else "")
    style = {HEAD: s["cell_head"], NOTE: s["cell_note"], SETTING: s["cell_setting"]}.get(item.kind, s["cell"])
    return Paragraph(text, style)


def _header(c: Comparison, i: int) -> list[Flowable]:
    s = styles()
    col = c.columns[i]
    colour = therapy_colour(i).hexval()[2:]
    parts: list[Flowable] = [Paragraph(f'<font color="#{colour}">■</font> {markup(col.label)}', s["column"])]
    if col.setting != "in":
        parts.append(Paragraph(markup(f"studies in {col.where}" if col.where else "no study in this dataset"),
                               s["cell_setting"]))
    return parts


class TopicTable(Table):
    """A table whose topic cells say "(continued)" in the part of a row that flows onto the next page."""

    def _splitCell(self, value: Any, style: Any, old_height: float, new_height: float, width: float) -> Any:
        parts = super()._splitCell(value, style, old_height, new_height, width)
        first = value[0] if isinstance(value, (list, tuple)) and value else value
        again = getattr(first, "continued", None)
        if parts and again is not None and not parts[1]:
            return parts[0], (again,)
        return parts


def _topic(title: str) -> list[Paragraph]:
    s = styles()
    cell = Paragraph(markup(title), s["topic"])
    cell.continued = Paragraph(markup(f"{title} (continued)"), s["topic"])  # type: ignore[attr-defined]
    return [cell]


def comparison_table(c: Comparison, width: float, rows: tuple[Row, ...] | None = None, corner: str = "Topic") -> Table:
    """Topics down, therapies across: the detail rows, or (page 1) the summary rows."""
    s = styles()
    n = len(c.columns)
    other = (width - TOPIC_WIDTH) / max(n, 1)
    data: list[list[object]] = [[Paragraph(markup(corner), s["topic"]), *[_header(c, i) for i in range(n)]]]
    for row in (c.rows if rows is None else rows):
        cells = [[_item(c, it) for it in items] for items in row.cells]
        data.append([_topic(row.title), *cells])
    table = TopicTable(data, colWidths=[TOPIC_WIDTH] + [other] * n, repeatRows=1, splitByRow=0, splitInRow=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, 7.5),  # the cells are Paragraphs; this keeps Helvetica out of the PDF
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("BACKGROUND", (0, 1), (0, -1), TOPIC_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def caveats(c: Comparison) -> list[Flowable]:
    """Each caveat mark of the table and charts with its text and citation: '⚠3 Sources disagree: … [1: Table 1]'."""
    s = styles()
    out: list[Flowable] = []
    for mark, cav in c.caveats:
        cite = c.cite(Item("", cav.source_id, cav.locator)) if cav.source_id else ""
        out.append(Paragraph(markup(f"{mark} {cav.heading}: {cav.text} {cite}".rstrip()), s["ref"]))
    return out


def references(c: Comparison) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = []
    for r in c.references:
        doi = f" doi:{r.doi}" if r.doi else ""
        out.append(Paragraph(f"{r.number}. {markup(r.citation)}{markup(doi)}", s["ref"]))
    return out
