"""Checks on what a user types for a handout, and the meeting-packet case file. No reportlab here:
the window and the command line import this module without paying for it.

A case file (JSON) for `tumorboard packet`:

    {"meeting": "Tumour board, week 48",
     "cases": [{"label": "Case 1", "disease": "pNET", "therapies": ["everolimus", "sunitinib"]},
               {"label": "Case 2", "disease": "RAIR-DTC", "therapies": ["lenvatinib", "sorafenib"],
                "rows": ["studies", "ae_high"]},
               {"label": "Case 3", "disease": "pNET", "ki67": 14, "prior": ["octreotide"]}]}

A case given in the form of `tumorboard options` instead of a therapy list (Case 3: "ki67", "mitoses",
"necrosis", "differentiation", "functional" (true or false), "sstr", "markers", "negative", "prior") has
its therapies chosen from its options (db/case `packet_choice`); its inputs are held to the same limits.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.compare.model import TOPIC_KEYS
from db.json_depth import nesting_depth

MIN_THERAPIES, MAX_THERAPIES = 2, 4
# Caps on what a user or a case file may hand the handout: a packet of 5 cases takes seconds, one
# of 5 000 or a label of 10 million characters ran past a minute and 400 MB before these.
MAX_CASE_FILE_BYTES = 1_000_000
MAX_DEPTH = 8  # a case file nests 4 deep: object, "cases", a case, its "therapies"
MAX_CASES = 40
MAX_LABEL = 200  # a meeting or case label, a disease or therapy name
MAX_NOTES = 2_000  # `tumorboard handout --notes`
MAX_NAMES = 20  # markers, negative tests or earlier therapies of one case
CASE_CHOICES = {"necrosis": ("none", "punctate", "extensive"), "differentiation": ("well", "poor"),
                "sstr": ("positive", "negative", "unknown")}
CASE_NUMBERS = ("ki67", "mitoses")
CASE_LISTS = ("markers", "negative", "prior")
CASE_KEYS = (*CASE_NUMBERS, *CASE_CHOICES, "functional", *CASE_LISTS)
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


def length_error(what: str, text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"{what} is {len(text):,} characters long; at most {limit:,} are allowed"


def therapy_count_error(count: int) -> str | None:
    if MIN_THERAPIES <= count <= MAX_THERAPIES:
        return None
    return f"give {MIN_THERAPIES} to {MAX_THERAPIES} therapies (got {count})"


@dataclass(frozen=True)
class CaseInputs:
    """A case in the form of `tumorboard options` (db/case `resolve_case`'s keywords), as typed."""

    ki67: float | None = None
    mitoses: float | None = None
    necrosis: str | None = None
    differentiation: str | None = None
    functional: bool | None = None
    sstr: str | None = None
    markers: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    prior: tuple[str, ...] = ()

    def keywords(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CASE_KEYS}


@dataclass(frozen=True)
class Case:
    label: str
    disease: str
    therapies: tuple[str, ...]  # empty where `inputs` gives the case instead
    rows: tuple[str, ...] = TOPIC_KEYS
    inputs: CaseInputs | None = None


@dataclass(frozen=True)
class CaseFile:
    meeting: str
    cases: tuple[Case, ...]


class CaseFileError(ValueError):
    pass


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CaseFileError(f"{where} must be a non-empty text")
    if (problem := length_error(where, value.strip(), MAX_LABEL)) is not None:
        raise CaseFileError(problem)
    return value.strip()


def _read_bounded(path: Path) -> str:
    """The file's text: refused before reading when it is not a regular file or is too large."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CaseFileError(f"{path}: not a regular file")
        if info.st_size > MAX_CASE_FILE_BYTES:
            raise CaseFileError(f"{path}: {info.st_size:,} bytes; a case file may have at most "
                                f"{MAX_CASE_FILE_BYTES:,}")
        with path.open("rb") as f:
            data = f.read(MAX_CASE_FILE_BYTES + 1)
    except OSError as exc:
        raise CaseFileError(f"{path}: {exc.strerror or exc}") from exc
    if len(data) > MAX_CASE_FILE_BYTES:
        raise CaseFileError(f"{path}: more than {MAX_CASE_FILE_BYTES:,} bytes; a case file may have at most "
                            f"{MAX_CASE_FILE_BYTES:,}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"{path}: not valid JSON ({exc})") from exc


def read_case_file(path: Path) -> CaseFile:
    text = _read_bounded(path)
    if (depth := nesting_depth(text)) > MAX_DEPTH:
        raise CaseFileError(f"{path}: nested {depth:,} levels deep; a case file nests at most {MAX_DEPTH}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise CaseFileError(f"{path}: expected an object with a non-empty list \"cases\"")
    if len(data["cases"]) > MAX_CASES:
        raise CaseFileError(f"{path}: {len(data['cases']):,} cases; a packet holds at most {MAX_CASES}")
    cases = []
    for n, raw in enumerate(data["cases"], 1):
        where = f"{path}: case {n}"
        if not isinstance(raw, dict):
            raise CaseFileError(f"{where}: expected an object with label, disease and therapies")
        therapies = raw.get("therapies")
        inputs = None
        if therapies is None and any(k in raw for k in CASE_KEYS):
            inputs, therapies = case_inputs(raw, where), []
        elif not isinstance(therapies, list) or not all(isinstance(t, str) for t in therapies):
            raise CaseFileError(f"{where}: \"therapies\" must be a list of names (or give the case: "
                                f"{', '.join(CASE_KEYS)})")
        elif (problem := therapy_count_error(len(therapies))) is not None:
            raise CaseFileError(f"{where}: {problem}")
        therapies = [_text(t, f"{where}: therapy {i}") for i, t in enumerate(therapies, 1)]
        rows = raw.get("rows", list(TOPIC_KEYS))
        unknown = [r for r in rows if r not in TOPIC_KEYS] if isinstance(rows, list) else [rows]
        if unknown:
            raise CaseFileError(f"{where}: unknown rows {unknown}; choose from {', '.join(TOPIC_KEYS)}")
        cases.append(Case(_text(raw.get("label"), f"{where}: \"label\""), _text(raw.get("disease"), f"{where}: "
                          "\"disease\""), tuple(therapies), tuple(rows), inputs))
    meeting = data.get("meeting", "")
    meeting = meeting if isinstance(meeting, str) else ""
    if (problem := length_error(f"{path}: \"meeting\"", meeting, MAX_LABEL)) is not None:
        raise CaseFileError(problem)
    return CaseFile(meeting, tuple(cases))


def case_inputs(raw: dict[str, Any], where: str) -> CaseInputs:
    """A case entry's inputs in the form of `tumorboard options`, each checked: a number, a known choice,
    true or false, a list of at most MAX_NAMES names of at most MAX_LABEL characters."""
    values: dict[str, Any] = {}
    for key in CASE_NUMBERS:
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise CaseFileError(f"{where}: \"{key}\" must be a number")
        values[key] = None if value is None else float(value)
    for key, choices in CASE_CHOICES.items():
        value = raw.get(key)
        if value is not None and value not in choices:
            raise CaseFileError(f"{where}: \"{key}\" must be one of {', '.join(choices)}")
        values[key] = value
    functional = raw.get("functional")
    if functional is not None and not isinstance(functional, bool):
        raise CaseFileError(f"{where}: \"functional\" must be true or false")
    values["functional"] = functional
    for key in CASE_LISTS:
        names = raw.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise CaseFileError(f"{where}: \"{key}\" must be a list of names")
        if len(names) > MAX_NAMES:
            raise CaseFileError(f"{where}: \"{key}\" has {len(names):,} names; at most {MAX_NAMES} are allowed")
        values[key] = tuple(_text(n, f"{where}: {key} {i}") for i, n in enumerate(names, 1))
    return CaseInputs(**values)
