"""`tumorboard notes export|import FILE.json`: move a user's notes between workstations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    notes = sub.add_parser(
        "notes", help="export or import the user's local notes",
        description="Export the local notes and availability flags (kept per user, apart from the dataset) to a "
        "JSON file, or import such a file: an imported note replaces a local one only if it is newer.")
    notes.add_argument("action", choices=("export", "import"), help="export or import")
    notes.add_argument("file", type=Path, metavar="FILE.json", help="the notes file to write or read")


def cmd_notes(args: argparse.Namespace) -> int:
    from db.atomic import atomic_text_file
    from db.notes import NotesError, NotesStore

    try:
        store = NotesStore()
        if store.moved_aside:
            print(f"the notes database was damaged; it was moved to {store.moved_aside}", file=sys.stderr)
        if args.action == "export":
            with atomic_text_file(args.file) as out:
                count = store.export_to(out)
            print(f"exported {count} note(s) to {args.file}")
            return 0
        try:
            data = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"tumorboard notes: cannot read {args.file}: {exc}", file=sys.stderr)
            return 1
        except json.JSONDecodeError as exc:
            print(f"tumorboard notes: {args.file} is not JSON (line {exc.lineno}): {exc.msg}", file=sys.stderr)
            return 1
        counts = store.import_from(data)
        print(f"imported from {args.file}: {counts['added']} added, {counts['updated']} updated, "
              f"{counts['kept']} kept (the local note was newer or the same)")
        return 0
    except NotesError as exc:
        print(f"tumorboard notes: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tumorboard notes: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
