"""`tumorboard bench`: the project's benchmark (benchmarks/, docs/performance.md).

The benchmark lives in the source tree, not in the installed program: from a checkout
(or an editable install) this runs `python -m benchmarks`; elsewhere it says so.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent


def add_parsers(sub: Any) -> None:
    bench = sub.add_parser(
        "bench", help="measure search, start-up, handout, build and memory against their floors",
        description="Run the benchmark of docs/performance.md (needs a source checkout): search as you type on "
        "the shipped data and on a generated 100 000-study registry against the unranked FTS5 query, cold start "
        "against a bare PySide6 window, the 4-therapy handout against bare reportlab, the build, peak memory.")
    bench.add_argument("--quick", action="store_true", help="CI mode: 10 000 studies, fewer repetitions")
    bench.add_argument("--studies", type=int, default=None, metavar="N", help="studies in the synthetic registry")
    bench.add_argument("--large-db", type=Path, default=None, metavar="PATH", help="reuse a generated registry")
    bench.add_argument("--work", type=Path, default=None, metavar="DIR", help="keep the databases and PDFs here")
    bench.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    bench.add_argument("--check", action="store_true", help="exit 1 when a figure misses its target")


def cmd_bench(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("benchmarks") is None and (CHECKOUT / "benchmarks" / "run.py").is_file():
        sys.path.insert(0, str(CHECKOUT))
    if importlib.util.find_spec("benchmarks") is None:
        print("tumorboard bench: the benchmark is part of the source tree, not of the installed program; "
              "from a checkout run: python -m benchmarks (see docs/performance.md)", file=sys.stderr)
        return 2
    from benchmarks.run import main

    argv = [flag for flag, on in (("--quick", args.quick), ("--json", args.json), ("--check", args.check)) if on]
    for flag, value in (("--studies", args.studies), ("--large-db", args.large_db), ("--work", args.work)):
        if value is not None:
            argv += [flag, str(value)]
    return main(argv)
