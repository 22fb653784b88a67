"""Each department's manager and backup reviewer, kept by an administrator for requests."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.services import organisation
from prdesk.domain.services.organisation import DepartmentContacts
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar

_FIELDS = ("manager_name", "manager_email", "backup_name", "backup_email")


class DepartmentContactsDialog(QDialog):
    """Edits go department by department; Save writes every department changed, or none.

    Signals:
        saved: the list of DepartmentContacts written.
    """

    saved = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loaded: dict[int, DepartmentContacts] = {}
        self._edited: dict[int, DepartmentContacts] = {}
        self._current: int | None = None
        self._filling = False
        self.setWindowTitle("Department contacts — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        explain = QLabel(
            "Requests for statements go to a department's manager; when one goes unanswered "
            "it is escalated to the backup reviewer. Both are suggested when a request is "
            "made, and can be changed there."
        )
        explain.setWordWrap(True)
        explain.setProperty("role", "hint")
        self.departments = QListWidget()
        self.departments.setAccessibleName("Departments")
        self.departments.setMinimumWidth(200)
        self.manager_name = self._field("Manager's name", "Name")
        self.manager_email = self._field("Manager's email", "name@hospital.org")
        self.backup_name = self._field("Backup reviewer's name", "Name")
        self.backup_email = self._field("Backup reviewer's email", "name@hospital.org")
        manager = QGroupBox("Manager (requests go to)")
        manager_form = QFormLayout(manager)
        manager_form.addRow(
            self._label("&Name:", self.manager_name),
            self.errors.wrap("manager_name", self.manager_name),
        )
        manager_form.addRow(
            self._label("E&mail:", self.manager_email),
            self.errors.wrap("manager_email", self.manager_email),
        )
        backup = QGroupBox("Backup reviewer (escalations go to)")
        backup_form = QFormLayout(backup)
        backup_form.addRow(
            self._label("N&ame:", self.backup_name),
            self.errors.wrap("backup_name", self.backup_name),
        )
        backup_form.addRow(
            self._label("Emai&l:", self.backup_email),
            self.errors.wrap("backup_email", self.backup_email),
        )
        fields = QVBoxLayout()
        fields.addWidget(manager)
        fields.addWidget(backup)
        fields.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.departments)
        columns.addLayout(fields, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("&Save")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(explain)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.departments.currentRowChanged.connect(self._on_department_chosen)
        for editor in self._editors():
            editor.textEdited.connect(self._on_edited)
        self.resize(720, 380)
        self._allowed = ctx.may(Action.MANAGE_ORGANISATION)
        self.save_button.setEnabled(False)
        for editor in self._editors():
            editor.setReadOnly(not self._allowed)
        if not self._allowed:
            self.banner.show_message(
                "Only an administrator changes department contacts.", kind="info"
            )
        (
            ctx.operation(self, organisation.department_contacts, read_only=True)
            .success(self.load)
            .failure(self._show_error)
            .run()
        )

    @staticmethod
    def _field(name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        return field

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _editors(self) -> tuple[QLineEdit, ...]:
        return (self.manager_name, self.manager_email, self.backup_name, self.backup_email)

    def load(self, contacts: list[DepartmentContacts], *, keep_edits: bool = False) -> None:
        """Shows the departments as saved; edits not yet saved are dropped, unless kept
        (after a conflict), when they are laid over what is saved now."""
        self._loaded = {department.id: department for department in contacts}
        kept = {
            department_id: replace(
                edit,
                version=self._loaded[department_id].version,
                name=self._loaded[department_id].name,
            )
            for department_id, edit in self._edited.items()
            if keep_edits and department_id in self._loaded
        }
        self._edited = kept
        self._current = None
        self.departments.blockSignals(True)
        self.departments.clear()
        for department in contacts:
            item = QListWidgetItem(department.name)
            item.setData(Qt.ItemDataRole.UserRole, department.id)
            self.departments.addItem(item)
        self.departments.blockSignals(False)
        for department_id in self._edited:
            self._mark(department_id)
        if contacts:
            self.departments.setCurrentRow(0)
        else:
            self.banner.show_message("There are no departments yet.", kind="info")
        self._update_save()

    def reload_keeping_edits(self) -> None:
        (
            self._ctx.operation(self, organisation.department_contacts, read_only=True)
            .success(lambda contacts: self.load(contacts, keep_edits=True))
            .failure(self._show_error)
            .run()
        )

    def choose(self, name: str) -> None:
        """Shows the department of that name (keyboard users type to find it; tests call this)."""
        matches = self.departments.findItems(name, Qt.MatchFlag.MatchExactly)
        if matches:
            self.departments.setCurrentItem(matches[0])

    def contacts(self, department_id: int) -> DepartmentContacts:
        """The department as the form has it now, edits included."""
        return self._edited.get(department_id) or self._loaded[department_id]

    def _on_department_chosen(self, row: int) -> None:
        item = self.departments.item(row)
        self._current = None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
        self.errors.clear()
        self._filling = True
        shown = self.contacts(self._current) if self._current is not None else None
        for editor, field in zip(self._editors(), _FIELDS, strict=True):
            editor.setText(getattr(shown, field) if shown else "")
            editor.setEnabled(shown is not None)
        self._filling = False

    def _on_edited(self) -> None:
        if self._filling or self._current is None:
            return
        saved = self._loaded[self._current]
        edited = replace(
            saved,
            manager_name=self.manager_name.text(),
            manager_email=self.manager_email.text(),
            backup_name=self.backup_name.text(),
            backup_email=self.backup_email.text(),
        )
        if edited == saved:
            self._edited.pop(self._current, None)
        else:
            self._edited[self._current] = edited
        self._mark(self._current)
        self._update_save()

    def _mark(self, department_id: int) -> None:
        """Departments with unsaved edits are shown in italics."""
        for row in range(self.departments.count()):
            item = self.departments.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == department_id:
                font = QFont(item.font())
                font.setItalic(department_id in self._edited)
                item.setFont(font)
                name = self._loaded[department_id].name
                item.setText(f"{name} (changed)" if department_id in self._edited else name)

    def _update_save(self) -> None:
        self.save_button.setEnabled(self._allowed and bool(self._edited))

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        actor, edits = self._ctx.actor, list(self._edited.values())

        def work(session: Session) -> list[DepartmentContacts]:
            saved = []
            for edit in edits:
                try:
                    saved.append(
                        organisation.set_department_contacts(
                            session, actor, edit.id, edit.version, edit.manager_name,
                            edit.manager_email, edit.backup_name, edit.backup_email,
                        )
                    )  # fmt: skip
                except ValidationError as error:
                    # Say which department: the form shows one department at a time.
                    fields = {f"{edit.id}:{key}": text for key, text in error.fields.items()}
                    raise ValidationError(f"{edit.name}: {error.message}", fields) from None
            return saved

        self.save_button.setEnabled(False)
        (
            self._ctx.operation(self, work)
            .success(self._on_saved)
            .failure(self._show_error)
            .done(self._update_save)
            .run()
        )

    def _on_saved(self, saved: list[DepartmentContacts]) -> None:
        self._edited.clear()
        self.saved.emit(saved)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        if fields:
            department_id = int(next(iter(fields)).split(":")[0])
            for row in range(self.departments.count()):
                if self.departments.item(row).data(Qt.ItemDataRole.UserRole) == department_id:
                    self.departments.setCurrentRow(row)
            self.errors.show({key.split(":", 1)[1]: text for key, text in fields.items()})
        if isinstance(error, ConflictError):
            self.banner.show_message(
                f"{error.message} Reload keeps your changes, laid over theirs.",
                kind="warning",
                actions=[("&Reload", self.reload_keeping_edits)],
            )
        else:
            self.banner.show_message(error.message, kind="error")
        invalid = self.errors.first_invalid()
        if invalid is not None:
            invalid.setFocus()
