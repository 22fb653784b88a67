"""Recording a department's response to a request: what it said and when it came."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import ConflictError, DomainError, ValidationError
from prdesk.domain.readmodels import DepartmentRequestInfo
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.services.department_requests import record_response
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.date_fields import DateTimeField
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.formatting import local_date
from prdesk.ui.info_bar import InfoBar


class RequestResponseDialog(QDialog):
    """Saves the response against the request as it was loaded; what was typed stays on error.

    Signals:
        saved: the DepartmentRequestInfo, answered.
        conflicted: the message, when someone else answered or changed the request first.
    """

    saved = Signal(object)
    conflicted = Signal(str)

    def __init__(
        self, ctx: AppContext, request: DepartmentRequestInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.request = request
        self.setWindowTitle(f"Response from {request.department.name} — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        asked_on = local_date(request.requested_at.astimezone().date())
        about = QLabel(
            f"Asked of {request.addressed_to} ({request.department.name}) on {asked_on}, "
            f"due by {local_date(request.due_on)}:\n{request.summary}"
        )
        about.setWordWrap(True)
        # It quotes what a colleague typed: never read as HTML.
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setProperty("role", "hint")
        self.summary = QLineEdit()
        self.summary.setAccessibleName("What the department said")
        self.summary.setPlaceholderText(
            "One line, e.g. Statement received; staff coaching arranged"
        )
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Details of the response")
        self.body.setPlaceholderText("Details (optional): the statement, or what it says")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 14)
        self.received = DateTimeField()
        self.received.setAccessibleName("When the response came")
        self.received.setToolTip("Now, unless you change it; it may be earlier but not later.")
        form = QFormLayout()
        form.addRow(
            self._label("&Response:", self.summary), self.errors.wrap("summary", self.summary)
        )
        form.addRow(self._label("&Details:", self.body), self.errors.wrap("body", self.body))
        received_row = QHBoxLayout()
        received_row.addWidget(self.errors.wrap("occurred_at", self.received))
        received_row.addStretch(1)
        form.addRow(self._label("Recei&ved:", self.received), received_row)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Re&cord response")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Made after the record button, so that Tab meets the two as Windows shows them.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.resize(560, self.sizeHint().height())

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        actor, request = self._ctx.actor, self.request
        summary = self.summary.text()
        body = escape_plain(self.body.toPlainText().strip())
        received = self.received.value()
        self.save_button.setEnabled(False)
        (
            self._ctx.operation(
                self,
                lambda session: record_response(
                    session, actor, request.id, request.version, summary, body, received
                ),
            )
            .changes(Change.to_case(request.case_id, Change.TIMELINE))
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, request: DepartmentRequestInfo) -> None:
        self.saved.emit(request)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if isinstance(error, ConflictError):
            self.banner.show_message(error.message, kind="warning")
            self.conflicted.emit(error.message)
        elif unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
        invalid = self.errors.first_invalid()
        if invalid is not None:
            invalid.setFocus()
        # Room for the messages, so none is cut off.
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, request: DepartmentRequestInfo
    ) -> DepartmentRequestInfo | None:
        """The request as answered, or None when the person cancelled."""
        dialog = cls(ctx, request, parent)
        recorded: list[DepartmentRequestInfo] = []
        dialog.saved.connect(recorded.append)
        dialog.exec()
        return recorded[0] if recorded else None
