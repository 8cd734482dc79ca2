"""python3 -m mutation MODULE... : one-line mutants of these modules, each tried on the tests that run its
line; prints the kill rate per module and the mutants that survive (docs/development.md)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from mutation.coverage_map import CoverageMap, measure
from mutation.mutants import Mutant, mutants
from mutation.runner import BROKEN, KILLED, SURVIVED, TIMEOUT, UNCOVERED, Outcome, copy_project, prebuild, run_all

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
DEFAULT = ["db/presentation/present.py", "db/presentation/evidence.py", "db/compare/*.py", "handout/*.py"]


def equivalents(path: Path = EQUIVALENT) -> dict[tuple[str, str], str]:
    """'module | mutant key | why it changes nothing a user can see' per line; '#' starts a comment."""
    found: dict[tuple[str, str], str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                module, key, why = (p.strip() for p in line.split(" | ", 2))
                found[(module, key)] = why
    return found


def summary(outcomes: dict[tuple[str, str], Outcome], modules: list[str],
            same: dict[tuple[str, str], str]) -> tuple[list[str], list[str]]:
    """Per module: mutants, killed, survived, no test, judged equivalent, kill rate; and the open survivors."""
    lines, open_ = [], []
    for module in modules:
        rows = [o for (p, _k), o in outcomes.items() if p == module]
        eq = [o for o in rows if (module, o.key) in same and o.status in (SURVIVED, UNCOVERED)]
        alive = [o for o in rows if o.status in (SURVIVED, UNCOVERED) and (module, o.key) not in same]
        killed = sum(o.status in (KILLED, TIMEOUT) for o in rows)
        broken = sum(o.status == BROKEN for o in rows)
        counted = len(rows) - len(eq) - broken
        rate = f"{100 * killed / counted:.1f}%" if counted else "-"
        lines.append(f"{module:36} {len(rows):5} mutants {killed:5} killed {len(alive):4} alive "
                     f"({sum(o.status == UNCOVERED for o in alive)} with no test) {len(eq):4} equivalent "
                     f"{broken:3} not run  {rate}")
        open_ += [f"{module}:{o.key}  [{o.status}]" for o in sorted(alive, key=lambda o: int(o.key.split(":")[0]))]
    return lines, open_


def stale(same: dict[tuple[str, str], str], current: dict[str, set[str]]) -> list[str]:
    """The judgements in equivalent.txt on these modules that name no mutant of them now: a line moved (its
    number is part of the key) or changed, so the judgement no longer holds anything back and must be redone."""
    return [f"{module} | {key}" for module, key in same if module in current and key not in current[module]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m mutation", description=__doc__)
    ap.add_argument("modules", nargs="*", help=f"files or globs relative to the project (default: {' '.join(DEFAULT)})")
    ap.add_argument("--tests", nargs="+", default=["tests"], help="test files to draw on (default: tests)")
    ap.add_argument("--gui", action="store_true", help="also the Qt window tests (marked gui; slow)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sample", type=int, default=1, help="try every Nth mutant only (an estimate)")
    ap.add_argument("--reuse-coverage", action="store_true",
                    help="use the last map of tests per line (made for every default module; redo it after a change)")
    ap.add_argument("--results", type=Path, default=ROOT / ".mutation" / "results.json")
    ap.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / f"mutation-{ROOT.name}")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="seconds of test time per mutant, fastest tests first (default 30; 0: every test)")
    ap.add_argument("--again", action="store_true", help="try the survivors of the last run again (new tests)")
    ap.add_argument("--at", default="", metavar="REVISION",
                    help="run the tests as committed at REVISION (the kill rate before a change)")
    ap.add_argument("--list", action="store_true", help="only list the mutants")
    args = ap.parse_args(argv)

    modules = sorted({f.relative_to(ROOT).as_posix() for pattern in (args.modules or DEFAULT)
                      for f in ROOT.glob(pattern) if f.suffix == ".py"})
    if not modules:
        ap.error("no module matches")
    work: list[tuple[str, Mutant]] = [(m, x) for m in modules for x in mutants((ROOT / m).read_text("utf-8"))]
    work = work[:: args.sample]
    if args.list:
        for module, m in work:
            print(f"{module}:{m.describe()}")
        return 0
    pytest_args = [] if args.gui else ["-m", "not gui"]
    args.scratch.mkdir(parents=True, exist_ok=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    cover_file = args.results.parent / f"coverage-{args.at or 'worktree'}.json"
    mapped = sorted(set(modules) | {f.relative_to(ROOT).as_posix() for p in DEFAULT for f in ROOT.glob(p)})
    start = time.monotonic()
    copies = [copy_project(ROOT, args.scratch / f"copy{i}", args.at) for i in range(max(1, args.workers))]
    if args.reuse_coverage and cover_file.exists():
        cover = CoverageMap.load(cover_file, copies[0])
    else:
        print(f"mapping the tests that run each line of {len(mapped)} modules ...", flush=True)
        cover = measure(copies[0], mapped, [*pytest_args, *args.tests], args.scratch)
        cover.save(cover_file)
    print(f"{len(work)} mutants; {args.workers} at a time", flush=True)

    def report(o: Outcome, n: int, total: int) -> None:
        if o.status != KILLED:
            print(f"[{n}/{total}] {o.status:>15}  {o.path}:{o.key}", flush=True)

    built_db = args.scratch / "built.sqlite3"
    built = (built_db, prebuild(copies[0], built_db))
    outcomes = run_all(copies, work, cover, args.results, pytest_args, report, args.again,
                       args.budget or float("inf"), built)
    wanted = {(p, m.key) for p, m in work}
    lines, open_ = summary({k: v for k, v in outcomes.items() if k in wanted}, modules, equivalents())
    print(f"\n{time.monotonic() - start:.0f} s\n" + "\n".join(lines))
    if open_:
        print("\nsurvivors (not judged equivalent in mutation/equivalent.txt):\n" + "\n".join(open_))
    moved = stale(equivalents(), {m: {x.key for x in mutants((ROOT / m).read_text("utf-8"))} for m in modules})
    if moved:
        print("\njudged equivalent in mutation/equivalent.txt, but no such mutant now (renumber or drop):\n"
              + "\n".join(moved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
