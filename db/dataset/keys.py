"""How exact identifiers (ids, acronyms, registry numbers) are compared, at build time and at every look-up."""

from __future__ import annotations

import re


def normalize_key(text: str) -> str:
    """'RADIANT-3' -> 'radiant3': case, spaces, hyphens and underscores ignored.

    >>> normalize_key("NCT 00510068"), normalize_key("netter_1")
    ('nct00510068', 'netter1')
    """
    return re.sub(r"\W+", "", text.casefold()).replace("_", "")
