"""Which tests run each line of the modules to mutate, and how long each test takes: one run of the test
files under coverage with a context per test and phase (mutation/contexts.py).

A mutant of a line is then tried only on the tests that run that line, fastest first, so most mutants are
killed by the first test or two and a line no test runs needs no run at all. Tests that start the program
in a subprocess are not seen running a line (coverage measures this process only).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DURATION = re.compile(r"^\s*([\d.]+)s (setup|call|teardown)\s+(.+?)\s*$", re.M)  # an id may hold spaces


@dataclass
class CoverageMap:
    tests: dict[str, dict[int, list[str]]]  # module path (relative) -> line -> test node ids ([]: on import only)
    seconds: dict[str, float]  # test node id -> setup + call + teardown
    project: Path | None = None  # where the modules' text is read, for the uses of a constant

    def for_line(self, path: str, line: int) -> list[str]:
        """The tests that run `line` of `path`, fastest first file by file (`_by_file`). A line run only on
        import (a constant, a default) gets the tests that run the lines using the names it assigns, else
        every test of the module."""
        lines = self.tests.get(path, {})
        if line not in lines:
            return []
        found = set(lines[line])
        if not found:
            for used in self._uses(path, line):
                found.update(lines.get(used, ()))
        if not found:
            found = {t for ts in lines.values() for t in ts}
        return self._by_file(path, found)

    def _by_file(self, path: str, tests: set[str]) -> list[str]:
        """Each test file's tests in turn (a file checks one surface: the handout, the CSV, Compare), in each
        file those that run most of this module first, then the fastest: so the few tests a budget allows
        look at the line from as many sides as there are, and from the tests that use the module most."""
        reach: dict[str, int] = {}
        for found in self.tests.get(path, {}).values():
            for t in found:
                reach[t] = reach.get(t, 0) + 1
        files: dict[str, list[str]] = {}
        for t in sorted(tests, key=lambda t: (-reach.get(t, 0), self.seconds.get(t, 0.0), t)):
            files.setdefault(t.split("::")[0], []).append(t)
        place = {t: i for queue in files.values() for i, t in enumerate(queue)}
        return sorted(tests, key=lambda t: (place[t], -reach.get(t, 0), self.seconds.get(t, 0.0), t))

    def _uses(self, path: str, line: int) -> set[int]:
        if self.project is None:
            return set()
        tree = ast.parse((self.project / path).read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in tree.body:
            if node.lineno <= line <= (node.end_lineno or node.lineno):
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
                if isinstance(node, ast.ClassDef | ast.FunctionDef):
                    names.add(node.name)
        return {n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in names
                and isinstance(n.ctx, ast.Load)}

    def save(self, out: Path) -> None:
        out.write_text(json.dumps({"tests": self.tests, "seconds": self.seconds}), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, project: Path | None = None) -> CoverageMap:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({p: {int(k): v for k, v in lines.items()} for p, lines in data["tests"].items()}, data["seconds"],
                    project)


def node_id(context: str) -> tuple[str, str] | None:
    """'tests/test_x.py::test_y[a]|setup' -> ('tests/test_x.py::test_y[a]', 'setup'); '' (import) -> None."""
    if "|" not in context:
        return None
    node, phase = context.rsplit("|", 1)
    return node, phase


def _with_plugin(project: Path) -> dict[str, str]:
    """The environment, with this package importable where the project has none (an older commit)."""
    env = dict(os.environ)
    if not (project / "mutation" / "contexts.py").exists():
        here = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), here) if p)
    return env


def measure(project: Path, modules: list[str], test_args: list[str], scratch: Path) -> CoverageMap:
    """Run the tests once in `project` under coverage; map each line of `modules` to the tests that run it."""
    rc = scratch / "coveragerc"
    data = scratch / "coverage.data"
    rc.write_text("[run]\nrelative_files = true\n"
                  f"data_file = {data}\ninclude =\n" + "".join(f"    {m}\n" for m in modules), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q",
                           "-p", "no:cacheprovider", "-p", "mutation.contexts", "--durations=0",
                           "--durations-min=0", *test_args],
                          cwd=project, capture_output=True, text=True, env=_with_plugin(project))
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"the coverage run failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    seconds: dict[str, float] = defaultdict(float)
    for value, _phase, test in DURATION.findall(proc.stdout):
        seconds[test] += float(value)
    from coverage import CoverageData

    by_file: dict[str, list[str]] = defaultdict(list)
    for test in seconds:
        by_file[test.split("::")[0]].append(test)

    cov = CoverageData(basename=str(data))
    cov.read()
    tests: dict[str, dict[int, list[str]]] = {}
    for measured in cov.measured_files():
        path = Path(measured)
        relative = (path.resolve().relative_to(project.resolve()) if path.is_absolute() else path).as_posix()
        if relative not in modules:
            continue
        by_line: dict[int, set[str]] = {}
        for line, contexts in cov.contexts_by_lineno(measured).items():
            found: set[str] = set()
            for node, phase in filter(None, map(node_id, contexts)):
                # a fixture's line (a module's handouts, written once) serves every test of that file
                found |= set(by_file[node.split("::")[0]]) if phase == "setup" else {node}
            by_line[line] = found
        tests[relative] = {line: sorted(found) for line, found in by_line.items()}
    return CoverageMap(tests, dict(seconds), project)
