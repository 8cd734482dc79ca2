"""Checks on what a user types for a handout, and the meeting-packet case file. No reportlab here:
the window and the command line import this module without paying for it.

A case file (JSON) for `tumorboard packet`:

    {"meeting": "Tumour board, week 48",
     "cases": [{"label": "Case 1", "disease": "pNET", "therapies": ["everolimus", "sunitinib"]},
               {"label": "Case 2", "disease": "RAIR-DTC", "therapies": ["lenvatinib", "sorafenib"],
                "rows": ["studies", "ae_high"]}]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.compare_types import TOPIC_KEYS

MIN_THERAPIES, MAX_THERAPIES = 2, 4
LABEL_HINT = "Case label: no patient identifiers (no name, date of birth or record number)"
_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_NUMBER = re.compile(r"\d{6,}")


def identifier_warning(text: str) -> str | None:
    """A warning when a label looks like it carries a patient identifier (a long number or a date)."""
    if _NUMBER.search(text):
        return "The label contains a long number: leave record numbers and other patient identifiers out."
    if _DATE.search(text):
        return "The label contains a date: if it is a date of birth, leave it out (no patient identifiers)."
    return None


def therapy_count_error(count: int) -> str | None:
    if MIN_THERAPIES <= count <= MAX_THERAPIES:
        return None
    return f"give {MIN_THERAPIES} to {MAX_THERAPIES} therapies (got {count})"


@dataclass(frozen=True)
class Case:
    label: str
    disease: str
    therapies: tuple[str, ...]
    rows: tuple[str, ...] = TOPIC_KEYS


@dataclass(frozen=True)
class CaseFile:
    meeting: str
    cases: tuple[Case, ...]


class CaseFileError(ValueError):
    pass


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CaseFileError(f"{where} must be a non-empty text")
    return value.strip()


def read_case_file(path: Path) -> CaseFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CaseFileError(f"{path}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise CaseFileError(f"{path}: expected an object with a non-empty list \"cases\"")
    cases = []
    for n, raw in enumerate(data["cases"], 1):
        where = f"{path}: case {n}"
        if not isinstance(raw, dict):
            raise CaseFileError(f"{where}: expected an object with label, disease and therapies")
        therapies = raw.get("therapies")
        if not isinstance(therapies, list) or not all(isinstance(t, str) for t in therapies):
            raise CaseFileError(f"{where}: \"therapies\" must be a list of names")
        if (problem := therapy_count_error(len(therapies))) is not None:
            raise CaseFileError(f"{where}: {problem}")
        rows = raw.get("rows", list(TOPIC_KEYS))
        unknown = [r for r in rows if r not in TOPIC_KEYS] if isinstance(rows, list) else [rows]
        if unknown:
            raise CaseFileError(f"{where}: unknown rows {unknown}; choose from {', '.join(TOPIC_KEYS)}")
        cases.append(Case(_text(raw.get("label"), f"{where}: \"label\""), _text(raw.get("disease"), f"{where}: "
                          "\"disease\""), tuple(therapies), tuple(rows)))
    meeting = data.get("meeting", "")
    return CaseFile(meeting if isinstance(meeting, str) else "", tuple(cases))
