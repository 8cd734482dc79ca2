"""The standard handouts (shared/docs/standard-handouts.md): the cases every change to the handout,
the comparison or the presentation code is compared on, as the command line takes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader

HANDOUTS: dict[int, tuple[str, tuple[str, ...], str]] = {
    1: ("pnet", ("everolimus", "sunitinib"), "a4"),
    2: ("pnet", ("everolimus", "sunitinib"), "letter"),
    3: ("pnet", ("everolimus", "sunitinib", "177Lu-Dotatate"), "a4"),
    4: ("rair-dtc", ("lenvatinib", "sorafenib"), "a4"),
    5: ("rair-dtc", ("lenvatinib", "sorafenib", "cabozantinib"), "a4"),
    6: ("rair-dtc", ("lenvatinib", "sorafenib", "cabozantinib", "vandetanib"), "a4"),
    7: ("lung-net", ("everolimus", "everolimus + octreotide LAR", "pasireotide"), "a4"),
    8: ("midgut-net", ("octreotide LAR", "lanreotide", "177Lu-Dotatate"), "a4"),
}
PACKET = (3, 5, 7)  # handout 9: these cases, labelled "Case 1" to "Case 3"


def comparison(store: Any, n: int) -> Any:
    from db.compare.summaries import build_comparison

    disease, therapies, _paper = HANDOUTS[n]
    return build_comparison(store, disease, list(therapies))


def write(store: Any, n: int, folder: Path) -> tuple[Any, Path]:
    """Standard handout `n` written to `folder`, with its comparison."""
    from handout.document import write_handout

    c = comparison(store, n)
    return c, write_handout(store, c, folder / f"handout-{n}.pdf", paper=HANDOUTS[n][2])


def pages(path: Path) -> list[str]:
    """Each page's text with its white space folded to single spaces."""
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
