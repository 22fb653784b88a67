"""Asks for the dates between which cases were received; either end may stay open."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from prdesk.ui.date_fields import DateField
from prdesk.ui.field_errors import FieldErrors

Range = tuple[date | None, date | None]


class ReceivedRangeDialog(QDialog):
    """ "Received from [date] to [date]"; both empty clears the criterion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Received between")
        self.from_field = DateField()
        self.from_field.setAccessibleName("Received from")
        self.to_field = DateField()
        self.to_field.setAccessibleName("Received to")
        self.errors = FieldErrors()
        hint = QLabel("Leave a date empty to leave that end open.")
        hint.setProperty("role", "hint")
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow("&From", self.errors.wrap("from", self.from_field))
        form.addRow("&To", self.errors.wrap("to", self.to_field))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_range: Range | None = None

    def load(self, received_from: date | None, received_to: date | None) -> None:
        self.from_field.set_date_value(received_from)
        self.to_field.set_date_value(received_to)

    def save(self) -> Range | None:
        """The typed range, or None after marking the fields that are not dates."""
        errors: dict[str, str] = {}
        values: dict[str, date | None] = {}
        for key, field in (("from", self.from_field), ("to", self.to_field)):
            try:
                values[key] = field.date_value()
            except ValueError as error:
                errors[key] = str(error)
        start, end = values.get("from"), values.get("to")
        if not errors and start and end and start > end:
            errors["to"] = "This date is before the first one."
        if errors:
            self.errors.show(errors)
            return None
        return start, end

    def accept(self) -> None:
        chosen = self.save()
        if chosen is None:
            first = self.errors.first_invalid()
            if first is not None:
                first.setFocus()
            return
        self.result_range = chosen
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, received_from: date | None, received_to: date | None
    ) -> Range | None:
        """The chosen range, or None when cancelled."""
        dialog = cls(parent)
        dialog.load(received_from, received_to)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_range
