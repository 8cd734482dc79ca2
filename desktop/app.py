"""Starting the application: the window first, the dataset prepared off the GUI thread."""

from __future__ import annotations

import sys
from pathlib import Path

# The Qt-free modules a start needs, before PySide6: once PySide6 is imported it hooks every
# later import and reads the module's whole source (its `from __feature__` check), about
# 0.1 ms a module, paid again by each of these at every start.
import db.building.build  # isort: skip
import db.notes.notebook  # isort: skip
import db.notes.drafts  # isort: skip
import db.paths  # isort: skip
import db.opening  # isort: skip
import db.trials.table  # isort: skip
import db.trials.queries  # noqa: F401  # isort: skip
import desktop.qt_import  # noqa: F401  # isort: skip  # PySide6, told which of these it need not read again
from PySide6.QtGui import QIcon  # isort: skip
from PySide6.QtWidgets import QApplication, QWidget  # isort: skip

from db.paths import bundled_resources
from desktop import gc_guard
from desktop.main_window import MainWindow, Session, TabFactory
from desktop.tasks import TaskRunner
from desktop.warm_up import SEARCH, WarmUp

READY_WAIT_S = 0.1  # how long a start waits for the dataset before showing the window without it
GUI_NOTES_TIMEOUT_MS = 250  # a locked notes database is a short wait and a retry, never a frozen window


def load_session(path: Path | None = None) -> Session:
    """Open (building or repairing if needed) the dataset, and the user's notes: slow on first start.

    The published data opens whatever state the notes are in: notes that cannot be opened
    are left out with a message, never a reason to refuse the window."""
    from db.notes.drafts import all_drafts, drafts_folder
    from db.notes.notebook import NotesError, NotesStore
    from db.opening import open_store

    store = open_store(path)
    warnings = list(store.warnings)
    notes: NotesStore | None = None
    try:
        notes = NotesStore(timeout_ms=GUI_NOTES_TIMEOUT_MS)
    except NotesError as exc:
        warnings.append(f"Your local notes are not available: {exc}. The published data is shown; restart to "
                        "see the notes.")
    if notes is not None:
        if notes.moved_aside is not None:
            warnings.append(f"Your notes database was damaged. It was kept as {notes.moved_aside} and a new, "
                            "empty notes database was started; nothing was deleted.")
        if notes.wal_moved_aside is not None:
            warnings.append(f"The notes database's journal was damaged ({notes.wal_problem}): changes saved in it "
                            f"could not be read. It was kept as {notes.wal_moved_aside}; nothing was deleted.")
        if notes.problem:
            warnings.append(f"Local notes: {notes.problem}")
        damaged = notes.damaged() if not notes.read_only else []
        if damaged:
            names = ", ".join(f"{n.entity_kind} {n.entity_id}" for n in damaged[:5])
            warnings.append(f"{len(damaged)} local note(s) hold damaged text ({names}); they are shown read-only "
                            "and kept as stored.")
        drafts = all_drafts(drafts_folder(notes.path))
        if drafts:
            names = ", ".join(f"{d.entity_kind} {d.entity_id}" for d in drafts[:5])
            warnings.append(f"{len(drafts)} note(s) could not be saved last time ({names}); the text was kept and "
                            "is offered back when you open each one.")
    return Session(store, notes, warnings)


def tab_factories(tasks: TaskRunner) -> list[tuple[str, TabFactory]]:
    """Each tab's module is imported when the tab is first shown, not at start-up."""

    def trials(s: Session) -> QWidget:
        from desktop.trials_tab import TrialsTab

        return TrialsTab(s.store, notes=s.notes, tasks=tasks)

    def grading(s: Session) -> QWidget:
        from desktop.grading_tab import GradingTab

        return GradingTab(s.store)

    def toxicity(s: Session) -> QWidget:
        from desktop.toxicity_tab import ToxicityTab

        return ToxicityTab(s.store)

    def compare(s: Session) -> QWidget:
        from desktop.compare_tab import CompareTab

        return CompareTab(s.store, tasks=tasks, notes=s.notes)

    def case(s: Session) -> QWidget:
        from desktop.case_tab import CaseTab

        return CaseTab(s.store, tasks=tasks)

    return [("Trials", trials), ("Grading", grading), ("Toxicity", toxicity), ("Compare", compare), ("Case", case)]


def start(app: QApplication, path: Path | None = None,
          tabs: list[tuple[str, TabFactory]] | None = None) -> tuple[MainWindow, TaskRunner]:
    collector = gc_guard.install(app)
    collector.hold()  # until the window has settled: what its start makes, it keeps
    tasks = TaskRunner(app)
    app.aboutToQuit.connect(tasks.shutdown)

    def loaded(session: Session | None, error: BaseException | None) -> None:
        if error is not None or session is None:
            window.show_error(f"The dataset could not be prepared: {error}")
        else:
            window.set_session(session)

    job = tasks.run(lambda: load_session(path), loaded)  # the dataset opens while the window is built
    window = MainWindow(tab_factories(tasks) if tabs is None else tabs)
    window.resize(1366, 768)  # until the saved layout is restored with the dataset
    warm = window.warm_up = WarmUp(window, tasks, lambda: window.store is not None)  # type: ignore[attr-defined]
    window.search.wait_for(lambda: warm.ready(SEARCH))
    warm.settled.connect(lambda: collector.freeze(window))
    job.deliver_now(READY_WAIT_S)  # usually ready: the first paint shows the data, no 'Preparing' flash
    return window, tasks


def run() -> int:
    """The window; exit 1 with what to install when Qt could not open one here (instead of Qt's abort)."""
    from desktop.display_check import display_problem

    if QApplication.instance() is None and (problem := display_problem()):
        print(problem, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Tumor Board Reference")
    app.setOrganizationName("TumorBoardReference")
    app.setWindowIcon(QIcon(str(bundled_resources() / "icons" / "tumorboard.svg")))
    window, _tasks = start(app)
    show(window)
    return app.exec()


def show(window: MainWindow) -> None:
    """Maximised on a first start (no layout saved yet: a 1920×1080 screen is used whole); later as the user
    left it, the layout restored with the dataset, within the screen."""
    from desktop.settings import settings

    if settings().value("window/geometry") is None:
        window.showMaximized()
        return
    window.fit_to_screen()  # a smaller laptop screen: no taller than it
    window.show()
