"""A chart of a report's figures, drawn as vectors, where every bar or point opens its cases."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from prdesk.domain.reports.model import Chart, ChartKind, format_cell
from prdesk.ui.chart_geometry import PAD as _PAD
from prdesk.ui.chart_geometry import ChartItem, item_at, lay_out, plot_area
from prdesk.ui.style import contrast, readable

# Okabe and Ito's palette: told apart with every common colour-vision deficiency, and
# readable on light and dark backgrounds alike.
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

_LEGEND_SWATCH = 10.0
# What a shape needs against its background to be seen (WCAG's non-text contrast).
_BAR_EDGE_CONTRAST = 3.0
_NO_FIGURE_INK = QPalette.ColorRole.PlaceholderText  # "–": nothing was there to measure


def series_color(index: int) -> QColor:
    return QColor(SERIES_COLORS[index % len(SERIES_COLORS)])


class BarChart(QWidget):
    """Upright bars, bars across or lines, with value labels, a legend, hover and focus.

    One Tab stop: the arrow keys move between bars (Home and End to either end), Enter
    or Space lists the focused bar's cases, as a click does.

    Signals:
        filter_requested: the CaseFilter of the bar or point clicked or activated.
    """

    filter_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: Chart | None = None
        self._items: list[ChartItem] = []
        self._laid_out_for = QSize()
        self._hovered = -1
        self._focused = 0
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart")

    # -- the public face

    @property
    def chart(self) -> Chart | None:
        return self._chart

    def set_chart(self, chart: Chart) -> None:
        """Shows `chart`, keeping the focused bar where it was when the chart is only refreshed."""
        same_shape = (
            self._chart is not None
            and self._chart.categories == chart.categories
            and len(self._chart.series) == len(chart.series)
        )
        self._chart = chart
        self._laid_out_for = QSize()
        self._hovered = -1
        if not same_shape:
            self._focused = 0
        self.setAccessibleName(chart.title)
        self._describe_focused()
        self.updateGeometry()
        self.update()

    def items(self) -> list[ChartItem]:
        """Every bar or point as drawn at the widget's present size, category by category."""
        self._lay_out()
        return list(self._items)

    def item_rect(self, category: int, series: int = 0) -> QRectF:
        """Where the bar or point of `category` in `series` is drawn."""
        for item in self.items():
            if item.category == category and item.series == series:
                return QRectF(item.rect)
        raise IndexError(f"no bar for category {category}, series {series}")

    def focused_item(self) -> ChartItem | None:
        items = self.items()
        return items[self._focused] if 0 <= self._focused < len(items) else None

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        if self._chart is not None and self._chart.kind is ChartKind.HBAR:
            rows = max(1, len(self._chart.categories))
            bars = max(1, len(self._chart.series))
            return QSize(420, int(line * 3 + rows * max(line * 1.5, bars * line * 0.9 + 6)))
        return QSize(420, int(line * 14))

    def minimumSizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        if self._chart is not None and self._chart.kind is ChartKind.HBAR:
            # Every label keeps a line of its own: forty caseworkers make a taller chart
            # (the page scrolls), never labels written over one another.
            rows = max(1, len(self._chart.categories))
            return QSize(220, int(line * 3.5 + rows * line * 1.15))
        return QSize(220, int(line * 9))

    # -- geometry

    def _lay_out(self) -> None:
        if self._laid_out_for != self.size():
            self._laid_out_for = self.size()
            self._items = lay_out(self._chart, QRectF(self.rect()), QFontMetricsF(self.font()))

    def _plot_area(self) -> QRectF:
        return plot_area(self._chart, QRectF(self.rect()), QFontMetricsF(self.font()))

    def _item_at(self, point: QPointF) -> int:
        return item_at(self.items(), point)

    # -- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        self._lay_out()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetricsF(self.font())
        chart = self._chart
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        title = chart.title if chart is not None else ""
        painter.drawText(
            QRectF(_PAD, _PAD, self.width() - 2 * _PAD, metrics.height() * 1.3),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetricsF(title_font).elidedText(
                title, Qt.TextElideMode.ElideRight, self.width() - 2 * _PAD
            ),
        )
        painter.setFont(self.font())
        if chart is None or not self._items or all(not item.value for item in self._items):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No cases to show.")
            if chart is None or not self._items:
                return
        if len(chart.series) > 1:
            self._paint_legend(painter, chart, metrics)
        self._paint_categories(painter, chart, metrics)
        if chart.kind is ChartKind.LINE:
            self._paint_lines(painter, chart)
        for index, item in enumerate(self._items):
            self._paint_item(painter, chart, index, item, metrics)

    def _paint_legend(self, painter: QPainter, chart: Chart, metrics: QFontMetricsF) -> None:
        x = _PAD
        y = _PAD + metrics.height() * 1.4
        for index, series in enumerate(chart.series):
            painter.fillRect(
                QRectF(
                    x, y + (metrics.height() - _LEGEND_SWATCH) / 2, _LEGEND_SWATCH, _LEGEND_SWATCH
                ),
                series_color(index),
            )
            x += _LEGEND_SWATCH + 4
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QPointF(x, y + metrics.ascent()), series.name)
            x += metrics.horizontalAdvance(series.name) + 14

    def _paint_categories(self, painter: QPainter, chart: Chart, metrics: QFontMetricsF) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        plot = self._plot_area()
        count = len(chart.categories)
        if chart.kind is ChartKind.HBAR:
            band = plot.height() / count
            first_bars = [item for item in self._items if item.series == 0]
            for category, label in enumerate(chart.categories):
                width = first_bars[category].rect.left() - plot.left() - _PAD
                box = QRectF(plot.left(), plot.top() + band * category, width, band)
                painter.drawText(
                    box,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(width, 0)),
                )
            return
        group = plot.width() / count
        baseline = plot.bottom() + 2
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        # "Dec 2025" over two lines when bars are narrow: all labels alike, or none.
        split = any(metrics.horizontalAdvance(label) > group - 2 for label in chart.categories)
        for category, label in enumerate(chart.categories):
            lines = label.split(" ", 1) if split else [label]
            for number, line in enumerate(lines):
                box = QRectF(
                    plot.left() + group * category,
                    baseline + number * metrics.height(),
                    group,
                    metrics.height(),
                )
                painter.drawText(
                    box,
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    metrics.elidedText(line, Qt.TextElideMode.ElideRight, group - 2),
                )

    def _paint_lines(self, painter: QPainter, chart: Chart) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for series in range(len(chart.series)):
            path = QPainterPath()
            joined = False  # whether the point before was drawn: nothing to measure breaks the line
            for item in self._items:
                if item.series != series:
                    continue
                if item.value is None:
                    joined = False
                elif joined:
                    path.lineTo(item.rect.center())
                else:
                    path.moveTo(item.rect.center())
                    joined = True
            painter.setPen(QPen(series_color(series), 2))
            painter.drawPath(path)

    def _labelled(self, chart: Chart, index: int) -> bool:
        """Whether the item's value is written beside it.

        Several lines' labels would be written over one another: there only the point
        hovered or focused says its figure (every figure is in its tooltip and the table).
        """
        if chart.kind is not ChartKind.LINE or len(chart.series) < 2:
            return True
        return index == self._hovered or (index == self._focused and self.hasFocus())

    def _paint_item(
        self, painter: QPainter, chart: Chart, index: int, item: ChartItem, metrics: QFontMetricsF
    ) -> None:
        palette = self.palette()
        color = series_color(item.series)
        hovered = index == self._hovered
        if hovered:
            # Lighter on a dark background, darker on a light one: stands out either way.
            dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
            color = color.lighter(130) if dark else color.darker(120)
        painter.setPen(Qt.PenStyle.NoPen)
        background = palette.color(QPalette.ColorRole.Window)
        if chart.kind is not ChartKind.LINE and contrast(color, background) < _BAR_EDGE_CONTRAST:
            # A pale bar (yellow on white) gets an edge in a deeper shade of its colour,
            # two pixels wide so that one stays whole where the edge falls between pixels.
            painter.setPen(QPen(readable(color, background, _BAR_EDGE_CONTRAST), 2))
        painter.setBrush(color)
        if item.value is None:
            pass  # nothing to measure: no bar, no point
        elif chart.kind is ChartKind.LINE:
            painter.drawEllipse(item.rect)
        else:
            painter.drawRect(item.rect)
        label = format_cell(item.value, chart.unit)
        width = metrics.horizontalAdvance(label)
        ink = QPalette.ColorRole.WindowText if item.value is not None else _NO_FIGURE_INK
        painter.setPen(palette.color(ink))
        if chart.kind is ChartKind.HBAR:
            spot = QPointF(
                item.rect.right() + 4,
                item.rect.center().y() + (metrics.ascent() - metrics.descent()) / 2,
            )
        else:
            spot = QPointF(
                item.rect.center().x() - width / 2, item.rect.top() - metrics.descent() - 3
            )
        if self._labelled(chart, index):
            if chart.kind is ChartKind.LINE and len(chart.series) > 1:
                # Over the other lines: on a patch of the background, to be read.
                top = spot.y() - metrics.ascent() - 1
                patch = QRectF(spot.x() - 2, top, width + 4, metrics.height() + 2)
                painter.fillRect(patch, palette.color(QPalette.ColorRole.Base))
            painter.drawText(spot, label)
        if index == self._focused and self.hasFocus():
            focus = item.rect.adjusted(-3, -3, 3, 3)
            if chart.kind is ChartKind.HBAR:
                focus.setRight(focus.right() + width + 6)
            else:
                focus.setTop(focus.top() - metrics.height() - 2)
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(focus)

    # -- interaction

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._laid_out_for = QSize()  # labels take another width: lay the bars out again
            self.updateGeometry()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._item_at(QPointF(event.pos()))
            if index >= 0:
                QToolTip.showText(event.globalPos(), self._tip(self._items[index]), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tip(self, item: ChartItem) -> str:
        if item.case_filter is None:
            return item.text
        return f"{item.text}. Click to list them."

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._item_at(event.position())
        if index != self._hovered:
            self._hovered = index
            usable = index >= 0 and self._items[index].case_filter is not None
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if usable else Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = -1
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self._item_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self._focused = index
            self._describe_focused()
            self.update()
            self._activate(index)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        items = self.items()
        key = Qt.Key(event.key())
        moves = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Up: -1,
        }
        if not items:
            super().keyPressEvent(event)
        elif key in moves:
            self._move_focus(self._focused + moves[key])
        elif key == Qt.Key.Key_Home:
            self._move_focus(0)
        elif key == Qt.Key.Key_End:
            self._move_focus(len(items) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._activate(self._focused)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._describe_focused()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def _move_focus(self, index: int) -> None:
        self._focused = max(0, min(index, len(self._items) - 1))
        self._describe_focused()
        self.update()

    def _describe_focused(self) -> None:
        """A screen reader hears the focused bar as the chart's description."""
        item = self.focused_item()
        description = item.text if item is not None else "No cases to show."
        if item is not None and item.case_filter is not None:
            description += ". Press Enter to list them."
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            )

    def _activate(self, index: int) -> None:
        if 0 <= index < len(self._items):
            case_filter = self._items[index].case_filter
            if case_filter is not None:
                self.filter_requested.emit(case_filter)
