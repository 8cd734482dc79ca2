"""Where things live: the bundled seeds, and the per-user data folder.

The per-user folder is TUMORBOARD_HOME when set (tests and administrators use it),
otherwise the platform's application-data folder. The install folder may be
read-only, so nothing is ever written next to the code.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "TumorBoardReference"


def bundled_seeds() -> Path:
    """seeds/ beside the db package: the source tree, an installed wheel, or a bundle."""
    return Path(__file__).resolve().parent.parent / "seeds"


def bundled_resources() -> Path:
    return Path(__file__).resolve().parent.parent / "resources"


def data_home() -> Path:
    override = os.environ.get("TUMORBOARD_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class DataFolderError(OSError):
    """The per-user data folder cannot be created or written: a message, not a traceback."""


def writable_home(home: Path | None = None) -> Path:
    folder = home or data_home()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataFolderError(
            f"cannot use the data folder {folder}: {exc.strerror or exc}. "
            "Set TUMORBOARD_HOME to a writable folder (or ask your administrator).") from exc
    return folder


def dataset_path(home: Path | None = None) -> Path:
    return (home or data_home()) / "dataset.sqlite3"


class DatasetFileError(DataFolderError):
    """The dataset database's path holds something that is not a file (a folder, a device)."""


def dataset_file_error(path: Path, what: str) -> DatasetFileError:
    """What to tell the user when `path` holds `what` ("a folder") instead of the database file."""
    return DatasetFileError(
        f"the dataset database {path} is {what}, not a file. Move or delete it: the "
        "program rebuilds the database there from the bundled seeds at the next start (nothing of yours is "
        "in it; notes live in notes.sqlite3). Or set TUMORBOARD_HOME to another folder.")
