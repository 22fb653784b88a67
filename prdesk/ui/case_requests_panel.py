"""A case's requests to departments: who owes a statement by when, and the actions on them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail, DepartmentRequestInfo
from prdesk.domain.services.department_requests import escalate
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.department_request_dialog import DepartmentRequestDialog
from prdesk.ui.formatting import local_date
from prdesk.ui.operations import Operation
from prdesk.ui.request_response_dialog import RequestResponseDialog
from prdesk.ui.waiting_on_departments_model import CASE_COLUMNS, Column, RequestsModel

REQUEST_SHORTCUT = "Ctrl+Shift+R"


def ask_escalation_note(parent: QWidget, request: DepartmentRequestInfo) -> str | None:
    """A note for the escalation entry ("" for none), or None when the person cancels."""
    asked_on = local_date(request.requested_at.astimezone().date())
    text, accepted = QInputDialog.getMultiLineText(
        parent,
        f"Escalate to {request.backup_reviewer}",
        f"{request.department.name} has not answered the request of {asked_on} "
        f"(due {local_date(request.due_on)}). It goes to {request.backup_reviewer}, "
        "and the case's timeline records it.\n\nA note for the timeline (optional):",
    )
    return text.strip() if accepted else None


def may_escalate(request: DepartmentRequestInfo) -> bool:
    return request.outstanding and bool(request.backup_reviewer) and request.escalated_at is None


def escalation(
    ctx: AppContext, parent: QWidget, request: DepartmentRequestInfo, note: str
) -> Operation[DepartmentRequestInfo]:
    """Escalating the request to its backup reviewer, ready to run (from the case or the
    waiting view); it announces the change to the request's case."""
    actor = ctx.actor
    return ctx.operation(
        parent, lambda session: escalate(session, actor, request.id, request.version, note)
    ).changes(Change.to_case(request.case_id, Change.TIMELINE))


class CaseRequestsPanel(QGroupBox):
    """The case's requests, outstanding first; buttons act on the selected one.

    Attributes:
        ask_note: asks for the escalation's note; tests put a function returning text here.

    Signals:
        conflicted: the message of a ConflictError (the request changed since it was loaded).
        failed: the message of any other error.
    """

    conflicted = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Requests to departments", parent)
        self._ctx = ctx
        self._case: CaseDetail | None = None
        self._busy = False
        self.ask_note = ask_escalation_note
        self.model = RequestsModel(CASE_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Requests to departments")
        self.table.setAccessibleDescription(
            "Press Enter on an outstanding request to record its response."
        )
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
            CASE_COLUMNS.index(Column.STANDING), QHeaderView.ResizeMode.Stretch
        )
        self.empty_label = QLabel("No requests to departments.")
        self.empty_label.setProperty("role", "hint")

        allowed = ctx.may(Action.ADD_TIMELINE_ENTRY)
        self.request_button = QPushButton("Re&quest a statement…")
        self.request_button.setShortcut(REQUEST_SHORTCUT)
        self.request_button.setToolTip(
            f"Ask a department for a statement or review ({REQUEST_SHORTCUT})"
        )
        self.response_button = QPushButton("Record re&sponse…")
        self.response_button.setToolTip("Record the selected request's response")
        self.escalate_button = QPushButton("Escalate to &backup…")
        for button in (self.request_button, self.response_button, self.escalate_button):
            button.setAutoDefault(False)
        self.request_button.setEnabled(allowed)
        self._allowed = allowed

        buttons = QHBoxLayout()
        buttons.addWidget(self.request_button)
        buttons.addWidget(self.response_button)
        buttons.addWidget(self.escalate_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addStretch(0)
        self.table.hide()
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.request_button.clicked.connect(self.request_statement)
        self.response_button.clicked.connect(self.record_response)
        self.escalate_button.clicked.connect(self.escalate)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

    def set_case(self, detail: CaseDetail, today: date | None = None) -> None:
        """Shows the case's requests; one whose request entry was deleted is left out."""
        selected = self.selected_request()
        self._case = detail
        shown = {entry.id for entry in detail.timeline}
        listed = [r for r in detail.requests if r.request_entry_id in shown]
        waiting = sorted((r for r in listed if r.outstanding), key=lambda r: (r.due_on, r.id))
        answered = sorted(
            (r for r in listed if not r.outstanding),
            key=lambda r: (r.answered_at or r.requested_at, r.id),
            reverse=True,
        )
        requests = waiting + answered
        self.model.set_requests(requests, today)
        self.table.setVisible(bool(requests))
        self.empty_label.setVisible(not requests)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected_request(self) -> DepartmentRequestInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.request(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        request = self.selected_request()
        outstanding = request is not None and request.outstanding
        self.response_button.setEnabled(self._allowed and not self._busy and outstanding)
        self.escalate_button.setEnabled(
            self._allowed and not self._busy and request is not None and may_escalate(request)
        )
        if request is not None and request.outstanding and not request.backup_reviewer:
            tip = "This request names no backup reviewer to escalate to."
        elif request is not None and request.escalated_at is not None:
            tip = f"Already escalated to {request.backup_reviewer}."
        else:
            tip = "Take the selected unanswered request to its backup reviewer"
        self.escalate_button.setToolTip(tip)

    def _on_activated(self, index: QModelIndex) -> None:
        request = self.model.request(index.row())
        if request is not None and request.outstanding:
            self.table.selectRow(index.row())
            self.record_response()

    # -- actions

    def request_statement(self) -> DepartmentRequestDialog | None:
        """Opens the request form (window-modal, without blocking) and returns it."""
        if self._case is None or not self.request_button.isEnabled():
            return None
        dialog = DepartmentRequestDialog(self._ctx, self._case.id, self._case.departments, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def record_response(self) -> RequestResponseDialog | None:
        request = self.selected_request()
        if request is None or not self.response_button.isEnabled():
            return None
        dialog = RequestResponseDialog(self._ctx, request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.conflicted.connect(self.conflicted)
        dialog.open()
        return dialog

    def escalate(self) -> None:
        request = self.selected_request()
        if request is None or not self.escalate_button.isEnabled():
            return
        note = self.ask_note(self, request)
        if note is None:
            return
        self._busy = True
        self._update_buttons()
        (
            escalation(self._ctx, self, request, note)
            .failure(self._on_failed)
            .done(self._on_done)
            .run()
        )

    def _on_done(self) -> None:
        self._busy = False
        self._update_buttons()

    def _on_failed(self, error: DomainError) -> None:
        if isinstance(error, ConflictError):
            self.conflicted.emit(error.message)
        else:
            self.failed.emit(error.message)
