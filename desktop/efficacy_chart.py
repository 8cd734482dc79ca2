"""Efficacy at a glance for the studies in view: median PFS per arm and PFS hazard ratios
with their confidence intervals. pyqtgraph is imported when the chart is first built."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from db.presentation.present import ALERT, CAVEAT, text
from db.trials.table import TrialRow
from desktop.batches import Batches
from desktop.chart_style import BASE_POINT_SIZE, colour
from desktop.responsive import after_paint

MAX_BARS = 20
LABEL_GAP = 12  # pixels between a point and its label, and spare at the plot's right edge
AXIS_SHARE = 0.5  # the study labels may take up to this share of a plot's width
PLOT_MARGINS = 30  # pixels of a plot beside its data area and its left axis


def chart_data(rows: list[TrialRow]) -> tuple[list[tuple[str, float, str]], list[tuple[str, float, float | None,
                                                                                       float | None, str]]]:
    """Bars (label, months, printed) and hazard ratios (label, hr, low, high, printed) to draw.

    Only figures printed in months are drawn on the months axis; others stay in the table.
    The printed text is db.presentation.present's: the preferred reading with its marks, an interval with its level.
    """
    bars: list[tuple[str, float, str]] = []
    hrs: list[tuple[str, float, float | None, float | None, str]] = []
    for row in rows:
        for f in row.pfs:
            if f.value is not None and f.reading.unit == "months" and not f.reading.timepoint \
                    and len(bars) < MAX_BARS:
                bars.append((f"{row.name}: {f.regimen}", f.value, text(f.reading, "chart")))
        for f in row.hr:
            if f.value is not None and len(hrs) < MAX_BARS:
                # the verdict's short word right after the value ('† 0.77 not met'): a label the plot cuts keeps it
                hrs.append((row.name, f.value, f.ci_low, f.ci_high, text(f.reading, "cell", place="front")))
    return bars, hrs


def short_label(label: str, fits: Callable[[str], bool]) -> str:
    """The label, or as many whole words of it as fit with '…' ('CALGB 80701: Bevacizumab +…'): pyqtgraph drops
    a tick label wider than its axis, and a label cut mid-word ('Everol…') reads as another drug."""
    if fits(label):
        return label
    words = label.split(" ")
    for n in range(len(words) - 1, 0, -1):
        shorter = " ".join(words[:n]).rstrip(":,;+") + "…"
        if fits(shorter):
            return shorter
    return words[0] + "…"


def x_limit(values: list[float], label_widths: list[int], width: float, floor: float) -> float:
    """The axis end that leaves room right of each point for its label (`label_widths` px; the plot is `width` px)."""
    end = floor
    for value, label in zip(values, label_widths, strict=True):
        share = min(0.7, (label + LABEL_GAP) / max(width, 1.0))
        end = max(end, value / (1 - share))
    return end


def _of(shown: int, total: int) -> str:
    return str(total) if shown == total else f"first {shown} of {total}"


class EfficacyChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel("")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self._layout.addWidget(self.caption)
        self._plots: Any = None
        self._zoom = 1.0
        self._dataset = ""
        self.shown = (0, 0)  # how many bars and hazard ratios the plots have room for
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(60)
        self._redraw.timeout.connect(self._draw)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_ranges)
        self._building = False
        self._build_next = QTimer(self)
        self._build_next.setSingleShot(True)
        self._build_next.setInterval(0)
        self._build_next.timeout.connect(self._build)
        self._labels_to_make = Batches(self, after=self._fit_ranges)
        self.bars: list[tuple[str, float, str]] = []
        self.hrs: list[tuple[str, float, float | None, float | None, str]] = []

    def _ensure(self) -> Any:
        if self._plots is None:
            import pyqtgraph as pg

            pg.setConfigOptions(antialias=True)
            self._pg = pg
            self._plots = pg.GraphicsLayoutWidget()
            self._plots.setBackground(self.palette().color(QPalette.ColorRole.Base))
            self._layout.insertWidget(0, self._plots, 1)
        return self._plots

    def set_rows(self, rows: list[TrialRow], dataset: str) -> None:
        self.bars, self.hrs = chart_data(rows)
        self._dataset = dataset
        if hasattr(self, "_hr_plot"):
            self._draw()
            return
        rows = self._capacity(QFontMetrics(self._font()))
        self.shown = (min(len(self.bars), rows), min(len(self.hrs), rows))
        self._caption()
        if not self._building:
            self._building = True
            self._ensure()  # pyqtgraph imported here (desktop/warm_up.py has it imported by now)
            self._build_next.start()  # the rows were read in this turn: the plots in the next ones

    def _build(self) -> None:
        """The first drawing over three turns of the event loop: each plot takes 15-20 ms to make, the drawing
        as long again, and the window answers between them."""
        layout = self._ensure()
        if not hasattr(self, "_pfs_plot"):
            self._pfs_plot = self._plot(layout.addPlot(row=0, col=0, title="Median PFS (months)"))
        elif not hasattr(self, "_hr_plot"):
            self._hr_plot = self._plot(layout.addPlot(row=0, col=1, title="Hazard ratio for PFS"))
            for plot in (self._pfs_plot, self._hr_plot):  # the label room is the data area's, once laid out
                plot.getViewBox().sigResized.connect(self._refit.start)
        else:
            self._building = False
            layout.setUpdatesEnabled(False)  # painted in a turn of its own: with the drawing, 40-54 ms in one
            self._draw()
            after_paint(layout, lambda: layout.setUpdatesEnabled(True))
            return
        self._build_next.start()

    @staticmethod
    def _plot(plot: Any) -> Any:
        plot.invertY(True)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        return plot

    def _caption(self) -> None:
        bars, hrs = self.shown
        arms, ratios = _of(bars, len(self.bars)).capitalize(), _of(hrs, len(self.hrs))
        shown = (f"{arms} arm(s) with a median PFS in months, {ratios} PFS hazard ratio(s) for the studies in view, "
                 "in the table's order")
        more = " (narrow the filters, or enlarge the window, to see the rest)" if (bars, hrs) != (
            len(self.bars), len(self.hrs)) else ""
        legend = ""
        printed = " ".join(b[2] for b in self.bars[:bars]) + " ".join(h[4] for h in self.hrs[:hrs])
        if ALERT in printed or CAVEAT in printed:
            legend = (f" {ALERT} the sources disagree or are unclear about this figure; {CAVEAT} a caveat changes how "
                      "it reads: the study's detail pane says which.")
        self.caption.setText(f"{shown}{more}. Values as printed by each study's source, intervals with the level the "
                             f"source gives; see the detail pane for locators.{legend} Dataset {self._dataset}.")

    def apply_zoom(self, factor: float) -> None:
        self._zoom = factor
        if self._plots is not None:
            self._draw()

    def _font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(BASE_POINT_SIZE * self._zoom)
        return font

    def _draw(self) -> None:
        if not hasattr(self, "_hr_plot"):  # still being made: `_build` draws when it is
            return
        self._redraw.stop()  # a resize before this drawing needs no other
        pfs, hr, pg = self._pfs_plot, self._hr_plot, self._pg
        pfs.clear()
        hr.clear()
        text = self.palette().color(QPalette.ColorRole.Text)
        font = self._font()
        metrics = QFontMetrics(font)
        label_room = int(max(self.width(), 400) / 2 * AXIS_SHARE)
        rows = self._capacity(metrics)
        bars, hrs = self.bars[:rows], self.hrs[:rows]
        self.shown = (len(bars), len(hrs))
        self._axis_widths: dict[Any, int] = {}
        for plot, items in ((pfs, bars), (hr, hrs)):
            plot.setTitle(plot.titleLabel.text, color=text, size=f"{int(11 * self._zoom)}pt")
            labels = [short_label(x[0], lambda t: metrics.horizontalAdvance(t) <= label_room) for x in items]
            axis = plot.getAxis("left")
            axis.setTicks([list(enumerate(labels))])
            axis.setStyle(tickFont=font)
            axis_width = max((metrics.horizontalAdvance(t) for t in labels), default=0) + LABEL_GAP
            axis.setWidth(axis_width)
            self._axis_widths[plot] = axis_width
            axis.setTextPen(text)
            plot.getAxis("bottom").setStyle(tickFont=font)
            plot.getAxis("bottom").setTextPen(text)
        self._hr_labels: list[tuple[Any, float, int, int]] = []  # (label, value, row, width in px)
        labels: list[Callable[[], None]] = []  # made a batch per turn of the event loop (desktop/batches.py)

        def label(plot: Any, printed: str, value: float, y: int, anchor: tuple[float, float]) -> None:
            item = pg.TextItem(printed, color=text, anchor=anchor)
            item.setFont(font)
            item.setPos(value, y)
            plot.addItem(item)
            if plot is hr:
                self._hr_labels.append((item, value, y, metrics.horizontalAdvance(printed)))

        if bars:
            ys = list(range(len(bars)))
            pfs.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=[b[1] for b in bars], brush=colour(0)))
            labels += [partial(label, pfs, printed, value, y, (0, 0.5))
                       for y, (_, value, printed) in zip(ys, bars, strict=True)]
        if hrs:
            intervals = [(low, high, y) for y, (_, _v, low, high, _p) in enumerate(hrs)
                         if low is not None and high is not None]
            if intervals:  # one item for every interval, one for every point: a plot item each costs milliseconds
                hr.plot([x for low, high, _y in intervals for x in (low, high)],
                        [y for _l, _h, y in intervals for _ in (0, 1)], connect="pairs",
                        pen=pg.mkPen(colour(1), width=3 * self._zoom))
            hr.plot([h[1] for h in hrs], list(range(len(hrs))), pen=None, symbol="s", symbolBrush=colour(1),
                    symbolSize=10 * self._zoom)
            labels += [partial(label, hr, printed, value, y, (0, 1.0))
                       for y, (_, value, _low, _high, printed) in enumerate(hrs)]
            hr.addLine(x=1.0, pen=pg.mkPen(text, style=pg.QtCore.Qt.PenStyle.DashLine))
        self._fit_ranges()
        self._caption()
        self._labels_to_make.start(labels)
        self._refit.start()  # again once the layout has given the plots their widths

    def _capacity(self, metrics: QFontMetrics) -> int:
        """How many rows of labels fit one above another without overlapping (the plot's title and axis aside)."""
        plots = self._plots
        height = (plots.height() if plots is not None and plots.isVisible() else self.height()) - 4 * metrics.height()
        return max(5, min(MAX_BARS, int(height / (metrics.height() * 1.2))))

    def _plot_width(self, plot: Any) -> float:
        """The data area's width in pixels: half the chart less the study labels and the plot's margins (pyqtgraph
        lays the plots out lazily, so their own width may still be the last one)."""
        estimate = self._plots.width() / 2 - self._axis_widths.get(plot, 0) - PLOT_MARGINS
        laid_out = plot.getViewBox().width()  # once laid out, the data area itself (the estimate ran wide at 150 %)
        return max(50.0, min(estimate, laid_out) if laid_out > 0 else estimate)

    def _fit_ranges(self) -> None:
        """Each axis ends where the widest value label still fits right of its point (at this plot width)."""
        if self._plots is None or not hasattr(self, "_axis_widths"):
            return
        metrics = QFontMetrics(self._font())
        bars, hrs = self.bars[: self.shown[0]], self.hrs[: self.shown[1]]
        if bars:
            width = self._plot_width(self._pfs_plot)
            end = x_limit([b[1] for b in bars], [metrics.horizontalAdvance(b[2]) for b in bars], width, 1.0)
            self._pfs_plot.setXRange(0, end, padding=0)
        if hrs:
            width = self._plot_width(self._hr_plot)
            ends = [h[3] if h[3] is not None else h[1] for h in hrs]
            end = x_limit([h[1] for h in hrs], [metrics.horizontalAdvance(h[4]) for h in hrs], width,
                          max(1.2, *ends))
            self._hr_plot.setXRange(0, end, padding=0)
            self._hr_plot.setYRange(-1.0, len(hrs) - 0.5, padding=0)  # the first label sits above its point
            for label, value, y, px in self._hr_labels:  # too long to fit right of its point: ends at the edge
                overflows = value + (px + LABEL_GAP) * end / max(width, 1.0) > end
                wider = px + LABEL_GAP > width  # wider than the plot: it starts at the left, its value in view
                label.setAnchor((0, 1.0) if wider or not overflows else (1, 1.0))
                label.setPos(0 if wider else end - LABEL_GAP * end / max(width, 1.0) if overflows else value, y)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._plots is not None and (self.bars or self.hrs):
            self._redraw.start()  # label room follows the width; once the resizing pauses
