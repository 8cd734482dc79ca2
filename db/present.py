"""Plain-text presentation of figures, shared by the window, the handout and the CLI.

Every figure is shown as printed, with its unit; nothing here rounds or computes.
"""

from __future__ import annotations

from typing import Any

from db.vocab import MEASURES

Record = dict[str, Any]

def measure_label(key: str) -> str:
    m = MEASURES.get(key)
    return m.label if m else key


def percent(text: str | None) -> str:
    """'64' -> '64%'; None -> '–' (not reported, which is not 0)."""
    if text is None:
        return "–"
    return text if text.endswith("%") else f"{text}%"


def band_label(band: str) -> str:
    return "grade 3–4" if band == "3-4" else "grade ≥3"


def outcome_value(o: Record) -> str:
    """'11.4 months', '48% at 6 months', '0.34' — value as printed with unit and time point."""
    m = MEASURES.get(o["measure"])
    text = str(o["value_text"])
    if o.get("value") is None and o.get("qualifier") in ("not reached", "not estimable"):
        if text.casefold() != o["qualifier"]:
            text += f" ({o['qualifier']})"  # 'NR (not reached)': a word, so no unit after it
    elif m and m.kind == "percent":
        text = percent(text)
    elif o.get("unit"):
        text = f"{text} {o['unit']}"
    if o.get("timepoint"):
        text += f" at {o['timepoint']}"
    if o.get("count_text"):
        text += f" (n={o['count_text']})"
    return text


def ci_text(o: Record, level: str = "95% CI") -> str:
    low, high = o.get("ci_low_text"), o.get("ci_high_text")
    if low is None and high is None:
        return ""
    return f"{level} {low or '?'}–{high or '?'}"


def outcome_text(o: Record) -> str:
    """'11.4 months (95% CI 9.3–13.3; p <0.001)'."""
    extras = [x for x in (ci_text(o), p_text(o.get("p_text"))) if x]
    return outcome_value(o) + (f" ({'; '.join(extras)})" if extras else "")


def p_text(p: str | None) -> str:
    if p is None:
        return ""
    return f"p {p}" if p[:1] in "<>≤≥=" else f"p={p}"
