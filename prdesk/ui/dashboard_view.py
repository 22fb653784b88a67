"""The dashboard: where the department stands, in figures and charts, each a click from its cases."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import Viewpoint
from prdesk.domain.reports.dashboard import (
    Dashboard,
    Tally,
    dashboard,
    kinds_chart,
    new_cases_chart,
    status_chart,
    workload_chart,
)
from prdesk.domain.reports.model import Unit, format_cell
from prdesk.domain.reports.periods import month_name
from prdesk.ui.bar_chart import BarChart
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.figure_tile import FigureTile
from prdesk.ui.formatting import locale, time_format
from prdesk.ui.live_reload import LiveReload

# Accents from the charts' colour-blind-safe palette: vermilion for late, orange for soon.
_OVERDUE_ACCENT = "#D55E00"
_WEEK_ACCENT = "#E69F00"


class DashboardView(QWidget):
    """Reloads when shown, after changes, and every minute while it is on screen.

    Attributes:
        tiles: the figures, by key ("open", "overdue", "due_this_week", "new",
            "new_last_month", "complaints", "compliments").
        charts: the charts, by key ("status", "workload", "new", "kinds").

    Signals:
        filter_requested: the CaseFilter of the figure or bar the user clicked or pressed Enter on.
        report_requested: the user asked for these figures as a report, to print or save.
    """

    filter_requested = Signal(object)
    report_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.board: Dashboard | None = None
        self.caption = QLabel("Loading…")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAccessibleName("Dashboard status")
        self.report_button = QPushButton("&Print or save these figures…")
        self.report_button.setToolTip(
            "Open these figures as a report, to print them or save them as PDF, CSV or Excel"
        )
        self.tiles: dict[str, FigureTile] = {
            "open": FigureTile("Open cases"),
            "overdue": FigureTile("Overdue", _OVERDUE_ACCENT),
            "due_this_week": FigureTile("Due this week", _WEEK_ACCENT),
            "new": FigureTile("New this month"),
            "new_last_month": FigureTile("New last month"),
            "complaints": FigureTile("Complaints this month"),
            "compliments": FigureTile("Compliments this month"),
        }
        self.charts: dict[str, BarChart] = {
            key: BarChart() for key in ("status", "workload", "new", "kinds")
        }
        self._lay_out()

        actor = ctx.actor
        self.live = LiveReload(
            self,
            ctx,
            lambda session: dashboard(session, actor, Viewpoint(viewer_id=actor.id)),
            alongside=True,
        )
        self._connect_signals()

    def _lay_out(self) -> None:
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        charts = QGridLayout()
        charts.setSpacing(12)
        charts.addWidget(self.charts["status"], 0, 0)
        charts.addWidget(self.charts["workload"], 0, 1)
        charts.addWidget(self.charts["new"], 1, 0)
        charts.addWidget(self.charts["kinds"], 1, 1)
        for side in range(2):
            charts.setColumnStretch(side, 1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(10, 10, 10, 10)
        column.setSpacing(10)
        column.addLayout(tiles)
        column.addLayout(charts, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        # The caption wraps, so it stays outside the scrolled page: a page whose height
        # depends on its width is given its preferred height, and the charts would scroll.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 0)
        layout.setSpacing(0)
        heading = QHBoxLayout()
        heading.addWidget(self.caption, 1)
        heading.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        layout.addWidget(scroll, 1)
        self.setFocusProxy(self.tiles["open"])

    def _connect_signals(self) -> None:
        for tile in self.tiles.values():
            tile.clicked.connect(lambda _=False, t=tile: self._on_tile_clicked(t))
        for chart in self.charts.values():
            chart.filter_requested.connect(self.filter_requested)
        self.report_button.clicked.connect(self.report_requested)
        self.live.loaded.connect(self._on_loaded)
        self.live.failed.connect(self._on_failed)

    # -- slots

    def on_changed(self, change: Change) -> None:
        """Saves open, finish and reassign cases: reload soon, or when next shown."""
        self.live.on_changed(change)

    def refresh(self) -> None:
        self.live.refresh()

    def _on_loaded(self, board: Dashboard) -> None:
        self.board = board
        self._show_tiles(board)
        self.charts["status"].set_chart(status_chart(board))
        self.charts["workload"].set_chart(workload_chart(board))
        self.charts["new"].set_chart(new_cases_chart(board))
        self.charts["kinds"].set_chart(kinds_chart(board))
        now = datetime.now()
        at = locale().toString(QTime(now.hour, now.minute), time_format())
        self.caption.setText(
            f"Where the department stands, as of {at}. Click a figure or a bar, or press "
            "Enter on it, to list those cases."
        )

    def _show_tiles(self, board: Dashboard) -> None:
        now, before = board.this_month, board.last_month
        month = month_name(now.period.start)
        self._set("open", "Open cases", board.open)
        self._set("overdue", "Overdue", board.overdue)
        self._set("due_this_week", "Due this week", board.due_this_week)
        note = ""
        if before is not None:
            change = board.new_change
            earlier = month_name(before.period.start)
            note = f"{format_cell(change, Unit.CHANGE)} on {earlier}" if change is not None else ""
            self._set("new_last_month", f"New in {earlier}", before.new)
        self._set("new", f"New in {month}", now.new, note)
        self._set("complaints", "Complaints", now.complaints, f"in {month}")
        self._set("compliments", "Compliments", now.compliments, f"in {month}")

    def _set(self, key: str, caption: str, tally: Tally, note: str = "") -> None:
        self.tiles[key].set_figure(caption, tally.count, tally.case_filter, note)

    def _on_failed(self, error: DomainError) -> None:
        self.caption.setText(f"The dashboard could not be loaded. {error.message}")

    def _on_tile_clicked(self, tile: FigureTile) -> None:
        if tile.case_filter is not None:
            self.filter_requested.emit(tile.case_filter)
