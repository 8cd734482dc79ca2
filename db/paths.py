"""Where things live: the bundled seeds, the per-user data folder, and the releases folder.

The per-user folder is TUMORBOARD_HOME when set (tests and administrators use it),
otherwise the platform's application-data folder. The install folder may be
read-only, so nothing is ever written next to the code.

The releases folder (docs/releases.md) is what IT configures: TUMORBOARD_RELEASES when
set, else `folder =` in the `[releases]` section of `tumorboard.ini` beside the
installation (TUMORBOARD_CONFIG names another file). Without either, the program shows
the bundled dataset or what `tumorboard release install` installed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import configparser

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


# -- the releases folder that IT configures ---------------------------------------------------

CONFIG_ENV = "TUMORBOARD_CONFIG"
RELEASES_ENV = "TUMORBOARD_RELEASES"
KEYS_ENV = "TUMORBOARD_RELEASE_KEYS"
CONFIG_NAME = "tumorboard.ini"


def install_folder() -> Path:
    """The folder IT installs: beside the program in the one-folder bundle, else the folder that
    holds the `db` package (a source checkout or site-packages)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def config_file() -> Path:
    """`tumorboard.ini` beside the installation, or the file TUMORBOARD_CONFIG names."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else install_folder() / CONFIG_NAME


class ConfigError(ValueError):
    """The configuration file exists but cannot be read: a message naming the file."""


def read_config(path: Path | None = None) -> configparser.ConfigParser:
    """The configuration (empty when the file does not exist); ConfigError for a bad file."""
    import configparser

    path = path or config_file()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeError, configparser.Error) as exc:
        raise ConfigError(f"the configuration file {path} cannot be read: {exc}") from exc
    return parser


@dataclass(frozen=True)
class ReleaseSettings:
    """Where releases come from. `folder` None: none configured. `keys`: the folder of trusted
    public keys (`*.pub`), `folder/keys` unless set apart. `origin` says which setting named it."""

    folder: Path | None
    keys: Path | None
    origin: str


def release_settings() -> ReleaseSettings:
    """The releases folder and the trusted keys' folder: environment first, then the configuration
    file (a relative path there is relative to the file's folder). Raises ConfigError."""
    env_folder, env_keys = os.environ.get(RELEASES_ENV), os.environ.get(KEYS_ENV)
    path = config_file()
    config = read_config(path)
    section = config["releases"] if config.has_section("releases") else None

    def configured(value: str | None) -> Path | None:
        if not value or not value.strip():
            return None
        folder = Path(value.strip()).expanduser()
        return folder if folder.is_absolute() else path.parent / folder

    folder, origin = (Path(env_folder).expanduser(), RELEASES_ENV) if env_folder else (None, "")
    if folder is None and section is not None and (folder := configured(section.get("folder"))) is not None:
        origin = str(path)
    keys = Path(env_keys).expanduser() if env_keys else configured(section.get("keys") if section else None)
    if keys is None and folder is not None:
        keys = folder / "keys"
    return ReleaseSettings(folder, keys, origin)


def releases_in_use(home: Path) -> bool:
    """Whether start-up has releases to look at: a releases folder may be configured, or this user's
    data folder holds an installed release. A cheap test, so a plain installation imports nothing more."""
    return bool(os.environ.get(RELEASES_ENV)) or config_file().exists() or releases_home(home).exists()


def releases_home(home: Path | None = None) -> Path:
    """The per-user folder that holds the installed release, the previous one and their state."""
    return (home or data_home()) / "releases"
