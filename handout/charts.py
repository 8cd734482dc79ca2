"""Vector charts for the handout (reportlab graphics): horizontal bars grouped by study or event.

A figure without a number (not reached, not reported) gets no bar, only its text: a missing
bar is not a bar of 0. Bars share one scale only when their units agree; a figure in another
unit is written, not drawn.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from db.compare.model import Bar
from handout.fonts import BOLD, SANS, register
from handout.styles import CONTROL, INK, MUTED, RULE, therapy_colour

FONT = 7.5  # the smallest chart text (ticks included)
LINE = 9.0
BAR = 7.0
STEPS = (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100)


def _step(peak: float) -> float:
    return next((s for s in STEPS if peak / s <= 6), 100.0)


def _lines(text: str, width: float, font: str = SANS, size: float = FONT, most: int = 2) -> list[str]:
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)].rstrip() + "…"
    return lines


def bar_chart(bars: list[Bar], width: float, axis_title: str, only: Collection[str] | None = None) -> Drawing:
    """Groups in the order the bars come; within a group one row per bar. `axis_title` may name
    the drawn unit as `{unit}` ("median PFS, {unit} (as printed)"). `only`: draw these groups, on the
    scale of all the bars (the parts of a chart split over two pages share one scale)."""
    register()
    unit = Counter(b.unit for b in bars if b.value is not None).most_common(1)
    unit_name = unit[0][0] if unit else ""
    drawable = [b for b in bars if b.value is not None and b.unit == unit_name]
    axis_title = axis_title.replace("{unit}", unit_name or "as printed")
    peak = max((b.value for b in drawable if b.value is not None), default=1.0) or 1.0
    step = _step(peak)
    top = step * -(-peak // step)
    label_w, value_w = width * 0.36, 30 * mm
    plot_w = width - label_w - value_w
    rows: list[tuple[str, object]] = []
    for group in dict.fromkeys(b.group for b in bars):
        if only is not None and group not in only:
            continue
        members = [b for b in bars if b.group == group]
        if len(members) == 1:  # one bar: its group names it on its own row ("Anemia — Everolimus (RADIANT-3)")
            rows.append(("bar", dataclasses.replace(members[0], label=f"{group} — {members[0].label}")))
            continue
        rows.append(("group", group))
        rows += [("bar", b) for b in members]
    heights = []
    for kind, obj in rows:
        if kind == "group":
            assert isinstance(obj, str)
            heights.append(len(_lines(obj, width, BOLD, FONT + 0.5, 3)) * LINE + 3)
        else:
            assert isinstance(obj, Bar)
            heights.append(max(BAR + 3, len(_lines(obj.label, label_w - 6, most=4)) * LINE + 1))
    axis_h = 22.0
    height = sum(heights) + axis_h + 4
    d = Drawing(width, height, initialFontName=SANS, initialFontSize=FONT)  # the renderer's default is Helvetica
    y = height - 2
    x0 = label_w
    for (kind, obj), h in zip(rows, heights, strict=True):
        y -= h
        if kind == "group":
            assert isinstance(obj, str)
            for k, line in enumerate(_lines(obj, width, BOLD, FONT + 0.5, 3)):
                d.add(String(0, y + h - LINE - k * LINE + 1, line, fontName=BOLD, fontSize=FONT + 0.5, fillColor=INK))
            continue
        assert isinstance(obj, Bar)
        d.add(Line(x0, y, x0, y + h, strokeColor=RULE, strokeWidth=0.6))  # the axis beside bars, not through titles
        _bar_row(d, obj, y, h, x0, plot_w, top, label_w, unit_name)
    base = axis_h - 4
    d.add(Line(x0, base + 6, x0 + plot_w, base + 6, strokeColor=INK, strokeWidth=0.6))
    tick = 0.0
    while tick <= top + 1e-9:
        x = x0 + plot_w * tick / top
        d.add(Line(x, base + 6, x, base + 3, strokeColor=INK, strokeWidth=0.6))
        d.add(String(x, base - 5, f"{tick:g}", fontName=SANS, fontSize=FONT, fillColor=INK,
                     textAnchor="middle"))
        tick += step
    d.add(String(x0 + plot_w / 2, 0, axis_title, fontName=SANS, fontSize=FONT, fillColor=MUTED,
                 textAnchor="middle"))
    return d


def _bar_row(d: Drawing, b: Bar, y: float, h: float, x0: float, plot_w: float, top: float, label_w: float,
             unit: str) -> None:
    lines = _lines(b.label, label_w - 6, most=4)
    text_top = y + h - LINE + 1.5
    for n, line in enumerate(lines):
        d.add(String(label_w - 4, text_top - n * LINE, line, fontName=SANS, fontSize=FONT,
                     fillColor=INK if not b.control else MUTED, textAnchor="end"))
    bar_y = y + (h - BAR) / 2
    end = x0
    text = b.text
    if b.value is not None and b.unit == unit:
        end = x0 + plot_w * b.value / top
        _bar(d, x0, bar_y, max(end - x0, 0.6), b)
    elif b.value is not None:
        text += f" (not drawn: in {b.unit or 'another unit'})"
    d.add(String(end + 3, bar_y + 1.5, text, fontName=SANS, fontSize=FONT, fillColor=INK if b.value is not None
                 else MUTED))


def _bar(d: Drawing, x: float, y: float, w: float, b: Bar) -> None:
    """A therapy's bar is solid in its colour with a dark edge; a comparator's is white with grey
    hatching: the two never look alike in a grayscale printout or to a colour-blind reader."""
    if not b.control:
        d.add(Rect(x, y, w, BAR, fillColor=therapy_colour(b.column), strokeColor=INK, strokeWidth=0.4))
        return
    d.add(Rect(x, y, w, BAR, fillColor=None, strokeColor=CONTROL, strokeWidth=0.6))
    step = 2.6
    start = x - BAR
    while start < x + w:
        x1, x2 = max(start, x), min(start + BAR, x + w)
        if x2 > x1:
            d.add(Line(x1, y + (x1 - start), x2, y + (x2 - start), strokeColor=CONTROL, strokeWidth=0.5))
        start += step


def forest_plot(bars: list[Bar], width: float) -> Drawing:
    """The lead studies' hazard ratios on a log scale with their intervals (level as printed in the
    value text), one row per study, each naming its control arm and setting; square markers
    and direct labels, so it reads without colour."""
    import math

    register()
    drawn = [b for b in bars if b.value]
    ends = [v for b in drawn for v in (b.low, b.high, b.value) if v]
    lo = min([0.1, *ends]) if ends else 0.1
    hi = max([2.0, *ends]) if ends else 2.0
    label_w, text_w = width * 0.38, width * 0.30
    plot_w = width - label_w - text_w
    labels = [_lines(b.group, label_w - 6, BOLD, FONT, 3) + _lines(b.label, label_w - 6, most=3) for b in bars]
    heights = [max(2, len(lines)) * LINE + 2 for lines in labels]
    axis_h = 22.0
    height = sum(heights) + axis_h + 4
    d = Drawing(width, height, initialFontName=SANS, initialFontSize=FONT)

    def x_of(v: float) -> float:
        return label_w + plot_w * (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo))

    base = axis_h
    top = height - 2
    d.add(Line(x_of(1.0), base, x_of(1.0), top, strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[2, 2]))
    y = top + 3
    for b, lines, row_h in zip(bars, labels, heights, strict=True):
        y -= row_h
        bold = len(_lines(b.group, label_w - 6, BOLD, FONT, 3))
        for k, line in enumerate(lines):
            d.add(String(0, y + row_h - 9 - k * LINE, line, fontName=BOLD if k < bold else SANS, fontSize=FONT,
                         fillColor=INK))
        mid = y + row_h / 2 - 1
        if b.value:
            if b.low and b.high:
                d.add(Line(x_of(b.low), mid, x_of(b.high), mid, strokeColor=INK, strokeWidth=1.0))
            size = 4.2
            d.add(Rect(x_of(b.value) - size / 2, mid - size / 2, size, size, fillColor=therapy_colour(b.column),
                       strokeColor=INK, strokeWidth=0.5))
        text = b.text + ("" if b.setting == "in" else " — another setting")
        for k, line in enumerate(_lines(text, text_w - 4, SANS, FONT, 2)):
            d.add(String(label_w + plot_w + 4, mid + 1 - k * LINE, line, fontName=SANS, fontSize=FONT, fillColor=INK))
    d.add(Line(label_w, base, label_w + plot_w, base, strokeColor=INK, strokeWidth=0.6))
    for tick in (0.1, 0.25, 0.5, 1.0, 2.0, 4.0):
        if lo <= tick <= hi:
            d.add(Line(x_of(tick), base, x_of(tick), base - 3, strokeColor=INK, strokeWidth=0.6))
            d.add(String(x_of(tick), base - 11, f"{tick:g}", fontName=SANS, fontSize=FONT, fillColor=INK,
                         textAnchor="middle"))
    d.add(String(label_w + plot_w / 2, 0, "hazard ratio for PFS (log scale; < 1 favours the therapy)",
                 fontName=SANS, fontSize=FONT, fillColor=MUTED, textAnchor="middle"))
    return d


SWATCH = 7.0


def swatch(d: Drawing, x: float, y: float, column: int | None) -> None:
    """A therapy's colour square with a dark edge (the palest colour stays visible), or (None) the
    comparators' hatched white square."""
    if column is not None:
        d.add(Rect(x, y, SWATCH, SWATCH, fillColor=therapy_colour(column), strokeColor=INK, strokeWidth=0.5))
        return
    d.add(Rect(x, y, SWATCH, SWATCH, fillColor=None, strokeColor=CONTROL, strokeWidth=0.6))
    for k in (-4.6, -2.3, 0.0, 2.3, 4.6):  # diagonals v = u - k inside the square
        u1, u2 = max(0.0, k), min(SWATCH, SWATCH + k)
        d.add(Line(x + u1, y + u1 - k, x + u2, y + u2 - k, strokeColor=CONTROL, strokeWidth=0.5))


def legend(labels: list[str], with_control: bool, width: float) -> Drawing:
    """A swatch and the name of each therapy (and the hatched comparator), wrapped to `width`."""
    register()
    entries: list[tuple[int | None, str]] = list(enumerate(labels))
    if with_control:
        entries.append((None, "comparator or other arm (hatched)"))
    placed, x, row = [], 0.0, 0
    for column, label in entries:
        w = SWATCH + 3 + stringWidth(label, SANS, FONT) + 12
        if x and x + w > width:
            x, row = 0.0, row + 1
        placed.append((x, row, column, label))
        x += w
    height = (row + 1) * LINE + 2
    d = Drawing(width, height, initialFontName=SANS, initialFontSize=FONT)
    for x, r, column, label in placed:
        y = height - (r + 1) * LINE
        swatch(d, x, y, column)
        d.add(String(x + SWATCH + 3, y + 1, label, fontName=SANS, fontSize=FONT, fillColor=INK))
    return d
