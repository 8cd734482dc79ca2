"""Efficacy at a glance for the studies in view: median PFS per arm and PFS hazard ratios
with their confidence intervals. pyqtgraph is imported when the chart is first built."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from db.present import ALERT, CAVEAT, text
from db.trials import TrialRow
from desktop.chart_style import BASE_POINT_SIZE, colour

MAX_BARS = 20


def chart_data(rows: list[TrialRow]) -> tuple[list[tuple[str, float, str]], list[tuple[str, float, float | None,
                                                                                       float | None, str]]]:
    """Bars (label, months, printed) and hazard ratios (label, hr, low, high, printed) to draw.

    Only figures printed in months are drawn on the months axis; others stay in the table.
    The printed text is db.present's: the preferred reading with its marks, an interval with its level.
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
                hrs.append((row.name, f.value, f.ci_low, f.ci_high, text(f.reading, "cell")))
    return bars, hrs


def _short(label: str, limit: int = 34) -> str:
    """Axis labels wider than the axis are dropped by pyqtgraph: keep them short."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


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
        self._draw()
        shown = f"{len(self.bars)} arm(s) with a median PFS in months, {len(self.hrs)} PFS hazard ratio(s)"
        legend = ""
        printed = " ".join(b[2] for b in self.bars) + " ".join(h[4] for h in self.hrs)
        if ALERT in printed or CAVEAT in printed:
            legend = (f" {ALERT} the sources disagree or are unclear about this figure; {CAVEAT} a caveat changes how "
                      "it reads: the study's detail pane says which.")
        self.caption.setText(f"{shown} for the studies in view (first {MAX_BARS} of each). Values as printed by "
                             f"each study's source, intervals with the level the source gives; see the detail pane "
                             f"for locators.{legend} Dataset {dataset}.")

    def apply_zoom(self, factor: float) -> None:
        self._zoom = factor
        if self._plots is not None:
            self._draw()

    def _draw(self) -> None:
        layout = self._ensure()
        pg = self._pg
        layout.clear()
        text = self.palette().color(QPalette.ColorRole.Text)
        font = QFont()
        font.setPointSizeF(BASE_POINT_SIZE * self._zoom)
        pfs = layout.addPlot(row=0, col=0, title="Median PFS (months)")
        hr = layout.addPlot(row=0, col=1, title="Hazard ratio for PFS (interval at the level printed)")
        for plot, items in ((pfs, self.bars), (hr, self.hrs)):
            plot.setTitle(plot.titleLabel.text, color=text, size=f"{int(11 * self._zoom)}pt")
            axis = plot.getAxis("left")
            axis.setTicks([[(i, _short(x[0])) for i, x in enumerate(items)]])
            axis.setStyle(tickFont=font)
            axis.setWidth(int(300 * self._zoom))
            axis.setTextPen(text)
            plot.getAxis("bottom").setStyle(tickFont=font)
            plot.getAxis("bottom").setTextPen(text)
            plot.invertY(True)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        if self.bars:
            pfs.setXRange(0, max(b[1] for b in self.bars) * 1.3, padding=0)
            ys = list(range(len(self.bars)))
            pfs.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=[b[1] for b in self.bars], brush=colour(0)))
            for y, (_, value, printed) in zip(ys, self.bars, strict=True):
                label = pg.TextItem(printed, color=text, anchor=(0, 0.5))
                label.setFont(font)
                label.setPos(value, y)
                pfs.addItem(label)
        if self.hrs:
            for y, (_, value, low, high, printed) in enumerate(self.hrs):
                if low is not None and high is not None:
                    hr.plot([low, high], [y, y], pen=pg.mkPen(colour(1), width=3 * self._zoom))
                hr.plot([value], [y], pen=None, symbol="s", symbolBrush=colour(1), symbolSize=10 * self._zoom)
                label = pg.TextItem(printed, color=text, anchor=(0, 1.0))
                label.setFont(font)
                label.setPos(value, y)
                hr.addItem(label)
            highest = max(max(h[1], h[3] or 0) for h in self.hrs)
            hr.setXRange(0, max(1.2, highest * 1.3), padding=0)
            hr.addLine(x=1.0, pen=pg.mkPen(text, style=pg.QtCore.Qt.PenStyle.DashLine))
