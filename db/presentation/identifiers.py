"""A study's names: the acronym and registry number as the sources print them, and the identifiers
the sources do not print (`identifiers:` in the seeds, from a trial registry or the trial's own
publication), and the one label every surface shows; and a drug's brand as shown where it resolves.

Labels keep the convention "acronym first, then first author and year": `RADIANT-3 (Yao)`. A study
the sources name only by its first author takes its registry acronym, marked: `PROMIDᴿ (Rinke)`.
Identifiers are matched exactly, case, spaces and hyphens ignored (`normalize_key`): NETTER-2 is
not NETTER-1.

    >>> study_label({"name": "Rinke", "acronym": None, "first_author": "Rinke", "year": None,
    ...              "identifiers": [{"kind": "acronym", "value": "PROMID"}]})
    'PROMIDᴿ (Rinke)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from db.dataset.keys import normalize_key
from db.dataset.record import Row

REGISTRY_MARK = "ᴿ"  # U+1D3F, in the bundled DejaVu fonts
REGISTRY_LEGEND = (f"{REGISTRY_MARK} acronym from the trial registry or the trial's own publication, "
                   "not printed in the sources")
KIND_LABELS = {"acronym": "acronym", "nct": "ClinicalTrials.gov number"}
NCT = re.compile(r"^nct\d{8}$")  # a complete registry number, as normalize_key leaves it


def registry_acronym(study: Row) -> str | None:
    """The acronym a study is known by when the sources print none: its first registry acronym."""
    if study.get("acronym"):
        return None
    return next((i["value"] for i in study.get("identifiers") or () if i["kind"] == "acronym"), None)


def short_name(study: Row) -> str:
    """'RADIANT-3', 'PROMIDᴿ', 'Raymond': the acronym (marked when from the registry), else the name."""
    acronym = registry_acronym(study)
    return f"{acronym}{REGISTRY_MARK}" if acronym else str(study["name"])


def arm_name(study: Row, arm: Row) -> str:
    """How a case's reasons name an arm: 'RADIANT-3', or a cohort or stratum with its label: 'Vemurafenib in
    BRAF V600E PTC (NCT01286753), Cohort 2: prior multikinase inhibitor'."""
    return short_name(study) + (f", {arm['label']}" if arm["role"] in ("cohort", "stratum") else "")


def study_label(study: Row) -> str:
    """'RADIANT-3 (Yao)', 'PROMIDᴿ (Rinke)', 'Raymond': acronym first, then the byline."""
    byline = " ".join(x for x in (study.get("first_author"), study.get("year")) if x)
    named = bool(study.get("acronym") or registry_acronym(study))
    return f"{short_name(study)} ({byline})" if named and byline else short_name(study)


def brand_title(brand: str, drug_name: str) -> str:
    """A brand shown where it resolves, with its drug's name beside it: 'Lutathera (177Lu-Dotatate)'.

    >>> brand_title("Lutathera", "177Lu-Dotatate")
    'Lutathera (177Lu-Dotatate)'
    """
    return f"{brand} ({drug_name})"


def nct_numbers(study: Row) -> list[str]:
    """Every registry number of the study: the printed one first, then the registry's."""
    found = [study["nct"]] if study.get("nct") else []
    found += [i["value"] for i in study.get("identifiers") or () if i["kind"] == "nct"]
    return list(dict.fromkeys(found))


def acronym_parts(acronym: str) -> list[str]:
    """'STARTRK-1/STARTRK-2' -> ['STARTRK-1', 'STARTRK-2']: each trial of a pooled acronym is a name too."""
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|\band\b)\s*", acronym) if p.strip()]
    return parts if len(parts) > 1 else []


def is_acronym(text: str) -> bool:
    """An acronym as trials are named (no lower-case letters): 'NETTER-1', 'CALGB 80701', not a
    description such as 'Cabozantinib phase 2 (NCT01811212)'."""
    return bool(text) and not any(c.islower() for c in text)


def keys(study: Row) -> list[str]:
    """What an exact look-up matches: id, acronym (and its parts), printed number, every identifier."""
    names: Iterable[str] = [study["id"], study.get("acronym") or "", *acronym_parts(study.get("acronym") or ""),
                            study.get("nct") or "", *(i["value"] for i in study.get("identifiers") or ())]
    return list(dict.fromkeys(k for n in names if n and (k := normalize_key(n))))
