"""The comparison table: topics down, therapies across, every item with its citation.

Cells wrap; a row that does not fit splits inside itself (splitInRow first, so the page fills up and
no header lands mid-page) and the therapy header repeats at the top of every page.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from db.compare.model import HEAD, NOTE, SETTING, Comparison, Item, Row
from handout.charts import SWATCH, swatch
from handout.fonts import SANS, markup
from handout.styles import BODY, CITE, HEADER_BG, RULE, TOPIC_BG, styles

TOPIC_WIDTH = 27 * mm


def _item(c: Comparison, item: Item) -> Paragraph:
    s = styles()
    cite = c.cite(item)
    text = markup(item.text) + (f' <font size="{CITE:g}" color="#555555">{markup(cite)}</font>' if cite else "")
    style = {HEAD: s["cell_head"], NOTE: s["cell_note"], SETTING: s["cell_setting"]}.get(item.kind, s["cell"])
    return Paragraph(text, style)


class Swatch(Flowable):
    """The therapy's colour square of the charts, beside its name in the table's header."""

    def __init__(self, column: int) -> None:
        super().__init__()
        self.column = column

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return SWATCH, SWATCH + 2

    def draw(self) -> None:
        d = Drawing(SWATCH, SWATCH, initialFontName=SANS, initialFontSize=BODY)  # no Helvetica in the PDF
        swatch(d, 0, 0, self.column)
        d.drawOn(self.canv, 0, 2)


def _header(c: Comparison, i: int) -> list[Flowable]:
    s = styles()
    col = c.columns[i]
    parts: list[Flowable] = [Table([[Swatch(i), Paragraph(markup(col.label), s["column"])]],
                                   colWidths=[SWATCH + 4, None], hAlign="LEFT", style=TableStyle([
                                       ("FONT", (0, 0), (-1, -1), SANS, BODY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))]
    if col.setting != "in":
        parts.append(Paragraph(markup(f"studies in {col.where}" if col.where else "no study in this dataset"),
                               s["cell_setting"]))
    return parts


class TopicTable(Table):
    """A table that breaks between rows, and inside a row only when that row is taller than a page
    (`page_height`); its topic cells say "(continued)" in the part of a row that flows onto the next page."""

    page_height: float | None = None

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.page_height is None:
            return list(super().split(avail_width, avail_height))
        self._calc(avail_width, avail_height)
        parts = self._splitRows(avail_height, doInRowSplit=0)
        if not parts:
            head = sum(self._rowHeights[:self.repeatRows])
            first = self._rowHeights[self.repeatRows] if len(self._rowHeights) > self.repeatRows else 0.0
            if head + first <= self.page_height:
                return []  # the row fits on the next page: it moves there whole
            parts = self._splitRows(avail_height, doInRowSplit=1)
        for part in parts:  # the rest, split again on the next page, keeps the rule
            part.page_height = self.page_height
        return list(parts)

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


def comparison_table(c: Comparison, width: float, rows: tuple[Row, ...] | None = None, corner: str = "Topic",
                     page_height: float | None = None) -> Table:
    """Topics down, therapies across: the detail rows, or (page 1) the summary rows. With `page_height`,
    a row is split over two pages only when it is taller than a page."""
    s = styles()
    n = len(c.columns)
    other = (width - TOPIC_WIDTH) / max(n, 1)
    data: list[list[object]] = [[Paragraph(markup(corner), s["topic"]), *[_header(c, i) for i in range(n)]]]
    for row in (c.rows if rows is None else rows):
        cells = [[_item(c, it) for it in items] for items in row.cells]
        data.append([_topic(row.title), *cells])
    table = TopicTable(data, colWidths=[TOPIC_WIDTH] + [other] * n, repeatRows=1, splitByRow=1, splitInRow=1,
                       hAlign="LEFT")
    table.page_height = page_height
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, BODY),  # the cells are Paragraphs; this keeps Helvetica out of the PDF
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("BACKGROUND", (0, 1), (0, -1), TOPIC_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def caveats(c: Comparison) -> list[Flowable]:
    """Each caveat mark of the table and charts with its text and citation: '⚠3 Sources disagree: … [1: Table 1]'."""
    s = styles()
    out: list[Flowable] = []
    for mark, cav in c.caveats:
        cite = c.cite(Item("", cav.source_id, cav.locator)) if cav.source_id else ""
        out.append(Paragraph(markup(f"{mark} {cav.heading}: {cav.text} {cite}".rstrip()), s["caveat"]))
    return out


def references(c: Comparison) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = []
    for r in c.references:
        doi = f" doi:{r.doi}" if r.doi else ""
        out.append(Paragraph(f"{r.number}. {markup(r.citation)}{markup(doi)}", s["ref"]))
    return out
