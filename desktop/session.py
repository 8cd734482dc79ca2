"""What the window works on, the dataset and the user's notes, and opening it from the process's first moments.

No Qt here: `open_early` runs `load_session` on a thread of its own before PySide6 is imported (tumorboard/cli.py
`window_imports`), so the dataset is usually open by the time the window is built, instead of the window waiting
for it (about 10 ms of a start, the worker and the window's construction sharing the interpreter lock).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from db.notes.drafts import all_drafts, drafts_folder
from db.notes.notebook import NotesError, NotesStore
from db.opening import open_store
from db.store import Store

GUI_NOTES_TIMEOUT_MS = 250  # a locked notes database is a short wait and a retry, never a frozen window


@dataclass
class Session:
    """What the tabs work on: the dataset, the user's notes, and messages for the user."""

    store: Store
    notes: NotesStore | None = None
    warnings: list[str] = field(default_factory=list)


def load_session(path: Path | None = None) -> Session:
    """Open (building or repairing if needed) the dataset, and the user's notes: slow on first start.

    The published data opens whatever state the notes are in: notes that cannot be opened
    are left out with a message, never a reason to refuse the window."""
    store = open_store(path)
    warnings = list(store.warnings)
    notes: NotesStore | None = None
    try:
        notes = NotesStore(timeout_ms=GUI_NOTES_TIMEOUT_MS)
    except NotesError as exc:
        warnings.append(f"Your local notes are not available: {exc}. The published data is shown; restart to "
                        "see the notes.")
    if notes is not None:
        if notes.moved_aside is not None:
            warnings.append(f"Your notes database was damaged. It was kept as {notes.moved_aside} and a new, "
                            "empty notes database was started; nothing was deleted.")
        if notes.wal_moved_aside is not None:
            warnings.append(f"The notes database's journal was damaged ({notes.wal_problem}): changes saved in it "
                            f"could not be read. It was kept as {notes.wal_moved_aside}; nothing was deleted.")
        if notes.problem:
            warnings.append(f"Local notes: {notes.problem}")
        damaged = notes.damaged() if not notes.read_only else []
        if damaged:
            names = ", ".join(f"{n.entity_kind} {n.entity_id}" for n in damaged[:5])
            warnings.append(f"{len(damaged)} local note(s) hold damaged text ({names}); they are shown read-only "
                            "and kept as stored.")
        drafts = all_drafts(drafts_folder(notes.path))
        if drafts:
            names = ", ".join(f"{d.entity_kind} {d.entity_id}" for d in drafts[:5])
            warnings.append(f"{len(drafts)} note(s) could not be saved last time ({names}); the text was kept and "
                            "is offered back when you open each one.")
    _read_ahead(store)
    return Session(store, notes, warnings)


def _read_ahead(store: Store) -> None:
    """What the window's first paint reads besides, read here rather than on the GUI thread: the Trials tab's
    filters and sort orders, with the disease tree (a few ms, most of it the first reads of their tables)."""
    with suppress(sqlite3.Error):  # said where the Trials tab reads it, as before
        store.trials  # noqa: B018  # a cached property: read once, kept by the store


class Opening:
    """`load_session(path)` on a daemon thread of its own (as the window's worker, it does not hold the process
    open), started at once; `wait()` its session, or raises what it raised."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._unwanted = False
        self._session: Session | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="tumorboard-open", daemon=True).start()

    def _run(self) -> None:
        try:
            session = load_session(self.path)
        except BaseException as exc:  # handed to whoever waits: the window says it, as for its worker's errors
            self._error = exc
        else:
            with self._lock:
                self._session = session
                if self._unwanted:
                    _close(session)
        finally:
            self._done.set()

    def wait(self) -> Session:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._session is not None
        return self._session

    def discard(self) -> None:
        """Not wanted after all: its databases are closed, now or once they are open."""
        with self._lock:
            self._unwanted = True
            if self._session is not None:
                _close(self._session)


def _close(session: Session) -> None:
    session.store.close()
    if session.notes is not None:
        session.notes.close()


_early: Opening | None = None


def open_early() -> None:
    """Start opening the per-user session now, for the window that this process is about to show (`take_early`)."""
    global _early
    if _early is None:
        _early = Opening()


def take_early(path: Path | None) -> Opening | None:
    """The session `open_early` started, once, if it is of `path`; None otherwise (none was started, or a window of
    another dataset: the caller opens its own, and the early one is closed)."""
    global _early
    early, _early = _early, None
    if early is not None and early.path != path:
        early.discard()
        return None
    return early
