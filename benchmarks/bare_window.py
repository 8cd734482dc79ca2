"""The floor for the cold-start figure: the main window's widgets, with no data and no project code.

A search field over a results tree beside four tabs, each a table with a detail pane,
menus with shortcuts and a status bar: what PySide6 itself costs to show that window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)


class BareWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Bare window")
        search = QWidget()
        layout = QVBoxLayout(search)
        field = QLineEdit()
        field.setPlaceholderText("Search")
        layout.addWidget(field)
        layout.addWidget(QLabel("Type to search."))
        tree = QTreeView()
        tree.setModel(QStandardItemModel(tree))
        layout.addWidget(tree, 1)
        tabs = QTabWidget()
        for title in ("Trials", "Grading", "Toxicity", "Compare"):
            page = QWidget()
            box = QVBoxLayout(page)
            table = QTableView()
            table.setModel(QStandardItemModel(20, 6, table))
            box.addWidget(table, 2)
            box.addWidget(QTextBrowser(), 1)
            tabs.addTab(page, title)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(search)
        splitter.addWidget(tabs)
        splitter.setSizes([340, 1020])
        self.setCentralWidget(splitter)
        self.statusBar().addPermanentWidget(QLabel("Dataset"))
        for name in ("&File", "&View", "&Help"):
            menu = self.menuBar().addMenu(name)
            for i in range(4):
                action = QAction(f"Action {i}", self)
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
                menu.addAction(action)
