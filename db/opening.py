"""Opening the dataset: build it when it is missing, damaged or out of date, install the newest release
first, and fall back to what can be shown when the data folder cannot be written.

May import: db.releases, db.building, db.store, db.dataset, the foundations.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.store import Store


def open_store(path: Path | None = None, seeds: Path | None = None) -> Store:
    """Open the dataset, building it first if it is missing, damaged or out of date.

    The per-user dataset (no `path`, no `seeds`) first takes the newest release of the releases
    folder (db/releases/start.py): installed here, before the database is opened, never under an
    open window. What changed is in `warnings` and `update`."""
    from db.atomic import NotARegularFile, resolve_target
    from db.building.build import SeedsInvalid, ensure_database
    from db.paths import (
        DataFolderError,
        bundled_seeds,
        dataset_file_error,
        dataset_path,
        releases_in_use,
        writable_home,
    )

    try:
        home = None if path is not None else writable_home()
    except DataFolderError as exc:
        shown = _read_only_dataset(exc)
        if shown is None:
            raise
        return shown
    target = path or dataset_path(home)
    try:
        resolve_target(target)
    except NotARegularFile as exc:  # a folder or a device where the database belongs: say what to do
        raise dataset_file_error(target, exc.what) from exc
    warnings: list[str] = []
    origin = "the bundled seeds"
    if home is not None and seeds is None and releases_in_use(home):
        from db.releases.start import prepare

        try:
            prepared = prepare(home, target, bundled_seeds())
        except Exception as exc:  # a release problem never keeps the program from showing its dataset
            from db.releases.state import origin_seeds

            warnings.append(f"The releases could not be checked ({exc}); the current dataset is shown.")
            seeds = origin_seeds(home)
        else:
            warnings += prepared.warnings
            seeds = prepared.seeds
            if prepared.origin.kind == "release":
                origin = f"the seeds of release {prepared.origin.version}"
    try:
        state, _ = ensure_database(target, seeds or bundled_seeds())
    except SeedsInvalid as exc:
        from db.building.build import database_state

        if database_state(target, None) != "ok":
            raise
        first = exc.errors[0]
        return Store(target, [*warnings, f"The seed files have {len(exc.errors)} error(s) (first: {first}); "
                                         "showing the last good build of the dataset."])
    if state == "damaged":
        warnings.append(f"The dataset database was damaged; it has been rebuilt from {origin}.")
    store = Store(target, warnings)
    if home is not None and releases_in_use(home):
        from db.releases.start import announce

        store.update = announce(home, target, bundled_seeds())
        if store.update is not None:
            store.warnings.insert(0, store.update.message)
    return store


def _read_only_dataset(problem: OSError) -> Store | None:
    """The dataset already in a data folder that cannot be written, shown as it is (no build, no
    release installed) with a warning saying so; None when there is no readable dataset there."""
    from db.paths import data_home, dataset_path

    folder, target = data_home(), dataset_path()
    try:
        if not target.is_file() or target.stat().st_size == 0:
            return None
        seen = Store(target, immutable=True)
        try:
            if not seen.intact():
                return None
        finally:
            seen.close()
    except (OSError, sqlite3.Error):
        return None
    cause = problem.__cause__
    why = getattr(cause, "strerror", None) or str(cause or problem)
    return Store(target, [f"The data folder {folder} cannot be written ({why}): the dataset is shown as it is, "
                          "no release is installed and notes are read-only. Set TUMORBOARD_HOME to a writable "
                          "folder to change that."], immutable=True)
