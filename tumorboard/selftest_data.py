"""The self-test's checks that need no window: the installed files, the user's data folder,
the dataset database (rebuilt when missing, damaged or outdated, as at start) and the notes
database (read only: a damaged one is reported, never moved or rewritten here)."""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Failure(Exception):
    """A step's clear, user-facing reason for failing."""


@dataclass
class Context:
    home: Path = Path()
    seeds: Path = Path()
    dataset_version: str = ""
    app: Any = None
    window: Any = None
    tasks: Any = None
    errors: list[BaseException] = field(default_factory=list)


def step_install(ctx: Context) -> str:
    from db.paths import bundled_resources, bundled_seeds
    from tumorboard import __version__

    ctx.seeds = bundled_seeds()
    yaml_files = list(ctx.seeds.rglob("*.yaml")) if ctx.seeds.is_dir() else []
    if not (ctx.seeds / "dataset.yaml").is_file() or len(yaml_files) < 10:
        raise Failure(f"the bundled seeds are missing or incomplete in {ctx.seeds} ({len(yaml_files)} files): "
                      "the installation is damaged; reinstall the program")
    missing = [p for p in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "icons/tumorboard.svg")
               if not (bundled_resources() / p).is_file()]
    if missing:
        raise Failure(f"missing from {bundled_resources()}: {', '.join(missing)}; reinstall the program")
    frozen = getattr(sys, "frozen", False)
    kind = "bundle" if frozen else f"Python {sys.version.split()[0]}"
    where = Path(sys.executable).parent if frozen else ctx.seeds.parent
    access = "read-only" if not os.access(ctx.seeds.parent, os.W_OK) else "writable"
    return f"Tumor Board Reference {__version__} ({kind}) in {where} ({access}); {len(yaml_files)} seed files"


def step_data_folder(ctx: Context) -> str:
    from db.paths import data_home

    ctx.home = data_home()
    if ctx.home.exists() and not ctx.home.is_dir():
        raise Failure(f"the data folder {ctx.home} is a file, not a folder: remove it, or set TUMORBOARD_HOME "
                      "to a writable folder")
    try:
        ctx.home.mkdir(parents=True, exist_ok=True)
        probe = ctx.home / f".self-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise Failure(f"cannot write in the data folder {ctx.home}: {exc.strerror or exc}; set TUMORBOARD_HOME "
                      "to a writable folder") from exc
    source = "TUMORBOARD_HOME" if os.environ.get("TUMORBOARD_HOME") else "per-user default"
    return f"{ctx.home} ({source}), writable"


def step_dataset(ctx: Context) -> str:
    from db.building.build import SeedsInvalid, build, database_state
    from db.paths import dataset_path
    from db.releases.state import origin_seeds
    from db.store import Store

    path = dataset_path(ctx.home)
    seeds = origin_seeds(ctx.home, ctx.seeds)  # an installed release's seeds, not the bundled ones (docs/releases.md)
    try:
        before = database_state(path, seeds)
    except (OSError, ValueError) as exc:
        raise Failure(f"the dataset database {path} or the bundled seeds cannot be checked: {exc}") from exc
    note = "up to date"
    if before != "ok":
        try:
            result = build(seeds, path)
        except SeedsInvalid as exc:
            raise Failure(f"the bundled seeds do not validate ({len(exc.errors)} error(s), first: "
                          f"{exc.errors[0]}); reinstall the program") from exc
        except OSError as exc:
            raise Failure(f"cannot write the dataset database {path}: {exc.strerror or exc}") from exc
        why = {"schema": "had an older layout", "presentation": "had older figure wording",
               "seeds": "was older than the bundled seeds"}.get(
            before, f"was {before}")
        note = f"{why}, rebuilt in {result.seconds:.2f} s"
    after = database_state(path, seeds)
    if after != "ok":
        raise Failure(f"the dataset database {path} is still {after} after a rebuild")
    store = Store(path)
    try:
        meta = store.meta()
        studies = len(store.studies())
    finally:
        store.close()
    if studies == 0:
        raise Failure(f"the dataset database {path} holds no studies")
    ctx.dataset_version = meta["dataset_version"]
    return f"dataset {ctx.dataset_version}, {studies} studies, {path.name} {note}"


def step_notes(ctx: Context) -> str:
    """Read-only: a damaged notes database is reported, never moved or rewritten here."""
    from db.notes.notebook import inspect_notes
    from db.notes.wal_check import wal_problem

    path = ctx.home / "notes.sqlite3"
    if not path.exists():
        return "no notes database yet (made when the first note is saved)"
    problem = wal_problem(path.with_name(path.name + "-wal"))
    if problem:
        raise Failure(f"the notes database's journal {path.name}-wal is damaged ({problem}); the program will keep "
                      "it aside at the next start: copy it somewhere safe first")
    try:
        check, version, rows = inspect_notes(path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise Failure(f"the notes database {path} is in use by another program (locked); close it and run "
                          "the self-test again") from exc
        raise Failure(f"the notes database {path} cannot be read ({exc}); the program will move it aside "
                      "and start a new one: copy it somewhere safe first") from exc
    except sqlite3.DatabaseError as exc:
        raise Failure(f"the notes database {path} cannot be read ({exc}); the program will move it aside "
                      "and start a new one: copy it somewhere safe first") from exc
    if check != "ok":
        raise Failure(f"the notes database {path} is damaged ({check}); copy it somewhere safe")
    bad = [f"{kind} {ident}" for kind, ident, raw in rows if not _utf8(raw)]
    if bad:
        raise Failure(f"the notes database {path} holds text that is not valid UTF-8 in {len(bad)} note(s) "
                      f"({', '.join(bad[:5])}); they are shown read-only and kept as stored")
    count = len(rows)
    return f"{path.name}: {count} note(s), schema {version}, intact"


def _utf8(raw: bytes | None) -> bool:
    try:
        bytes(raw or b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
