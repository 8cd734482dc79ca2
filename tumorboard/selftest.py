"""`tumorboard --self-test`: prove an installation works, the way IT checks a workstation.

It checks the installed files, the user's data folder and its databases (rebuilding the
dataset database when it is missing, damaged or outdated, as the program does at start),
opens the main window offscreen, runs a search, opens a hit and a chart, and writes a
handout into a temporary folder that it deletes. Each step prints with its time; the
first failure prints what went wrong and the exit status is 1. The user's layout and
notes are left as they were.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tumorboard.selftest_data import Context, Failure, step_data_folder, step_dataset, step_install, step_notes

QUERY = "RADIANT-3"
HANDOUT = ("pnet", ["everolimus", "sunitinib"])
WAIT_S = 60.0


def _since_start() -> float | None:
    """Seconds since this process started (Linux), for a start-to-window figure."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _wait(ctx: Context, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            raise Failure(f"{what} did not happen within {WAIT_S:.0f} s")
        ctx.app.processEvents()
        time.sleep(0.005)


def step_window(ctx: Context) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from db.paths import bundled_resources
    from desktop.app import start

    def quiet(_kind: Any, _context: Any, message: str) -> None:
        """The offscreen platform warns that it cannot size windows: noise in an IT log."""
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    ctx.app = app
    icon = QIcon(str(bundled_resources() / "icons" / "tumorboard.svg"))
    if icon.isNull() or icon.pixmap(64, 64).isNull():
        raise Failure("the application icon (SVG) cannot be drawn: Qt's SVG plugin is missing")
    ctx.window, ctx.tasks = start(app)
    ctx.window.resize(1366, 768)
    ctx.window.show()
    app.processEvents()
    shown = _since_start()
    failed = ctx.window.placeholder.text

    _wait(ctx, lambda: ctx.window.store is not None or failed().startswith("The dataset could not"),
          "loading the dataset in the window")
    if ctx.window.store is None:
        raise Failure(failed())
    tabs = [ctx.window.tabs.tabText(i) for i in range(ctx.window.tabs.count())]
    label = ctx.window.dataset_label.text()
    if ctx.dataset_version not in label:
        raise Failure(f"the status bar does not show dataset {ctx.dataset_version}: “{label}”")
    from desktop.dialogs import about_html
    from tumorboard import __version__

    about = about_html(ctx.window.store)
    if __version__ not in about or ctx.dataset_version not in about:
        raise Failure(f"Help > About does not show version {__version__} and dataset {ctx.dataset_version}")
    since = f", window shown {shown:.2f} s after the process started" if shown is not None else ""
    said = "".join(f"\n      start warning: {w}" for w in ctx.window.store.warnings)
    return (f"platform {app.platformName()}, {_native_plugin()}; tabs {', '.join(tabs)}; "
            f"status bar “{label.split(' · ')[0]}”{since}{said}")


