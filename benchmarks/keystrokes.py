"""What a user types at a tumour board, one keystroke at a time.

Each phrase is typed left to right; every prefix is a search the window runs (the
debounce coalesces only keystrokes faster than it, so on a slow typist each one runs).
"""

from __future__ import annotations

PHRASES = [
    "everolimus",
    "lenva hyper",
    "drug:everolimus disease:pnet",
    "radiant-3",
    "stomatitis",
    "sunitinib pnet",
    "cabozantinib hand foot",
    "sorafenib dtc phase:3",
    "177lu dotatate",
    "ae:hypertension kind:toxicity",
    "everolimis",
    "nct00510068",
    "pancreatic neuroendocrine",
    "diarrhea octreotide",
]


def prefixes(phrases: list[str] | None = None) -> list[str]:
    """'eve' -> ['e', 'ev', 'eve']: the queries typing each phrase runs (blank ones skipped)."""
    out = []
    for phrase in phrases or PHRASES:
        for i in range(1, len(phrase) + 1):
            if phrase[:i].strip():
                out.append(phrase[:i])
    return out
