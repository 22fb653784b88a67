"""Asking a department for a statement or review: to whom, what, and by when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError, ValidationError
from prdesk.domain.readmodels import DepartmentRequestInfo, Reference
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.services import organisation
from prdesk.domain.services.department_requests import (
    NewRequest,
    default_due_on,
    request_statement,
)
from prdesk.domain.services.organisation import DepartmentContacts
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.formatting import date_format
from prdesk.ui.info_bar import InfoBar


@dataclass(frozen=True)
class RequestSetup:
    """What the form offers: every department with its contacts, and the usual due date."""

    departments: tuple[DepartmentContacts, ...]
    due_on: date


def request_setup(session: Session) -> RequestSetup:
    departments = tuple(organisation.department_contacts(session))
    return RequestSetup(departments, default_due_on(session, date.today()))


class DepartmentRequestDialog(QDialog):
    """Loads the departments in the background; saving records the request on the case.

    The case's own departments come first. Choosing a department fills in its manager
    and backup reviewer, unless the person has typed someone else.

    Signals:
        saved: the DepartmentRequestInfo, once recorded.
    """

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        case_id: int,
        departments: Sequence[Reference] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case_id = case_id
        self._case_departments = [department.id for department in departments]
        self._contacts: dict[int, DepartmentContacts] = {}
        self._filled: dict[QLineEdit, str] = {}
        self.setWindowTitle("Request a statement — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        intro = QLabel(
            "Ask a department for a statement or a review. The request stays outstanding "
            "on the case, and under Waiting on departments, until its response is recorded."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")

        self.department = QComboBox()
        self.department.setAccessibleName("Department")
        self.department.setMinimumContentsLength(24)
        self.summary = QLineEdit()
        self.summary.setAccessibleName("What is asked")
        self.summary.setPlaceholderText("e.g. A statement from the nurse in charge on 3 March")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Details of the request")
        self.body.setPlaceholderText("Details (optional): questions to answer, records to check")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.due_on = QDateEdit()
        self.due_on.setCalendarPopup(True)
        self.due_on.setDisplayFormat(date_format())
        self.due_on.setAccessibleName("Answer due by")
        today = date.today()
        self.due_on.setMinimumDate(QDate(today.year, today.month, today.day))
        self.addressed_to = self._person_field("Request goes to", "Name")
        self.addressed_email = self._person_field("Email of the person asked", "Email (optional)")
        self.backup_reviewer = self._person_field(
            "Backup reviewer", "Name (who is asked if no answer comes)"
        )
        self.backup_email = self._person_field("Email of the backup reviewer", "Email (optional)")

        form = QFormLayout()
        form.addRow(self._label("&Department:", self.department), self.department)
        form.addRow(
            self._label("&What is asked:", self.summary), self.errors.wrap("summary", self.summary)
        )
        form.addRow(self._label("Deta&ils:", self.body), self.errors.wrap("body", self.body))
        due_row = QHBoxLayout()
        due_row.addWidget(self.errors.wrap("due_on", self.due_on))
        due_row.addStretch(1)
        form.addRow(self._label("D&ue by:", self.due_on), due_row)
        form.addRow(
            self._label("&To:", self.addressed_to),
            self._pair("addressed", self.addressed_to, self.addressed_email),
        )
        form.addRow(
            self._label("&Backup reviewer:", self.backup_reviewer),
            self._pair("backup", self.backup_reviewer, self.backup_email),
        )
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Record request")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Made after the request button, so that Tab meets the two as Windows shows them.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._column = QVBoxLayout(self)
        self._column.addWidget(self.banner)
        self._column.addWidget(intro)
        self._column.addLayout(form)
        self._column.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.department.currentIndexChanged.connect(self._fill_contacts)
        self.resize(700, self.minimumSizeHint().height())
        self.save_button.setEnabled(False)
        (
            ctx.operation(self, request_setup, read_only=True)
            .success(self.load)
            .failure(self._show_error)
            .run()
        )

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _person_field(name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        return field

    def _pair(self, key: str, name: QLineEdit, email: QLineEdit) -> QWidget:
        """Name and email side by side, each with its own message under it."""
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        name_key = "addressed_to" if key == "addressed" else "backup_reviewer"
        grid.addWidget(self.errors.wrap(name_key, name), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.wrap(f"{key}_email", email), 0, 1, Qt.AlignmentFlag.AlignTop)
        # Hospital addresses run long (firstname.lastname@trust-name.example): room for them.
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        return row

    def load(self, setup: RequestSetup) -> None:
        """Fills the department list (the case's own first) and the usual due date."""
        self._contacts = {department.id: department for department in setup.departments}
        first = [i for i in self._case_departments if i in self._contacts]
        rest = [d.id for d in setup.departments if d.id not in first]
        self.department.blockSignals(True)
        self.department.clear()
        for department_id in first:
            self.department.addItem(self._contacts[department_id].name, department_id)
        if first and rest:
            self.department.insertSeparator(self.department.count())
        for department_id in rest:
            self.department.addItem(self._contacts[department_id].name, department_id)
        self.department.setCurrentIndex(0 if self._contacts else -1)
        self.department.blockSignals(False)
        due = setup.due_on
        self.due_on.setDate(QDate(due.year, due.month, due.day))
        self._fill_contacts()
        self.save_button.setEnabled(bool(self._contacts))
        if not self._contacts:
            self.banner.show_message(
                "There are no departments yet: an administrator adds them.", kind="warning"
            )

    def _fill_contacts(self) -> None:
        contacts = self._contacts.get(self.department.currentData())
        if contacts is None:
            return
        for field, value in (
            (self.addressed_to, contacts.manager_name),
            (self.addressed_email, contacts.manager_email),
            (self.backup_reviewer, contacts.backup_name),
            (self.backup_email, contacts.backup_email),
        ):
            # What the person typed stays; what the last department filled in is replaced.
            if not field.text().strip() or field.text() == self._filled.get(field):
                field.setText(value)
                self._filled[field] = value

    def values(self) -> NewRequest:
        due = self.due_on.date().toPython()
        assert isinstance(due, date)
        return NewRequest(
            department_id=int(self.department.currentData() or 0),
            summary=self.summary.text(),
            due_on=due,
            body=escape_plain(self.body.toPlainText().strip()),
            addressed_to=self.addressed_to.text(),
            addressed_email=self.addressed_email.text(),
            backup_reviewer=self.backup_reviewer.text(),
            backup_email=self.backup_email.text(),
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        new, actor, case_id = self.values(), self._ctx.actor, self._case_id
        self.save_button.setEnabled(False)
        (
            self._ctx.operation(
                self, lambda session: request_statement(session, actor, case_id, new)
            )
            .changes(Change.to_case(case_id, Change.TIMELINE))
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(bool(self._contacts)))
            .run()
        )

    def _on_saved(self, request: DepartmentRequestInfo) -> None:
        self.saved.emit(request)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            kind = "warning" if isinstance(error, ConflictError) else "error"
            self.banner.show_message(error.message, kind=kind)
        invalid = self.errors.first_invalid()
        if invalid is not None:
            invalid.setFocus()
        # Room for the messages, so none is cut off.
        self._column.activate()
        needed = self._column.totalHeightForWidth(self.width())
        self.resize(self.width(), max(self.height(), needed))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        case_id: int,
        departments: Sequence[Reference] = (),
    ) -> DepartmentRequestInfo | None:
        """The request recorded, or None when the person cancelled."""
        dialog = cls(ctx, case_id, departments, parent)
        recorded: list[DepartmentRequestInfo] = []
        dialog.saved.connect(recorded.append)
        dialog.exec()
        return recorded[0] if recorded else None
