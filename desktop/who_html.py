"""The study pane's "Who was treated" block as HTML: what db/presentation/who.py says of the study's patients (and of
each cohort's or stratum's own), each item cited and, where the source is unclear, marked ⚠ with the
curators' note; the fields the source leaves unstated in one line; then the primary end point's result
and the source's words on overall survival. Everything escaped."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from db.dataset.record import Record
from db.presentation.present import ALERT
from db.presentation.who import Names, Statement, os_statement, primary, unstated, who

Cite = Callable[[str, str], str]  # (source id, locator) -> the pane's citation

FIELD_LABELS = {"line": "Line", "prior": "Earlier therapy", "markers": "Markers", "functional": "Functional status",
                "sstr": "SSTR", "grades": "Grades", "progression": "Progression"}
GROUP_ROLES = ("cohort", "stratum")


def _marked(s: Statement, cite: Cite) -> str:
    """The statement, ⚠ before it where it has a note, its citation, and the note under it."""
    mark = f"{ALERT} " if s.note else ""
    source = f" {cite(s.source_id, s.locator)}" if s.source_id and s.locator else ""
    note = f'<br><small class="caveat">{ALERT} {escape(s.note)}</small>' if s.note else ""
    return f"{mark}{escape(s.text)}{source}{note}"


def _rows(statements: list[Statement], missing: list[str], cite: Cite) -> list[str]:
    """One row per statement, the field named on the first of its kind; then the fields left unstated."""
    rows, seen = [], set()
    for s in statements:
        label = FIELD_LABELS.get(s.key, s.key) if s.key not in seen else ""
        rows.append(f"<tr><td>{escape(label)}</td><td>{_marked(s, cite)}</td></tr>")
        seen.add(s.key)
    if missing:
        rows.append(f"<tr><td></td><td><small>not stated in the source: {escape(', '.join(missing))}</small></td></tr>")
    return rows


def who_html(study: Record, names: Names, cite: Cite) -> str:
    """The block that opens the pane, above the figures."""
    population = study.get("population") or {}
    phrase = f" {escape(str(population['text']))}" if population.get("text") else ""
    rows = _rows(who(study, None, names), unstated(study), cite)
    for arm in study.get("arms") or ():
        own = arm.get("population") or {}
        if arm.get("role") not in GROUP_ROLES or not own:
            continue
        said = [s for s in who(study, arm, names) if s.key in own]  # where this group differs from the study
        text = f": {escape(str(own['text']))}" if own.get("text") else ""
        rows.append(f"<tr><td></td><td><b>{escape(arm['label'])}</b> <small>({escape(arm['role'])})</small>"
                    f"{text}</td></tr>")  # no cell across both columns: Qt would widen the first to fit it
        rows += _rows(said, unstated({"population": own}), cite)
    out = [f"<p><b>Who was treated:</b>{phrase}</p>", f"<table class='who'>{''.join(rows)}</table>" if rows else "",
           f"<p>{_marked(primary(study), cite)}</p>"]
    said_os = os_statement(study)
    if said_os is not None:
        out.append(f"<p><b>Overall survival:</b> {_marked(said_os, cite)}</p>")
    return "".join(out)
