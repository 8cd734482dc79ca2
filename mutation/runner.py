"""Try each mutant on the tests that run its line, in scratch copies of the project (never in the work
tree), a few at a time; keep every outcome in a results file so a second run only tries what changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from mutation.coverage_map import CoverageMap
from mutation.mutants import Mutant

KILLED, SURVIVED, UNCOVERED, TIMEOUT = "killed", "survived", "no test runs it", "timeout"
BROKEN = "not run"  # pytest could not run the tests asked for (exit 4 or 5): counted neither way
BUILT_DB = "TUMORBOARD_TEST_BUILT_DB"  # tests/conftest.py


def prebuild(copy: Path, out: Path) -> set[str]:
    """Build the bundled seeds with the unchanged code into `out`; the project modules the build imports."""
    code = ("import sys, pathlib; from db.building.build import build; build(pathlib.Path('seeds'), pathlib.Path("
            f"{str(out)!r})); print('\\n'.join(m.__file__ for m in list(sys.modules.values())"
            " if getattr(m, '__file__', None)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=copy, capture_output=True, text=True, check=True)
    root = copy.resolve()
    return {Path(f).resolve().relative_to(root).as_posix() for f in proc.stdout.splitlines()
            if Path(f).resolve().is_relative_to(root)}


@dataclass
class Outcome:
    path: str
    key: str  # Mutant.key: line, old -> new
    kind: str
    status: str
    test: str = ""  # the test that failed first
    tried: int = 0  # how many of the tests that run the line were run (`budget`)
    of: int = 0
    seconds: float = 0.0
    digest: str = ""  # of the mutated module: a changed line is tried again


def digest(m: Mutant) -> str:
    return hashlib.sha256(m.source.encode("utf-8")).hexdigest()[:16]


def copy_project(project: Path, target: Path, revision: str = "") -> Path:
    """The project's files (as committed at `revision`, else the work tree's tracked files and those not yet
    added that git does not ignore: a new test file counts before its commit) in `target`/project, with
    ../shared beside it as the project has it."""
    dest = target / "project"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if revision:
        archive = subprocess.run(["git", "archive", revision], cwd=project, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    else:
        listed = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        files = subprocess.run(listed, cwd=project, capture_output=True, check=True).stdout
        for name in files.decode("utf-8").split("\0"):
            if name and (project / name).is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(project / name, dest / name)
    shared = project.resolve().parent / "shared"
    if shared.exists() and not (target / "shared").exists():
        (target / "shared").symlink_to(shared)
    return dest


def run_one(copy: Path, path: str, m: Mutant, tests: list[str], base_seconds: float, pytest_args: list[str],
            env: dict[str, str]) -> Outcome:
    """Write the mutant into the copy, run its tests (stop at the first failure), put the module back."""
    target = copy / path
    original = target.read_bytes()
    start = time.monotonic()
    target.write_text(m.source, encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *pytest_args,
                               *tests], cwd=copy, capture_output=True, text=True,
                              timeout=max(60.0, 3 * base_seconds + 30),
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env})
    except subprocess.TimeoutExpired:
        return Outcome(path, m.key, m.kind, TIMEOUT, "", len(tests), len(tests), time.monotonic() - start, digest(m))
    finally:
        target.write_bytes(original)
    # 1: a test failed; 2: collection failed (the mutant breaks an import); 3: internal error
    status = {0: SURVIVED, 1: KILLED, 2: KILLED, 3: KILLED}.get(proc.returncode, BROKEN)
    failed = next((failed_id(line) for line in proc.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))), "")
    return Outcome(path, m.key, m.kind, status, failed, len(tests), len(tests), round(time.monotonic() - start, 1),
                   digest(m))


def failed_id(line: str) -> str:
    """'FAILED tests/t.py::test_a[ki67 20, G2] - AssertionError: …' -> the whole test id, spaces and all."""
    return line.split(" ", 1)[1].split(" - ", 1)[0].strip()


def killers_first(tests: list[str], killed: dict[str, int]) -> list[str]:
    """The tests of a line with those that killed other mutants of the module first, the most killing first:
    a line nearly every test runs (a constant, `design_rank`) gets hundreds, a budget tries a few dozen, and
    the tests that look at what the module decides are more likely among those that already saw it break."""
    seen = [t for t in tests if killed.get(t)]
    seen.sort(key=lambda t: -killed[t])
    return seen + [t for t in tests if not killed.get(t)]


def importers(project: Path, path: str) -> set[str]:
    """The test files that import the module at `path` by name: they check what it promises, where the others
    only pass through it on the way to something else."""
    dotted = path.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    named = re.compile(rf"\b{re.escape(dotted)}\b|^from {re.escape(package)} import [^\n]*\b{name}\b", re.M)
    return {f.relative_to(project).as_posix() for f in (project / "tests").rglob("*.py")
            if named.search(f.read_text(encoding="utf-8", errors="replace"))}


def importers_first(tests: list[str], files: set[str]) -> list[str]:
    return [t for t in tests if t.split("::")[0] in files] + [t for t in tests if t.split("::")[0] not in files]


def load(results: Path) -> dict[tuple[str, str], Outcome]:
    if not results.exists():
        return {}
    rows = [Outcome(**r) for r in json.loads(results.read_text(encoding="utf-8"))]
    return {(o.path, o.key): o for o in rows}


def save(results: Path, outcomes: Iterable[Outcome]) -> None:
    tmp = results.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(results)


def within(tests: list[str], seconds: dict[str, float], budget: float) -> list[str]:
    """The fastest tests (they come fastest first) up to `budget` seconds of their own run time, at least one."""
    chosen, spent = [], 0.0
    for t in tests:
        spent += seconds.get(t, 1.0)
        if chosen and spent > budget:
            break
        chosen.append(t)
    return chosen


def run_all(copies: list[Path], work: list[tuple[str, Mutant]], cover: CoverageMap, results: Path,
            pytest_args: list[str], report: Callable[[Outcome, int, int], None], again: bool = False,
            budget: float = float("inf"), built: tuple[Path, set[str]] | None = None) -> dict[tuple[str, str], Outcome]:
    """Every mutant not already tried in this form (`again`: and those that survived); one worker per copy.
    `budget`: seconds of test time per mutant, its fastest tests first; `built`: a database built by the
    unchanged code and the modules its build imports (a mutant of another module uses that database)."""
    done = load(results)
    todo = [(p, m) for p, m in work if (old := done.get((p, m.key))) is None or old.digest != digest(m)
            or (again and old.status in (SURVIVED, UNCOVERED))]
    free = list(copies)
    checking = {path: importers(copies[0], path) for path in {p for p, _m in todo}}
    killed: dict[str, dict[str, int]] = {}  # module -> test -> mutants of it that the test killed
    for o in done.values():
        if o.status == KILLED and o.test:
            killed.setdefault(o.path, {})[o.test] = killed.get(o.path, {}).get(o.test, 0) + 1

    def one(item: tuple[str, Mutant]) -> Outcome:
        path, m = item
        every = cover.for_line(path, m.line)
        if not every:
            return Outcome(path, m.key, m.kind, UNCOVERED, digest=digest(m))
        every = importers_first(every, checking[path])
        tests = within(killers_first(every, dict(killed.get(path, {}))), cover.seconds, budget)
        env = {BUILT_DB: str(built[0])} if built is not None and path not in built[1] else {}
        copy = free.pop()
        try:
            o = run_one(copy, path, m, tests, sum(cover.seconds.get(t, 1.0) for t in tests), pytest_args, env)
            o.of = len(every)
            if o.status == KILLED and o.test:
                mine = killed.setdefault(path, {})
                mine[o.test] = mine.get(o.test, 0) + 1
            return o
        finally:
            free.append(copy)

    with ThreadPoolExecutor(max_workers=len(copies)) as pool:
        for n, outcome in enumerate(pool.map(one, todo), 1):
            done[(outcome.path, outcome.key)] = outcome
            report(outcome, n, len(todo))
            if n % 10 == 0 or n == len(todo):
                save(results, done.values())
    save(results, done.values())
    return done
