"""Changing which dataset the user's installation shows: install a release, return to the
bundled dataset, roll back. Each change is atomic (db/releases/state.py says why): the new
dataset is prepared apart, the database file is replaced by a rename, and the state is written
last. Nothing here runs while a window has the dataset open: start-up calls it before the
dataset is opened, the command line when asked.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from db.paths import releases_home
from db.releases.format import DATABASE, MAX_RELEASE_BYTES, SUFFIX, ReleaseRefused, open_release
from db.releases.state import (
    INSTALLED,
    KEEP_HISTORY,
    PREVIOUS_DB,
    RELEASE_FILE,
    Origin,
    installed_folder,
    load,
    save,
)
from db.releases.trust import Trust

LEFTOVER_AGE = 3600.0


class InstallError(Exception):
    """A change that could not be made for a reason other than the release itself (the dataset
    is in use, the disk is full); nothing was changed."""


@dataclass(frozen=True)
class Change:
    old: Origin
    new: Origin
    how: str
    rebuilt: bool = False  # the database was rebuilt from the release's seeds (another schema or wording)
    pinned: bool = False


def _token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def _refuse(src: Path, exc: ReleaseRefused) -> ReleaseRefused:
    """The same refusal, naming the file the user gave rather than the private copy checked."""
    return ReleaseRefused(src, exc.reason)


def _copy_release(src: Path, copy: Path) -> None:
    """Copy a release file that is a regular file of a sane size, reading no more than that."""
    with open_release(src) as handle:
        try:
            with open(copy, "wb") as out:
                left = MAX_RELEASE_BYTES + 1
                while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
                    out.write(chunk)
                    left -= len(chunk)
        except OSError as exc:
            raise ReleaseRefused(src, f"cannot be read: {exc.strerror or exc}") from exc
    if left <= 0:
        raise ReleaseRefused(src, f"grew past {MAX_RELEASE_BYTES:,} bytes while it was read")


def install_file(src: Path, trust: Trust, *, home: Path, dataset: Path, bundled: Path, how: str,
                 pin: bool = False, history: list[Origin] | None = None, withdrawn: dict[str, str] | None = None,
                 ) -> Change:
    """Verify the release `src` against `trust` and make it the shown dataset. The file is copied
    first and the copy checked and unpacked, so a file changing on a share cannot slip through.
    ReleaseRefused (nothing changed) or InstallError. One install at a time (db/releases/lock.py)."""
    with _locked(home):
        return _install_file(src, trust, home=home, dataset=dataset, bundled=bundled, how=how, pin=pin,
                             history=history, withdrawn=withdrawn)


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    from db.releases.lock import LockTimeout, install_lock

    try:
        with install_lock(home):
            yield
    except LockTimeout as exc:
        raise InstallError(f"{exc}; try again when it is done") from exc


def _install_file(src: Path, trust: Trust, *, home: Path, dataset: Path, bundled: Path, how: str,
                  pin: bool, history: list[Origin] | None, withdrawn: dict[str, str] | None) -> Change:
    from db.building.build import SeedsInvalid, build, database_state, seeds_hash
    from db.releases.verify import extract, verify

    rel = releases_home(home)
    rel.mkdir(parents=True, exist_ok=True)
    token = _token()
    copy, staging, ready = rel / f".incoming-{token}{SUFFIX}", rel / f".staging-{token}", rel / f".next-{token}.db"
    barred = {**trust.withdrawn, **(withdrawn or {})}
    try:
        _copy_release(src, copy)
        try:
            verified = verify(copy, trust.keys, barred, parts=False)
            staging.mkdir()
            extract(verified, staging)
        except ReleaseRefused as exc:
            raise _refuse(src, exc) from exc
        manifest = verified.manifest
        seeds, db = staging / "seeds", staging / DATABASE
        try:
            if seeds_hash(seeds) != manifest.seeds_hash:
                raise ReleaseRefused(src, "its seeds do not match the seeds hash in its manifest")
            why = database_state(db, seeds)
            rebuilt = why in ("schema", "presentation")
            if rebuilt:  # another program's layout or wording: rebuild from the release's seeds
                build(seeds, db)
            elif why != "ok":
                raise ReleaseRefused(src, f"its database does not match its seeds ({why})")
        except SeedsInvalid as exc:
            raise ReleaseRefused(src, f"its seeds do not pass this program's checks ({len(exc.errors)} error(s), "
                                      f"first: {exc.errors[0]})") from exc
        copy.replace(staging / RELEASE_FILE)
        db.replace(ready)
        new = Origin("release", manifest.version, f"{manifest.version}-{manifest.seeds_hash[:12]}",
                     manifest.seeds_hash, manifest.released)
        _replace_folder(staging, installed_folder(new, home))
        old = _switch(ready, dataset, home)
        _record(home, bundled, old, new, how, pin, history, barred)
        return Change(old, new, how, rebuilt, pin)
    finally:
        copy.unlink(missing_ok=True)
        ready.unlink(missing_ok=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def use_bundled(*, home: Path, dataset: Path, bundled: Path, how: str, pin: bool = False,
                history: list[Origin] | None = None) -> Change:
    """Make the bundled dataset the shown one (built from the bundled seeds). SeedsInvalid or InstallError."""
    with _locked(home):
        return _use_bundled(home=home, dataset=dataset, bundled=bundled, how=how, pin=pin, history=history)


def _use_bundled(*, home: Path, dataset: Path, bundled: Path, how: str, pin: bool,
                 history: list[Origin] | None) -> Change:
    from db.building.build import build
    from db.releases.state import bundled_version

    rel = releases_home(home)
    rel.mkdir(parents=True, exist_ok=True)
    ready = rel / f".next-{_token()}.db"
    try:
        build(bundled, ready)
        new = Origin("bundled", bundled_version(bundled))
        old = _switch(ready, dataset, home)
        _record(home, bundled, old, new, how, pin, history, {})
        return Change(old, new, how, pinned=pin)
    finally:
        ready.unlink(missing_ok=True)


def _switch(ready: Path, dataset: Path, home: Path) -> Origin:
    """Replace the dataset database by `ready`, keeping the one it replaces as previous.sqlite3."""
    from db.building.build import database_state
    from db.releases.state import load as load_state

    rel = releases_home(home)
    old = load_state(home)[0].current
    previous, kept = rel / PREVIOUS_DB, rel / f".previous-{_token()}.db"
    try:
        if database_state(dataset, None) == "ok":
            shutil.copyfile(dataset, kept)
        try:
            ready.replace(dataset)
        except PermissionError as exc:  # Windows: a window holds it open
            raise InstallError(f"the dataset {dataset} is in use (close the Tumor Board Reference windows and "
                               "try again; a release in the releases folder is installed at the next start)") from exc
        if kept.exists():
            kept.replace(previous)
        else:
            previous.unlink(missing_ok=True)
    except OSError as exc:
        from db.errors import describe

        raise InstallError(describe(exc, f"replacing the dataset {dataset}")) from exc
    finally:
        kept.unlink(missing_ok=True)
    return old


def _replace_folder(staging: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        trash = final.with_name(f".trash-{_token()}")
        final.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    try:
        staging.rename(final)
    except OSError:
        if not final.exists():  # not a concurrent start that installed the same release first
            raise


def _record(home: Path, bundled: Path, old: Origin, new: Origin, how: str, pin: bool,
            history: list[Origin] | None, withdrawn: dict[str, str]) -> None:
    state, _ = load(home, bundled)
    if history is not None:
        state.history = list(history)
    elif old != new:
        state.history = [*state.history, old][-KEEP_HISTORY:]
    state.current, state.pinned = new, pin
    state.withdrawn = {**state.withdrawn, **withdrawn}
    state.update = {"from": old.version, "from_kind": old.kind, "to": new.version, "to_kind": new.kind, "how": how,
                    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "announced": False}
    save(state, home)
    prune(home)


def prune(home: Path) -> None:
    """Remove installed releases the state no longer names, and leftovers of killed installs."""
    state, problem = load(home)
    if problem:
        return
    keep = {o.folder for o in [state.current, *state.history] if o.kind == "release"}
    rel = releases_home(home)
    now = time.time()
    for folder in (rel, rel / INSTALLED):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            with contextlib.suppress(OSError):
                name = entry.name
                if name.startswith("."):
                    if name.split("-")[0] in (".incoming", ".staging", ".next", ".previous", ".trash") \
                            and now - entry.lstat().st_mtime > LEFTOVER_AGE:
                        _remove(entry)
                elif folder.name == INSTALLED and name not in keep:
                    _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class NothingToRollBack(Exception):
    pass


def rollback(trust: Trust, *, home: Path, dataset: Path, bundled: Path, to_bundled: bool = False) -> Change:
    """Return to the previous release (or the bundled dataset) and pin it. ReleaseRefused when the
    previous release no longer verifies (nothing changed; `to_bundled` goes to the bundled dataset)."""
    with _locked(home):
        return _rollback(trust, home=home, dataset=dataset, bundled=bundled, to_bundled=to_bundled)


def _rollback(trust: Trust, *, home: Path, dataset: Path, bundled: Path, to_bundled: bool) -> Change:
    state, _ = load(home, bundled)
    history = list(state.history)
    how = "rolled back with `tumorboard release rollback`"
    if to_bundled or not history:
        if state.current.kind == "bundled" and not history and not to_bundled:
            raise NothingToRollBack(f"nothing to roll back to: {state.current.describe()} is shown")
        return use_bundled(home=home, dataset=dataset, bundled=bundled, how=how, pin=True, history=[])
    target = history.pop()
    if target.kind == "bundled":
        return use_bundled(home=home, dataset=dataset, bundled=bundled, how=how, pin=True, history=history)
    return install_file(installed_folder(target, home) / RELEASE_FILE, trust, home=home, dataset=dataset,
                        bundled=bundled, how=how, pin=True, history=history, withdrawn=state.withdrawn)


def unpin(home: Path, bundled: Path) -> bool:
    """Let start-up install the folder's newest release again; False when nothing was pinned."""
    state, _ = load(home, bundled)
    if not state.pinned:
        return False
    state.pinned = False
    save(state, home)
    return True
