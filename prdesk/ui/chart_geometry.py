"""Where a chart's bars, points and labels go in a rectangle: the geometry, apart from the painting."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF

from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import Chart, ChartKind, Unit, format_cell

PAD = 8.0
# How far from a bar or point a click still counts as on it, in pixels.
REACH = 6.0


@dataclass(frozen=True)
class ChartItem:
    """One bar or point: where it is drawn, what it says, and the cases behind it.

    Attributes:
        value: None where there was nothing to measure: nothing is drawn, and `rect`
            is an empty box on the baseline, so hovering or focusing it still says so.
    """

    category: int
    series: int
    value: float | None
    rect: QRectF
    text: str
    case_filter: CaseFilter | None


def plot_area(chart: Chart | None, bounds: QRectF, metrics: QFontMetricsF) -> QRectF:
    """Where the bars go: below the title and legend, above the category labels."""
    top = PAD + metrics.height() * 1.4  # the title
    if chart is not None and len(chart.series) > 1:
        top += metrics.height() * 1.2  # the legend
    area = bounds.adjusted(PAD, top, -PAD, -PAD)
    if chart is not None and chart.kind is not ChartKind.HBAR:
        # Room above the tallest bar for its value, below for two lines of labels.
        area.adjust(0, metrics.height() * 1.2, 0, -metrics.height() * 2.6)
    return area


def lay_out(chart: Chart | None, bounds: QRectF, metrics: QFontMetricsF) -> list[ChartItem]:
    """Every bar or point of `chart` drawn in `bounds`, category by category."""
    if chart is None or not chart.categories or not chart.series:
        return []
    plot = plot_area(chart, bounds, metrics)
    if chart.kind is ChartKind.HBAR:
        return _across(chart, plot, metrics)
    if chart.kind is ChartKind.LINE:
        return _line(chart, plot)
    return _upright(chart, plot, metrics)


def item_at(items: list[ChartItem], point: QPointF) -> int:
    """The bar under `point`, else the nearest within a few pixels (short bars, points)."""
    nearest, best = -1, REACH
    for index, item in enumerate(items):
        rect = item.rect
        if rect.contains(point):
            return index
        dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
        dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
        distance = max(dx, dy)
        if distance <= best:
            nearest, best = index, distance
    return nearest


def value_text(value: float | None, unit: Unit) -> str:
    if value is None:
        return "no figure"
    shown = format_cell(value, unit)
    if unit is Unit.COUNT:
        return f"{shown} case" if int(value) == 1 else f"{shown} cases"
    return shown


def _value(chart: Chart, category: int, series: int) -> float | None:
    values = chart.series[series].values
    if category >= len(values):
        return 0.0
    value = values[category]
    return None if value is None else float(value)


def _range(chart: Chart) -> tuple[float, float]:
    values = [value for series in chart.series for value in series.values if value is not None]
    values = values or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1.0
    return low, high


def _item(chart: Chart, category: int, series: int, rect: QRectF) -> ChartItem:
    line = chart.series[series]
    value = _value(chart, category, series)
    case_filter = line.filters[category] if category < len(line.filters) else None
    text = chart.categories[category]
    if len(chart.series) > 1:
        text += f", {line.name}"
    text += f": {value_text(value, chart.unit)}"
    return ChartItem(category, series, value, rect, text, case_filter)


def _upright(chart: Chart, plot: QRectF, metrics: QFontMetricsF) -> list[ChartItem]:
    low, high = _range(chart)
    scale = plot.height() / (high - low)
    zero = plot.bottom() + low * scale
    group = plot.width() / len(chart.categories)
    bars = len(chart.series)
    width = min(group * 0.8 / bars, metrics.height() * 4)
    items = []
    for category in range(len(chart.categories)):
        left = plot.left() + group * category + (group - width * bars) / 2
        for series in range(bars):
            value = _value(chart, category, series) or 0.0
            top = zero - max(value, 0.0) * scale
            rect = QRectF(left + width * series, top, width, abs(value) * scale)
            items.append(_item(chart, category, series, rect))
    return items


def _across(chart: Chart, plot: QRectF, metrics: QFontMetricsF) -> list[ChartItem]:
    label_width = min(
        plot.width() * 0.4,
        max(metrics.horizontalAdvance(label) for label in chart.categories) + PAD,
    )
    value_width = metrics.horizontalAdvance("000,000") + PAD
    bars_area = plot.adjusted(label_width, 0, -value_width, 0)
    low, high = _range(chart)
    scale = bars_area.width() / (high - low)
    zero = bars_area.left() - low * scale
    band = plot.height() / len(chart.categories)
    bars = len(chart.series)
    thickness = min(band * 0.8 / bars, metrics.height() * 1.4)
    items = []
    for category in range(len(chart.categories)):
        top = plot.top() + band * category + (band - thickness * bars) / 2
        for series in range(bars):
            value = _value(chart, category, series) or 0.0
            left = zero + min(value, 0.0) * scale
            rect = QRectF(left, top + thickness * series, abs(value) * scale, thickness)
            items.append(_item(chart, category, series, rect))
    return items


def _line(chart: Chart, plot: QRectF) -> list[ChartItem]:
    low, high = _range(chart)
    scale = plot.height() / (high - low)
    step = plot.width() / len(chart.categories)
    radius = 4.0
    items = []
    for category in range(len(chart.categories)):
        x = plot.left() + step * (category + 0.5)
        for series in range(len(chart.series)):
            value = _value(chart, category, series)
            if value is None:
                rect = QRectF(x, plot.bottom(), 0, 0)  # no point: a gap in the line
            else:
                y = plot.bottom() - (value - low) * scale
                rect = QRectF(x - radius, y - radius, radius * 2, radius * 2)
            items.append(_item(chart, category, series, rect))
    return items
