"""Drafts: a note's text that could not be saved, kept in a file until it is.

When a save fails (the notes database locked or read-only, a note over the length limit)
and the user moves to another study or closes the window, the editor's text goes to a
draft beside the notes database; the next time that note is opened, the draft is offered
back and saved. A draft is one small JSON file per note, written atomically.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from db.atomic import atomic_text_file

FOLDER = "notes-drafts"


@dataclass(frozen=True)
class Draft:
    entity_kind: str
    entity_id: str
    text: str
    availability: str
    revision: int  # the stored revision the text was written against
    kept_at: str
    reason: str


def drafts_folder(notes_db: Path) -> Path:
    return notes_db.with_name(FOLDER)


def _file(folder: Path, kind: str, ident: str) -> Path:
    import hashlib  # writing a draft is rare: not an import at every start

    digest = hashlib.sha256(f"{kind}\0{ident}".encode()).hexdigest()[:20]
    return folder / f"{kind}-{digest}.json"


def write_draft(folder: Path, kind: str, ident: str, text: str, availability: str, revision: int,
                reason: str) -> Draft:
    """Keep the text; raises OSError when even that is impossible (a full disk)."""
    draft = Draft(kind, ident, text, availability, revision, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  reason)
    folder.mkdir(parents=True, exist_ok=True)
    import json  # drafts are rare: not an import at start-up

    with atomic_text_file(_file(folder, kind, ident)) as out:
        json.dump(asdict(draft), out, ensure_ascii=False)
    return draft


def read_draft(folder: Path, kind: str, ident: str) -> Draft | None:
    import json

    path = _file(folder, kind, ident)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        draft = Draft(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return None  # an unreadable draft stays on disk for the user; it is listed by all_drafts()
    return draft if (draft.entity_kind, draft.entity_id) == (kind, ident) else None


def remove_draft(folder: Path, kind: str, ident: str) -> None:
    _file(folder, kind, ident).unlink(missing_ok=True)


def all_drafts(folder: Path) -> list[Draft]:
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        return []  # the usual start: nothing to read, and no json import
    import json

    found = []
    for path in paths:
        try:
            found.append(Draft(**json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            continue
    return found
