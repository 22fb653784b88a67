"""A report's chart as vector graphics for the PDF: bars up, bars across, or lines over time."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from prdesk.domain.reports.model import Chart, ChartKind, Series, Unit, format_cell
from prdesk.export.fonts import BASE_FONT, font_runs, register_fonts

LABEL_SIZE = 7.0
LEGEND_SIZE = 7.5
INK = colors.HexColor("#333333")
GRIDLINE = colors.HexColor("#DDE1E6")
# Distinguishable in print and for the common kinds of colour blindness (Okabe and Ito).
PALETTE = tuple(
    colors.HexColor(code)
    for code in (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
        "#000000",
    )
)
# Bars across: one band per category; more than this go on to a further drawing, so a
# chart of sixty staff members runs over pages instead of overflowing one.
BANDS_PER_DRAWING = 28
UPRIGHT_HEIGHT = 190.0


def _colour(index: int) -> colors.Color:
    return PALETTE[index % len(PALETTE)]


def text_width(text: str, size: float) -> float:
    return float(sum(stringWidth(run, font, size) for font, run in font_runs(text)))


def _shortened(text: str, size: float, room: float) -> str:
    """The text, cut with an ellipsis where it would not fit in `room` points."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def label(
    text: str, x: float, y: float, size: float, *, anchor: str = "start", angle: float = 0
) -> Group:
    """Text in any script at (x, y): one String per font run, as charts have no fallback."""
    # Noto Sans has no minus sign (U+2212), which signed changes are written with.
    runs = font_runs(text.replace("\u2212", "-"))
    total = sum(stringWidth(run, font, size) for font, run in runs)
    left = {"start": 0.0, "middle": -total / 2, "end": -total}[anchor]
    group = Group()
    for font, run in runs:
        group.add(String(left, 0, run, fontName=font, fontSize=size, fillColor=INK))
        left += stringWidth(run, font, size)
    group.translate(x, y)
    if angle:
        group.rotate(angle)
    return group


def _step(top: float, bottom: float, unit: Unit) -> float:
    """A round step giving about five gridlines; whole numbers for counts."""
    span = max(top - bottom, 1e-9)
    rough = span / 5
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= rough)
    return max(step, 1.0) if unit is Unit.COUNT else step


def _scale(series: Sequence[Series], unit: Unit) -> tuple[float, float, float]:
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + (0.05 if unit in (Unit.PERCENT, Unit.CHANGE) else 1.0)
    step = _step(high, low, unit)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _data(series: Sequence[Series]) -> list[tuple[float | None, ...]]:
    """The values to plot; None (nothing to measure) draws no bar and no point."""
    return [
        tuple(v if v is not None and math.isfinite(v) else None for v in s.values) for s in series
    ]


def _runs(values: tuple[float | None, ...]) -> list[tuple[float | None, ...]]:
    """A line's values as one row per unbroken run, None elsewhere: the chart joins every
    point of a row, so a month with nothing to measure would otherwise be bridged."""
    runs: list[tuple[float | None, ...]] = []
    start = None
    for index, value in enumerate((*values, None)):
        if value is not None and start is None:
            start = index
        elif value is None and start is not None:
            runs.append(tuple(v if start <= i < index else None for i, v in enumerate(values)))
            start = None
    return runs


def _legend(drawing: Drawing, series: Sequence[Series], width: float, top: float) -> float:
    """Keys and names in rows below `top`; returns the height they take."""
    if len(series) < 2:
        return 0.0
    x, y, row = 0.0, top - LEGEND_SIZE - 2, LEGEND_SIZE + 5
    for index, one in enumerate(series):
        name = _shortened(one.name, LEGEND_SIZE, width / 2)
        needed = 14 + text_width(name, LEGEND_SIZE) + 12
        if x and x + needed > width:
            x, y = 0.0, y - row
        drawing.add(Rect(x, y - 1, 9, 7, fillColor=_colour(index), strokeColor=None))
        drawing.add(label(name, x + 13, y, LEGEND_SIZE))
        x += needed
    return top - y + 4


def _value_axis_labels(chart: Chart) -> Callable[[float], str]:
    unit = chart.unit

    def shown(value: float) -> str:
        return format_cell(value, unit).replace("\u2212", "-")

    return shown


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # Otherwise the drawing starts in Helvetica, listed unembedded in the PDF.
    drawing.initialFontName = BASE_FONT
    return drawing


def _axes(plot: Any, chart: Chart, count: int, scale: tuple[float, float, float]) -> None:
    """Gridlines and figures along the value axis; the category names are drawn apart
    (see `label`), and every text the chart could draw is in the embedded font."""
    plot.categoryAxis.categoryNames = [""] * count
    plot.categoryAxis.labels.fontName = BASE_FONT
    plot.categoryAxis.visibleTicks = 0
    plot.categoryAxis.strokeColor = INK
    axis = plot.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = scale
    axis.labelTextFormat = _value_axis_labels(chart)
    axis.labels.fontName = BASE_FONT
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.fillColor = INK
    axis.strokeColor = None
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRIDLINE
    axis.gridStrokeWidth = 0.5
    for labels in ("barLabels", "lineLabels"):
        if hasattr(plot, labels):
            getattr(plot, labels).fontName = BASE_FONT


