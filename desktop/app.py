"""Starting the application: the window first, the dataset prepared off the GUI thread."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from db.paths import bundled_resources
from db.store import Store
from desktop import gc_guard
from desktop.main_window import MainWindow, TabFactory
from desktop.tasks import TaskRunner


def load_store(path: Path | None = None) -> Store:
    from db.store import open_store

    return open_store(path)


def tab_factories(tasks: TaskRunner) -> list[tuple[str, TabFactory]]:
    from desktop.compare_tab import CompareTab
    from desktop.grading_tab import GradingTab
    from desktop.toxicity_tab import ToxicityTab
    from desktop.trials_tab import TrialsTab

    return [("Trials", TrialsTab), ("Grading", GradingTab), ("Toxicity", ToxicityTab),
            ("Compare", lambda store: CompareTab(store, tasks=tasks))]


def start(app: QApplication, path: Path | None = None,
          tabs: list[tuple[str, TabFactory]] | None = None) -> tuple[MainWindow, TaskRunner]:
    gc_guard.install(app)
    tasks = TaskRunner(app)
    app.aboutToQuit.connect(tasks.shutdown)
    window = MainWindow(tab_factories(tasks) if tabs is None else tabs)

    def loaded(store: Store | None, error: BaseException | None) -> None:
        if error is not None or store is None:
            window.show_error(f"The dataset could not be prepared: {error}")
        else:
            window.set_store(store)

    tasks.run(lambda: load_store(path), loaded)
    return window, tasks


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Tumor Board Reference")
    app.setOrganizationName("TumorBoardReference")
    app.setWindowIcon(QIcon(str(bundled_resources() / "icons" / "tumorboard.svg")))
    window, _tasks = start(app)
    window.resize(1366, 768)
    window.show()
    return app.exec()
