"""Starting the real window in a test, as `tumorboard` does, and waiting until its dataset is open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def start_window(qtbot: Any) -> tuple[Any, Any]:
    """(window, tasks): shown, with the dataset and notes loaded; close the window and shut the tasks down."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import start

    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    return win, tasks


def shown(qtbot: Any, widget: Any, width: int = 1100, height: int = 700, exposed: bool = True) -> Any:
    """A tab built on its own, as a user sees it: owned by the test, sized, shown (and exposed)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    if exposed:
        qtbot.waitExposed(widget)
    return widget


def opened_window(qtbot: Any, home: Any) -> Iterator[Any]:
    """Fixture body: the real window in a fresh home (`home`), closed with its tasks and dataset after."""
    win, tasks = start_window(qtbot)
    yield win
    tasks.shutdown()
    win.store.close()


def compare_tab_alone(qtbot: Any, store: Any) -> Iterator[Any]:
    """Fixture body: the Compare tab on its own over the shipped dataset, its worker shut down after."""
    from desktop.compare_tab import CompareTab

    tab = shown(qtbot, CompareTab(store))
    yield tab
    tab.shutdown()
