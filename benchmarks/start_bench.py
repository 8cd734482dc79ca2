"""Cold start as whole processes: the real window against a bare one, and peak memory.

Each run is a fresh `python -m benchmarks.window_start MODE`, timed from just before the
process is created to the line it prints at its first paint with data. The runs
alternate between the two so that a busy machine slows both alike. Bytecode is cached
(in a private folder) as an installed program's is; the dataset database is built
before the timed runs, and the first start that builds it is timed on its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Launch:
    seconds: float
    peak_rss_mb: float
    heavy: list[str] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)


def _env(home: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"QT_QPA_PLATFORM": "offscreen", "TUMORBOARD_HOME": str(home), "PYTHONPYCACHEPREFIX": str(cache),
                "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)})
    return env


def launch(mode: str, home: Path, cache: Path, timeout: float = 120.0) -> Launch:
    """One process: seconds to its first-paint line (and, for `session`, its final report)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.window_start", mode], cwd=ROOT, env=_env(home, cache),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    seconds = time.perf_counter() - start
    last = first
    if mode == "session":
        last = proc.stdout.readline() or first
    proc.wait(timeout=timeout)
    if not first:
        raise RuntimeError(f"window_start {mode} exited with {proc.returncode} before painting")
    report = json.loads(last)
    return Launch(seconds, report["peak_rss_mb"], report["heavy"], report.get("session", {}))


@dataclass
class StartFigures:
    start_s: float
    start_bare_s: float
    start_first_s: float
    start_rss_mb: float
    start_heavy: list[str]
    runs: int
    samples_s: list[float]
    samples_bare_s: list[float]

    @property
    def ratio(self) -> float:
        return self.start_s / self.start_bare_s


def measure_start(work: Path, runs: int) -> StartFigures:
    home, cache = work / "home", work / "pycache"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dataset.sqlite3").unlink(missing_ok=True)
    launch("bare", home, cache)  # compile and cache the bytecode once, as an install does
    first = launch("app", home, cache)  # builds the database: the first start ever
    app, bare = [], []
    for _ in range(runs):
        app.append(launch("app", home, cache))
        bare.append(launch("bare", home, cache))
    return StartFigures(
        start_s=statistics.median(r.seconds for r in app), start_bare_s=statistics.median(r.seconds for r in bare),
        start_first_s=first.seconds, start_rss_mb=max(r.peak_rss_mb for r in app), start_heavy=app[-1].heavy,
        runs=runs, samples_s=[round(r.seconds, 3) for r in app], samples_bare_s=[round(r.seconds, 3) for r in bare])


def measure_session(work: Path, runs: int = 3) -> Launch:
    """A session in `runs` fresh processes (each first visit a first one): the peak memory of the GUI process, and
    each stall figure, as the largest of the runs; the handout's time as the median."""
    sessions = [launch("session", work / "home", work / "pycache", timeout=300.0) for _ in range(runs)]
    extra = {key: max(s.extra[key] for s in sessions) for key in sessions[0].extra if key.startswith("stall_")}
    extra["window_handout_s"] = statistics.median(s.extra["window_handout_s"] for s in sessions)
    return Launch(max(s.seconds for s in sessions), max(s.peak_rss_mb for s in sessions), sessions[0].heavy, extra)
