"""Every request a department has not answered yet, across cases, with the overdue ones in red."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import DepartmentRequestInfo, Reference
from prdesk.domain.services import organisation
from prdesk.domain.services.department_requests import outstanding_requests
from prdesk.ui.case_requests_panel import ask_escalation_note, escalation, may_escalate
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import locale, time_format
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.live_reload import LiveReload
from prdesk.ui.waiting_on_departments_model import WAITING_COLUMNS, Column, RequestsModel


@dataclass(frozen=True)
class Waiting:
    """What the view shows: the outstanding requests, and the departments to filter by."""

    requests: tuple[DepartmentRequestInfo, ...]
    departments: tuple[Reference, ...]


class WaitingOnDepartments(QWidget):
    """Reloads when shown, after timeline changes, and every minute while on screen.

    Attributes:
        ask_note: asks for an escalation's note; tests put a function returning text here.

    Signals:
        open_case: the id of the case whose request was double-clicked or Entered.
    """

    open_case = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._all: tuple[DepartmentRequestInfo, ...] = ()
        self._today = date.today()
        self.ask_note = ask_escalation_note
        self.caption = QLabel("Loading…")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAccessibleName("Waiting on departments status")
        self.info = InfoBar()
        self.overdue_only = QCheckBox("&Overdue only")
        self.department = QComboBox()
        self.department.setAccessibleName("Department")
        self.department.addItem("All departments", None)
        self.department.setMinimumContentsLength(16)
        department_label = QLabel("De&partment:")
        department_label.setBuddy(self.department)
        self.escalate_button = QPushButton("&Escalate…")
        self.escalate_button.setAutoDefault(False)
        self.escalate_button.setToolTip("Take the selected request to its backup reviewer")
        self.model = RequestsModel(WAITING_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Requests waiting on departments")
        self.table.setAccessibleDescription("Press Enter on a request to open its case.")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            WAITING_COLUMNS.index(Column.DEPARTMENT), QHeaderView.ResizeMode.Stretch
        )

        filters = QHBoxLayout()
        filters.addWidget(self.overdue_only)
        filters.addSpacing(12)
        filters.addWidget(department_label)
        filters.addWidget(self.department)
        filters.addStretch(1)
        filters.addWidget(self.escalate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.info)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

        self._busy = False
        actor = ctx.actor
        self.live = LiveReload(
            self,
            ctx,
            lambda session: Waiting(
                outstanding_requests(session, actor), tuple(organisation.departments(session))
            ),
        )
        self._connect_signals()
        self._update_button()

    def _connect_signals(self) -> None:
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.model.modelReset.connect(self._update_button)
        self.overdue_only.toggled.connect(self._show_filtered)
        self.department.currentIndexChanged.connect(self._show_filtered)
        self.escalate_button.clicked.connect(self.escalate)
        self.live.loaded.connect(self._on_loaded)
        self.live.failed.connect(self._on_failed)

    # -- slots

    def on_changed(self, change: Change) -> None:
        """Requests are made, answered and escalated on timelines: reload soon, or when shown."""
        if {Change.TIMELINE, Change.ALL} & change.what:
            self.live.on_changed(change)

    def refresh(self) -> None:
        self.live.refresh()

    def _on_loaded(self, result: Waiting) -> None:
        self._all, self._today = result.requests, date.today()
        chosen = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem("All departments", None)
        for department in result.departments:
            self.department.addItem(department.name, department.id)
        self.department.setCurrentIndex(max(self.department.findData(chosen), 0))
        self.department.blockSignals(False)
        self._show_filtered()

    def _show_filtered(self) -> None:
        selected = self.selected_request()
        department_id = self.department.currentData()
        shown = [
            request
            for request in self._all
            if (not self.overdue_only.isChecked() or request.is_overdue(self._today))
            and (department_id is None or request.department.id == department_id)
        ]
        self.model.set_requests(shown, self._today)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.table.selectRow(row)
        overdue = sum(request.is_overdue(self._today) for request in self._all)
        now = datetime.now()
        at = locale().toString(QTime(now.hour, now.minute), time_format())
        total = len(self._all)
        if not total:
            text = f"No department owes an answer, as of {at}."
        else:
            owed = f"{total} request{'' if total == 1 else 's'} waiting on departments"
            late = f"{overdue} overdue" if overdue else "none overdue"
            text = f"{owed}, {late}, as of {at}. Press Enter on one to open its case."
        if len(shown) != total:
            text += f" Showing {len(shown)}."
        self.caption.setText(text)

    def _on_failed(self, error: DomainError) -> None:
        self.caption.setText(f"The requests could not be loaded. {error.message}")

    def _on_activated(self, index: QModelIndex) -> None:
        request = self.model.request(index.row())
        if request is not None:
            self.open_case.emit(request.case_id)

    def selected_request(self) -> DepartmentRequestInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.request(rows[0].row()) if rows else None

    def _update_button(self) -> None:
        request = self.selected_request()
        self.escalate_button.setEnabled(
            not self._busy
            and self._ctx.may(Action.ADD_TIMELINE_ENTRY)
            and request is not None
            and may_escalate(request)
        )

    def escalate(self) -> None:
        request = self.selected_request()
        if request is None or not self.escalate_button.isEnabled():
            return
        note = self.ask_note(self, request)
        if note is None:
            return
        self._busy = True
        self._update_button()
        (
            escalation(self._ctx, self, request, note)
            .success(
                lambda done: self.info.show_message(
                    f"{done.case_number}: escalated to {done.backup_reviewer}."
                )
            )
            .failure(self._on_escalation_failed)
            .done(self._on_escalation_done)
            .run()
        )

    def _on_escalation_done(self) -> None:
        self._busy = False
        self._update_button()

    def _on_escalation_failed(self, error: DomainError) -> None:
        if isinstance(error, ConflictError):
            self.info.show_message(
                error.message, kind="warning", actions=[("&Reload", self.refresh)]
            )
        else:
            self.info.show_message(error.message, kind="error")
