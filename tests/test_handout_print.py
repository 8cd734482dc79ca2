"""The standard handouts as printed: type sizes read from the PDF, a grayscale-safe palette, chart labels
never cut, no page left half empty but the last, no table cell split over two pages, and a four-therapy
packet case in landscape (issue 'Page one, round three', point 7)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import String

from db.compare.summaries import build_comparison
from db.store import Store
from handout.charts import bar_chart, forest_plot
from handout.document import write_packet
from handout.styles import FOOTER, MARGIN, therapy_colour
from tests.standard_handouts import HANDOUTS, PACKET, comparison, pages, write

CITATION = re.compile(r"\[\d+(: [^\]]*)?\]")  # "[1: Table 4]"


@pytest.fixture(scope="module")
def printed(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Path]]:
    folder = tmp_path_factory.mktemp("printed")
    s = Store(built_db)
    yield {n: write(s, n, folder)[1] for n in HANDOUTS}
    s.close()


def runs(path: Path, page: int | None = None) -> list[tuple[str, float, float]]:
    """(text, size in points, y) of every text run, on one page or all."""
    found: list[tuple[str, float, float]] = []
    reader = PdfReader(path)
    for p in reader.pages if page is None else [reader.pages[page]]:
        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                found.append((text.strip(), round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 2), cm[3] * tm[5] + cm[5]))
        p.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("n", [2, 3, 6])
def test_body_text_is_at_least_8_5_points_citations_7_and_chart_text_7_5(printed, n: int) -> None:  # type: ignore[no-untyped-def]
    found = runs(printed[n])
    assert min(size for _t, size, _y in found) >= 7.0
    small = " ".join(t for t, size, _y in found if size < 7.5)  # in reading order: wrapped citations rejoin
    assert small and CITATION.sub("", small).strip() == ""  # only citations are below the charts' size
    body = [size for t, size, _y in runs(printed[n], 0) if "not reported" in t or "months vs" in t]
    assert body and min(body) >= 8.5


def lightness(colour: object) -> float:
    """CIE L* of a reportlab colour (sRGB, D65)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(getattr(colour, x)) for x in ("red", "green", "blue"))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def test_any_two_therapy_colours_differ_by_25_in_lightness() -> None:
    values = [lightness(therapy_colour(i)) for i in range(4)]
    assert min(abs(a - b) for i, a in enumerate(values) for b in values[i + 1:]) >= 25


def test_no_chart_label_is_cut(store: Store) -> None:
    for n in HANDOUTS:
        c = comparison(store, n)
        for bars, drawing in ((c.pfs_bars, bar_chart(list(c.pfs_bars), 480, "months")),
                              (c.ae_bars, bar_chart(list(c.ae_bars), 480, "%")),
                              (c.hr_bars, forest_plot(list(c.hr_bars), 480))):
            texts = [s.text for s in drawing.contents if isinstance(s, String)]
            assert not [t for t in texts if t.endswith("…")], n
            words = " ".join(texts).split()
            for b in bars:
                assert all(w in words for w in f"{b.group} {b.label}".split()), (n, b.group, b.label)


def fill(path: Path) -> list[float]:
    """How far down each page's body its lowest text reaches (0 empty, 1 full)."""
    out = []
    for i, page in enumerate(PdfReader(path).pages):
        top = float(page.mediabox.height) - MARGIN
        bottom = FOOTER + 4 * 72 / 25.4
        low = min((y for _t, _s, y in runs(path, i) if y > bottom - 2), default=top)
        out.append((top - low) / (top - bottom))
    return out


def test_no_page_is_less_than_half_full_but_the_last(printed) -> None:  # type: ignore[no-untyped-def]
    """Unless a table row too tall for the rest of the page moved whole to the next one, which then opens
    with the table's header row (a row is split only when taller than a page); at most once a handout."""
    for n, path in printed.items():
        filled, texts = fill(path), pages(path)
        short = [i for i, f in enumerate(filled[:-1]) if f < 0.5]
        assert len(short) <= 1, (n, [round(f, 2) for f in filled])
        for i in short:
            assert re.search(r"not a treatment recommendation\. Topic ", texts[i + 1]), (n, i, filled)


def test_no_table_row_is_split_over_two_pages(printed) -> None:  # type: ignore[no-untyped-def]
    """A row shorter than a page moves to the next page whole: no topic is '(continued)'."""
    for n, path in printed.items():
        assert not any("(continued)" in p for p in pages(path)), n


def test_the_packet_prints_a_four_therapy_case_in_landscape(store: Store, tmp_path: Path) -> None:
    cases = [(f"Case {i}", build_comparison(store, HANDOUTS[n][0], list(HANDOUTS[n][1])))
             for i, n in enumerate((*PACKET, 6), 1)]
    out = write_packet(store, cases, tmp_path / "packet.pdf")
    reader = PdfReader(out)
    wide = []
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        width, height = (float(x) for x in page.mediabox[2:])
        if "Lead study in numbers" in text:
            wide.append(width > height)
    assert wide == [False, False, False, True]


def test_a_chart_too_tall_for_the_rest_of_a_page_splits_between_studies_on_one_scale(store: Store) -> None:
    from handout.document import Chart

    c = comparison(store, 3)
    chart = Chart(c.pfs_bars, 480, "median PFS, {unit}")
    _w, height = chart.wrap(480, 10_000)
    parts = chart.split(480, height * 0.6)
    assert len(parts) == 2 and parts[0].groups + parts[1].groups == chart.groups
    assert parts[0].wrap(480, 10_000)[1] <= height * 0.6
    ticks = [[s.text for s in p.drawing.contents if isinstance(s, String) and s.text.isdigit()] for p in parts]
    assert ticks[0] == ticks[1]  # one scale
    assert chart.split(480, 5) == []  # not even one study fits: the chart moves to the next page
