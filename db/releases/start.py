"""At start, before the dataset is opened (off the GUI thread): install the newest release of the
releases folder that verifies, is not withdrawn and whose schema this program reads; and say
what changed since the last start.

Older or equal versions are ignored. A refused file (bad signature, unknown key, damaged or
truncated, a newer program's schema) is named with its reason in a warning and the current
dataset stays. A pinned dataset (`release rollback`) stays until `release unpin`, unless its
release was withdrawn. When the program brings bundled seeds newer than the installed release,
the bundled dataset takes over (the newest wins either way).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db.paths import ConfigError, ReleaseSettings, release_settings
from db.releases.format import SUFFIX, ReleaseRefused, claimed_version, newer, version_key
from db.releases.state import Origin, bundled_version, installed_folder, load, origin_seeds, previous_database, save

if TYPE_CHECKING:
    from db.releases.diff import Diff
    from db.releases.trust import Trust

MAX_FOLDER_FILES = 200
FROM_FOLDER = "from the releases folder"


@dataclass
class Prepared:
    seeds: Path  # what the dataset database must be built from
    origin: Origin
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DatasetUpdate:
    """A change of dataset since the last start, for the window's banner and "what changed" view."""

    old_version: str
    new_version: str
    how: str
    previous_db: Path | None  # the dataset before the change (releases/previous.sqlite3), if kept
    diff: Diff | None
    message: str
    orphaned_notes: tuple[tuple[str, str], ...] = ()


def settings_or_warning(warnings: list[str]) -> ReleaseSettings:
    try:
        return release_settings()
    except ConfigError as exc:
        warnings.append(f"{exc}; the releases folder is not checked.")
        return ReleaseSettings(None, None, "")


def _installed_ok(home: Path, origin: Origin) -> bool:
    from db.building.build import SeedsInvalid, seeds_hash

    seeds = installed_folder(origin, home) / "seeds"
    try:
        return seeds.is_dir() and seeds_hash(seeds) == origin.seeds_hash
    except (SeedsInvalid, OSError):
        return False


def folder_releases(folder: Path, warnings: list[str]) -> list[tuple[str, Path]]:
    """(claimed version, file) of each release file in the folder; a file that cannot be read, or is
    not a regular file of a sane size (a FIFO, a device, a link to one), is named in `warnings`.
    A missing folder (a share that is offline) is no release."""
    import zipfile

    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith("."))
    except PermissionError as exc:
        warnings.append(f"Releases not read: cannot read the releases folder {folder}: "
                        f"{exc.strerror or exc}. The current dataset stays.")
        return []
    except OSError:
        return []
    files = [folder / name for name in names[:MAX_FOLDER_FILES]]
    out = []
    for path in files:
        try:
            out.append((claimed_version(path), path))
        except ReleaseRefused as exc:
            warnings.append(f"Release not installed: {exc}. The current dataset stays.")
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            warnings.append(f"Release not installed: {path}: damaged or truncated (not a complete release file: "
                            f"{exc}). The current dataset stays.")
    return out


def prepare(home: Path, dataset: Path, bundled: Path) -> Prepared:
    """Make the state's dataset the newest acceptable one; return the seeds to build it from."""
    warnings: list[str] = []
    settings = settings_or_warning(warnings)
    state, problem = load(home, bundled)
    if settings.folder is None and state.current.kind == "bundled" and not state.pinned and not problem:
        return Prepared(bundled, state.current, warnings)  # no releases here: nothing to check or import
    from db.releases.lock import LockTimeout, install_lock

    try:
        with install_lock(home):  # a second start at once waits, then finds the release installed
            return _prepare_locked(home, dataset, bundled, settings, warnings)
    except LockTimeout as exc:
        warnings.append(f"The releases were not checked: {exc}; the current dataset is shown.")
        return Prepared(origin_seeds(home, bundled), load(home, bundled)[0].current, warnings)


