"""The Trials tab's filters and sort orders are read with the dataset on the window's worker (desktop/app.py
`load_session`), not on the GUI thread while the first paint waits; a dataset whose filters cannot be read ahead
still opens the window."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from db.opening import open_store
from db.trials.queries import TrialsQuery
from desktop.app import load_session, start
from tests.test_first_paint import opened

pytestmark = pytest.mark.gui
TABS = ["Trials", "Grading", "Toxicity", "Compare", "Case"]


def test_the_trials_filters_and_orders_are_read_with_the_dataset_not_on_the_gui_thread(  # type: ignore[no-untyped-def]
        qtbot, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store().close()
    read_on: list[str] = []
    real = TrialsQuery.__init__

    def recorded(self: TrialsQuery, *args: object, **kwargs: object) -> None:
        read_on.append(threading.current_thread().name)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TrialsQuery, "__init__", recorded)
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    assert opened(qtbot, window).seen == (TABS, True)
    assert read_on == ["tumorboard-task"]
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]


def test_a_dataset_opens_when_its_trials_filters_cannot_be_read_ahead(home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(self: TrialsQuery, *args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(TrialsQuery, "__init__", unreadable)
    session = load_session()
    assert session.store.meta()["dataset_version"]  # the window opens; the Trials tab says what it cannot read
    session.store.close()
    session.notes.close()  # type: ignore[union-attr]
