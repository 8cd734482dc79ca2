"""Check the built tarball the way a locked-down clinic workstation would run it.

    python3 packaging/check_bundle.py [--tarball PATH] [--runs N]

Unpacks the tarball into a temporary folder made read-only, and runs the bundled program's
`--self-test` with an empty environment (`env -i`: HOME a fresh temporary folder, PATH
/usr/bin:/bin, no venv, no PYTHONPATH, no TUMORBOARD_HOME, so the per-user default data
folder is used). As root it also drops to the unprivileged user `nobody` (so the read-only
folder really is read-only) and cuts the network off (`unshare --net`). It checks that the
data went to the user's data folder and that nothing in the install folder changed, then
compares start-up with the installed program (the build venv's `tumorboard`, a normal
non-editable install): `--version` and the self-test's "window shown" figure, medians.
Exit status 1 if anything fails. Needs only the standard library.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOBODY = 65534


def newest_tarball() -> Path:
    found = sorted((HERE / "dist").glob("TumorBoardReference-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not found:
        sys.exit("check_bundle: no tarball in packaging/dist: run packaging/build.sh first")
    return found[-1]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def prefix(root: bool, as_nobody: bool = True) -> list[str]:
    """As root: no network, and (for the checks) the unprivileged user `nobody`; otherwise as is."""
    if not root:
        return []
    cmd = []
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        cmd += ["unshare", "--net"]
    if as_nobody and shutil.which("setpriv"):
        cmd += ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return cmd


def run(cmd: list[str], home: Path, wrap: list[str], extra: dict[str, str] | None = None) -> tuple[float, str, int]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **(extra or {})}
    env_args = ["env", "-i", *(f"{k}={v}" for k, v in env.items())]
    t0 = time.perf_counter()
    done = subprocess.run(wrap + env_args + cmd, capture_output=True, text=True, cwd=home, timeout=300)
    return time.perf_counter() - t0, done.stdout + done.stderr, done.returncode


def window_shown(output: str) -> float | None:
    m = re.search(r"window shown ([\d.]+) s after the process started", output)
    return float(m.group(1)) if m else None


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms" if values else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tarball", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=7, help="runs per start-time figure (default 7)")
    args = ap.parse_args()
    tarball = (args.tarball or newest_tarball()).resolve()
    is_root = os.geteuid() == 0
    wrap = prefix(is_root)
    failures: list[str] = []
    print(f"tarball: {tarball} ({tarball.stat().st_size / 2**20:.0f} MiB)")
    print(f"runs as: {' '.join(wrap) or 'the current user'}; env -i HOME=<temp> PATH=/usr/bin:/bin LANG=C.UTF-8")

    with tempfile.TemporaryDirectory(prefix="tumorboard-check-") as tmp:
        top = Path(tmp)
        top.chmod(0o755)
        install, home = top / "install", top / "home"
        install.mkdir()
        home.mkdir()
        with tarfile.open(tarball) as tar:
            tar.extractall(install, filter="tar")
        app = install / "TumorBoardReference"
        exe = app / "tumorboard"
        size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"unpacked: {size / 2**20:.0f} MiB in {sum(1 for _ in app.rglob('*'))} files and folders")
        subprocess.run(["chmod", "-R", "a-w", str(install)], check=True)
        if is_root:
            os.chown(home, NOBODY, NOBODY)
        before = snapshot(app)

        seconds, output, code = run([str(exe), "--self-test"], home, wrap)
        print(f"\n$ tumorboard --self-test   (first start: builds the dataset database; {seconds:.2f} s)")
        print(output.rstrip())
        if code != 0:
            failures.append(f"the bundle's self-test exited {code}")
        data = home / ".local" / "share" / "TumorBoardReference"
        if "(read-only)" not in output:
            failures.append("the self-test did not see a read-only install folder")
        if not (data / "dataset.sqlite3").is_file() or str(data) not in output:
            failures.append(f"the dataset database is not in the user's data folder {data}")
        if snapshot(app) != before:
            failures.append("the program changed files in its install folder")

        seconds, output, code = run([str(exe), "--self-test"], home, wrap)
        print(f"\n$ tumorboard --self-test   (second start; {seconds:.2f} s)")
        print(output.rstrip())
        if code != 0 or "up to date" not in output:
            failures.append("the second self-test failed or rebuilt the dataset")

        installed = HERE / "build" / "venv" / "bin" / "tumorboard"
        print(f"\nstart-up, median of {args.runs} runs (same machine, same data folder):")
        print(f"{'':<34}{'bundle':>12}{'installed':>12}")
        figures: dict[str, dict[str, list[float]]] = {"bundle": {}, "installed": {}}
        programs = {"bundle": [str(exe)]}
        if installed.exists():
            programs["installed"] = [str(installed)]
        else:
            print(f"(no installed program at {installed}: run packaging/build.sh to compare)")
        # Both as the same user, offline: the installed program's Python may live where `nobody` cannot go.
        timing = prefix(is_root, as_nobody=False)
        for name in programs:
            figures[name] = {"version": [], "shown": [], "total": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            for name, cmd in programs.items():
                figures[name]["version"].append(run([*cmd, "--version"], home, timing)[0])
                seconds, output, _code = run([*cmd, "--self-test"], home, timing)
                figures[name]["total"].append(seconds)
                if (w := window_shown(output)) is not None:
                    figures[name]["shown"].append(w)
        for key, label in (("version", "`--version`, whole process"), ("shown", "window shown after process start"),
                           ("total", "`--self-test`, whole process")):
            print(f"{label:<34}{median_ms(figures['bundle'].get(key, [])):>12}"
                  f"{median_ms(figures['installed'].get(key, [])):>12}")
        subprocess.run(["chmod", "-R", "u+w", str(install)], check=True)

    if failures:
        for f in failures:
            print(f"check_bundle: FAILED: {f}", file=sys.stderr)
        return 1
    print("\ncheck_bundle: the bundle passed its self-test read-only, offline, without Python or the venv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
