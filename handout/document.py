"""The handout PDF and the meeting packet: plain functions of the store and comparisons.

`write_handout(store, comparison, out_path)` and `write_packet(store, cases, out_path)` write
through a temporary file beside the target and rename it, so a failure (unwritable folder,
full disk) leaves no partial file and raises HandoutError with a message for the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from db.atomic import atomic_path
from db.compare.model import Bar, Comparison
from db.presentation.identifiers import REGISTRY_LEGEND, REGISTRY_MARK
from db.presentation.present import key_text
from db.store import Store
from handout.charts import bar_chart, forest_plot, legend
from handout.fonts import BOLD, SANS, markup
from handout.styles import DISCLAIMER, FOOTER, MARGIN, MUTED, paper_size, styles
from handout.table import caveats, comparison_table, references

Progress = Callable[[float, str], None]
CITES = ("[n: place]: reference n and its table or section; items without one are the dataset's own entries "
         "or say what the sources lack; figures as printed, “not reported” is not 0.")


class HandoutError(Exception):
    """The handout could not be written; the message says why, for the user."""


PAGE_COUNT = "tb-page-count"
FOOT = 8.0  # the footer's size
PAGE_THIRD = 45 * mm  # the detail starts on a new page unless this much of the current one is left


class _Canvas(Canvas):
    """Fills in the page count, referenced on every page as a form, once it is known (at save)."""

    def save(self) -> None:
        self.beginForm(PAGE_COUNT)
        self.setFont(SANS, FOOT)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


def _draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    width, _height = canvas._pagesize
    canvas.saveState()
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, FOOTER - 2, width - MARGIN, FOOTER - 2)
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, FOOT)
    canvas.drawString(MARGIN, FOOTER - 11, getattr(doc, "footer", ""))
    room = canvas.stringWidth("999", SANS, FOOT)  # for the page count, drawn when it is known
    canvas.drawRightString(width - MARGIN - room, FOOTER - 11, f"Page {canvas.getPageNumber()} of ")
    canvas.saveState()
    canvas.translate(width - MARGIN - room, FOOTER - 11)
    canvas.doForm(PAGE_COUNT)
    canvas.restoreState()
    canvas.setFont(BOLD, FOOT)
    canvas.drawString(MARGIN, FOOTER - 20, DISCLAIMER)
    canvas.restoreState()


def _draw_case(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """On a packet page after a case's first: the case label at the top, "(continued)"."""
    label, first = getattr(doc, "case", ("", 0))
    if not label or doc.page == first:
        return
    _width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, FOOT)
    canvas.drawString(MARGIN, height - MARGIN + 4, f"{label} (continued)")
    canvas.restoreState()


class _Doc(BaseDocTemplate):
    def beforeDocument(self) -> None:
        """Each pass of a multi-pass build (the contents page) starts without a case."""
        self.case = ("", 0)

    def afterFlowable(self, flowable: Flowable) -> None:
        """A case heading: a contents line linked to it, and a bookmark in the viewer's outline."""
        entry = getattr(flowable, "toc_entry", None)
        if entry:
            text, plain, key = entry
            self.case = (getattr(flowable, "case_label", plain), self.page)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(plain, key, level=0)
            self.notify("TOCEntry", (0, text, self.page, key))


def _doc(path: Path, paper: str, title: str, footer: str, wide: bool = False) -> _Doc:
    """`wide`: landscape, for four therapies side by side. Two page templates, "page" (the document's
    orientation) and "wide" (landscape), so a packet can print a four-therapy case in landscape."""
    portrait = paper_size(paper)
    landscape = (portrait[1], portrait[0])
    size = landscape if wide else portrait
    doc = _Doc(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
               bottomMargin=FOOTER + 4 * mm, title=title, author="Tumor Board Reference",
               subject=DISCLAIMER, creator="Tumor Board Reference", initialFontName=SANS, initialFontSize=9)
    doc.footer = footer  # type: ignore[attr-defined]
    doc.addPageTemplates([_template(doc, "page", size), _template(doc, "wide", landscape)])
    return doc


