"""Which dataset this user's installation shows, and what it showed before (per-user, JSON).

    <data folder>/releases/state.json               the state below, written atomically
    <data folder>/releases/installed/<version>-<id>/ an installed release: release.tbrelease (the signed
                                                     file, kept to re-check and roll back) and seeds/
    <data folder>/releases/previous.sqlite3          the dataset database as it was before the last update
                                                     (the "what changed" view compares it with the current)

The dataset database itself stays `<data folder>/dataset.sqlite3`, built from the *origin's*
seeds: the installed release's seeds/ or the bundled seeds. Its `seeds_hash` is the origin's,
so db/building/build.py `database_state(dataset, origin_seeds(home))` is 'ok' after an install and start-up
never rebuilds it from the bundled seeds. The state is the truth; the database is derived
from it, so an install interrupted at any point leaves a dataset that start-up rebuilds from
the state's origin.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from db.paths import bundled_seeds, releases_home

STATE_NAME = "state.json"
PREVIOUS_DB = "previous.sqlite3"
INSTALLED = "installed"
RELEASE_FILE = "release.tbrelease"
KEEP_HISTORY = 3


@dataclass(frozen=True)
class Origin:
    """Where the shown dataset comes from: kind 'release' (an installed release) or 'bundled'."""

    kind: str
    version: str
    folder: str = ""  # a release's folder under installed/
    seeds_hash: str = ""  # a release's seeds hash, from its signed manifest
    released: str = ""

    def describe(self) -> str:
        return f"release {self.version}" if self.kind == "release" else f"the bundled dataset {self.version}"


@dataclass
class State:
    current: Origin
    history: list[Origin] = field(default_factory=list)  # what was shown before, most recent last
    pinned: bool = False  # `release rollback` pinned it: the folder's releases wait for `release unpin`
    withdrawn: dict[str, str] = field(default_factory=dict)  # every version a trusted list withdrew
    withdrawn_sequence: int = 0  # the highest withdrawal-list sequence seen
    update: dict[str, Any] | None = None  # the last change: from, to, how, at, announced

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        return cls(current=Origin(**data["current"]), history=[Origin(**o) for o in data.get("history", [])],
                   pinned=bool(data.get("pinned", False)),
                   withdrawn={str(k): str(v) for k, v in dict(data.get("withdrawn", {})).items()},
                   withdrawn_sequence=int(data.get("withdrawn_sequence", 0)),
                   update=data.get("update"))


def state_path(home: Path | None = None) -> Path:
    return releases_home(home) / STATE_NAME


def previous_database(home: Path | None = None) -> Path:
    """The dataset database as it was before the last update (it may not exist)."""
    return releases_home(home) / PREVIOUS_DB


def installed_folder(origin: Origin, home: Path | None = None) -> Path:
    return releases_home(home) / INSTALLED / origin.folder


def bundled_version(seeds: Path | None = None) -> str:
    """The bundled dataset's version from dataset.yaml, read without a YAML parser (start-up
    does not import one); '0' when it cannot be read."""
    try:
        text = ((seeds or bundled_seeds()) / "dataset.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return "0"
    found = re.search(r"""^version:\s*["']?([^"'\s#]+)""", text, re.MULTILINE)
    return found.group(1) if found else "0"


def load(home: Path | None = None, bundled: Path | None = None) -> tuple[State, str]:
    """The state (the bundled dataset when there is none) and a problem in words when the file was
    unreadable (then the bundled dataset is assumed)."""
    fresh = State(Origin("bundled", bundled_version(bundled)))
    try:
        text = state_path(home).read_text(encoding="utf-8")
    except FileNotFoundError:
        return fresh, ""
    except (OSError, UnicodeError) as exc:
        return fresh, f"the release state {state_path(home)} cannot be read ({exc}); showing the bundled dataset"
    try:
        state = State.from_json(text)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        return fresh, f"the release state {state_path(home)} is damaged ({exc}); showing the bundled dataset"
    if state.current.kind == "bundled":  # the program may have been updated with newer bundled seeds
        state.current = Origin("bundled", bundled_version(bundled))
    return state, ""


def save(state: State, home: Path | None = None) -> None:
    from db.atomic import atomic_text_file

    path = state_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text_file(path) as out:
        out.write(state.to_json())


def remember_withdrawn(versions: dict[str, str], sequence: int, home: Path | None = None,
                       bundled: Path | None = None, source: str = "the withdrawal list") -> tuple[dict[str, str], str]:
    """Add a trusted withdrawal list to the state (the union of every list seen) and return every
    version ever withdrawn, with a warning when the list is older than one already seen (it is
    then ignored). Written whether or not anything is installed: deleting or replacing the list
    cannot undo a withdrawal. A state that cannot be read or written keeps what it holds."""
    state, problem = load(home, bundled)
    if sequence < state.withdrawn_sequence:
        return dict(state.withdrawn), (f"{source} is older (sequence {sequence}) than one this "
                                       f"installation has seen (sequence {state.withdrawn_sequence}); it is ignored")
    union = {**versions, **state.withdrawn}
    if problem or (union == state.withdrawn and sequence == state.withdrawn_sequence):
        return union, ""
    state.withdrawn, state.withdrawn_sequence = union, sequence
    try:
        save(state, home)
    except OSError as exc:
        return union, f"the withdrawn versions could not be recorded in {state_path(home)} ({exc})"
    return union, ""


def origin_seeds(home: Path | None = None, bundled: Path | None = None) -> Path:
    """The seeds the dataset database is built from: the installed release's, or the bundled ones.
    Whoever checks or rebuilds the per-user dataset (start-up, the self-test) must use these."""
    state, _ = load(home, bundled)
    if state.current.kind == "release":
        return installed_folder(state.current, home) / "seeds"
    return bundled or bundled_seeds()
