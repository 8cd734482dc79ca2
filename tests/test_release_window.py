"""The window after a dataset update: the banner says what changed and opens the view; a release
that reaches the folder while the window is open is announced for the next start, never installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.opening import open_store
from desktop import main_window
from tests.release_support import A, B, Kit, kit, releases_folder
from tests.window_support import start_window
from tumorboard.cli import main


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


_window = start_window


def test_the_window_says_what_an_update_changed_and_shows_it(qtbot, home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch, k: Kit) -> None:
    folder = releases_folder(tmp_path, monkeypatch, k)
    open_store().close()
    assert main(["release", "install", str(k.a), "--trust", str(k.pub)]) == 0
    open_store().close()  # the start that announces A
    shutil.copy(k.b, folder)
    win, tasks = _window(qtbot)
    assert f"Dataset updated {A} → {B}" in win.banner.text.text()
    assert win.banner.action_button.isVisible() and "What changed" in win.banner.action_button.text()
    qtbot.mouseClick(win.banner.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(win, "release_view", None) is not None and win.release_view.isVisible())
    shown = win.release_view.browser.toPlainText()
    assert "11.4 months" in shown and "11.5 months" in shown and "radiant-3/everolimus/pfs_median" in shown
    assert "TEST-1" in shown and "added" in shown and "removed" in shown
    win.close()
    tasks.shutdown()


def test_a_release_arriving_while_the_window_is_open_waits_for_the_next_start(  # type: ignore[no-untyped-def]
        qtbot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> None:
    folder = releases_folder(tmp_path, monkeypatch, k)
    monkeypatch.setattr(main_window, "RELEASE_CHECK_MS", 50)  # the window's check, every few minutes, sooner
    win, tasks = _window(qtbot)
    version = win.store.meta()["dataset_version"]
    qtbot.wait(200)  # checked, nothing in the folder yet
    assert "Dataset release" not in win.banner.text.text()
    shutil.copy(k.b, folder)
    said = f"Dataset release {B} is in the releases folder; it is installed at the next start."
    qtbot.waitUntil(lambda: said in win.banner.text.text(), timeout=5000)
    assert win.store.meta()["dataset_version"] == version  # nothing changed under the open window
    win.close()
    tasks.shutdown()
