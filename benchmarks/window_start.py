"""Child process for the cold-start figure: open a window, report at its first paint, exit.

    python -m benchmarks.window_start app      # the real main window, as `tumorboard` opens it
    python -m benchmarks.window_start bare     # a bare PySide6 window with the same widgets
    python -m benchmarks.window_start session  # the real window, then a meeting's worth of use

It prints one JSON line when the window has painted with its data (the parent times the
process from its start to that line) and exits at once. `session` then types searches,
visits every tab, draws the charts and makes a handout before it reports peak memory.
"""

from __future__ import annotations

import json
import os
import sys

HEAVY = ("reportlab", "pyqtgraph", "numpy", "sqlite_utils", "yaml")


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across
    exec, so a child would report its parent's peak (the benchmark's, with a registry loaded)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows: not measured here
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _report(**extra: object) -> None:
    line = {"peak_rss_mb": round(_peak_mb(), 1), "heavy": [m for m in HEAVY if m in sys.modules], **extra}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def main(mode: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if mode != "bare":  # as `tumorboard` starts the window, before PySide6 (tumorboard/cli.py `main`)
        from tumorboard.cli import window_imports

        window_imports()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    main_window = None
    if mode == "bare":
        from benchmarks.bare_window import BareWindow

        window: QWidget = BareWindow()
    else:
        from desktop.app import start

        app.setApplicationName("Tumor Board Reference")
        main_window, _tasks = start(app)
        window = main_window

    def ready() -> bool:
        """Painting with data: the dataset is loaded (the bare window has none to wait for)."""
        return main_window is None or main_window.store is not None

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and ready() and isinstance(watched, QWidget) \
                    and watched.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, painted)
            return False

    def painted() -> None:
        _report(mode=mode)
        if mode != "session":
            os._exit(0)
        from benchmarks.session import run_session

        figures = run_session(app, main_window)
        _report(mode=mode, session=figures)
        os._exit(0)

    guard = FirstPaint()
    app.installEventFilter(guard)
    if main_window is None:
        window.resize(1366, 768)  # the app's own size (or its saved layout) as `tumorboard` opens it
    window.show()
    QTimer.singleShot(120_000, lambda: os._exit(3))
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "app")
