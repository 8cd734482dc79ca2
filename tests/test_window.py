"""The window as a user meets it: it opens, prepares the dataset, and answers while they type."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.app import start
from desktop.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, home: Path):  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    win, tasks = start(app)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    yield win
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


def rows(win: MainWindow) -> list[tuple[str, str]]:
    model = win.results
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def test_status_bar_shows_the_dataset_version(window: MainWindow) -> None:
    meta = window.store.meta()  # type: ignore[union-attr]
    assert f"Dataset {meta['dataset_version']}" in window.dataset_label.text()


def test_typing_shows_results_as_you_type(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.search_field, "stoma")
    found = rows(window)
    assert ("Adverse event", "Stomatitis") in found
    assert any(kind == "Toxicity" and title.startswith("Stomatitis — Everolimus") for kind, title in found)
    assert "result" in window.message.text()


def test_no_match_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.search_field, "zzzzqqq")
    assert rows(window) == []
    assert "No match" in window.message.text()


@pytest.mark.parametrize("key", [Qt.Key.Key_K, Qt.Key.Key_F])
def test_shortcut_focuses_search(qtbot, window: MainWindow, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.results_view.setFocus()
    qtbot.waitUntil(window.results_view.hasFocus, timeout=2000)
    qtbot.keyClick(window.results_view, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_field.hasFocus, timeout=2000)
