"""The `tumorboard` command. Without a subcommand it opens the main window."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tumorboard import __version__, dataset

if TYPE_CHECKING:  # the window's start imports this module, not argparse (2 ms with gettext)
    import argparse


def _seeds_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                   help="seed folder to use instead of the bundled one (e.g. a curator's working copy)")


MAX_LIMIT = 10_000  # far above any useful list; keeps the number inside SQLite's integer range


def _limit(text: str) -> int:
    """--limit: a whole number from 1 to MAX_LIMIT, or argparse's usage error (exit 2)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text} is out of range: give a number from 1 to {MAX_LIMIT}")
    return value


def _through_link(written: Path, given: Path) -> str:
    """' (the file the link X points to)' when a symbolic link was followed, so the user knows."""
    return "" if Path(written) == Path(given) else f" (the file the symbolic link {given} points to)"


def parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(
        prog="tumorboard",
        description="Tumor Board Reference: published trial data for the tumour board, offline. "
        "Without a command, opens the main window.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--self-test", action="store_true",
                   help="check this installation (files, data folder, databases, window, search, handout) and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate the seed files", description="Validate every seed file; "
                           "errors print as FILE:LINE: message and the exit status is 1.")
    _seeds_arg(check)
    check.add_argument("--coverage", action="store_true", help="also print what is curated per source")

    build = sub.add_parser("build", help="build the dataset database from the seeds",
                           description="Validate the seeds and write the dataset database atomically. "
                           "The previous database stays in place if anything fails.")
    _seeds_arg(build)
    build.add_argument("-o", "--output", type=Path, default=None, metavar="PATH",
                       help="database file to write (default: the per-user data folder)")

    search = sub.add_parser("search", help="search the dataset",
                            description="Ranked search over studies, drugs, diseases, adverse events and "
                            "grading entries. Field terms: drug: disease: ae: phase: nct: status: year: kind:. "
                            "Who was treated: first line, second line, after <drug or class>, a marker (BRAF V600E)")
    search.add_argument("query", nargs="+", help="what to look for, e.g. lenva hyper")
    search.add_argument("--limit", type=_limit, default=20, metavar="N",
                        help=f"at most N hits, 1 to {MAX_LIMIT} (default 20)")
    search.add_argument("--json", action="store_true", help="print the hits as JSON")

    grade = sub.add_parser("grade", help="grade a neuroendocrine neoplasm from Ki-67, mitoses and necrosis",
                           description="Grade a neuroendocrine neoplasm with the bounds printed in the dataset's "
                           "grading tables. Prints the grade, the deciding rule, the edition and its source. "
                           "Discordant criteria: the higher grade applies.")
    grade.add_argument("--site", choices=("gep", "lung"), default=None,
                       help="gep (gastroenteropancreatic, the default) or lung (lung and thymus)")
    grade.add_argument("--ki67", type=float, default=None, metavar="PCT", help="Ki-67 index in %% (0-100)")
    grade.add_argument("--mitoses", type=float, default=None, metavar="N",
                       help="mitotic count, in the unit of the edition (per 2 mm² or per 10 HPF)")
    grade.add_argument("--necrosis", choices=("none", "punctate", "extensive"), default=None,
                       help="extent of necrosis (lung and thymus)")
    grade.add_argument("--differentiation", choices=("well", "poor"), default=None,
                       help="well or poorly differentiated (WHO 2019 GEP: NET G3 versus NEC)")
    grade.add_argument("--edition", default=None, metavar="EDITION",
                       help="a system id or the start of an edition, e.g. who-2019-gep or 2010 "
                       "(default: WHO 2019 for gep, WHO 2015 for lung)")
    grade.add_argument("--json", action="store_true", help="print the result as JSON")

    export = sub.add_parser("export", help="export the whole dataset as JSON or CSV",
                            description="Export the dataset. JSON: one object per study with arms, outcomes, "
                            "adverse events and sources nested (docs/data-format.md). CSV: one row per figure.")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("-o", "--output", type=Path, default=None, metavar="PATH",
                        help="file to write (default: standard output)")
    from tumorboard import handout_cmd

    handout_cmd.add_parsers(sub)
    from tumorboard import options_cmd

    options_cmd.add_parsers(sub)
    from tumorboard import notes_cmd

    notes_cmd.add_parsers(sub)
    from tumorboard import bench_cmd

    bench_cmd.add_parsers(sub)
    from tumorboard import release_cmd, serve_cmd

    release_cmd.add_parsers(sub)
    serve_cmd.add_parsers(sub)
    return p


