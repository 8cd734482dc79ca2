"""The About box and the keyboard-shortcut list."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

from db.store import Store
from tumorboard import __version__

SHORTCUTS = [
    ("Ctrl+K or Ctrl+F", "Search (type; Up/Down to choose; Enter to open; Esc to clear)"),
    ("Ctrl+Enter", "In the search: open the hit in the tab in front (Compare: add the therapy or set the disease; "
                   "Toxicity: the drug's therapies or the adverse event; Case: the disease)"),
    ("Ctrl+Down / Ctrl+Up", "In the search results: the first hit of the next / previous group"),
    ("Ctrl+1 … Ctrl+5", "Trials, Grading, Toxicity, Compare, Case tab"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "Next / previous tab"),
    ("Ctrl+E", "Efficacy chart in the Trials tab"),
    ("Ctrl+G", "Grade calculator in the Grading tab"),
    ("Ctrl+S / Ctrl+P", "Save / print the handout of the Compare tab, or of the Case tab when it is in front"),
    ("Space", "In the Case tab's options: check or uncheck an option for the handout"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Presentation zoom in / out / reset"),
    ("Alt+underlined letter", "Jump to a filter or button"),
    ("F1", "This list, and what every mark means"),
    ("Ctrl+Q", "Quit"),
]


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in SHORTCUTS)
    return f"<table cellpadding='4'>{rows}</table>"


def about_html(store: Store) -> str:
    meta = store.meta()
    sources = "".join(
        f"<li>{escape(s['citation'])}{' doi:' + escape(s['doi']) if s['doi'] else ''}</li>" for s in store.sources()
    )
    return (
        f"<h3>Tumor Board Reference {escape(__version__)}</h3>"
        f"<p>Dataset <b>{escape(meta['dataset_version'])}</b> ({escape(meta.get('dataset_released', ''))}), "
        f"built {escape(meta['built_at'])}.<br>{escape(meta['dataset_title'])}</p>"
        "<p>A summary of published data for discussion at a tumour board, not a treatment "
        "recommendation. It stores no patient data and never connects to a network.</p>"
        f"<p><b>Sources</b></p><ol>{sources}</ol>"
    )


def show_about(parent: QWidget, store: Store) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About Tumor Board Reference")
    box.setText(about_html(store))
    box.exec()


def show_shortcuts(parent: QWidget) -> None:
    from desktop.marks_legend import marks_html

    box = QMessageBox(parent)
    box.setWindowTitle("Keyboard shortcuts and marks")
    box.setText(shortcuts_html() + marks_html())
    box.exec()
