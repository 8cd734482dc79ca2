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
    """Fixture body: the real window in a fresh home (`home`), closed with its tasks and dataset after (its zoom
    back to 100 %)."""
    win, tasks = start_window(qtbot)
    yield win
    if win.zoom != 1.0:
        win.set_zoom(1.0)  # the application's font, shared with the next test
    tasks.shutdown()
    win.store.close()


def compare_tab_alone(qtbot: Any, store: Any) -> Iterator[Any]:
    """Fixture body: the Compare tab on its own over the shipped dataset, its worker shut down after."""
    from desktop.compare_tab import CompareTab

    tab = shown(qtbot, CompareTab(store))
    yield tab
    tab.shutdown()


def compare_settled(qtbot: Any, widget: Any) -> Any:
    """The Compare tab holding `widget` (or the tab itself), once the grid shows the comparison of its boxes'
    choices: built off the GUI thread, it follows a change as the user sees it, a moment later."""
    from desktop.compare_tab import CompareTab

    tab = widget
    while tab is not None and not isinstance(tab, CompareTab):
        tab = tab.parentWidget()
    assert tab is not None, "not in a Compare tab"
    qtbot.waitUntil(lambda: not tab.pending(), timeout=10_000)
    return tab


def paint_recorder(label: Any) -> Any:
    """An object whose `texts` are the texts `label` was painted with, in order."""
    from PySide6.QtCore import QEvent, QObject

    class Recorder(QObject):
        def __init__(self) -> None:
            super().__init__(label)
            self.texts: list[str] = []
            label.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.texts.append(label.text())
            return False

    return Recorder()


# -- what the user does: keys, clicks and menu actions (widget methods only set up or read) ------------------

def choose(qtbot: Any, combo: Any, text: str) -> None:
    """Pick `text` in a combo box by keyboard, as a user does: focus it, open its list (F4), type the entry's
    name (the list goes to the entry it begins), Enter."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    assert combo.findText(text) >= 0, f"{text!r} not offered"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_F4)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    type_text(qtbot, view, text)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    qtbot.wait(QApplication.keyboardInputInterval() + 20)  # the user's pause: the next letters start a new search
    assert combo.currentText() == text, f"typing {text!r} chose {combo.currentText()!r}"


def click_index(qtbot: Any, view: Any, index: Any, double: bool = False) -> None:
    """Scroll `index` into view (the user's scrolling) and click it (double-click with `double`)."""
    from PySide6.QtCore import Qt

    assert index.isValid(), "no such row"
    view.scrollTo(index)
    where = view.visualRect(index).center()
    assert view.viewport().rect().contains(where), "the row is out of view"
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    if double:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    click(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def click_row(qtbot: Any, view: Any, row: int, column: int = 0) -> None:
    click_index(qtbot, view, view.model().index(row, column))


def click_header(qtbot: Any, view: Any, column: int) -> None:
    """Click a table's column heading (sorts by it)."""
    from PySide6.QtCore import QPoint, Qt

    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    assert 0 <= x < header.viewport().width(), f"column {column} is out of view"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def menu_action(window: Any, text: str) -> Any:
    """The window's menu action whose text (without its '&') is `text`: `.trigger()` is choosing it in the menu."""
    from PySide6.QtGui import QAction

    found = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == text]
    assert len(found) == 1, f"{len(found)} menu actions named {text!r}"
    return found[0]


def press(qtbot: Any, window: Any, keys: str) -> None:
    """A window's shortcut ('Ctrl+=') pressed where the keyboard sends it: the focus widget of the active window."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keySequence(QApplication.focusWidget() or window, QKeySequence(keys))


def answer_modal(qtbot: Any, key: Any, seen: list[Any]) -> None:
    """When the next modal dialog opens (from a menu action), keep it in `seen` with its text, then press `key`."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, answer)
            return
        seen.append((box, box.text() if hasattr(box, "text") else ""))
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, answer)


def save_through_dialog(qtbot: Any, click: Any, path: Any, after_enter: Any = None) -> None:
    """`click()` opens a save dialog (Qt's own, so keys reach it): the file's full name is typed over the one
    proposed and Enter pressed. `after_enter()` runs once the dialog is answered, before the program writes."""
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    no_native = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    native = QCoreApplication.testAttribute(no_native)
    QCoreApplication.setAttribute(no_native, True)
    answered: list[bool] = []

    def answer(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            if tries < 250:
                QTimer.singleShot(20, lambda: answer(tries + 1))
            return
        field = dialog.findChild(QLineEdit, "fileNameEdit")
        assert field is not None
        dialog.activateWindow()  # offscreen there is no window manager to give the new dialog the focus
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, str(path))
        for _ in range(2):  # the first Enter may go to the file-name completion list the typing opened
            if dialog.isVisible():
                qtbot.keyClick(QApplication.activePopupWidget() or field, Qt.Key.Key_Return)
        answered.append(not dialog.isVisible())
        if dialog.isVisible():  # Enter did not answer it: never leave the test waiting in its event loop
            dialog.reject()
        elif after_enter is not None:
            after_enter()

    try:
        QTimer.singleShot(0, answer)
        click()
    finally:
        QCoreApplication.setAttribute(no_native, native)
    assert answered == [True], f"the save dialog did not take the name typed: {answered}"


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type `text` into the widget; a letter no key of QTest's has ('中', 'é') arrives as a keyboard layout or an
    input method sends it: a key event carrying the text."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def search_for(qtbot: Any, window: Any, text: str) -> None:
    """Ctrl+K (the field's text selected), `text` typed over it, and the answer waited for."""
    panel = window.search
    press(qtbot, window, "Ctrl+K")
    qtbot.waitUntil(panel.field.hasFocus, timeout=2000)
    qtbot.keyClicks(panel.field, text)
    assert panel.field.text() == text
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=5000)  # the search after the last keystroke


def open_from_search(qtbot: Any, window: Any, text: str, kind: str, ref: str, here: bool = False) -> None:
    """Search for `text`, go down the results to the hit (`kind`, `ref`) and press Enter on it (Ctrl+Enter with
    `here`: opened in the tab in front)."""
    from PySide6.QtCore import Qt

    search_for(qtbot, window, text)
    panel = window.search
    for _ in range(panel.model.hit_count()):
        hit = panel.model.hit_at(panel.view.currentIndex())
        if hit is not None and (hit.kind, hit.ref) == (kind, ref):
            break
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    hit = panel.model.hit_at(panel.view.currentIndex())
    assert hit is not None and (hit.kind, hit.ref) == (kind, ref), f"{kind} {ref} is not among the hits for {text!r}"
    if here:
        press(qtbot, window, "Ctrl+Return")
    else:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
