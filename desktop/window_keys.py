"""The window's keyboard: menu shortcuts that work whatever has focus, and each tab's own
shortcuts as window actions that bring their tab forward first.

A focused widget may claim a key before any shortcut sees it (Qt's ShortcutOverride): a line
edit takes Ctrl+K (delete to the end of the line) and item views take Ctrl+Tab. The window's
keys are few and chosen for the meeting, so `KeepWindowKeys` refuses those claims for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride


@dataclass(frozen=True)
class TabAction:
    """A tab's own command, reachable from anywhere in the window."""

    tab: str  # the tab's title
    menu: str
    text: str
    keys: tuple[str, ...]
    method: str  # called on the tab's widget when the tab is already in front
    from_elsewhere: str = ""  # called instead when the key brought the tab forward (default: `method`)
    in_front: tuple[str, ...] = ()  # other tabs that answer the key themselves (`method`) when they are in front


TAB_ACTIONS = (
    TabAction("Trials", "&View", "&Efficacy chart", ("Ctrl+E",), "toggle_chart", "open_chart"),
    TabAction("Grading", "&View", "Grade c&alculator", ("Ctrl+G",), "focus_calculator"),
    TabAction("Compare", "&File", "&Save handout PDF…", ("Ctrl+S",), "save_dialog", in_front=("Case",)),
    TabAction("Compare", "&File", "&Print handout…", ("Ctrl+P",), "print_dialog", in_front=("Case",)),
)


def mnemonic(text: str, taken: set[str]) -> str:
    """'&Trials', then 'T&oxicity': the first letter no other item of the menu uses."""
    for i, ch in enumerate(text):
        if ch.isalnum() and ch.casefold() not in taken:
            taken.add(ch.casefold())
            return f"{text[:i]}&{text[i:]}"
    return text


def combination(event: QKeyEvent) -> QKeyCombination:
    """Shift+Tab arrives as Backtab; shortcuts are written with Tab."""
    key = event.key()
    return QKeyCombination(event.modifiers(), Qt.Key.Key_Tab if key == Qt.Key.Key_Backtab else Qt.Key(key))


def action_keys(actions: Iterable[QAction]) -> set[str]:
    """Every single-key shortcut of the actions, as portable text ('Ctrl+K')."""
    return {seq.toString() for a in actions for seq in a.shortcuts() if seq.count() == 1}


class KeepWindowKeys(QObject):
    """Watches whichever widget of `window` has focus and refuses its claim on the window's keys."""

    def __init__(self, window: QWidget, keys: set[str]) -> None:
        super().__init__(window)
        self._window = window
        self._keys = keys
        self._watched: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._watched is not None:
            if isValid(self._watched):  # the focus leaves a widget being deleted before its `destroyed` is sent
                self._watched.removeEventFilter(self)
            self._watched = None
        if new is not None and new.window() is self._window:
            new.installEventFilter(self)
            self._watched = new
            new.destroyed.connect(self._forget)

    def _forget(self) -> None:
        self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == SHORTCUT_OVERRIDE and isinstance(event, QKeyEvent) \
                and QKeySequence(combination(event)).toString() in self._keys:
            event.ignore()  # not the widget's: the shortcut map gets the key
            return True
        return super().eventFilter(watched, event)
