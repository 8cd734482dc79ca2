"""The search field and its grouped results: answers on every keystroke.

Up/Down in the field move through the hits without leaving it, Ctrl+Down/Ctrl+Up to the first
hit of the next or previous group (past 34 toxicity figures to the studies); Enter opens the
selected (or first) hit in its tab; Escape clears.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.idle_imports import gui_busy
from desktop.search_model import HIT_ROLE, IS_GROUP_ROLE, SNIPPET_ROLE, SearchResultsModel

if TYPE_CHECKING:
    from db.search.engine import Hit

DEBOUNCE_MS = 15
READY_WAIT_MS = 500  # the longest a keystroke's search waits for the engine's modules (then it imports them here)
LIMIT = 120
KEY = QEvent.Type.KeyPress
SOURCE_SEPARATOR = " · "  # a toxicity hit's snippet: "<figures> · <source>, <table>"
MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}


def hit_lines(hit: Hit | None, title: str, snippet: str) -> list[str]:
    """A hit's lines in full: its title, then its snippet; a toxicity figure's source ("Pitoia 2022, Table 1")
    on a line of its own, so that a long figure never pushes the source out of view."""
    figures, separator, source = snippet.rpartition(SOURCE_SEPARATOR)
    if hit is not None and hit.kind == "toxicity" and separator:
        return [title, figures, source]
    return [title, snippet] if hit is not None else [title]


EVENT_SEPARATOR = " — "  # a toxicity hit's title: "<event> — <therapy> (<study>)"


def toxicity_title(metrics: QFontMetrics, width: int, title: str) -> str:
    """A toxicity hit's title in `width` pixels: what was asked for kept whole — the event and the therapy —
    and the study shortened first ("Fatigue — Vemurafenib (Vemurafenib in BR…"); only when even that does not
    fit, the event too ("Hype… — Lenvatinib (SEL…"). The study is whole in the tooltip and when opened."""
    if metrics.horizontalAdvance(title) <= width:
        return title
    event, separator, rest = title.partition(EVENT_SEPARATOR)
    if not separator:
        return metrics.elidedText(title, Qt.TextElideMode.ElideRight, width)
    therapy, paren, study = rest.partition(" (")
    kept = event + separator + therapy + paren
    if paren and metrics.horizontalAdvance(kept + study[:3] + "…") <= width:
        return kept + metrics.elidedText(study, Qt.TextElideMode.ElideRight, width - metrics.horizontalAdvance(kept))
    room = width - metrics.horizontalAdvance(separator + rest)
    if room >= metrics.horizontalAdvance(event[:4] + "…"):
        return metrics.elidedText(event, Qt.TextElideMode.ElideRight, room) + separator + rest
    head = event[:4] + "…" + separator
    return head + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width - metrics.horizontalAdvance(head))


def shown_lines(metrics: QFontMetrics, title_metrics: QFontMetrics, width: int, hit: Hit | None, title: str,
                snippet: str) -> list[str]:
    """The lines as the list shows them in `width` pixels."""
    first, *rest = hit_lines(hit, title, snippet)
    shown = (toxicity_title(title_metrics, width, first) if hit is not None and hit.kind == "toxicity"
             else title_metrics.elidedText(first, Qt.TextElideMode.ElideRight, width))
    return [shown, *(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in rest)]


class HitDelegate(QStyledItemDelegate):
    """Title on the first line, the figure and its source on the next (a toxicity figure's source on a third)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        hit, snippet = index.data(HIT_ROLE), str(index.data(SNIPPET_ROLE) or "")
        lines = 1 if index.data(IS_GROUP_ROLE) else len(hit_lines(hit, "", snippet))
        return QSize(200, metrics.height() * lines + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, snippet = opt.text, index.data(SNIPPET_ROLE)  # type: ignore[attr-defined]
        opt.text = ""  # type: ignore[attr-defined]
        style = opt.widget.style() if opt.widget else None  # type: ignore[attr-defined]
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)  # type: ignore[attr-defined]
        rect: QRect = opt.rect.adjusted(4, 3, -4, -3)  # type: ignore[attr-defined]
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = opt.palette  # type: ignore[attr-defined]
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        font = QFont(opt.font)  # type: ignore[attr-defined]
        font.setBold(True)
        lines = shown_lines(QFontMetrics(opt.font), QFontMetrics(font), rect.width(),  # type: ignore[attr-defined]
                            index.data(HIT_ROLE), text, snippet or "")
        painter.setPen(palette.color(role))
        top = 0
        for n, line in enumerate(lines):
            painter.setFont(font if n == 0 else opt.font)  # type: ignore[attr-defined]
            painter.drawText(rect.adjusted(0, top, 0, 0), Qt.AlignmentFlag.AlignLeft, line)
            top += QFontMetrics(painter.font()).height()
        painter.restore()


class SearchPanel(QWidget):
    open_requested = Signal(object)  # Hit

    def __init__(self, search: Callable[[str, int], list[Hit]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._lead: Callable[..., str | None] | None = None
        self._ready: Callable[[], bool] | None = None
        self._waiting_since: float | None = None
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search: lenva hyper, RADIANT-3, pNET, drug:everolimus phase:3  (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setToolTip("Up/Down: the results · Ctrl+Down/Ctrl+Up: the next or previous group · "
                              "Enter: open · Esc: clear")
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what was typed
        self.status.setWordWrap(True)
        self.model = SearchResultsModel()
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setUniformRowHeights(False)
        # by pixel: per item, Qt sizes the page from the last rows and leaves a hit below taller rows out of view
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Search results")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._debounced)
        self.field.textChanged.connect(self._text_changed)
        self.field.returnPressed.connect(self.open_current)
        self.field.installEventFilter(self)
        self.view.activated.connect(self._open_index)
        self.view.clicked.connect(self._open_index)

    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._timer.start()  # coalesce a burst of keystrokes into one search
        else:
            self.refresh()

    def set_search(self, search: Callable[[str, int], list[Hit]]) -> None:
        """The engine to ask; when it is a Store's `search`, opening a drug or disease hit also opens
        that store's highest-evidence study for it (`Store.lead_study`), unless `set_lead` says otherwise."""
        self._search = search
        if self._lead is None:
            self._lead = getattr(getattr(search, "__self__", None), "lead_study", None)
        self.refresh()

    def wait_for(self, ready: Callable[[], bool]) -> None:
        """A typed search runs once `ready()` (the engine's modules imported on the worker: desktop/warm_up.py),
        or READY_WAIT_MS after it first waited, instead of importing them on the GUI thread."""
        self._ready = ready

    def _debounced(self) -> None:
        if self._ready is not None and not self._ready():
            now = time.monotonic()
            self._waiting_since = self._waiting_since or now
            if (now - self._waiting_since) * 1000 < READY_WAIT_MS:
                self._timer.start()
                return
        self._ready = None  # ready once: never asked again
        self.refresh()

    def set_lead(self, lead: Callable[..., str | None] | None) -> None:
        """`lead(drug=id)` / `lead(disease=id)`: the study a drug or disease hit leads to."""
        self._lead = lead

    def refresh(self) -> None:
        gui_busy()  # the answer, its rows and their painting: the warm-up's worker stands aside meanwhile
        self._timer.stop()
        text = self.field.text()
        if self._search is None:
            return
        hits = self._search(text, LIMIT) if text.strip() else []
        self.model.set_hits(hits)
        self.view.expandAll()
        first = self.model.first_hit_index()
        if first.isValid():
            self.view.setCurrentIndex(first)
            self.view.scrollToTop()
        query = text.strip()
        notice = getattr(hits, "notice", "")  # an acronym or registry number that names no study
        if not query:
            self.status.setText("Type to search studies, drugs, diseases, adverse events and grading tables.")
        elif hits:
            n = self.model.hit_count()
            counted = f"{n}{'+' if n >= LIMIT else ''} result{'s' if n != 1 else ''} — Enter opens"
            self.status.setText(f"{notice} {counted}" if notice else counted)
        else:
            self.status.setText(notice or f"No match for “{query}”.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == KEY:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and isinstance(event, QKeyEvent) \
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._move_group(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in MOVES:
                self._move(key)
                return True
            if key == Qt.Key.Key_Escape and self.field.text():
                self.field.clear()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        if self._timer.isActive():
            self.refresh()
        hits = [self.model.index(r, 0, self.model.index(g, 0)) for g in range(self.model.rowCount())
                for r in range(self.model.rowCount(self.model.index(g, 0)))]
        if not hits:
            return
        current = self.view.currentIndex()
        pos = next((i for i, ix in enumerate(hits) if ix == current), -1)
        self._go(hits[max(0, min(len(hits) - 1, pos + MOVES[key]))])

    def _move_group(self, step: int) -> None:
        """To the first hit of the next (1) or previous (-1) group, its heading at the top of the list;
        Ctrl+Up inside a group goes to the group's own first hit."""
        if self._timer.isActive():
            self.refresh()
        count = self.model.rowCount()
        if not count:
            return
        current = self.view.currentIndex()
        group = current.parent().row() if current.parent().isValid() else -1
        if step < 0 and current.row() > 0 and group >= 0:
            target = group
        else:
            target = max(0, min(count - 1, group + step))
        heading = self.model.index(target, 0)
        self.view.scrollTo(heading, QAbstractItemView.ScrollHint.PositionAtTop)
        self._go(self.model.index(0, 0, heading))

    def _go(self, target: QModelIndex) -> None:
        self.view.setCurrentIndex(target)
        self.view.scrollTo(target)

    def current_hit(self) -> Hit | None:
        if self._timer.isActive():
            self.refresh()
        return self.model.hit_at(self.view.currentIndex()) or self.model.hit_at(self.model.first_hit_index())

    def open_current(self) -> None:
        hit = self.current_hit()
        if hit is not None:
            self._open(hit)

    def _open_index(self, index: QModelIndex) -> None:
        hit = self.model.hit_at(index)
        if hit is not None:
            self._open(hit)

    def _open(self, hit: Hit) -> None:
        """Open the hit; a drug or disease hit then opens its highest-evidence study too (its Trials
        filter is kept, the study selected in it): cabozantinib leads to COSMIC-311, not a phase 1 study."""
        self.open_requested.emit(hit)
        lead = self.lead_hit(hit)
        if lead is not None:
            self.open_requested.emit(lead)

    def lead_hit(self, hit: Hit) -> Hit | None:
        if hit.kind not in ("drug", "disease") or self._lead is None or self._search is None:
            return None
        study = self._lead(**{hit.kind: hit.ref})
        if study is None:
            return None
        found = [h for h in self._search(study, 5) if h.kind == "study" and h.ref == study]
        from db.search.engine import Hit

        return found[0] if found else Hit("study", study, study, "", 0.0)
