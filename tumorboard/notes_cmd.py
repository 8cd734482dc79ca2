"""`tumorboard notes export|import FILE.json`: move a user's notes between workstations."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    notes = sub.add_parser(
        "notes", help="export or import the user's local notes",
        description="Export the local notes and availability flags (kept per user, apart from the dataset) to a "
        "JSON file, or import such a file: an imported note replaces a local one only if it is newer.")
    notes.add_argument("action", choices=("export", "import"), help="export or import")
    notes.add_argument("file", type=Path, metavar="FILE.json", help="the notes file to write or read")


def _known_ids() -> Callable[[str, str], bool] | None:
    """Which study ids and therapy keys the dataset holds (None when the dataset cannot be opened)."""
    try:
        from db.opening import open_store

        store = open_store()
    except Exception:  # the notes must move even when the dataset cannot be read
        return None
    try:
        ids = store.note_targets()
    finally:
        store.close()
    return lambda kind, ident: ident in ids.get(kind, set())


def cmd_notes(args: argparse.Namespace) -> int:
    from db.atomic import atomic_text_file
    from db.errors import describe
    from db.notes.notebook import NotesError, NotesStore, explain, load_export, read_export_text

    try:
        store = NotesStore()
        for kept, what in ((store.moved_aside, "the notes database was damaged"),
                           (store.wal_moved_aside, f"the notes journal was damaged ({store.wal_problem})")):
            if kept:
                print(f"{what}; it was kept as {kept}", file=sys.stderr)
        if store.problem:
            print(f"tumorboard notes: {store.problem}", file=sys.stderr)
        if args.action == "export":
            with atomic_text_file(args.file) as out:
                count = store.export_to(out)
            print(f"exported {count} note(s) to {args.file}")
            for n in store.damaged():
                print(f"warning: the stored text of the {n.entity_kind} {n.entity_id} note is not valid UTF-8; "
                      "exported with replacement marks and its bytes in 'damaged_text_hex'", file=sys.stderr)
            return 0
        try:
            data = load_export(read_export_text(args.file))
        except (OSError, UnicodeError) as exc:
            print(f"tumorboard notes: cannot read {args.file}: {exc}", file=sys.stderr)
            return 1
        except json.JSONDecodeError as exc:
            print(f"tumorboard notes: {args.file} is not JSON (line {exc.lineno}): {exc.msg}", file=sys.stderr)
            return 1
        counts = store.import_from(data, _known_ids())
        print(f"imported from {args.file}: {counts['added']} added, {counts['updated']} updated, "
              f"{counts['kept']} kept (the local note was newer or the same)")
        if counts["unknown"]:
            print(f"{len(counts['unknown'])} note(s) are for ids this dataset does not hold (kept): "
                  + ", ".join(counts["unknown"][:20]), file=sys.stderr)
        return 0
    except NotesError as exc:
        print(f"tumorboard notes: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"tumorboard notes: {explain(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tumorboard notes: {describe(exc, str(args.file))}", file=sys.stderr)
        return 1