def _native_plugin() -> str:
    """The desktop's own platform plugin must load, or the real window cannot open (missing system
    libraries show here). Without a desktop session (e.g. over ssh) that is only a warning."""
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    native = {"linux": "qxcb", "win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform)
    if native is None:
        return "native plugin not checked"
    files = [p for p in folder.glob("*") if p.name.split(".")[0].removeprefix("lib") == native]
    problem = f"Qt's {native} plugin is missing from {folder}"
    if files:
        loader = QPluginLoader(str(files[0]))
        if loader.load():
            loader.unload()
            return f"{native} plugin loads"
        problem = f"Qt's {native} plugin does not load: {loader.errorString()}"
    desktop = sys.platform != "linux" or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if desktop:
        raise Failure(f"{problem}; the window cannot open on this desktop (install the missing system libraries)")
    return f"WARNING: {problem} (no desktop session here, so not a failure)"


def step_search(ctx: Context) -> str:
    win = ctx.window
    win.search.field.setText(QUERY)
    win.search.refresh()
    hit = win.search.current_hit()
    count = win.search.model.hit_count()
    if hit is None:
        raise Failure(f"searching “{QUERY}” found nothing")
    win.search.open_current()
    ctx.app.processEvents()
    current = win.tabs.tabText(win.tabs.currentIndex())
    if not hit.title.startswith(QUERY) or current != "Trials":
        raise Failure(f"searching “{QUERY}” opened “{hit.title}” in {current}, expected {QUERY} in Trials")
    return f"“{QUERY}”: {count} hit(s); opened “{hit.title}” in the {current} tab"


def step_chart(ctx: Context) -> str:
    trials = ctx.window.tab("Trials")
    trials.chart_button.setChecked(True)
    ctx.app.processEvents()
    bars = len(trials.chart.bars)
    if bars == 0 or "pyqtgraph" not in sys.modules:
        raise Failure("the efficacy chart drew no bars")
    trials.chart_button.setChecked(False)
    return f"efficacy chart (pyqtgraph): {bars} bar(s), {len(trials.chart.hrs)} hazard ratio(s)"


def step_handout(ctx: Context) -> str:
    from PySide6.QtPdf import QPdfDocument

    from db.compare.summaries import build_comparison
    from handout.document import write_handout

    store = ctx.window.store
    disease, therapies = HANDOUT
    comparison = build_comparison(store, disease, therapies)
    with tempfile.TemporaryDirectory(prefix="tumorboard-self-test-") as folder:
        path = write_handout(store, comparison, Path(folder) / "handout.pdf", meeting="Self-test")
        size = path.stat().st_size
        if path.read_bytes()[:5] != b"%PDF-":
            raise Failure(f"the handout {path} is not a PDF")
        doc = QPdfDocument()
        try:
            if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() < 1:
                raise Failure(f"Qt's PDF module could not read the handout {path} (printing would fail)")
            pages = doc.pageCount()
        finally:
            doc.close()
    if Path(folder).exists():
        raise Failure(f"the temporary folder {folder} was not removed")
    return (f"{comparison.disease_name}: {', '.join(comparison.labels)}; {pages} page(s), {size // 1024} kB "
            f"in {folder} (read back with QtPdf; folder removed)")


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("install", step_install), ("data", step_data_folder), ("dataset", step_dataset), ("notes", step_notes),
    ("window", step_window), ("search", step_search), ("chart", step_chart), ("handout", step_handout),
]


def _close(ctx: Context) -> None:
    """Hide, not close: closing would save the self-test's layout over the user's."""
    if ctx.window is not None:
        ctx.window.hide()
        if ctx.tasks is not None:
            ctx.tasks.shutdown()
        if ctx.window.store is not None:
            ctx.window.store.close()


def run(out: Callable[[str], None] | None = None) -> int:
    say = out or (lambda line: print(line, flush=True))
    ctx = Context()
    say("Tumor Board Reference self-test")
    started = time.perf_counter()
    previous_hook = sys.excepthook

    def record(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        """Qt prints an exception raised in a slot and carries on: the self-test must not."""
        ctx.errors.append(error)
        previous_hook(kind, error, tb)

    sys.excepthook = record
    try:
        for name, fn in STEPS:
            t0 = time.perf_counter()
            problem = ""
            try:
                detail = fn(ctx)
            except Failure as exc:
                problem = str(exc)
            except Exception as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if ctx.errors:
                error = ctx.errors[0]
                problem = f"{type(error).__name__}: {error} (raised inside the window; traceback above)"
            if problem:
                return _failed(say, name, problem)
            say(f"  ok  {name:<8} {(time.perf_counter() - t0) * 1000:7.0f} ms  {detail}")
    finally:
        sys.excepthook = previous_hook
        _close(ctx)
    say(f"self-test passed in {time.perf_counter() - started:.2f} s")
    return 0


def _failed(say: Callable[[str], None], name: str, message: str) -> int:
    say(f"  FAIL {name:<7} {message}")
    print(f"tumorboard --self-test: FAILED at {name}: {message}", file=sys.stderr, flush=True)
    return 1
