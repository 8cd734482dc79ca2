"""Colours and sizes shared by the charts: Okabe-Ito, readable when projected, zoomable."""

from __future__ import annotations

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BASE_POINT_SIZE = 10


def colour(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]
