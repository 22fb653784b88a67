"""A computed report on screen: its title, then each section's sentences, table and chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.reports.model import Report, ReportTable, Section
from prdesk.ui.bar_chart import BarChart
from prdesk.ui.report_table_model import ReportTableModel

# Past this many rows a table scrolls inside the page instead of growing with it.
_ROWS_SHOWN_WHOLE = 30
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
        if self.report_model.rowCount() <= _ROWS_SHOWN_WHOLE:
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

    def sizeHint(self) -> QSize:
        rows = min(self.report_model.rowCount(), _ROWS_SHOWN_WHOLE)
        height = (
            self.horizontalHeader().height()
            + sum(self.rowHeight(row) for row in range(rows))
            + 2 * self.frameWidth()
        )
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        width = self.horizontalHeader().length() + 2 * self.frameWidth()
        if self.report_model.rowCount() > _ROWS_SHOWN_WHOLE:
            width += self.verticalScrollBar().sizeHint().width()
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
        # The old page (and its models) goes with the widget it is replaced by.
        self.setWidget(content)

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
            self.tables.append(view)
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
