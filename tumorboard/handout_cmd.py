"""`tumorboard handout` and `tumorboard packet`: the meeting handout PDF from the command line.

reportlab is imported only when a PDF is made, so `tumorboard --help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from db.compare.model import TOPIC_KEYS
from handout.cases import (
    MAX_LABEL,
    MAX_NOTES,
    CaseFileError,
    identifier_warning,
    length_error,
    read_case_file,
    therapy_count_error,
)


def add_parsers(sub: Any) -> None:
    handout = sub.add_parser(
        "handout", help="write the side-by-side therapy handout as PDF",
        description="Compare 2-4 therapies in a disease setting and write the handout PDF: the comparison "
        "table with every item's source, charts of median PFS and grade >=3 adverse events, numbered references. "
        "Names may be drug names, brands, codes, synonyms or regimens such as 'everolimus + octreotide'.")
    handout.add_argument("--disease", required=True, metavar="D", help="disease setting, e.g. pnet or 'pancreatic NET'")
    handout.add_argument("--therapy", action="append", required=True, metavar="T",
                         help="a therapy; give it 2 to 4 times")
    _common(handout)
    handout.add_argument("--notes", default="", metavar="TEXT", help="a note printed under the title")
    handout.add_argument("--row", action="append", choices=TOPIC_KEYS, default=None, metavar="ROW",
                         help=f"only these rows (repeat; default all): {', '.join(TOPIC_KEYS)}")

    packet = sub.add_parser(
        "packet", help="write a meeting packet: one comparison per case, with a contents page",
        description="Write several comparisons, one per case, into one PDF with a contents page. CASES is a JSON "
        'file: {"meeting": "...", "cases": [{"label": "Case 1", "disease": "pnet", "therapies": '
        '["everolimus", "sunitinib"], "rows": [...optional]}]}. Label cases without patient identifiers.')
    packet.add_argument("cases", type=Path, metavar="CASES", help="the JSON case file")
    _common(packet)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    p.add_argument("--local-notes", action="store_true",
                   help="include this workstation's local notes and availability flags (read-only; off by default)")
    p.add_argument("--meeting", default=None, metavar="LABEL",
                   help="meeting label printed under the title (no patient identifiers)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write")


def _error(command: str, message: str, code: int) -> int:
    print(f"tumorboard {command}: error: {message}", file=sys.stderr)
    return code


def _typed_text_error(args: argparse.Namespace) -> str | None:
    """Why --meeting, --notes, --disease or a --therapy is too long to print, or None."""
    texts = [("--meeting", args.meeting or "", MAX_LABEL), ("--notes", getattr(args, "notes", ""), MAX_NOTES),
             ("--disease", getattr(args, "disease", ""), MAX_LABEL)]
    texts += [("--therapy", t, MAX_LABEL) for t in getattr(args, "therapy", None) or []]
    return next((problem for what, text, limit in texts if (problem := length_error(what, text, limit))), None)


def _warn_identifiers(*labels: str) -> None:
    for label in labels:
        warning = identifier_warning(label)
        if warning:
            print(f"warning: “{label}”: {warning}", file=sys.stderr)


def _local(args: argparse.Namespace, keys: list[str]) -> tuple[dict[str, tuple[str, str]] | None, str]:
    """The workstation's notes for these therapies when asked for, or why they cannot be read."""
    if not args.local_notes:
        return None, ""
    from db.notes.notebook import NotesError, NotesStore, therapy_notes

    try:
        notes = NotesStore()
        try:
            return therapy_notes(notes, keys), ""
        finally:
            notes.close()
    except NotesError as exc:
        print(f"warning: local notes not included: {exc}", file=sys.stderr)
        return None, str(exc)


def _keys(store: Any, therapies: list[str]) -> list[str]:
    from db.compare.summaries import resolve_therapy

    return [resolve_therapy(store, t).key for t in therapies]


def _warn_unprintable() -> None:
    from handout.fonts import unprintable

    chars = unprintable()
    if chars:
        print(f"warning: {len(chars)} character(s) the embedded fonts cannot print are shown as \ufffd: "
              + "; ".join(chars[:10]), file=sys.stderr)


