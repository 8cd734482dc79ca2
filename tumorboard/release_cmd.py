"""`tumorboard release ...`: make, check, install and compare signed dataset releases (docs/releases.md)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ACTIONS = ("keygen", "build", "verify", "install", "rollback", "unpin", "diff", "withdraw", "status")


def _trust_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust", type=Path, action="append", default=[], metavar="PUBKEY",
                   help="also trust this public key file (besides the releases folder's keys); repeatable")


def add_parsers(sub: Any) -> None:
    release = sub.add_parser(
        "release", help="make, verify, install, roll back and compare signed dataset releases",
        description="Dataset releases: new clinical content without reinstalling the program, signed by a curator's "
        "key and installed from the releases folder IT configures (docs/releases.md).")
    actions = release.add_subparsers(dest="action", metavar="ACTION", required=True)
    keygen = actions.add_parser("keygen", help="make a curator's signing key pair",
                                description="Write a new Ed25519 private key to KEYFILE (readable by you only; it "
                                "never goes into a release) and its public key beside it as KEYFILE with .pub.")
    keygen.add_argument("-o", "--output", type=Path, required=True, metavar="KEYFILE")
    build = actions.add_parser("build", help="build a signed release file from the seeds",
                               description="Validate the seeds, build the database and write one signed file "
                               "holding the database, the seeds and a manifest.")
    build.add_argument("--seeds", type=Path, default=None, metavar="DIR", help="seed folder (default: the bundled one)")
    build.add_argument("--key", type=Path, required=True, metavar="KEYFILE", help="the curator's private key")
    build.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="release file to write")
    verify = actions.add_parser("verify", help="check a release file's signature, key, contents and schema")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.add_argument("--json", action="store_true", help="print the manifest summary as JSON")
    _trust_arg(verify)
    install = actions.add_parser("install", help="install a release file now (clears a pin)",
                                 description="Verify FILE and make it the dataset. An older version than the one "
                                 "shown is pinned, so start-up does not replace it.")
    install.add_argument("file", type=Path, metavar="FILE")
    _trust_arg(install)
    rollback = actions.add_parser("rollback", help="return to the previous release or the bundled dataset and pin it")
    rollback.add_argument("--bundled", action="store_true", help="return to the bundled dataset")
    _trust_arg(rollback)
    actions.add_parser("unpin", help="let start-up install the newest release again")
    diff = actions.add_parser("diff", help="what changed between two releases or databases",
                              description="Studies added and removed, every figure changed (by stable figure id, "
                              "old -> new, with sources), caveats added. OLD and NEW are release files or database "
                              "files; without them, the dataset before the last update and the current one.")
    diff.add_argument("old", type=Path, nargs="?", metavar="OLD")
    diff.add_argument("new", type=Path, nargs="?", metavar="NEW")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    _trust_arg(diff)
    withdraw = actions.add_parser("withdraw", help="add a version to the signed withdrawal list",
                                  description="Sign a withdrawal list naming VERSION (never installed again; "
                                  "installations showing it leave it at their next start).")
    withdraw.add_argument("version", metavar="VERSION")
    withdraw.add_argument("--reason", required=True, metavar="TEXT", help="why, in a few words (shown to users)")
    withdraw.add_argument("--key", type=Path, required=True, metavar="KEYFILE", help="the curator's private key")
    withdraw.add_argument("--list", type=Path, default=None, metavar="FILE",
                          help="the list to update (default: withdrawn.json in the releases folder)")
    actions.add_parser("status", help="the releases folder, trusted keys, the shown dataset and what start-up "
                       "would install")


def _err(message: str) -> int:
    print(f"tumorboard release: {message}", file=sys.stderr)
    return 1


def _places() -> tuple[Path, Path, Path]:
    from db.paths import bundled_seeds, dataset_path, writable_home

    home = writable_home()
    return home, dataset_path(home), bundled_seeds()


def _trust(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from db.paths import release_settings
    from db.releases.sign import load_public
    from db.releases.start import trust_for

    trust = trust_for(release_settings())
    extra = [load_public(p) for p in args.trust]
    for problem in trust.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return replace(trust, keys=[*trust.keys, *extra])


def cmd_release(args: argparse.Namespace) -> int:
    from db.building.build import SeedsInvalid
    from db.paths import ConfigError
    from db.releases.format import ReleaseRefused
    from db.releases.install import InstallError, NothingToRollBack

    handler = {"keygen": _keygen, "build": _build, "verify": _verify, "install": _install, "rollback": _rollback,
               "unpin": _unpin, "diff": _diff, "withdraw": _withdraw, "status": _status}[args.action]
    try:
        return handler(args)
    except ReleaseRefused as exc:
        return _err(f"refused: {exc}")
    except SeedsInvalid as exc:
        for e in exc.errors:
            print(e, file=sys.stderr)
        return _err(f"{len(exc.errors)} error(s) in the seeds; nothing was written")
    except (ValueError, ConfigError, InstallError, NothingToRollBack, FileExistsError) as exc:
        return _err(str(exc))


def _keygen(args: argparse.Namespace) -> int:
    from db.releases.sign import generate

    public, ident = generate(args.output)
    print(f"wrote the private key {args.output} (keep it to yourself; it never goes into a release)")
    print(f"wrote the public key {public} (key id {ident}): give it to IT for the releases folder's keys/")
    return 0


def _build(args: argparse.Namespace) -> int:
    from db.paths import bundled_seeds
    from db.releases.build import build_release
    from tumorboard import __version__

    seeds = (args.seeds or bundled_seeds()).resolve()
    built = build_release(seeds, args.key, args.output, program=__version__)
    m = built.manifest
    print(f"wrote {args.output}: release {m.version} ({m.released}), {built.size:,} bytes, {len(m.seeds)} seed files, "
          f"{m.counts.get('studies', 0)} studies, signed by key {built.key_id}, in {built.seconds:.2f} s")
    return 0


def _verify(args: argparse.Namespace) -> int:
    import time

    from db.releases.format import summary
    from db.releases.verify import verify

    trust = _trust(args)
    if not trust.keys:
        return _err("no trusted keys: configure the releases folder (docs/releases.md) or pass --trust PUBKEY")
    start = time.perf_counter()
    verified = verify(args.file, trust.keys, trust.withdrawn)
    info = summary(verified.manifest) | {"key_id": verified.key.key_id, "bytes": verified.size,
                                         "seconds": round(time.perf_counter() - start, 3)}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(f"ok: {args.file} is release {info['version']} ({info['released']}), schema {info['schema_version']}, "
              f"wording {info['presentation_version']}, {info['counts'].get('studies', 0)} studies, "
              f"{info['seed_files']} seed files, signed by key {info['key_id']} ({verified.key.origin}); "
              f"checked in {info['seconds']:.3f} s")
    return 0


def _say(change: Any) -> None:
    rebuilt = " (rebuilt from its seeds for this program)" if change.rebuilt else ""
    pinned = "; pinned until `tumorboard release unpin`" if change.pinned else ""
    print(f"now showing {change.new.describe()}{rebuilt}, was {change.old.describe()}{pinned}")
    from db.paths import writable_home
    from db.releases.state import previous_database

    previous = previous_database(writable_home())
    if previous.is_file():
        from db.paths import dataset_path
        from db.releases.diff import diff

        print(f"what changed: {diff(previous, dataset_path()).summary()} (`tumorboard release diff` lists it)")


def _install(args: argparse.Namespace) -> int:
    from db.releases.format import newer
    from db.releases.install import install_file
    from db.releases.state import load
    from db.releases.verify import verify

    home, dataset, bundled = _places()
    trust = _trust(args)
    if not trust.keys:
        return _err("no trusted keys: configure the releases folder (docs/releases.md) or pass --trust PUBKEY")
    state, _ = load(home, bundled)
    version = verify(args.file, trust.keys, {**state.withdrawn, **trust.withdrawn}, parts=False).manifest.version
    older = newer(state.current.version, version)
    change = install_file(args.file, trust, home=home, dataset=dataset, bundled=bundled,
                          how="installed with `tumorboard release install`", pin=older, withdrawn=state.withdrawn)
    _say(change)
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from db.releases.install import rollback

    home, dataset, bundled = _places()
    _say(rollback(_trust(args), home=home, dataset=dataset, bundled=bundled, to_bundled=args.bundled))
    return 0


def _unpin(args: argparse.Namespace) -> int:
    from db.releases.install import unpin

    home, _dataset, bundled = _places()
    print("unpinned: the newest release of the releases folder is installed at the next start" if unpin(home, bundled)
          else "nothing was pinned")
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    from db.paths import release_settings
    from db.releases.sign import trusted_keys
    from db.releases.trust import WITHDRAWN_NAME, write_withdrawn

    settings = release_settings()
    target = args.list or (settings.folder / WITHDRAWN_NAME if settings.folder else None)
    if target is None:
        return _err("no releases folder is configured: give the list file with --list")
    versions = write_withdrawn(target, args.key, args.version, args.reason, trusted_keys(settings.keys)[0])
    print(f"wrote {target}: {len(versions)} withdrawn version(s): {', '.join(sorted(versions))}")
    return 0


def _database(path: Path, trust: Any, work: Path, label: str) -> Path:
    """A database file to compare: `path` itself, or the database inside a release file."""
    import zipfile

    from db.releases.format import ReleaseRefused, open_release
    from db.releases.verify import unpack_database, verify

    with open_release(path) as handle:  # a FIFO, a device or a link to /dev/zero is never read
        head = handle.read(16)
        is_zip = zipfile.is_zipfile(handle)
    if head == b"SQLite format 3\x00":
        return path
    if not is_zip:
        raise ValueError(f"{path}: neither a release file nor a dataset database (damaged or truncated?)")
    out = work / f"{label}.sqlite3"
    try:
        verify(path, trust.keys, parts=False)
    except ReleaseRefused as exc:
        if "does not trust" not in exc.reason:
            raise
        print(f"note: {path}: signature not checked ({exc.reason})", file=sys.stderr)
    unpack_database(path, out)
    return out


def _diff(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from db.paths import dataset_path, writable_home
    from db.releases.diff import diff
    from db.releases.state import previous_database

    if (args.old is None) != (args.new is None):
        return _err("give both OLD and NEW, or neither (the dataset before the last update and now)")
    with tempfile.TemporaryDirectory(prefix="tumorboard-diff-") as tmp:
        if args.old is None:
            old, new = previous_database(writable_home()), dataset_path()
            if not old.is_file():
                return _err("no earlier dataset is kept on this computer (no update yet)")
        else:
            trust = _trust(args)
            old, new = _database(args.old, trust, Path(tmp), "old"), _database(args.new, trust, Path(tmp), "new")
        changes = diff(old, new)
    if args.json:
        print(json.dumps(asdict(changes) | {"summary": changes.summary()}, ensure_ascii=False, indent=2))
        return 0
    from db.releases.text import diff_lines

    print("\n".join(diff_lines(changes)))
    return 0


def _status(args: argparse.Namespace) -> int:
    from db.releases.text import status_lines

    home, _dataset, bundled = _places()
    print("\n".join(status_lines(home, bundled)))
    return 0