def _upright(chart: Chart, width: float) -> Drawing:
    """Bars up or lines: categories (usually periods) along the bottom."""
    count = max(len(chart.categories), 1)
    low, high, step = _scale(chart.series, chart.unit)
    axis_width = max(text_width(format_cell(v, chart.unit), LABEL_SIZE) for v in (low, high)) + 8
    plot_x, plot_width = axis_width + 4, width - axis_width - 10
    band = plot_width / count
    widest = max((text_width(name, LABEL_SIZE) for name in chart.categories), default=0.0)
    slanted = widest > band - 4
    label_room = min(widest, 110.0) * 0.72 + 10 if slanted else LABEL_SIZE + 8
    legend = Drawing(width, 0)
    legend_height = _legend(legend, chart.series, width, 0)
    height = UPRIGHT_HEIGHT + label_room + legend_height
    drawing = _drawing(width, height)
    plot_y = legend_height + label_room
    plot: VerticalBarChart | HorizontalLineChart
    data = _data(chart.series)
    if chart.kind is ChartKind.LINE:
        # No figures written by the points: several lines' would overlap, and the
        # table below the chart has every one.
        plot = HorizontalLineChart()
        runs = [(index, run) for index, values in enumerate(data) for run in _runs(values)]
        data, owners = [run for _, run in runs], [index for index, _ in runs]
        for row, index in enumerate(owners):
            plot.lines[row].strokeColor = _colour(index)
            plot.lines[row].strokeWidth = 1.6
            plot.lines[row].symbol = makeMarker("FilledCircle", size=3.5)
            plot.lines[row].symbol.fillColor = _colour(index)
            plot.lines[row].symbol.strokeColor = _colour(index)
        if not data:  # nothing measured at all: axes only (an empty line cannot be drawn)
            data = [(0.0,) * count]
            plot.lines[0].strokeColor = None
            plot.lines[0].symbol = None
    else:
        plot = VerticalBarChart()
        plot.groupSpacing = max(2.0, band * 0.2)
        plot.barSpacing = 0.5
        for index in range(len(chart.series)):
            plot.bars[index].fillColor = _colour(index)
            plot.bars[index].strokeColor = None
    plot.x, plot.y, plot.width, plot.height = plot_x, plot_y, plot_width, UPRIGHT_HEIGHT - 8
    plot.data = data or [(None,) * count]
    _axes(plot, chart, count, (low, high, step))
    drawing.add(plot)
    for index, name in enumerate(chart.categories):
        centre = plot_x + band * (index + 0.5)
        if slanted:
            shown = _shortened(name, LABEL_SIZE, 110.0)
            drawing.add(label(shown, centre + 3, plot_y - 6, LABEL_SIZE, anchor="end", angle=45))
        else:
            drawing.add(label(name, centre, plot_y - LABEL_SIZE - 3, LABEL_SIZE, anchor="middle"))
    _legend(drawing, chart.series, width, legend_height)
    return drawing


def _across(
    chart: Chart, categories: Sequence[str], series: Sequence[Series], width: float
) -> Drawing:
    """Bars across: a band per category with its name on the left, values along the bottom."""
    count = max(len(categories), 1)
    per_band = max(13.0, 7.0 * len(series) + 5)
    low, high, step = _scale(chart.series, chart.unit)
    name_room = min(max((text_width(n, LABEL_SIZE) for n in categories), default=0.0), width * 0.35)
    legend = Drawing(width, 0)
    legend_height = _legend(legend, chart.series, width, 0)
    axis_room = LABEL_SIZE + 10
    plot_height = per_band * count
    drawing = _drawing(width, plot_height + axis_room + legend_height + 4)
    plot_x = name_room + 8
    plot_y = legend_height + axis_room
    plot = HorizontalBarChart()
    plot.x, plot.y = plot_x, plot_y
    plot.width, plot.height = width - plot_x - 14, plot_height
    # The chart draws the first category and the first series lowest: both go in
    # reversed, so the bands read top down and each band's bars in the legend's order.
    data = [tuple(reversed(values)) for values in _data(series)]
    plot.data = list(reversed(data)) or [(0.0,) * count]
    plot.groupSpacing = 3
    plot.barSpacing = 0.5
    for index in range(len(series)):
        plot.bars[index].fillColor = _colour(len(series) - 1 - index)
        plot.bars[index].strokeColor = None
    _axes(plot, chart, count, (low, high, step))
    drawing.add(plot)
    for index, name in enumerate(categories):
        middle = plot_y + plot_height - per_band * (index + 0.5) - LABEL_SIZE / 3
        drawing.add(
            label(
                _shortened(name, LABEL_SIZE, name_room),
                name_room + 2,
                middle,
                LABEL_SIZE,
                anchor="end",
            )
        )
    _legend(drawing, series, width, legend_height)
    return drawing


def chart_drawings(chart: Chart, width: float) -> list[Drawing]:
    """The chart as drawings `width` points wide; bars across for many categories come
    as several drawings of at most BANDS_PER_DRAWING bands each, to flow over pages."""
    register_fonts()
    if chart.kind is not ChartKind.HBAR:
        return [_upright(chart, width)]
    drawings = []
    for start in range(0, max(len(chart.categories), 1), BANDS_PER_DRAWING):
        end = start + BANDS_PER_DRAWING
        part = [Series(s.name, s.values[start:end]) for s in chart.series]
        drawings.append(_across(chart, chart.categories[start:end], part, width))
    return drawings
