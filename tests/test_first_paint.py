"""The window as it opens: data in its first paint when the dataset is ready, the window first when
it is not, a status line that never widens the window, and Trials columns fitted without reading
every study again at each start."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

import desktop.app as app_module
from db.opening import open_store
from desktop.app import start
from desktop.main_window import MainWindow
from desktop.settings import settings
from desktop.trials_model import TrialsModel
from tests.window_support import press

pytestmark = pytest.mark.gui


class FirstPaint(QObject):
    """What the window showed when it was first painted: its tab titles, and whether it had the dataset."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen: tuple[list[str], bool] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.seen is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) \
                and watched.window() is self.window:
            tabs = self.window.tabs
            self.seen = ([tabs.tabText(i) for i in range(tabs.count())], self.window.store is not None)
        return False


def opened(qtbot, window: MainWindow) -> FirstPaint:  # type: ignore[no-untyped-def]
    watcher = FirstPaint(window)
    QApplication.instance().installEventFilter(watcher)  # type: ignore[union-attr]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: watcher.seen is not None, timeout=5000)
    QApplication.instance().removeEventFilter(watcher)  # type: ignore[union-attr]
    return watcher


def test_a_ready_dataset_is_in_the_first_paint_with_no_preparing_flash(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    open_store().close()  # built: an ordinary start
    calls: list[object] = []
    real = MainWindow.set_session
    monkeypatch.setattr(MainWindow, "set_session", lambda self, s: calls.append(s) or real(self, s))
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    first = opened(qtbot, window)
    assert first.seen == (["Trials", "Grading", "Toxicity", "Compare", "Case"], True)
    qtbot.wait(100)
    assert len(calls) == 1, "the dataset was handed to the window twice"
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]


def test_a_slow_dataset_shows_the_window_first(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    open_store().close()
    real = app_module.load_session
    monkeypatch.setattr(app_module, "load_session", lambda path=None: time.sleep(0.6) or real(path))
    began = time.perf_counter()
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    waited = time.perf_counter() - began
    assert waited < 0.5, f"the window waited {waited:.2f} s for a slow dataset"
    first = opened(qtbot, window)
    assert first.seen == (["Loading"], False)
    assert window.placeholder.text() == "Preparing the dataset…"
    qtbot.waitUntil(lambda: window.store is not None, timeout=10_000)
    assert window.tabs.tabText(0) == "Trials"
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]


def test_the_status_line_gives_way_instead_of_widening_the_window(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    opened(qtbot, window)
    qtbot.waitUntil(lambda: window.store is not None, timeout=30_000)
    narrowest = window.minimumSizeHint().width()
    text = window.dataset_label.text()
    assert "Dataset" in text and window.dataset_label.toolTip() == text
    window.dataset_label.setText(text + " · a much longer line" * 30)
    assert window.minimumSizeHint().width() == narrowest
    assert window.dataset_label.toolTip().startswith(text)
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]


def widths(window: MainWindow) -> list[int]:
    header = window.tab("Trials").table.horizontalHeader()  # type: ignore[union-attr]
    return [header.sectionSize(c) for c in range(header.count())]


def test_trials_column_widths_are_measured_once_and_remembered(qtbot, home: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = []
    real = TrialsModel.sample_texts
    monkeypatch.setattr(TrialsModel, "sample_texts",
                        lambda self, column, *a: read.append(column) or real(self, column, *a))
    window, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    opened(qtbot, window)
    qtbot.waitUntil(lambda: window.store is not None, timeout=30_000)
    first = widths(window)
    assert read and first, "the first start measures the columns on the studies"
    press(qtbot, window, "Ctrl+Q")
    assert not window.isVisible()
    tasks.shutdown()
    window.store.close()  # type: ignore[union-attr]

    read.clear()
    again, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    opened(qtbot, again)
    qtbot.waitUntil(lambda: again.store is not None, timeout=30_000)
    assert read == [], "the next start read the studies again to fit the columns"
    remembered = widths(again)
    settings().remove("column-fit")  # forgotten: measured on the studies again, for the same width
    again.tab("Trials").columns.contents_changed()  # type: ignore[union-attr]
    assert read and widths(again) == remembered
    read.clear()
    for _ in range(3):  # 150 %: another font, measured again, not taken from the memory
        press(qtbot, again, "Ctrl+=")
    assert again.zoom == 1.5
    qtbot.waitUntil(lambda: bool(read), timeout=5000)
    press(qtbot, again, "Ctrl+0")
    assert again.zoom == 1.0
    tasks.shutdown()
    again.store.close()  # type: ignore[union-attr]
