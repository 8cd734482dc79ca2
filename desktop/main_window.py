"""The main window: search on the left, answering as the user types; the Trials, Grading
and Toxicity tabs on the right; menus, zoom, and the dataset version always in view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QSplitter, QTabWidget, QVBoxLayout, QWidget

from db.notes.notebook import NotesStore
from db.store import Store
from desktop.banner import Banner
from desktop.elided_label import ElidedLabel
from desktop.notes_panel import NotesPanel
from desktop.search_panel import SearchPanel
from desktop.settings import settings
from desktop.window_keys import TAB_ACTIONS, KeepWindowKeys, TabAction, action_keys, mnemonic
from tumorboard import __version__

if TYPE_CHECKING:
    from db.search.engine import Hit

ZOOM_STEPS = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
RELEASE_CHECK_MS = 5 * 60 * 1000
SEARCH_SHARE_MAX = 0.4  # of the window's width, for the search results when zoomed in


class Tab(Protocol):
    def open_ref(self, ref: str) -> None: ...
    def apply_zoom(self, factor: float) -> None: ...


@dataclass
class Session:
    """What the tabs work on: the dataset, the user's notes, and messages for the user."""

    store: Store
    notes: NotesStore | None = None
    warnings: list[str] = field(default_factory=list)


TabFactory = Callable[[Session], QWidget]

# hit kind -> (tab title, how the ref is passed to that tab)
ROUTES: dict[str, tuple[str, Callable[[str], str]]] = {
    "study": ("Trials", lambda ref: ref),
    "drug": ("Trials", lambda ref: f"drug:{ref}"),
    "disease": ("Trials", lambda ref: f"disease:{ref}"),
    "source": ("Trials", lambda ref: f"source:{ref}"),
    "grading": ("Grading", lambda ref: ref),
    "adverse_event": ("Grading", lambda ref: f"ae:{ref}"),
    "toxicity": ("Toxicity", lambda ref: ref),
}
# the hits a tab takes besides its own, opened in it with Ctrl+Enter while it is in front
TAKEN_HERE: dict[str, frozenset[str]] = {
    "Toxicity": frozenset({"drug", "adverse_event"}),
    "Compare": frozenset({"disease", "drug", "study", "toxicity"}),
    "Case": frozenset({"disease"}),
}


def base_font() -> QFont:
    """The application's font at 100 %, taken once: a window opened while another is zoomed (or after one
    closed zoomed) must not take the zoomed font for its 100 %."""
    app = QApplication.instance()
    kept = app.property("tumorboardBaseFont") if app is not None else None
    if isinstance(kept, QFont):
        return QFont(kept)
    font = QFont(QApplication.font())
    if app is not None:
        app.setProperty("tumorboardBaseFont", font)
    return QFont(font)


