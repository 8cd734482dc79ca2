"""Page sizes, colours and paragraph styles of the handout."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from handout.fonts import BOLD, SANS, register

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 14 * mm
FOOTER = 14 * mm  # room under the frame for the two footer lines
# Therapy colours on paper: any two differ by at least 25 in CIE L* (13, 40, 66, 95), so a grayscale
# printout still tells them apart; comparators are white with grey hatching (handout/charts.py).
PRINT_COLOURS = ("#0A1F4D", "#A63D0A", "#4DB38A", "#FFF38A")
BODY, BODY_LEADING = 8.5, 10.4  # body text at A4 (table cells, captions, key, references)
CITE = 7.0  # the citation after each item
CONTROL = colors.HexColor("#8C8C8C")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#B0B0B0")
HEADER_BG = colors.HexColor("#E8EEF4")
TOPIC_BG = colors.HexColor("#F4F4F4")
WARN = colors.HexColor("#8A3B00")  # studies from another disease than the one chosen
DISCLAIMER = "A summary of published data, not a treatment recommendation."


def therapy_colour(i: int) -> colors.Color:
    return colors.HexColor(PRINT_COLOURS[i % len(PRINT_COLOURS)])


def paper_size(paper: str) -> tuple[float, float]:
    try:
        width, height = PAPERS[paper.lower()]
    except KeyError:
        raise ValueError(f"unknown paper '{paper}': use a4 or letter") from None
    return float(width), float(height)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("base", fontName=SANS, fontSize=9, leading=11.5, textColor=INK)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=14, leading=17, spaceAfter=1),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10.5, leading=13.5, spaceAfter=2),
        "meta": ParagraphStyle("meta", base, fontSize=9, leading=11.5, spaceAfter=3),
        "disclaimer": ParagraphStyle("disclaimer", base, fontName=BOLD, fontSize=9, leading=12, spaceBefore=3,
                                     spaceAfter=3),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=BODY, leading=BODY_LEADING, textColor=MUTED),
        "key": ParagraphStyle("key", base, fontSize=BODY, leading=BODY_LEADING, spaceBefore=3),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=13, leading=16, spaceBefore=2, spaceAfter=4),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=3,
                             keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=BODY, leading=BODY_LEADING, spaceAfter=1.2),
        "cell_head": ParagraphStyle("cell_head", base, fontName=BOLD, fontSize=BODY, leading=BODY_LEADING,
                                    spaceAfter=1),
        "cell_note": ParagraphStyle("cell_note", base, fontSize=BODY, leading=BODY_LEADING, spaceAfter=1.2,
                                    textColor=MUTED),
        "cell_setting": ParagraphStyle("cell_setting", base, fontName=BOLD, fontSize=BODY, leading=BODY_LEADING,
                                       spaceAfter=1.2, textColor=WARN),
        "topic": ParagraphStyle("topic", base, fontName=BOLD, fontSize=BODY, leading=BODY_LEADING),
        "column": ParagraphStyle("column", base, fontName=BOLD, fontSize=9.5, leading=11.5),
        "caveat": ParagraphStyle("caveat", base, fontSize=BODY, leading=BODY_LEADING, leftIndent=12,
                                 firstLineIndent=-12, spaceAfter=1.5),
        "ref": ParagraphStyle("ref", base, fontSize=CITE + 0.5, leading=CITE + 2.5, leftIndent=12, firstLineIndent=-12,
                              spaceAfter=1),  # the numbered references: citation text
        "toc": ParagraphStyle("toc", base, fontSize=10, leading=14),
    }
