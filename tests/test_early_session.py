"""The dataset and notes opened from the process's first moments (desktop/session.py, started by tumorboard/cli.py
`window_imports`): the window takes that session, with its data in the first paint; an opening that failed is
said in the window; a window of another dataset opens its own, and the early one is closed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import desktop.app as app_module
import desktop.session as session_module
from db.opening import open_store
from db.trials.queries import TrialsQuery
from desktop.app import start
from desktop.session import Opening, open_early, take_early
from tests.conftest import ROOT
from tests.test_first_paint import opened

pytestmark = pytest.mark.gui
TABS = ["Trials", "Grading", "Toxicity", "Compare", "Case"]


@pytest.fixture(autouse=True)
def _no_early_left() -> None:
    yield
    left = take_early(None)  # a test that failed before its start: nothing carried into the next test
    if left is not None:
        left.discard()


def test_the_window_takes_the_early_session_and_paints_its_data_first(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    open_store().close()
    own: list[object] = []
    monkeypatch.setattr(app_module, "load_session", lambda path=None: own.append(path))  # the window's own opening
    open_early()
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    first = opened(qtbot, window)
    assert first.seen == (TABS, True)
    assert own == [], "the window opened the dataset again instead of taking the early session"
    assert take_early(None) is None, "the early session can be taken once only"
    assert "Dataset" in window.dataset_label.text()
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]
    window.notes.close()  # type: ignore[union-attr]


def test_an_early_opening_that_failed_is_said_in_the_window(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(_path: Path | None = None) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(session_module, "open_store", refused)
    open_early()
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    first = opened(qtbot, window)
    assert first.seen == (["Loading"], False)
    assert window.placeholder.text() == "The dataset could not be prepared: disk I/O error"
    tasks.shutdown()


def test_a_window_of_another_dataset_opens_its_own_and_the_early_one_is_closed(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                              tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    open_store(other).close()
    open_early()
    early = session_module._early
    assert early is not None
    window, tasks = start(QApplication.instance(), path=other)  # type: ignore[arg-type]
    opened(qtbot, window)
    qtbot.waitUntil(lambda: window.store is not None, timeout=10_000)
    assert window.store.path == other  # type: ignore[union-attr]
    session = early.wait()
    with pytest.raises(sqlite3.ProgrammingError):  # closed: no connection left open behind the window
        session.store.conn.execute("SELECT 1")
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]
    window.notes.close()  # type: ignore[union-attr]


def test_a_discarded_opening_is_closed_once_open(home: Path) -> None:
    open_store().close()
    opening = Opening()
    opening.discard()  # before or after it has opened: either way closed
    session = opening.wait()
    with pytest.raises(sqlite3.ProgrammingError):
        session.store.conn.execute("SELECT 1")


def test_the_window_command_opens_the_dataset_before_qt_is_imported(home: Path) -> None:
    """As `tumorboard` starts the window (window_imports): the opening has begun before PySide6 is imported."""
    code = ("import sys; from db.opening import open_store; open_store().close()\n"
            "import builtins; real = builtins.__import__; seen = []\n"
            "def spy(name, *a, **k):\n"
            "    if name.startswith('PySide6') and not seen:\n"
            "        import desktop.session as s; seen.append(s._early is not None)\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = spy\n"
            "from tumorboard.cli import window_imports; window_imports()\n"
            "builtins.__import__ = real\n"
            "import desktop.session as s; print(seen, s._early is not None and s._early.wait().store is not None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[True]", "True"]


def test_the_trials_filters_and_orders_are_read_with_the_session_not_on_the_gui_thread(  # type: ignore[no-untyped-def]
        qtbot, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store().close()
    read_on: list[str] = []
    real = TrialsQuery.__init__

    def recorded(self: TrialsQuery, *args: object, **kwargs: object) -> None:
        read_on.append(threading.current_thread().name)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TrialsQuery, "__init__", recorded)
    open_early()
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    assert opened(qtbot, window).seen == (TABS, True)
    assert read_on == ["tumorboard-open"]
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]
    window.notes.close()  # type: ignore[union-attr]


def test_a_session_opens_when_its_trials_filters_cannot_be_read_ahead(home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(self: TrialsQuery, *args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(TrialsQuery, "__init__", unreadable)
    session = session_module.load_session()
    assert session.store.meta()["dataset_version"]  # the window opens; the Trials tab says what it cannot read
    session.store.close()
    session.notes.close()  # type: ignore[union-attr]