def _template(doc: _Doc, ident: str, size: tuple[float, float]) -> PageTemplate:
    frame = Frame(doc.leftMargin, doc.bottomMargin, size[0] - doc.leftMargin - doc.rightMargin,
                  size[1] - doc.topMargin - doc.bottomMargin, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    return PageTemplate(id=ident, frames=[frame], onPage=_draw_footer, onPageEnd=_draw_case, pagesize=size)


def _frame_size(doc: _Doc, ident: str) -> tuple[float, float]:
    frame = next(t for t in doc.pageTemplates if t.id == ident).frames[0]
    return frame._width, frame._height


def _footer(store: Store, generated: datetime) -> str:
    version = store.meta().get("dataset_version", "?")
    return f"Tumor Board Reference · dataset {version} · generated {generated:%Y-%m-%d %H:%M}"


def _chart_cites(c: Comparison, bars: Sequence[Bar]) -> str:
    seen = dict.fromkeys((b.source_id, b.locator) for b in bars if b.source_id)
    cites = [f"[{c.number(s)}: {loc}]" if loc else f"[{c.number(s)}]" for s, loc in seen]
    return "Sources: " + ", ".join(cites) if cites else ""


class Chart(Flowable):
    """A bar chart that splits between its groups (each part with its axis, on one scale) rather than
    leave the rest of a page empty or shrink its text below the chart size."""

    def __init__(self, bars: Sequence[Bar], width: float, axis_title: str, groups: Sequence[str] | None = None) -> None:
        super().__init__()
        self.bars, self.width, self.axis_title = list(bars), width, axis_title
        self.groups = list(groups) if groups is not None else list(dict.fromkeys(b.group for b in self.bars))
        self.drawing = bar_chart(self.bars, width, axis_title, self.groups)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawing.wrap(avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fits = 0
        for n in range(1, len(self.groups)):
            if bar_chart(self.bars, self.width, self.axis_title, self.groups[:n]).height > avail_height:
                break
            fits = n
        if not fits:
            return []
        return [Chart(self.bars, self.width, self.axis_title, self.groups[:fits]),
                Chart(self.bars, self.width, self.axis_title, self.groups[fits:])]

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


def _chart(title: str, drawing: Flowable, notes: list[str], key: Flowable | None = None) -> list[Flowable]:
    """A chart with its title, its key and caption: the title keeps with the chart."""
    s = styles()
    return [Paragraph(title, s["h2"]), drawing, *([key] if key is not None else []),
            *[Paragraph(n, s["small"]) for n in notes]]


def summary_story(c: Comparison, width: float, height: float | None = None) -> list[Flowable]:
    """Page 1: each therapy's lead study in numbers, and the forest plot of their hazard ratios."""
    story: list[Flowable] = [comparison_table(c, width, c.summary, "Lead study in numbers", height),
                             page_one_key(c)]
    if c.hr_bars:
        story += _chart("Hazard ratio for PFS of each lead study", forest_plot(list(c.hr_bars), width), [
            markup("Not head-to-head: each hazard ratio compares a therapy with its own trial's control arm; "
                   "intervals at the level each source prints. " + _chart_cites(c, c.hr_bars))])
    if c.pfs_bars:
        note = ("Median PFS of each arm of each therapy's lead study, as printed; NR (not reached) has no bar. "
                + _chart_cites(c, c.pfs_bars))
        story += _chart("Median progression-free survival per arm of the lead studies",
                        Chart(c.pfs_bars, width, "median PFS, {unit} (as printed)"),
                        [markup(note)], legend(c.labels, any(b.control for b in c.pfs_bars), width))
    return story


def page_one_key(c: Comparison) -> Flowable:
    """Under the page-1 table, before the charts, so it never leaves page 1: what the marks mean, each
    mark used on page 1 in a short form (in full under Caveats), and how items are cited."""
    s = styles()
    key = [f"Key: {key_text()}"]
    if any(REGISTRY_MARK in i.text for r in c.summary for cell in r.cells for i in cell):
        key.append(REGISTRY_LEGEND)
    lines = ["; ".join(key) + "; " + CITES]
    marks = c.page_one_caveats
    if marks:
        lines.append("Marks on this page (in full under Caveats): "
                     + " ".join(f"<b>{markup(mark)}</b> {markup(cav.short)}{'' if cav.short.endswith('…') else '.'}"
                              for mark, cav in marks))
    return KeepTogether([Paragraph(markup(lines[0]), s["key"]), *[Paragraph(x, s["key"]) for x in lines[1:]]])


def comparison_story(c: Comparison, width: float, height: float | None = None) -> list[Flowable]:
    """The detail table, the charts, the caveats and the numbered references of one comparison."""
    s = styles()
    story: list[Flowable] = [CondPageBreak(PAGE_THIRD), Paragraph("Detail", s["h1"]),
                             comparison_table(c, width, page_height=height)]
    if c.ae_bars:
        absent = [label for i, label in enumerate(c.labels) if all(b.column != i for b in c.ae_bars)]
        note = ("Grade ≥3 figures (grade 3–4 or ≥3, as each source heads its column) of each therapy's lead study, "
                "for the events with the highest figures; “not reported” has no bar and is not 0. "
                + (f"No grade ≥3 figures in the studies used for: {', '.join(absent)}. " if absent else "")
                + _chart_cites(c, c.ae_bars))
        story += _chart("Adverse events at grade ≥3", Chart(c.ae_bars, width, "% of patients (as printed)"),
                        [markup(note)], legend(c.labels, False, width))
    if c.caveats:
        story.append(Paragraph("Caveats (the marks beside figures above)", s["h2"]))
        story += caveats(c)
    story.append(Paragraph("References", s["h2"]))
    story += references(c) or [Paragraph("No reference is cited by the rows chosen.", s["small"])]
    return story


def _heading(c: Comparison, meeting: str, notes: str, generated: datetime, version: str,
             context: Sequence[str] = ()) -> list[Flowable]:
    """Title, then one line: the therapies, meeting, date, dataset and the disclaimer (page 1 is for figures);
    then the context lines (a case's description)."""
    s = styles()
    facts = [" · ".join(c.labels)] + ([f"Meeting: {meeting}"] if meeting.strip() else [])
    facts += [f"Date: {generated:%Y-%m-%d}", f"Dataset {version}"]
    out: list[Flowable] = [
        Paragraph(markup(f"Evidence summary: {c.disease_name}"), s["title"]),
        Paragraph(" · ".join(markup(f) for f in facts) + f" — <b>{markup(DISCLAIMER)}</b>", s["meta"]),
    ]
    if notes.strip():
        out.append(Paragraph("Notes: " + markup(notes), s["meta"]))
    out += [Paragraph(markup(line), s["meta"]) for line in context]
    return out


def _write(out_path: Path | str, build: Callable[[Path], None]) -> Path:
    target = Path(out_path)
    if target.is_dir():
        raise HandoutError(f"Cannot write {target}: it is a folder.")
    if not target.parent.is_dir():
        raise HandoutError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    try:
        with atomic_path(target) as tmp:
            build(tmp)
            tmp.chmod(0o644)
    except OSError as exc:
        raise HandoutError(f"Cannot write {target}: {exc.strerror or exc}. Nothing was saved.") from exc
    return target


def write_handout(store: Store, comparison: Comparison, out_path: Path | str, paper: str = "a4", meeting: str = "",
                  progress: Progress | None = None, notes: str = "", generated: datetime | None = None,
                  context: Sequence[str] = ()) -> Path:
    """One comparison as a PDF: title, meeting label and date, table, charts, references, footer.
    `context`: lines printed under the title (a case's description, from the Case tab)."""
    when = generated or datetime.now()
    version = store.meta().get("dataset_version", "?")
    paper_size(paper)  # an unknown paper is a ValueError before anything is written
    report = progress or (lambda _f, _t: None)

    def build(path: Path) -> None:
        report(0.1, "laying out the handout")
        doc = _doc(path, paper, f"Evidence summary: {comparison.disease_name}", _footer(store, when),
                   wide=len(comparison.columns) > 3)
        story = (_heading(comparison, meeting, notes, when, version, context)
                 + summary_story(comparison, doc.width, doc.height)
                 + comparison_story(comparison, doc.width, doc.height))
        report(0.4, "writing the PDF")
        doc.build(story, canvasmaker=_Canvas)
        report(1.0, "done")

    return _write(out_path, build)


def write_packet(store: Store, cases: Sequence[tuple[str, Comparison]], out_path: Path | str, paper: str = "a4",
                 meeting: str = "", progress: Progress | None = None, generated: datetime | None = None,
                 context: Sequence[Sequence[str]] = ()) -> Path:
    """Several comparisons (one per case, labelled without patient identifiers) with a contents page.
    `context`: per case, lines printed under its heading (a case's description and the options left out)."""
    if not cases:
        raise ValueError("a meeting packet needs at least one case")
    when = generated or datetime.now()
    version = store.meta().get("dataset_version", "?")
    paper_size(paper)
    report = progress or (lambda _f, _t: None)
    s = styles()

    def build(path: Path) -> None:
        doc = _doc(path, paper, "Tumor board meeting packet", _footer(store, when))
        toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
            ("FONT", (0, 0), (-1, -1), SANS, 10), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        toc.levelStyles = [s["toc"]]
        facts = ([f"Meeting: {meeting}"] if meeting.strip() else []) + [f"Date: {when:%Y-%m-%d}", f"Dataset {version}"]
        story: list[Flowable] = [
            Paragraph("Tumor board meeting packet", s["title"]),
            Paragraph(" · ".join(markup(f) for f in facts), s["meta"]),
            Paragraph(markup(f"{len(cases)} case{'s' if len(cases) != 1 else ''}, labelled without patient "
                             "identifiers."), s["meta"]),
            Paragraph(markup(DISCLAIMER), s["disclaimer"]),
            Spacer(0, 6), Paragraph("Contents", s["h1"]), toc,
        ]
        for n, (label, c) in enumerate(cases, 1):
            template = "wide" if len(c.columns) > 3 else "page"  # four therapies side by side: landscape
            width, height = _frame_size(doc, template)
            story += [NextPageTemplate(template), PageBreak()]
            report(0.6 * (n - 1) / len(cases), f"case {n} of {len(cases)}")
            head = Paragraph(markup(f"{label} — {c.disease_name}"), s["h1"])
            line = f"{label} — {c.disease_name}"  # short, so every entry keeps its dot leader
            head.toc_entry = (markup(line), line, f"case-{n}")  # type: ignore[attr-defined]
            head.case_label = f"{label} — {c.disease_name}"  # type: ignore[attr-defined]
            story += [head, Paragraph(markup(" · ".join(c.labels)), s["subtitle"])]
            story += [Paragraph(markup(line), s["meta"]) for line in (context[n - 1] if n <= len(context) else ())]
            story += [*summary_story(c, width, height), *comparison_story(c, width, height)]
        report(0.6, "writing the PDF")
        doc.multiBuild(story, canvasmaker=_Canvas)
        report(1.0, "done")

    return _write(out_path, build)
