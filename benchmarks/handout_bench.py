"""The 4-therapy handout against a bare reportlab document of the same size.

The handout is what the Compare tab's "Save handout" writes from the comparison it shows
(page 1's summary table and forest plot, the detail table, charts, caveats, references,
footer, embedded DejaVu Sans); building the comparison (the table the tab shows first) is
timed apart. The floor is a plain reportlab document with the same content: both tables
(the same cell text, the same embedded font), the same three charts, the same page size and
as many pages, and nothing else: what reportlab itself costs for that much typesetting.
Both are timed in one process, alternating, after one warm-up each (the first handout also
pays reportlab's import: `first_s`).
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from db.compare.model import Comparison
from db.store import Store

DISEASE = "pnet"
THERAPIES = ["everolimus", "sunitinib", "lutetium-dotatate", "lanreotide"]


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def comparison(store: Store) -> Comparison:
    from db.compare.summaries import build_comparison

    return build_comparison(store, DISEASE, THERAPIES)


Cells = list[list[str]]


def make_handout(store: Store, c: Comparison, out: Path) -> tuple[int, int, tuple[Cells, Cells]]:
    """Write the handout of a built comparison (as the Compare tab's Save does); return (pages,
    table rows, the cell texts of the summary and the detail tables)."""
    from handout.document import write_handout

    write_handout(store, c, out, meeting="Benchmark")
    summary = [[row.title] + [c.summary_text(row.topic, col) for col in range(len(c.columns))] for row in c.summary]
    cells = [[row.title] + [c.cell_text(r, col) for col in range(len(c.columns))] for r, row in enumerate(c.rows)]
    return _pages(out), len(c.rows) + len(c.summary), (summary, cells)


def make_bare(c: Comparison, tables: tuple[Cells, Cells], pages: int, out: Path) -> int:
    """A bare reportlab document: the same two tables' text in the same font, the same charts, on the
    same page size, padded to `pages` pages."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    from handout.charts import bar_chart, forest_plot
    from handout.fonts import SANS, markup

    size = landscape(A4) if len(c.columns) > 3 else A4
    style = getSampleStyleSheet()["BodyText"].clone("cell", fontName=SANS, fontSize=8.5, leading=10.4)  # as the handout
    doc = SimpleDocTemplate(str(out), pagesize=size, leftMargin=14 * mm, rightMargin=14 * mm)
    full = size[0] - 28 * mm - 14  # the frame pads each side by 6 points; 2 more for rounding
    def story(padding: int) -> list[object]:
        """Fresh flowables for each build (reportlab keeps layout state on a built flowable)."""
        out_: list[object] = []
        for cells in tables:
            data = [[Paragraph(markup(text), style) for text in row] for row in cells]
            out_.append(Table(data, colWidths=[full / max(1, len(cells[0]))] * len(cells[0]), repeatRows=0,
                              splitInRow=1))
        out_ += [forest_plot(list(c.hr_bars), full), bar_chart(list(c.pfs_bars), full, "months"),
                 bar_chart(list(c.ae_bars), full, "%")]
        return out_ + [PageBreak(), Paragraph("", style)] * padding

    doc.build(story(0))  # type: ignore[arg-type]
    made = _pages(out)
    if made < pages:
        doc.build(story(pages - made))  # type: ignore[arg-type]
    return _pages(out)


@dataclass
class HandoutFigures:
    handout_s: float
    bare_s: float
    first_s: float
    comparison_s: float
    pages: int
    bare_pages: int
    rows: int
    runs: int

    @property
    def ratio(self) -> float:
        return self.handout_s / self.bare_s


def measure_handout(db: Path, work: Path, runs: int) -> HandoutFigures:
    work.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    try:
        start = time.perf_counter()
        built = comparison(store)
        pages, rows, cells = make_handout(store, built, work / "handout.pdf")
        first = time.perf_counter() - start
        bare_pages = make_bare(built, cells, pages, work / "bare.pdf")
        ours, bare, compare = [], [], []
        for _ in range(runs):
            start = time.perf_counter()
            built = comparison(store)
            compare.append(time.perf_counter() - start)
            start = time.perf_counter()
            make_handout(store, built, work / "handout.pdf")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            make_bare(built, cells, pages, work / "bare.pdf")
            bare.append(time.perf_counter() - start)
    finally:
        store.close()
    return HandoutFigures(statistics.median(ours), statistics.median(bare), first, statistics.median(compare),
                          pages, bare_pages, rows, runs)
