"""Correcting a timeline entry: the fields of the add form, prefilled, and who recorded it when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import ValidationError
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services.timeline import EntryChanges, may_edit
from prdesk.ui.context import AppContext
from prdesk.ui.date_fields import DateTimeField
from prdesk.ui.department_picker import DepartmentPicker
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.formatting import local_datetime
from prdesk.ui.people_field import PeopleField
from prdesk.ui.rich_text_edit import RichTextEdit

_EMAIL_KINDS = (TimelineKind.EMAIL_RECEIVED, TimelineKind.EMAIL_SENT)


def recorded_line(entry: TimelineEntryInfo) -> str:
    """ "Recorded <when> by <author>", and the last correction when there was one."""
    line = f"Recorded {local_datetime(entry.recorded_at)} by {entry.author_name}"
    if entry.edited_at is not None:
        line += f" · changed {local_datetime(entry.edited_at)} by {entry.edited_by_name}"
    return line


class EntryEditDialog(QDialog):
    """Edits one entry; `changes()` is the whole new state, saved by the caller.

    PR Desk's own records, and colleagues' entries for those who may only correct their
    own, are shown greyed with the reason instead of a Save button that would be refused.
    """

    def __init__(
        self,
        ctx: AppContext | None,
        entry: TimelineEntryInfo,
        suggestions: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit timeline entry — PR Desk")
        self._ctx = ctx
        self.entry = entry
        self.errors = FieldErrors()
        self._loaded_when = entry.occurred_at

        self.recorded = QLabel()
        self.recorded.setProperty("role", "hint")
        self.recorded.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setProperty("role", "field-error")
        self.refusal.hide()
        kinds = [k for k in TimelineKind if not k.is_system or k == entry.kind]
        self.kind = EnumCombo(TimelineKind, members=kinds)
        self.kind.setAccessibleName("Kind of step")
        self.when = DateTimeField()
        self.when.setAccessibleName("When it happened")
        self.when.setToolTip("It may be earlier than when it was recorded, but not later than now.")
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.people = PeopleField()
        self.people.set_suggestions(suggestions)
        self.departments = DepartmentPicker(ctx)
        self.sender_field = QLineEdit()
        self.sender_field.setAccessibleName("From")
        self.recipients_field = QLineEdit()
        self.recipients_field.setAccessibleName("To")
        self.body = RichTextEdit("Details")
        self.body.setMinimumHeight(180)
        self.patient_facing = QCheckBox("&Patient-facing")
        self.patient_facing.setToolTip("Contact with the patient or family")
        self.internal = QCheckBox("I&nternal only")
        self.attachments = QLabel()
        self.attachments.setWordWrap(True)
        self.attachments.setTextFormat(Qt.TextFormat.PlainText)
        self.attachments.setProperty("role", "hint")

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Sa&ve changes")
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.save_button, cancel):
            # Enter in the summary must not save half a correction: Ctrl+Enter saves.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._save_shortcut)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        top = Qt.AlignmentFlag.AlignTop
        rows: list[tuple[str, str, QWidget, str, str, QWidget]] = [
            ("&Kind", "kind", self.kind, "&When", "occurred_at", self.when),
            ("Pe&ople", "people", self.people, "&Departments", "department_ids", self.departments),
            ("Fro&m", "sender", self.sender_field, "&To", "recipients", self.recipients_field),
        ]
        self._email_row: list[QWidget] = []
        for row, (left, left_key, left_field, right, right_key, right_field) in enumerate(rows):
            cells = [
                self._label(left, left_field),
                self.errors.wrap(left_key, left_field),
                self._label(right, right_field),
                self.errors.wrap(right_key, right_field),
            ]
            for column, cell in enumerate(cells):
                grid.addWidget(cell, row + (1 if row else 0), column, top)
            if row == 2:
                self._email_row = cells
        grid.addWidget(self._label("&Summary", self.summary), 1, 0, top)
        grid.addWidget(self.errors.wrap("summary", self.summary), 1, 1, 1, 3)
        grid.addWidget(self._label("Detai&ls", self.body), 4, 0, top)
        grid.addWidget(self.errors.wrap("body", self.body), 4, 1, 1, 3)
        grid.setRowStretch(4, 1)
        flags = QHBoxLayout()
        flags.addWidget(self.errors.wrap("patient_facing", self.patient_facing))
        flags.addWidget(self.errors.wrap("internal", self.internal))
        flags.addStretch(1)
        grid.addLayout(flags, 5, 1, 1, 3)
        grid.addWidget(self.attachments, 6, 1, 1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(self.recorded)
        layout.addWidget(self.refusal)
        layout.addLayout(grid, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 560)

        self.patient_facing.toggled.connect(self._on_patient_facing)
        self.internal.toggled.connect(self._on_internal)
        self.kind.currentIndexChanged.connect(self._show_email_fields)
        self.load(entry)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setMinimumHeight(QLineEdit().sizeHint().height())
        return label

    def load(self, entry: TimelineEntryInfo, changes: EntryChanges | None = None) -> None:
        """Shows `entry`, or `changes` to it (what someone typed before, to edit again)."""
        self.entry = entry
        shown = changes or EntryChanges.of(entry)
        self.errors.clear()
        self.recorded.setText(recorded_line(entry))
        self.kind.set_value(shown.kind)
        self.when.set_value(shown.occurred_at)
        self._loaded_when = shown.occurred_at
        self.summary.setText(shown.summary)
        self.people.set_people(shown.people)
        self.departments.set_checked_ids(shown.department_ids, known=entry.departments)
        self.sender_field.setText(shown.sender)
        self.recipients_field.setText(shown.recipients)
        self.body.set_markdown(shown.body)
        self.patient_facing.setChecked(shown.patient_facing)
        self.internal.setChecked(shown.internal)
        files = ", ".join(info.filename for info in entry.attachments)
        self.attachments.setText(f"Attached: {files}" if files else "")
        self.attachments.setVisible(bool(files))
        self._show_email_fields()
        self._apply_permission()
        self.summary.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_permission(self) -> None:
        reason = ""
        if not self.entry.editable:
            reason = (
                f"“{self.entry.kind.label}” entries are PR Desk's own record of what it did; "
                "they cannot be changed."
            )
        elif self._ctx is not None and not may_edit(self._ctx.actor, self.entry):
            reason = (
                f"Only {self.entry.author_name}, who wrote this entry, or a coordinator may "
                "change it."
            )
        self.refusal.setText(reason)
        self.refusal.setVisible(bool(reason))
        for widget in (
            self.kind,
            self.when,
            self.summary,
            self.people,
            self.departments,
            self.sender_field,
            self.recipients_field,
            self.body,
            self.patient_facing,
            self.internal,
            self.save_button,
        ):
            widget.setEnabled(not reason)

    def may_save(self) -> bool:
        return self.save_button.isEnabled()

    def changes(self) -> EntryChanges:
        kind = self.kind.value() or self.entry.kind
        email = kind in _EMAIL_KINDS
        return EntryChanges(
            kind=kind,
            summary=self.summary.text(),
            body=self.body.markdown(),
            occurred_at=self._when_value(),
            patient_facing=self.patient_facing.isChecked(),
            internal=self.internal.isChecked(),
            people=self.people.people(),
            department_ids=self.departments.checked_ids(),
            sender=self.sender_field.text() if email else self.entry.sender,
            recipients=self.recipients_field.text() if email else self.entry.recipients,
        )

    def _when_value(self) -> datetime:
        chosen = self.when.value()
        loaded = self._loaded_when
        # The field shows minutes: an untouched time keeps its seconds, so saving
        # without changing it does not count as a change of when it happened.
        if chosen is None or chosen == loaded.astimezone().replace(second=0, microsecond=0):
            return loaded
        return chosen

    def show_errors(self, error: ValidationError) -> None:
        """Marks the fields a refused save named; other messages go above the fields."""
        unplaced = self.errors.show(error.fields)
        if unplaced or not error.fields:
            self.refusal.setText(" ".join(unplaced.values()) or error.message)
            self.refusal.show()
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_shortcut(self) -> None:
        if self.may_save():
            self.accept()

    def _show_email_fields(self) -> None:
        email = self.kind.value() in _EMAIL_KINDS or bool(self.sender_field.text())
        for widget in self._email_row:
            widget.setVisible(email)

    def _on_patient_facing(self, checked: bool) -> None:
        if checked:
            self.internal.setChecked(False)

    def _on_internal(self, checked: bool) -> None:
        if checked:
            self.patient_facing.setChecked(False)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext | None,
        entry: TimelineEntryInfo,
        suggestions: Sequence[str] = (),
    ) -> EntryChanges | None:
        """The corrected entry, or None when the person cancelled (or may not change it)."""
        dialog = cls(ctx, entry, suggestions, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.may_save():
            return None
        return dialog.changes()
