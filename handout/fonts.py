"""The handout's fonts and the markup of text for reportlab Paragraphs.

DejaVu Sans (bundled in resources/fonts with its licence) is embedded as a subset, so
≥, µ, α, ¹⁷⁷Lu and en dashes print on any reader. Characters DejaVu lacks (Chinese,
Japanese, Korean in a case label) are set in Droid Sans Fallback, registered only when a
text needs it (loading it takes ~0.2 s). Every text is XML-escaped, so `<b>` typed by a
user prints as `<b>`. Right-to-left text (Hebrew, Arabic in a case label or a note) is
shaped (arabic-reshaper) and put in display order (python-bidi, the Unicode bidirectional
algorithm), since reportlab lays out characters left to right as given. A character that
neither font has prints as a visible U+FFFD and is named by `unprintable()`, never as an
empty box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from db.paths import bundled_resources

SANS, BOLD, FALLBACK = "TBSans", "TBSans-Bold", "TBFallback"
FILES = {SANS: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", FALLBACK: "DroidSansFallback.ttf"}


def _load(name: str) -> TTFont:
    font = TTFont(name, str(bundled_resources() / "fonts" / FILES[name]))
    pdfmetrics.registerFont(font)
    return font


@cache
def register() -> frozenset[int]:
    """Register DejaVu Sans (regular and bold) once; return the code points it has."""
    regular = _load(SANS)
    _load(BOLD)
    for bold, italic, face in ((0, 0, SANS), (1, 0, BOLD), (0, 1, SANS), (1, 1, BOLD)):
        addMapping(SANS, bold, italic, face)
    return frozenset(regular.face.charToGlyph)


@cache
def _fallback() -> frozenset[int]:
    return frozenset(_load(FALLBACK).face.charToGlyph)


REPLACEMENT = "\ufffd"
_UNPRINTABLE: dict[str, None] = {}
# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _visual(text: str) -> str:
    """Right-to-left runs shaped and in display order, line by line; other text unchanged."""
    if not RTL.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def unprintable() -> list[str]:
    """The characters printed as U+FFFD since the last call ('U+1F600 GRINNING FACE'), for a warning."""
    found = [f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in _UNPRINTABLE]
    _UNPRINTABLE.clear()
    return found


def missing(text: str) -> bool:
    have = register()
    return any(ord(ch) not in have and not ch.isspace() for ch in text)


def markup(text: str) -> str:
    """Escape for Paragraph markup; runs of characters DejaVu lacks go into the fallback font.

    >>> markup("<b>&co ≥3")
    '&lt;b&gt;&amp;co ≥3'
    """
    have = register()
    text = _visual(text)
    if not missing(text):
        return escape(text).replace("\n", "<br/>")
    extra = _fallback()
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(f'<font name="{FALLBACK}">{escape("".join(run))}</font>')
            run.clear()

    for ch in text:
        if ord(ch) not in have and ord(ch) in extra and not ch.isspace():
            run.append(ch)
            continue
        flush()
        if ord(ch) not in have and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn"):
            _UNPRINTABLE[ch] = None
            ch = REPLACEMENT
        out.append("<br/>" if ch == "\n" else escape(ch))
    flush()
    return "".join(out)