def _prepare_locked(home: Path, dataset: Path, bundled: Path, settings: ReleaseSettings,
                    warnings: list[str]) -> Prepared:
    from db.building.build import SeedsInvalid
    from db.releases.install import InstallError, install_file, use_bundled
    from db.releases.trust import Trust, load_trust

    state, problem = load(home, bundled)  # read under the lock: what another start installed counts
    if problem:
        warnings.append(problem[0].upper() + problem[1:] + ".")
    current = state.current
    if current.kind == "release" and not _installed_ok(home, current):
        warnings.append(f"The installed {current.describe()} has missing or damaged files in "
                        f"{installed_folder(current, home)}; the bundled dataset is shown instead.")
        try:
            current = use_bundled(home=home, dataset=dataset, bundled=bundled, how="the installed release was "
                                  "damaged", history=state.history).new
        except (InstallError, SeedsInvalid) as exc:
            warnings.append(str(exc))
        state, _ = load(home, bundled)
    trust = load_trust(settings) if settings.folder is not None else Trust(None, [])
    warnings += [p[0].upper() + p[1:] + "." for p in trust.problems]
    withdrawn = {**state.withdrawn, **trust.withdrawn}
    leave = current.kind == "release" and current.version in withdrawn
    if state.pinned and not leave:
        warnings.append(f"The dataset is pinned to {current.describe()} (`tumorboard release rollback`); newer "
                        "releases are installed only after `tumorboard release unpin`.")
        return Prepared(origin_seeds(home, bundled), current, warnings)
    candidates: list[tuple[str, Path | None]] = []
    if settings.folder is not None and trust.list_ok:
        candidates += folder_releases(settings.folder, warnings)
    if current.kind == "release":
        candidates.append((bundled_version(bundled), None))
    candidates.sort(key=lambda c: version_key(c[0]), reverse=True)
    for version, path in candidates:
        if version in withdrawn or not (leave or newer(version, current.version)):
            continue
        how = f"release {current.version} was withdrawn: {withdrawn[current.version]}" if leave else FROM_FOLDER
        try:
            if path is None:
                use_bundled(home=home, dataset=dataset, bundled=bundled,
                            how=how if leave else "bundled with this program", pin=False)
            else:
                install_file(path, trust, home=home, dataset=dataset, bundled=bundled, how=how, withdrawn=withdrawn)
            break
        except ReleaseRefused as exc:
            warnings.append(f"Release not installed: {exc}. The current dataset stays.")
        except (InstallError, SeedsInvalid) as exc:
            warnings.append(f"Release not installed: {exc}")
            break
    return Prepared(origin_seeds(home, bundled), load(home, bundled)[0].current, warnings)


def announce(home: Path, dataset: Path, bundled: Path, notes_db: Path | None = None) -> DatasetUpdate | None:
    """The change since the last start not yet announced (then marked announced), with its diff."""
    from db.releases.diff import diff
    from db.releases.notes import orphaned_note_ids

    state, problem = load(home, bundled)
    update = state.update
    if problem or not update or update.get("announced"):
        return None
    previous = previous_database(home)
    changes = None
    if previous.is_file():
        try:
            changes = diff(previous, dataset)
        except (sqlite3.Error, OSError, KeyError):
            changes = None
    old, new, how = str(update.get("from", "?")), str(update.get("to", "?")), str(update.get("how", ""))
    verb = "updated" if newer(new, old) else "changed"
    message = f"Dataset {verb} {old} → {new}" + ("" if how == FROM_FOLDER else f" ({how})")
    message += f": {changes.summary()}." if changes is not None else "."
    if notes_db is None:
        from db.notes.notebook import notes_path

        notes_db = notes_path(home)
    orphans = tuple(orphaned_note_ids(dataset, notes_db))
    if orphans:
        names = ", ".join(i for _k, i in orphans[:5]) + (", …" if len(orphans) > 5 else "")
        message += (f" {len(orphans)} of your notes {'is' if len(orphans) == 1 else 'are'} for studies or therapies "
                    f"no longer in the dataset ({names}); they are kept.")
    update["announced"] = True
    with contextlib.suppress(OSError):  # else announced again next time: better than not at all
        save(state, home)
    return DatasetUpdate(old, new, how, previous if previous.is_file() else None, changes, message, orphans)


def pending(home: Path | None = None, bundled: Path | None = None) -> str | None:
    """What a window that is open may say while a newer release waits in the folder: it is installed
    at the next start, never under the open window. None when there is none (or it is pinned)."""
    from db.paths import bundled_seeds, data_home
    from db.releases.trust import load_trust
    from db.releases.verify import verify

    home, bundled = home or data_home(), bundled or bundled_seeds()
    state, _ = load(home, bundled)
    settings = settings_or_warning([])
    if state.pinned or settings.folder is None:
        return None
    trust = load_trust(settings)
    withdrawn = {**state.withdrawn, **trust.withdrawn}
    for version, path in sorted(folder_releases(settings.folder, []), key=lambda c: version_key(c[0]), reverse=True):
        if not newer(version, state.current.version):
            break
        if version in withdrawn or not trust.list_ok:
            continue
        try:
            verify(path, trust.keys, withdrawn)
        except ReleaseRefused:
            continue
        return f"Dataset release {version} is in the releases folder; it is installed at the next start."
    return None


def trust_for(settings: ReleaseSettings) -> Trust:
    from db.releases.trust import Trust, load_trust

    return load_trust(settings) if settings.folder is not None or settings.keys is not None else Trust(None, [])
