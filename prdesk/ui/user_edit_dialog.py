"""Adding a person, or changing one: name, login, role, email, job title, departments."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import Role
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.readmodels import Reference
from prdesk.domain.services import user_admin
from prdesk.domain.services.user_admin import NewUser, UserAccount, UserEdit
from prdesk.ui.changes import Change
from prdesk.ui.checklist import Checklist
from prdesk.ui.context import AppContext
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar


class UserEditDialog(QDialog):
    """A new person when `account` is None, else that person; saves in the background.

    On PostgreSQL a new person needs a login: a password typed twice, or a login
    IT already made ("existing login"). The embedded database has no logins.

    Signals:
        saved: the UserAccount as written.
    """

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        departments: Sequence[Reference],
        account: UserAccount | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._account = account
        adding = account is None
        logins = adding and ctx.db.dialect == "postgresql"
        self.setWindowTitle(("Add a person" if adding else "Change a person") + " — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        self.username = QLineEdit()
        self.username.setAccessibleName("Login")
        self.username.setPlaceholderText("e.g. apatel")
        self.username.setReadOnly(not adding)
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Name")
        self.role = EnumCombo(Role)
        self.role.setAccessibleName("Role")
        self.role.set_value(Role.REPRESENTATIVE)
        self.email = QLineEdit()
        self.email.setAccessibleName("Email")
        self.job_title = QLineEdit()
        self.job_title.setAccessibleName("Job title")
        self.job_title.setPlaceholderText("Printed under their signature on letters")
        self.departments = Checklist("Departments")
        self.departments.set_references(departments, "No departments yet")
        self.departments.setMaximumHeight(140)
        self.existing_login = QCheckBox("E&xisting login (made by IT; its password stays as it is)")
        self.existing_login.setAccessibleName("Existing login")
        self.password = QLineEdit()
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setAccessibleName("Retype the password")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow(
            self._label("&Login", self.username), self.errors.wrap("username", self.username)
        )
        form.addRow(
            self._label("&Name", self.display_name),
            self.errors.wrap("display_name", self.display_name),
        )
        form.addRow(self._label("&Role", self.role), self.errors.wrap("role", self.role))
        form.addRow(self._label("&Email", self.email), self.errors.wrap("email", self.email))
        form.addRow(
            self._label("&Job title", self.job_title), self.errors.wrap("job_title", self.job_title)
        )
        form.addRow(
            self._label("&Departments", self.departments),
            self.errors.wrap("departments", self.departments),
        )
        if logins:
            form.addRow("", self.existing_login)
            form.addRow(
                self._label("Pass&word", self.password), self.errors.wrap("password", self.password)
            )
            form.addRow(
                self._label("Re&type the password", self.password_again),
                self.errors.wrap("password_again", self.password_again),
            )
        self.existing_login.toggled.connect(self._on_existing_login)
        self._logins = logins

        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Add" if adding else "&Save")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Made after Add, so that Tab meets the two in the order Windows shows them.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        if account is not None:
            self.load(account)
        self.resize(520, 0)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def load(self, account: UserAccount) -> None:
        self._account = account
        self.username.setText(account.username)
        self.display_name.setText(account.display_name)
        self.role.set_value(account.role)
        self.email.setText(account.email)
        self.job_title.setText(account.job_title)
        self.departments.set_checked_ids(d.id for d in account.departments)

    def save(self) -> None:
        local = self._local_problems()
        if local:
            self._show_error(ValidationError.from_fields(local))
            return
        actor = self._ctx.actor
        role = self.role.value() or Role.REPRESENTATIVE
        department_ids = self.departments.checked_ids()
        account = self._account
        if account is None:
            new = NewUser(
                username=self.username.text().strip(),
                display_name=self.display_name.text(),
                role=role,
                email=self.email.text(),
                job_title=self.job_title.text(),
                department_ids=department_ids,
                password=None
                if not self._logins or self.existing_login.isChecked()
                else self.password.text(),
                existing_login=self._logins and self.existing_login.isChecked(),
            )
            operation = self._ctx.operation(
                self, lambda session: user_admin.add_user(session, actor, new)
            )
        else:
            edit = UserEdit(
                user_id=account.id,
                version=account.version,
                display_name=self.display_name.text(),
                role=role,
                email=self.email.text(),
                job_title=self.job_title.text(),
                department_ids=department_ids,
            )
            operation = self._ctx.operation(
                self, lambda session: user_admin.edit_user(session, actor, edit)
            )
        self.save_button.setEnabled(False)
        (
            # Who may be assigned cases and sign letters changed: every list may show it.
            operation.changes(Change.everything())
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _local_problems(self) -> dict[str, str]:
        if not self._logins or self.existing_login.isChecked():
            return {}
        if not self.password.text():
            return {"password": "Give the new login a password, or tick Existing login."}
        if self.password.text() != self.password_again.text():
            return {"password_again": "The two passwords differ."}
        return {}

    def _on_existing_login(self, existing: bool) -> None:
        for field in (self.password, self.password_again):
            field.setEnabled(not existing)
            if existing:
                field.clear()

    def _on_saved(self, account: UserAccount) -> None:
        # The password is not kept a moment longer than needed.
        self.password.clear()
        self.password_again.clear()
        self._account = account
        self.saved.emit(account)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
        else:
            self.banner.hide()
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus()
