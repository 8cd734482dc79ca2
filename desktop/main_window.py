"""The main window: a search field over the whole dataset, results below, and the
dataset version in the status bar. The tabbed views build on this frame."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.store import Store
from desktop.search_model import KIND, TITLE, SearchResultsModel


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Tumor Board Reference")
        self.store: Store | None = None

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search studies, drugs, diseases, adverse events…  (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setEnabled(False)
        self.search_field.textChanged.connect(self.run_search)

        self.results = SearchResultsModel()
        self.results_view = QTableView()
        self.results_view.setModel(self.results)
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.verticalHeader().hide()
        self.results_view.setWordWrap(False)
        header = self.results_view.horizontalHeader()
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TITLE, 380)
        header.setStretchLastSection(True)

        self.message = QLabel("Preparing the dataset…")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search_field)
        layout.addWidget(self.message)
        layout.addWidget(self.results_view, 1)
        self.setCentralWidget(central)

        self.dataset_label = QLabel("")
        self.statusBar().addPermanentWidget(self.dataset_label)
        for keys in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(keys), self, activated=self.focus_search)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def set_store(self, store: Store) -> None:
        self.store = store
        meta = store.meta()
        self.dataset_label.setText(f"Dataset {meta['dataset_version']} · built {meta['built_at'][:10]}")
        self.message.setText(" ".join(store.warnings) or "Type to search. Field terms: drug: disease: ae: phase: nct:")
        self.search_field.setEnabled(True)
        self.focus_search()
        self.run_search(self.search_field.text())

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def run_search(self, text: str) -> None:
        if self.store is None:
            return
        hits = self.store.search(text, limit=100) if text.strip() else []
        self.results.set_hits(hits)
        if text.strip():
            self.message.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''} for “{text.strip()}”"
                                 if hits else f"No match for “{text.strip()}”")
