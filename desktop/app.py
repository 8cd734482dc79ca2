"""Starting the application: the window first, the dataset prepared off the GUI thread."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from db.paths import bundled_resources
from desktop.main_window import MainWindow
from desktop.tasks import TaskRunner


def load_store(path: Path | None = None):  # type: ignore[no-untyped-def]
    from db.store import open_store

    return open_store(path)


def start(app: QApplication, path: Path | None = None) -> tuple[MainWindow, TaskRunner]:
    window = MainWindow()
    tasks = TaskRunner(app)
    app.aboutToQuit.connect(tasks.shutdown)

    def loaded(store, error) -> None:  # type: ignore[no-untyped-def]
        if error is not None:
            window.show_error(f"The dataset could not be prepared: {error}")
        else:
            window.set_store(store)

    tasks.run(lambda: load_store(path), loaded)
    return window, tasks


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Tumor Board Reference")
    app.setOrganizationName("TumorBoardReference")
    app.setWindowIcon(QIcon(str(bundled_resources() / "icons" / "tumorboard.svg")))
    window, _tasks = start(app)  # type: ignore[arg-type]
    window.resize(1200, 760)
    window.show()
    return app.exec()