class MainWindow(QMainWindow):
    def __init__(self, tabs: Sequence[tuple[str, TabFactory]] = ()) -> None:
        super().__init__()
        self.setWindowTitle("Tumor Board Reference")
        self.store: Store | None = None
        self.notes: NotesStore | None = None
        self._session: Session | None = None
        self._built: set[int] = set()
        self._lazy_connected = False
        self._tab_factories = list(tabs)
        self.zoom = 1.0
        self._base_font = base_font()

        self.search = SearchPanel()
        self.search.open_requested.connect(self.open_hit)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.placeholder = QLabel("Preparing the dataset…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs.addTab(self.placeholder, "Loading")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([300, 1066])
        self.splitter.setChildrenCollapsible(False)
        self.search.setMinimumWidth(240)
        self.banner = Banner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.dataset_label = ElidedLabel("")
        self.statusBar().addPermanentWidget(self.dataset_label)
        self._dataset_texts = ("", "")  # in full, and shortened while a message ('Zoom 150%') needs the room
        self.statusBar().messageChanged.connect(self._status_message)
        self._build_menus()
        self.search.field.setEnabled(False)

    # -- menus and shortcuts ---------------------------------------------------
    def _action(self, menu_name: str, text: str, keys: Sequence[str | QKeySequence.StandardKey],
                slot: Callable[[], object]) -> QAction:
        menu = self._menus.get(menu_name) or self.menuBar().addMenu(menu_name)
        self._menus[menu_name] = menu
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # `triggered` passes `checked`: not the slot's
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, QMenu] = {}
        self.tab_actions: list[QAction] = []
        self._menus["&File"] = self.menuBar().addMenu("&File")  # first in the bar; filled below
        self._action("&View", "&Search", ["Ctrl+K", "Ctrl+F"], self.focus_search)
        taken = set("seaiur")  # Search, Efficacy chart, Grade calculator, Zoom in/out, Reset zoom
        for i, (title, _factory) in enumerate(self._tab_factories):
            keys = [f"Ctrl+{i + 1}"] if i < 9 else []
            self.tab_actions.append(self._action("&View", mnemonic(title, taken), keys, partial(self.show_tab, i)))
        self._action("&View", mnemonic("Open in this tab", taken), ["Ctrl+Return", "Ctrl+Enter"], self.open_here)
        self._action("&View", mnemonic("Next tab", taken), ["Ctrl+Tab", "Ctrl+PgDown"], lambda: self.step_tab(1))
        self._action("&View", mnemonic("Previous tab", taken), ["Ctrl+Shift+Tab", "Ctrl+PgUp"],
                     lambda: self.step_tab(-1))
        self.command_actions = {spec.text.replace("&", ""): self._action(spec.menu, spec.text, spec.keys,
                                                                          partial(self.run_tab_action, spec))
                                for spec in TAB_ACTIONS if any(t == spec.tab for t, _f in self._tab_factories)}
        self._action("&View", "Zoom &in", ["Ctrl+=", "Ctrl++"], lambda: self.step_zoom(1))
        self._action("&View", "Zoom o&ut", ["Ctrl+-"], lambda: self.step_zoom(-1))
        self._action("&View", "&Reset zoom", ["Ctrl+0"], lambda: self.set_zoom(1.0))
        self._menus["&File"].addSeparator()
        self._action("&File", "&Quit", ["Ctrl+Q"], self.close)
        self._action("&Help", "&Keyboard shortcuts", ["F1"], self.show_shortcuts)
        self.about_action = self._action("&Help", "&About", [], self.show_about)
        own = [a for a in self.findChildren(QAction) if a.parent() is self]
        self._keep_keys = KeepWindowKeys(self, action_keys(own))

    def run_tab_action(self, spec: TabAction) -> None:
        """Bring the action's tab forward (building it if needed), then run its command there; a tab in front
        that answers the key itself (the Case tab's Ctrl+S) runs it instead."""
        front = self.tabs.currentIndex()
        if self.tabs.tabText(front) in spec.in_front and front in self._built:
            own = getattr(self.tabs.widget(front), spec.method, None)
            if callable(own):
                own()
                return
        index = next((i for i in range(self.tabs.count()) if self.tabs.tabText(i) == spec.tab), -1)
        if index < 0 or self._session is None:
            return
        in_front = self.tabs.currentIndex() == index
        self.show_tab(index)
        method = getattr(self.tabs.widget(index), spec.method if in_front else spec.from_elsewhere or spec.method,
                         None)
        if callable(method):
            method()

    def step_tab(self, step: int) -> None:
        if self.tabs.count():
            self.show_tab((self.tabs.currentIndex() + step) % self.tabs.count())

    def focus_search(self) -> None:
        self.search.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.field.selectAll()

    def show_tab(self, index: int) -> None:
        if 0 <= index < self.tabs.count():
            self._materialize(index)
            self.tabs.setCurrentIndex(index)

    def show_about(self) -> None:
        from desktop.dialogs import show_about

        if self.store is not None:
            show_about(self, self.store)

    def show_shortcuts(self) -> None:
        from desktop.dialogs import show_shortcuts

        show_shortcuts(self)

    # -- data --------------------------------------------------------------------
    def set_store(self, store: Store) -> None:
        self.set_session(Session(store, None, list(store.warnings)))

    def _status_message(self, message: str) -> None:
        """A message shown for a few seconds takes the room the dataset line would; the dataset version stays."""
        self.dataset_label.setText(self._dataset_texts[1 if message else 0])

    def set_session(self, session: Session) -> None:
        store = session.store
        self.store = store
        self.notes = session.notes
        meta = store.meta()
        self._dataset_texts = (
            f"Tumor Board Reference {__version__} · Dataset {meta['dataset_version']} · "
            f"built {meta['built_at'][:10]} · published data, not a recommendation",
            f"Dataset {meta['dataset_version']} · not a recommendation")
        self._status_message(self.statusBar().currentMessage())
        self._session = session
        self._built = set()
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for title, _factory in self._tab_factories:
            self.tabs.addTab(QWidget(), title)  # built when first shown: start-up builds only one tab
        self.tabs.blockSignals(False)
        if not self._lazy_connected:
            self.tabs.currentChanged.connect(self._materialize)
            self._lazy_connected = True
        self.search.set_search(store.search)
        self.search.field.setEnabled(True)
        self.banner.show_messages(session.warnings)
        update = getattr(store, "update", None)
        if update is not None and getattr(update, "diff", None) is not None:
            self.banner.set_action("&What changed", self.show_changes)
        self._watch_releases()
        self._restore()
        self._materialize(self.tabs.currentIndex())
        self.focus_search()

    def show_changes(self) -> None:
        """The view of what the dataset update at this start changed (a release's diff)."""
        from desktop.release_view import ReleaseView

        update = getattr(self.store, "update", None)
        if update is not None and update.diff is not None:
            self.release_view = ReleaseView(update.diff, self)
            self.release_view.show()

    def _watch_releases(self) -> None:
        """A release that reaches the folder while the window is open is installed at the next start,
        never under the open window; the banner says so (checked every few minutes, a few ms each)."""
        if getattr(self, "_release_timer", None) is not None:
            return
        self._release_timer = QTimer(self)
        self._release_timer.setInterval(RELEASE_CHECK_MS)
        self._release_timer.timeout.connect(self.check_pending_release)
        self._release_timer.start()

    def check_pending_release(self) -> None:
        from db.releases.start import pending

        try:
            message = pending()
        except Exception:  # a folder that cannot be read now is said at the next start, not here
            return
        if message:
            self.banner.add_message(message)

    def show_error(self, text: str) -> None:
        self.placeholder.setText(text)
        self.search.status.setText(text)

    def tab(self, title: str) -> QWidget | None:
        """The tab's widget, built now if it has not been shown yet."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == title:
                return self._materialize(i)
        return None

    def _materialize(self, index: int) -> QWidget | None:
        if not 0 <= index < len(self._tab_factories) or self._session is None:
            return None
        if index in self._built:
            return self.tabs.widget(index)
        title, factory = self._tab_factories[index]
        widget = factory(self._session)
        self._built.add(index)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()
        if self.zoom != 1.0 and hasattr(widget, "apply_zoom"):
            widget.apply_zoom(self.zoom)
        return widget

    def open_hit(self, hit: Hit) -> None:
        route = ROUTES.get(hit.kind)
        if route is None:
            return
        title, make_ref = route
        widget = self.tab(title)
        if widget is None:
            return
        self.tabs.setCurrentWidget(widget)
        widget.open_ref(make_ref(hit.ref))  # type: ignore[attr-defined]
        self.statusBar().showMessage(f"Opened {hit.title}", 4000)

    def open_here(self) -> None:
        """The search's current hit into the tab in front when that tab takes it (a drug or study added to the
        comparison, a drug or adverse event into Toxicity, a disease into the case); else where Enter opens it."""
        hit = self.search.current_hit()
        if hit is None:
            return
        front = self.tabs.currentIndex()
        title = self.tabs.tabText(front)
        route = ROUTES.get(hit.kind)
        if route is None or front not in self._built or hit.kind not in TAKEN_HERE.get(title, frozenset()):
            self.open_hit(hit)
            return
        self.tabs.widget(front).open_ref(route[1](hit.ref))  # type: ignore[attr-defined]
        self.statusBar().showMessage(f"Opened {hit.title} in {title}", 4000)

    # -- zoom ----------------------------------------------------------------------
    def step_zoom(self, direction: int) -> None:
        current = min(range(len(ZOOM_STEPS)), key=lambda i: abs(ZOOM_STEPS[i] - self.zoom))
        self.set_zoom(ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, current + direction))])

    def set_zoom(self, factor: float) -> None:
        before, self.zoom = self.zoom, factor
        self._keep_search_width(factor / before)
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * factor)
        QApplication.setFont(font)
        for i in sorted(self._built):
            widget = self.tabs.widget(i)
            if hasattr(widget, "apply_zoom"):
                widget.apply_zoom(factor)
        self.statusBar().showMessage(f"Zoom {round(factor * 100)}%", 2000)

    def _keep_search_width(self, scale: float) -> None:
        """The results keep their width in characters as the zoom changes (a hit's grade ≥3 figure stays in
        view at 150 %), up to SEARCH_SHARE_MAX of the window; the tabs take the rest."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if len(sizes) != 2 or total <= 0 or scale == 1.0:
            return
        search = min(round(sizes[0] * scale), round(total * SEARCH_SHARE_MAX))
        search = max(search, self.search.minimumWidth())
        self.splitter.setSizes([search, total - search])

    # -- remembered layout -----------------------------------------------------------
    def _restore(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            self.fit_to_screen()
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        self.show_tab(int(s.value("window/tab", 0)))
        zoom = float(s.value("window/zoom", 1.0))
        if zoom != 1.0:
            self.set_zoom(zoom)

    def fit_to_screen(self) -> None:
        """Within the screen's free area, frame included: a layout saved on a larger screen or a projector (or the
        first start's 1366×768 on a smaller laptop) must not put the status bar below the screen's edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area, frame = screen.availableGeometry(), self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width, height = min(self.width(), area.width() - extra_w), min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = max(area.left(), min(frame.x(), area.right() + 1 - width - extra_w))
        y = max(area.top(), min(frame.y(), area.bottom() + 1 - height - extra_h))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def save_layout(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("window/zoom", self.zoom)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for panel in self.findChildren(NotesPanel):
            if not panel.leave():  # the user chose to stay with text that could not be kept
                event.ignore()
                return
        if self.store is not None:
            self.save_layout()
        super().closeEvent(event)
