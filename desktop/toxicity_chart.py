"""The toxicity chart: grouped horizontal bars, one row per (event, therapy, study).

Wide muted bar = all grades, narrow solid bar = grade 3–4 or ≥3 as the source heads its column, one
Okabe-Ito colour per therapy. pyqtgraph is imported when the chart is first drawn.
Title, legend and caption (sources, dataset version) are part of the scene, so a saved
PNG carries them.
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from db.atomic import atomic_path
from db.toxicity.plan import ChartPlan
from desktop.batches import Batches

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")  # blue, vermillion, bluish green, reddish purple
BASE_PT = 10.0
EXPORT_SCALE = 2  # saved PNGs at twice the screen resolution: sharp on a slide
VALUE_SHARE = 0.85  # at most this share of the plot's width for the values printed right of a bar
AXIS_PAD, LAYOUT_PAD = 14, 12  # px beside the bar labels' text, and around the plot in its layout
PREPARE_AFTER_MS = 50  # after the tab is shown: its own first paint is not held by the chart's widget being made


def colours(slot: int, background: QColor) -> tuple[QColor, QColor]:
    """(pale, solid) colours of a therapy: pale is the solid colour blended into the background."""
    solid = QColor(OKABE_ITO[slot % len(OKABE_ITO)])
    mix = 0.55
    pale = QColor.fromRgbF(*(s * (1 - mix) + b * mix for s, b in zip(
        (solid.redF(), solid.greenF(), solid.blueF()), (background.redF(), background.greenF(), background.blueF()),
        strict=True)))
    return pale, solid


class ToxicityChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan: ChartPlan | None = None
        self._version = ""
        self._zoom = 1.0
        self._glw: Any = None
        self.drawn: list[tuple[str, str, float]] = []  # (bar label, "all" or "high", value): what the chart shows
        self.tick_labels: list[str] = []  # one per bar row, in full
        self.shown_labels: list[str] = []  # as the axis shows them: shortened to the chart's width
        self.headers: list[str] = []
        self.caption_text = ""
        self._plot: Any = None
        self._texts: list[list[Any]] = []  # [item (None until made), bar end, row, text width in px]
        self._labels_to_make = Batches(self, after=self._fit_x)
        self._labels: list[Any] = []  # title, legend, caption: wrapped to the chart's width
        self._ticks: list[tuple[float, str, str]] = []  # (row, label, short label)
        self._placeholder = QLabel("Choose one or more therapies to see the chart.")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab here, then arrows and Page keys scroll
        self._scroll.setAccessibleName("Adverse-event chart")
        self._scroll.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._placeholder)
        layout.addWidget(self._scroll)

    @property
    def built(self) -> bool:
        return self._glw is not None

    def set_plan(self, plan: ChartPlan | None, version: str) -> None:
        self._plan, self._version = plan, version
        if self.isVisible() or self.built:
            self.render_plan()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        if self.built:
            self.render_plan()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.built and self._plan is not None:
            self.render_plan()
        elif not self.built:
            QTimer.singleShot(PREPARE_AFTER_MS, self, self._prepare)

    def _font(self, scale: float = 1.0, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(BASE_PT * scale * self._zoom)
        font.setBold(bold)
        return font

    def render_plan(self) -> None:
        plan = self._plan
        empty = plan is None or not plan.groups
        self._placeholder.setVisible(empty)
        self._scroll.setVisible(not empty)
        self.drawn, self.tick_labels, self.headers = [], [], []
        if plan is None or not plan.groups:
            self._placeholder.setText("No adverse-event figures to chart for this choice." if plan
                                      else "Choose one or more therapies to see the chart.")
            return
        import pyqtgraph as pg

        self._make(pg)
        glw = self._glw
        background = self.palette().color(QPalette.ColorRole.Base)
        foreground = self.palette().color(QPalette.ColorRole.Text)
        glw.setBackground(background)
        names = " vs ".join(label for _key, label in plan.therapies)
        lines = plan.caption_lines(self._version)
        self.caption_text = "\n".join(lines)
        texts = ([f"<b>Adverse events: {html.escape(names)}</b>"], self._legend(plan, background),
                 [html.escape(line) for line in lines])
        self._plot.clear()
        for item, lines_of, scale in zip(self._labels, texts, (1.2, 1.0, 0.9), strict=True):
            size = f"{BASE_PT * scale * self._zoom:.1f}pt"
            item.setText("<br>".join(lines_of), color=foreground.name(), size=size)
            item.item.setTextWidth(self._available() - 24)
            item.updateMin()
        self._draw(pg, self._plot, plan, background, foreground)
        self._fit_width()

    def _make(self, pg: Any) -> None:
        """The chart's widget with its title, legend, plot and caption, made once (15-25 ms: the plot alone 10)."""
        if self._glw is not None:
            return
        self._glw = glw = pg.GraphicsLayoutWidget()
        glw.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        glw.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(glw)
        self._labels = [glw.addLabel(" ", row=row, col=0, justify="left") for row in (0, 1)]
        plot = glw.addPlot(row=2, col=0, enableMenu=False)  # no right-click menu: its view box's is never made
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.invertY(True)
        plot.showGrid(x=True, y=False, alpha=0.25)
        plot.getViewBox().sigResized.connect(self._fit_x)
        self._plot = plot
        self._labels.append(glw.addLabel(" ", row=3, col=0, justify="left"))

    def _prepare(self) -> None:
        """Made in idle time PREPARE_AFTER_MS after the tab is shown, if pyqtgraph is imported already
        (desktop/warm_up.py imports it on the worker after the first paint): the first therapy chosen then only
        draws. Never an import here."""
        module = sys.modules.get("pyqtgraph")
        if module is not None and not getattr(module.__spec__, "_initializing", True):
            self._make(module)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.built and self._plan is not None and self._plan.groups:
            self._fit_width()

    def _available(self) -> int:
        width = self._scroll.viewport().width() if self.isVisible() else max(self.width(), 900)
        return max(width, 300)

    def _fit_width(self) -> None:
        """Wrap the title, legend and caption, and elide bar labels, to the chart's width: the scene
        would otherwise grow wider than the view and cut off the values at the right."""
        width = self._available()
        for item in self._labels:
            item.item.setTextWidth(width - 24)
            item.updateMin()
        # tall enough for every bar row at this font size: the chart scrolls rather than squeezes
        line = QFontMetrics(self._font()).height()
        plan = self._plan
        rows = len(plan.groups) + len(plan.bars) if plan else 0
        labels = sum(item.item.boundingRect().height() for item in self._labels)
        self._glw.setMinimumHeight(int(labels + rows * line * 1.5 + line * 5))
        font = self._font()
        metrics = QFontMetrics(font)
        room = int(width * 0.42)
        # too narrow for "Therapy · Study": the study alone (the bar's colour tells the therapy)
        ticks = [(y, metrics.elidedText(t if metrics.horizontalAdvance(t) <= room else s,
                                        Qt.TextElideMode.ElideMiddle, room)) for y, t, s in self._ticks]
        self.shown_labels = [t for _y, t in ticks]
        left = self._plot.getAxis("left")
        left.setTicks([ticks, []])
        # Without a fixed width the labels can be cut off in a PNG saved straight after show().
        axis_width = max(metrics.horizontalAdvance(t) for _y, t in ticks) + AXIS_PAD
        left.setWidth(axis_width)
        # a pane too narrow for the widest values printed right of a bar ("100% / not reported") scrolls sideways
        # rather than cut them
        plot_room = math.ceil(max((px for *_rest, px in self._texts), default=0) / VALUE_SHARE)
        needed = axis_width + plot_room + LAYOUT_PAD
        self._glw.setMinimumWidth(needed if needed > width else 0)
        # lay the scene out again at the view's width (pyqtgraph does so only when the view is resized)
        glw = self._glw
        glw.setRange(QRectF(0, 0, glw.width(), glw.height()), padding=0, disableAutoPixel=False)
        # apply the new axis width now: a paint or export before the posted layout request would
        # draw the axis at its old width and drop the labels that no longer fit
        glw.ci.layout.activate()
        self._plot.layout.activate()

    @staticmethod
    def _legend(plan: ChartPlan, background: QColor) -> list[str]:
        keys = []
        for slot, (_key, label) in enumerate(plan.therapies):
            pale, solid = colours(slot, background)
            keys.append(f"<span style='color:{pale.name()}'>■</span><span style='color:{solid.name()}'>■</span>"
                        f"&nbsp;{html.escape(label).replace(' ', '&nbsp;')}")  # an entry wraps whole
        return ["&nbsp;&nbsp; ".join(keys),
                "wide, muted bar: all grades · narrow, solid bar: grade 3–4 or ≥3, as printed",
                "“not reported”: no figure in the source (not 0)"]

    def _draw(self, pg: Any, plot: Any, plan: ChartPlan, background: QColor, foreground: QColor) -> None:
        pen_width = max(1.0, self._zoom)
        y = 0.0
        ticks: list[tuple[float, str, str]] = []
        bars: dict[tuple[int, str], tuple[list[float], list[float]]] = {}
        value_font, metrics = self._font(0.95), QFontMetrics(self._font(0.95))
        header_font = self._font(1.05)
        self._texts = []
        labels: list[Callable[[], None]] = []  # made a batch per turn of the event loop (desktop/batches.py)

        def header(name: str, at: float) -> None:
            item = pg.TextItem(html=f"<b>{html.escape(name)}</b>", color=foreground, anchor=(0, 0.5))
            item.setFont(header_font)
            item.setPos(0, at)
            plot.addItem(item)

        def value(text: str, entry: list[Any]) -> None:
            item = pg.TextItem(text, color=foreground, anchor=(0, 0.5))
            item.setFont(value_font)
            plot.addItem(item)
            entry[0] = item

        for group in plan.groups:
            labels.append(partial(header, group.ae_name, y))
            self.headers.append(group.ae_name)
            y += 1
            for bar in group.bars:
                ticks.append((y, bar.label, bar.short or bar.label))
                end = 0.0
                figures = (("all", bar.row.all_grade), ("high", bar.row.high_grade)) if bar.row else ()
                for kind, fig in figures:
                    if fig is not None and fig.value is not None:
                        ys, ws = bars.setdefault((bar.slot, kind), ([], []))
                        ys.append(y)
                        ws.append(fig.value)
                        self.drawn.append((bar.label, kind, fig.value))
                        end = max(end, fig.value)
                entry: list[Any] = [None, end, y, metrics.horizontalAdvance(bar.value_text) + 12]
                labels.append(partial(value, bar.value_text, entry))
                self._texts.append(entry)
                y += 1
            y += 0.35
        for (slot, kind), (ys, ws) in bars.items():
            pale, solid = colours(slot, background)
            colour = pale if kind == "all" else solid
            plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.8 if kind == "all" else 0.45, width=ws,
                                         brush=colour, pen=pg.mkPen(solid, width=pen_width)))
        self.tick_labels = [label for _y, label, _short in ticks]
        self._axes(plot, ticks, foreground)
        plot.setYRange(-0.7, y - 0.3, padding=0)
        self._fit_x()
        self._labels_to_make.start(labels)

    def _fit_x(self, *_args: Any) -> None:
        """Leave room right of each bar for its printed values, whatever the chart's width."""
        box = self._plot.getViewBox()
        width = max(box.width(), 120.0)
        xmax = max(self._plan.peak if self._plan else 1.0, 1.0) * 1.02
        for _item, end, _y, text_px in self._texts:
            share = min(text_px / width, VALUE_SHARE)
            xmax = max(xmax, end / (1 - share))
        self._plot.setXRange(0, xmax, padding=0)
        for item, end, ty, _px in self._texts:
            if item is not None:
                item.setPos(end + xmax * 3 / width, ty)

    def _axes(self, plot: Any, ticks: list[tuple[float, str, str]], foreground: QColor) -> None:
        font = self._font()
        self._ticks = ticks
        left = plot.getAxis("left")
        left.setStyle(tickFont=font, tickLength=0)
        bottom = plot.getAxis("bottom")
        bottom.setStyle(tickFont=font)
        bottom.setLabel("% of patients", **{"font-size": f"{BASE_PT * self._zoom:.1f}pt", "color": foreground.name()})
        for axis in (left, bottom):
            axis.setPen(foreground)
            axis.setTextPen(foreground)

    def save_png(self, path: Path) -> Path:
        """Write the chart (with its legend and caption) to `path`, all or nothing."""
        if self._plan is None or not self._plan.groups:
            raise ValueError("There is no chart to save: choose a therapy with adverse-event figures first.")
        if not self.built:
            self.render_plan()
        self._labels_to_make.flush()
        glw = self._glw
        if not glw.isVisible():
            self._fit_width()
            glw.resize(self._available(), max(glw.height(), glw.minimumHeight()))
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(glw.scene())
        exporter.parameters()["width"] = glw.width() * EXPORT_SCALE
        image = exporter.export(toBytes=True)
        path = Path(path)
        with atomic_path(path) as tmp:
            if not image.save(str(tmp), "PNG"):
                raise OSError(f"Could not write the image to {path}")
        return path
