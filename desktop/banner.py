"""A message strip above the tabs for what the user must know (a rebuilt dataset, notes
moved aside), without a modal dialog in the way of the meeting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.ToolTipBase))
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.ToolTipText))
        self.setPalette(palette)
        self.text = QLabel("")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton("")  # e.g. "What changed", shown only with a message that has one
        self.action_button.hide()
        self.close_button = QPushButton("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        self.text.setText("\n".join(messages))
        self.setVisible(bool(messages))

    def add_message(self, message: str) -> None:
        if message not in self.text.text().split("\n"):
            self.show_messages([m for m in (self.text.text() if self.isVisible() else "").split("\n") if m]
                               + [message])

    def set_action(self, label: str, slot: Callable[[], None]) -> None:
        self.action_button.setText(label)
        self.action_button.clicked.connect(slot)
        self.action_button.show()
