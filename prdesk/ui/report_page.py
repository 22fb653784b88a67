"""A computed report on screen: its title, then each section's sentences, table and chart."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QScrollBar,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.reports.model import Report, ReportTable, Section
from prdesk.ui.bar_chart import BarChart
from prdesk.ui.report_table_model import ReportTableModel

# Up to this many rows a table shows them all and the page scrolls; a longer one (thousands
# of grievance lines) scrolls itself, in a box as tall as the page's visible part, so only
# one of the two scrollbars is ever needed at a time.
ROWS_SHOWN_WHOLE = 600
# A column of long text (a grievance's summary) wraps no wider than this, in pixels.
_WIDEST_COLUMN = 360


class ReportTableView(QTableView):
    """A report table sized to its rows, so the page scrolls rather than each table."""

    def __init__(self, table: ReportTable, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report_model = ReportTableModel(table, self)
        self.setModel(self.report_model)
        self.setAccessibleName(name)
        if table.drill:
            self.setAccessibleDescription("Press Enter on a figure to list the cases it counts.")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        # The height of the page's visible part, which a table that scrolls itself takes.
        self.page_height = 0
        if not self.scrolls():
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as its columns, up to the page's width; then it scrolls sideways.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.horizontalScrollBar().rangeChanged.connect(lambda _low, _high: self.updateGeometry())
        self.entered.connect(self._on_entered)

    def _fit_columns(self) -> None:
        """Each column as wide as its figures or its heading's longest word; headings wrap.

        Report headings are sentences ("Acknowledgement not yet due"): on one line they
        would make every table scroll sideways.
        """
        header = self.horizontalHeader()
        metrics = QFontMetrics(header.font())
        tallest = 0
        for column in range(self.report_model.columnCount()):
            title = str(self.report_model.headerData(column, Qt.Orientation.Horizontal))
            longest_word = max((metrics.horizontalAdvance(w) for w in title.split()), default=0)
            # Two lines of heading at most, as a rule; some air between figures, too:
            # tightly fitted columns read as one number.
            heading = max(longest_word, metrics.horizontalAdvance(title) // 2) + 20
            width = min(max(self.sizeHintForColumn(column) + 12, heading), _WIDEST_COLUMN)
            self.setColumnWidth(column, width)
            wrapped = metrics.boundingRect(
                QRect(0, 0, width - 8, 10_000), int(Qt.TextFlag.TextWordWrap), title
            )
            tallest = max(tallest, wrapped.height())
        header.setFixedHeight(max(tallest + 10, header.sizeHint().height()))

    def scrolls(self) -> bool:
        """Whether the table scrolls its rows itself (it has too many to show them all)."""
        return self.report_model.rowCount() > ROWS_SHOWN_WHOLE

    def sizeHint(self) -> QSize:
        width = self.horizontalHeader().length() + 2 * self.frameWidth()
        if self.scrolls():
            width += self.verticalScrollBar().sizeHint().width()
            # Never shorter than a screenful of rows, on a page squeezed small.
            return QSize(
                width, max(self.page_height, self.verticalHeader().defaultSectionSize() * 12)
            )
        height = (
            self.horizontalHeader().height()
            + self.verticalHeader().length()
            + 2 * self.frameWidth()
        )
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(min(200, self.sizeHint().width()), self.sizeHint().height())

    def _on_entered(self, index: QModelIndex) -> None:
        usable = self.report_model.filter_at(index) is not None
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if usable else Qt.CursorShape.ArrowCursor
        )


def _label(text: str, *, name: str, size: float = 0, bold: bool = False) -> QLabel:
    label = QLabel(text)
    # Report text repeats names from the database: never read it as HTML.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    if size or bold:
        font = QFont(label.font())
        if size:
            font.setPointSizeF(font.pointSizeF() * size)
        font.setBold(bold)
        label.setFont(font)
    return label


class ReportPage(QScrollArea):
    """Shows one Report; a figure or bar with cases behind it asks for them in the list.

    Signals:
        filter_requested: the CaseFilter of the figure or bar activated.
    """

    filter_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Report")
        self.report: Report | None = None
        self.tables: list[ReportTableView] = []
        self.charts: list[BarChart] = []
        self.headings: list[QLabel] = []
        self.placeholder = QLabel("Choose a report and its days, then press Show.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setWidget(self.placeholder)
        # A table wider than the page and shown whole has its own sideways scrollbar at
        # its foot, maybe hundreds of rows down: this one stands in for it at the foot
        # of the page while the table's rows are on screen.
        self.sideways = QScrollBar(Qt.Orientation.Horizontal, self.viewport())
        self.sideways.setAccessibleName("Scroll the table sideways")
        self.sideways.hide()
        self._sideways_for: ReportTableView | None = None
        self.sideways.valueChanged.connect(self._on_sideways_moved)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._place_sideways())
        self.verticalScrollBar().rangeChanged.connect(lambda _low, _high: self._place_sideways())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit_long_tables()
            self._place_sideways()
        return super().viewportEvent(event)

    def _place_sideways(self) -> None:
        viewport = self.viewport()
        chosen = None
        for view in self.tables:
            # While a new report replaces the old one, the old tables are still listed
            # but already out of the page: they have no place to measure.
            if not viewport.isAncestorOf(view):
                continue
            own = view.horizontalScrollBar()
            top = view.mapTo(viewport, QPoint(0, 0)).y()
            rows_shown = top < viewport.height() - 3 * view.verticalHeader().defaultSectionSize()
            if own.maximum() > 0 and rows_shown and top + view.height() > viewport.height():
                chosen = view
                break
        self._sideways_for = chosen
        if chosen is None:
            self.sideways.hide()
            return
        own = chosen.horizontalScrollBar()
        height = self.sideways.sizeHint().height()
        left = chosen.mapTo(viewport, QPoint(0, 0)).x() + chosen.frameWidth()
        self.sideways.setGeometry(left, viewport.height() - height, own.width(), height)
        self.sideways.setRange(own.minimum(), own.maximum())
        self.sideways.setPageStep(own.pageStep())
        self.sideways.setSingleStep(own.singleStep())
        self.sideways.setValue(own.value())
        self.sideways.show()
        self.sideways.raise_()

    def _on_sideways_moved(self, value: int) -> None:
        if self._sideways_for is not None:
            self._sideways_for.horizontalScrollBar().setValue(value)

    def _on_table_moved_sideways(self, view: ReportTableView, value: int) -> None:
        if view is self._sideways_for:
            self.sideways.setValue(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            view = watched.parent()
            if isinstance(view, ReportTableView) and view.scrolls():
                return self._wheel_page_first(view, event)
        return super().eventFilter(watched, event)

    def _wheel_page_first(self, view: ReportTableView, event: QWheelEvent) -> bool:
        """The wheel over a table that scrolls itself moves the page until the table fills
        it, then the table's rows, and past its last row the page again: one list moves at
        a time, and the wheel never seems stuck at the table's end."""
        content = self.widget()
        delta = event.pixelDelta().y()
        if not delta:
            lines = QApplication.wheelScrollLines() * event.angleDelta().y() / 120
            delta = round(lines * self.verticalScrollBar().singleStep())
        if content is None or not delta or not content.isAncestorOf(view):
            return False
        rows = view.verticalScrollBar()
        rows_ended = rows.value() == (rows.maximum() if delta < 0 else rows.minimum())
        page = self.verticalScrollBar()
        aligned = view.mapTo(content, QPoint(0, 0)).y()  # where the page shows the table whole
        now = page.value()
        if now == aligned and not rows_ended:
            return False
        target = now - delta
        if not rows_ended and min(now, target) < aligned < max(now, target):
            target = aligned  # stop there: the next turn of the wheel scrolls the rows
        page.setValue(target)
        return page.value() != now

    def _fit_long_tables(self) -> None:
        """A table that scrolls itself is as tall as the page's visible part: scrolled to it,
        the page shows it whole, and the wheel moves one list at a time."""
        height = self.viewport().height()
        for view in self.tables:
            if view.scrolls() and view.page_height != height:
                view.page_height = height
                view.updateGeometry()

    def show_report(self, report: Report) -> None:
        self.report = report
        self.tables, self.charts, self.headings = [], [], []
        content = QWidget()
        content.setBackgroundRole(QPalette.ColorRole.Base)
        content.setAutoFillBackground(True)
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 16)
        column.setSpacing(6)
        column.addWidget(_label(report.title, name="Report title", size=1.5, bold=True))
        if report.subtitle:
            column.addWidget(_label(report.subtitle, name="Report period"))
        for section in report.sections:
            column.addSpacing(10)
            self._add_section(column, section)
        if not report.sections:
            column.addWidget(_label("There is nothing to report for these days.", name="Empty"))
        column.addStretch(1)
        self._fit_long_tables()
        # The old page (and its models) goes with the widget it is replaced by.
        self._sideways_for = None
        self.setWidget(content)
        self._place_sideways()

    def _add_section(self, column: QVBoxLayout, section: Section) -> None:
        if section.heading:
            heading = _label(section.heading, name="Section heading", size=1.15, bold=True)
            self.headings.append(heading)
            column.addWidget(heading)
        for paragraph in section.paragraphs:
            column.addWidget(_label(paragraph, name=section.heading or "Text"))
        if section.table is not None and section.table.columns:
            view = ReportTableView(section.table, section.heading or "Figures")
            view.activated.connect(lambda index, v=view: self._on_activated(v, index))
            if view.scrolls():
                view.viewport().installEventFilter(self)
            self.tables.append(view)
            sideways = view.horizontalScrollBar()
            sideways.valueChanged.connect(
                lambda value, v=view: self._on_table_moved_sideways(v, value)
            )
            sideways.rangeChanged.connect(lambda _low, _high: self._place_sideways())
            column.addWidget(view, 0, Qt.AlignmentFlag.AlignLeft)
        if section.chart is not None and section.chart.categories:
            chart = BarChart()
            chart.set_chart(section.chart)
            chart.setMinimumHeight(max(220, chart.sizeHint().height()))
            chart.filter_requested.connect(self.filter_requested)
            self.charts.append(chart)
            column.addWidget(chart)

    def _on_activated(self, view: ReportTableView, index: QModelIndex) -> None:
        case_filter = view.report_model.filter_at(index)
        if case_filter is not None:
            self.filter_requested.emit(case_filter)