def window_imports() -> None:
    """What opening the window does before Qt starts: the cyclic collector paused (the window's own,
    desktop/gc_guard.py, takes over once the window has settled, with what it keeps frozen; at start-up it
    would only walk freshly imported modules), then the window's modules. The benchmark's cold start
    (benchmarks/window_start.py) does the same."""
    import gc

    gc.disable()
    import desktop.app  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):  # the window: not a start slowed by every command's parser
        window_imports()
        from desktop.app import run

        return run()
    args = parser().parse_args(argv)
    if args.self_test:
        from tumorboard.selftest import run as self_test

        return self_test()
    if args.command is None:
        from desktop.app import run

        return run()
    if args.command == "bench":
        from tumorboard.bench_cmd import cmd_bench

        return cmd_bench(args)
    from tumorboard.handout_cmd import cmd_handout, cmd_packet
    from tumorboard.notes_cmd import cmd_notes
    from tumorboard.options_cmd import cmd_options
    from tumorboard.release_cmd import cmd_release
    from tumorboard.serve_cmd import cmd_serve

    handler = {"check": cmd_check, "build": cmd_build, "search": cmd_search, "grade": cmd_grade,
               "export": cmd_export, "handout": cmd_handout, "packet": cmd_packet, "options": cmd_options,
               "notes": cmd_notes,
               "release": cmd_release, "serve": cmd_serve}[args.command]
    from db.paths import DataFolderError

    try:
        return handler(args)
    except DataFolderError as exc:
        print(f"tumorboard: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except (sqlite3.Error, OSError) as exc:  # the cause in words (a full disk, a locked file), never a traceback
        from db.errors import describe

        print(f"tumorboard {args.command}: {describe(exc, 'the ' + args.command)}", file=sys.stderr)
        return 1


def _seeds(args: argparse.Namespace) -> Path:
    from db.paths import bundled_seeds

    return (args.seeds or bundled_seeds()).resolve()


def _print_errors(errors: Sequence[object]) -> None:
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{len(errors)} error(s)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from db.building.validate import validate
    from db.dataset.seeds import read_dataset

    seeds = _seeds(args)
    ds, read_errors = read_dataset(seeds)
    errors = validate(ds, read_errors)
    if errors:
        _print_errors(errors)
        return 1
    from db.building.validate import warnings

    for w in warnings(ds):
        print(f"{w} (warning)", file=sys.stderr)
    figures = sum(len(a.outcomes) + len(a.adverse_events) for s in ds.studies for a in s.arms)
    print(f"ok: {len(ds.studies)} studies, {figures} arm figures, {len(ds.drugs)} drugs, "
          f"{len(ds.ae_terms)} adverse-event terms, {len(ds.grading)} grading tables (dataset {ds.version})")
    if args.coverage:
        from db.dataset.coverage import coverage_report

        print(coverage_report(ds))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from db.building.build import SeedsInvalid, build
    from db.paths import dataset_path

    target = args.output or dataset_path()
    try:
        result = build(_seeds(args), target)
    except SeedsInvalid as exc:
        _print_errors(exc.errors)
        print(f"not built: the existing database at {target} is unchanged", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    counts = result.counts
    print(f"built {result.path}{_through_link(result.path, target)} (dataset {result.version}) "
          f"in {result.seconds:.2f} s: "
          f"{counts['studies']} studies, {counts['arms']} arms, {counts['outcomes']} outcomes, "
          f"{counts['adverse_events']} adverse events, {counts['search_docs']} search entries")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = dataset.open_dataset()
    hits = store.search(" ".join(args.query), limit=args.limit)
    notice = getattr(hits, "notice", "")  # an acronym or registry number that names no study
    if args.json:  # allow_nan=False: never print Infinity or NaN, which are not JSON (Hit.as_dict)
        import json

        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2, allow_nan=False))
        if notice:
            print(notice, file=sys.stderr)
        return 0
    if notice:
        print(notice)
    if not hits:
        if not notice:
            print("no matches")
        return 0
    for h in hits:
        print(f"{h.kind:<14} {h.ref:<40} {h.title}")
        if h.snippet:
            print(f"{'':<14} {h.snippet}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from db.grading.calculator import GradingInputError, calculate, find_system, load_systems

    store = dataset.open_dataset()
    try:
        system = find_system(load_systems(store), args.site, args.edition)
        result = calculate(system, ki67=args.ki67, mitoses=args.mitoses, necrosis=args.necrosis,
                           differentiation=args.differentiation)
    except GradingInputError as exc:
        print(f"tumorboard grade: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        import json

        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"Grade:   {result.grade} ({result.label})" if result.grade else "Grade:   none")
    print(f"Rule:    {result.rule}")
    print(f"Edition: {system.edition} ({system.id})")
    print(f"Source:  {system.source}, {system.locator}")
    if system.rule:
        print(f"Table:   {system.rule}")
    for w in result.warnings:
        print(f"note: {w}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from db.export import export_csv, export_json

    store = dataset.open_dataset()
    writer = export_json if args.format == "json" else export_csv
    if args.output is None:
        if args.format == "csv" and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(newline="")  # the CSV's own CRLF line ends, not translated again on Windows
        writer(store, sys.stdout)
        return 0
    from db.atomic import atomic_text_file, resolve_target

    try:
        written = resolve_target(args.output)
        with atomic_text_file(written, newline="" if args.format == "csv" else None) as out:
            writer(store, out)
    except OSError as exc:
        print(f"cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {written}{_through_link(written, args.output)}", file=sys.stderr)
    return 0
