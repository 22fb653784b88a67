"""The medical record number format, set by an administrator: a pattern and an example."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.services import intake_settings
from prdesk.domain.services.intake_settings import MrnFormat
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar


class MrnFormatFields(QWidget):
    """The pattern and its example, with a verdict on the example updated as they are typed.

    Shared by the Case intake settings page and MrnFormatDialog.

    Attributes:
        pattern, example: the two fields.
        verdict: one line on whether the example fits the pattern.

    Signals:
        edited: the person changed the pattern or the example.
    """

    edited = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        explain = QLabel(
            "Intake refuses record numbers that do not fit this regular expression, "
            "matched against the whole number. Leave it empty to accept any record number."
        )
        explain.setWordWrap(True)
        self.pattern = QLineEdit()
        self.pattern.setAccessibleName("Pattern (regular expression)")
        self.pattern.setPlaceholderText(r"e.g. \d{7,8}")
        self.example = QLineEdit()
        self.example.setAccessibleName("Example record number")
        self.example.setPlaceholderText("e.g. 01234567")
        self.verdict = QLabel()
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setProperty("role", "hint")
        self.verdict.setWordWrap(True)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        pattern_label = QLabel("&Pattern")
        pattern_label.setBuddy(self.pattern)
        example_label = QLabel("&Example")
        example_label.setBuddy(self.example)
        form.addRow(pattern_label, errors.wrap("pattern", self.pattern))
        form.addRow(example_label, errors.wrap("example", self.example))
        form.addRow("", self.verdict)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(explain)
        layout.addLayout(form)
        self.pattern.textChanged.connect(self._check_example)
        self.example.textChanged.connect(self._check_example)
        self.pattern.textEdited.connect(self.edited)
        self.example.textEdited.connect(self.edited)
        self._check_example()

    def set_value(self, value: MrnFormat) -> None:
        """Shows the stored format (not an edit)."""
        self.pattern.setText(value.pattern)
        self.example.setText(value.example)
        self._check_example()

    def value(self) -> MrnFormat:
        return MrnFormat(self.pattern.text().strip(), self.example.text().strip())

    def clear_verdict(self) -> None:
        """When an error under a field says it better."""
        self.verdict.clear()

    def _check_example(self) -> None:
        value = self.value()
        if not value.pattern:
            self.verdict.setText("Any record number is accepted.")
            return
        try:
            fits = re.fullmatch(value.pattern, value.example) is not None
        except re.error as error:
            self.verdict.setText(f"Not a regular expression yet: {error}.")
            return
        if not value.example:
            self.verdict.setText("Give an example that fits the pattern.")
        else:
            self.verdict.setText(
                "The example fits the pattern." if fits else "The example does not fit the pattern."
            )


class MrnFormatDialog(QDialog):
    """Loads the stored format, checks a sample as it is typed, saves in the background.

    Signals:
        saved: the MrnFormat, once written.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("Medical record number format — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        self.fields = MrnFormatFields(self.errors)
        self.pattern = self.fields.pattern
        self.example = self.fields.example
        self.verdict = self.fields.verdict
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Added after Save, which is shown first: Tab reaches them in that order.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.resize(560, 240)
        (
            ctx.operation(self, intake_settings.mrn_format, read_only=True)
            .success(self.load)
            .failure(self._show_error)
            .run()
        )

    def load(self, value: MrnFormat) -> None:
        self.fields.set_value(value)

    def value(self) -> MrnFormat:
        return self.fields.value()

    def save(self) -> None:
        value = self.value()
        try:
            intake_settings.check_mrn_format(value)
        except ValidationError as error:
            self._show_error(error)
            return
        actor = self._ctx.actor
        self.save_button.setEnabled(False)
        (
            self._ctx.operation(
                self, lambda session: intake_settings.set_mrn_format(session, actor, value)
            )
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, value: MrnFormat) -> None:
        self.saved.emit(value)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        self.fields.clear_verdict()
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