def cmd_handout(args: argparse.Namespace) -> int:
    from db.compare.summaries import UnknownName, build_comparison
    from tumorboard import dataset

    if (problem := therapy_count_error(len(args.therapy))) is not None:
        return _error("handout", f"{problem}: repeat --therapy, e.g. --therapy everolimus --therapy sunitinib", 2)
    if (problem := _typed_text_error(args)) is not None:
        return _error("handout", problem, 2)
    store = dataset.open_dataset()
    try:
        local, problem = _local(args, _keys(store, args.therapy))
        comparison = build_comparison(store, args.disease, args.therapy, args.row, local=local,
                                      local_problem=problem)
    except UnknownName as exc:
        return _error("handout", str(exc), 2)
    if (problem := therapy_count_error(len(comparison.columns))) is not None:
        return _error("handout", f"{problem} once the same regimen named twice is counted once", 2)
    _warn_identifiers(args.meeting or "")
    from handout.document import HandoutError, write_handout

    try:
        path = write_handout(store, comparison, args.output, paper=args.paper, meeting=args.meeting or "",
                             notes=args.notes)
    except HandoutError as exc:
        return _error("handout", str(exc), 1)
    _warn_unprintable()
    print(f"wrote {path}: {comparison.disease_name}; {', '.join(comparison.labels)}", file=sys.stderr)
    return 0


def _from_case(store: Any, case: Any) -> tuple[list[str], list[str]]:
    """A case given in the form of `tumorboard options`: the therapies its packet compares (the first options
    that fit, never one already received) and the lines printed under its heading: the case, the order's
    line, and every option left out, so the reader sees what was not compared."""
    from db.case import FIT_ORDER, MIN_PACKET, case_options, packet_choice, resolve_case

    resolved = resolve_case(store, case.disease, **case.inputs.keywords())
    options = case_options(store, resolved)
    chosen = packet_choice(options)
    if len(chosen) < MIN_PACKET:
        raise ValueError(f"{len(chosen)} option(s) fit the case ({resolved.description}); a comparison needs "
                         f"{MIN_PACKET}: give its therapies instead")
    keys = {o.therapy for o in chosen}
    lines = [f"Case: {resolved.description}", options.order_line]
    for fit in FIT_ORDER:
        left = [o.label + (" (already received)" if o.already_received else "")
                for o in options.group(fit).options if o.therapy not in keys]
        if left:
            lines.append(f"Not compared here — {options.group(fit).title.lower()}: {', '.join(left)}")
    return [o.therapy for o in chosen], lines


def cmd_packet(args: argparse.Namespace) -> int:
    from db.compare.summaries import UnknownName, build_comparison
    from tumorboard import dataset

    if (problem := _typed_text_error(args)) is not None:
        return _error("packet", problem, 2)
    try:
        case_file = read_case_file(args.cases)
    except CaseFileError as exc:
        return _error("packet", str(exc), 2)
    meeting = args.meeting if args.meeting is not None else case_file.meeting
    store = dataset.open_dataset()
    cases = []
    context: list[list[str]] = []
    for n, case in enumerate(case_file.cases, 1):
        try:
            therapies, lines = (list(case.therapies), []) if case.inputs is None else _from_case(store, case)
            local, problem = _local(args, _keys(store, therapies))
            cases.append((case.label, build_comparison(store, case.disease, therapies, case.rows, local=local,
                                                       local_problem=problem)))
            context.append(lines)
        except UnknownName as exc:
            return _error("packet", f"case {n} ({case.label}): {exc}", 2)
        except ValueError as exc:  # a case value the program cannot use, or too few options to compare
            return _error("packet", f"case {n} ({case.label}): {exc}", 2)
    _warn_identifiers(meeting, *(c.label for c in case_file.cases))
    from handout.document import HandoutError, write_packet

    try:
        path = write_packet(store, cases, args.output, paper=args.paper, meeting=meeting, context=context)
    except HandoutError as exc:
        return _error("packet", str(exc), 1)
    _warn_unprintable()
    print(f"wrote {path}: {len(cases)} case{'s' if len(cases) != 1 else ''}", file=sys.stderr)
    return 0
