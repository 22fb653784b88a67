"""The workload screen: each caseworker's open, due-soon and overdue cases, a click away from the list."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import Viewpoint
from prdesk.domain.workload import Workload, workload
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import locale, time_format
from prdesk.ui.live_reload import LiveReload
from prdesk.ui.workload_model import NAME, WorkloadModel


class WorkloadView(QWidget):
    """Reloads when shown, after changes, and every minute while it is on screen.

    Signals:
        filter_requested: the CaseFilter of the figure the user clicked or pressed Enter on.
    """

    filter_requested = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = WorkloadModel(self)
        self.caption = QLabel("Loading…")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAccessibleName("Workload status")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Workload")
        self.table.setAccessibleDescription(
            "Open, due-soon and overdue cases per caseworker. Press Enter on a figure to list its cases."
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

        actor = ctx.actor
        self.live = LiveReload(
            self, ctx, lambda session: workload(session, actor, Viewpoint(viewer_id=actor.id))
        )
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.table.clicked.connect(self._on_chosen)
        self.table.activated.connect(self._on_chosen)
        self.live.loaded.connect(self._on_loaded)
        self.live.failed.connect(self._on_failed)

    # -- slots

    def on_changed(self, change: Change) -> None:
        """Saves open, finish and reassign cases: reload soon, or when next shown."""
        self.live.on_changed(change)

    def refresh(self) -> None:
        self.live.refresh()

    def _on_loaded(self, result: Workload) -> None:
        current = self.table.currentIndex()
        self.model.set_workload(result)
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        now = datetime.now()
        at = locale().toString(QTime(now.hour, now.minute), time_format())
        self.caption.setText(
            f"Open cases per caseworker, as of {at}. Click a figure, or press Enter on it, "
            "to list those cases."
        )

    def _on_failed(self, error: DomainError) -> None:
        self.caption.setText(f"The workload could not be loaded. {error.message}")

    def _on_chosen(self, index: QModelIndex) -> None:
        case_filter = self.model.filter_at(index)
        if case_filter is not None:
            self.filter_requested.emit(case_filter)
