"""The window's view of what a dataset release changed (db.releases.diff): studies added and
removed, every figure changed by its stable id with old -> new and sources, caveats added."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from db.releases.diff import Diff


def diff_html(d: Diff) -> str:
    out = [f"<h2>Dataset {escape(d.old_version)} → {escape(d.new_version)}</h2>", f"<p>{escape(d.summary())}</p>"]
    if d.studies_added or d.studies_removed:
        out.append("<h3>Studies</h3><ul>")
        out += [f"<li>added: <b>{escape(s.label)}</b> (phase {escape(s.phase)}; {escape(s.source)})</li>"
                for s in d.studies_added]
        out += [f"<li>removed: {escape(s.label)} (phase {escape(s.phase)})</li>" for s in d.studies_removed]
        out.append("</ul>")
    if d.figures_changed:
        out.append("<h3>Figures</h3><table cellpadding='3'><tr><th align='left'>Figure</th><th align='left'>Before"
                   "</th><th align='left'>Now</th><th align='left'>Source</th></tr>")
        for f in d.figures_changed:
            out.append(f"<tr><td>{escape(f.label)}<br><small>{escape(f.figure_id)}</small></td>"
                       f"<td>{escape(f.old or '(new)')}</td><td><b>{escape(f.new or '(removed)')}</b></td>"
                       f"<td><small>{escape(f.new_source or f.old_source)}</small></td></tr>")
        out.append("</table>")
    if d.caveats_added:
        out.append("<h3>Caveats added</h3><ul>")
        out += [f"<li><b>{escape(c.label)}</b> ({escape(c.kind)}): {escape(c.text)}</li>" for c in d.caveats_added]
        out.append("</ul>")
    if d.details_changed:
        out.append("<h3>Other entries</h3><ul>")
        out += [f"<li>{escape(c.kind)} {escape(c.id)}: {escape(', '.join(c.fields))}</li>" for c in d.details_changed]
        out.append("</ul>")
    return "".join(out)


class ReleaseView(QDialog):
    def __init__(self, d: Diff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What changed in the dataset")
        self.browser = QTextBrowser()
        self.browser.setHtml(diff_html(d))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 560)
