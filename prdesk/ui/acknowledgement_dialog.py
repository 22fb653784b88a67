"""Recording when and how the complainant was told their case was received."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.formatting import date_format, local_date


class AcknowledgementDialog(QDialog):
    """Date (today unless changed, never later) and how: letter, phone, email or in person."""

    def __init__(
        self,
        case_number: str,
        received_on: date,
        due_on: date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Acknowledgement of {case_number}")
        due = f"; acknowledgement due by {local_date(due_on)}" if due_on else ""
        intro = QLabel(f"Received on {local_date(received_on)}{due}.")
        intro.setProperty("role", "hint")
        today = date.today()
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat(date_format())
        self.on.setDateRange(
            QDate(received_on.year, received_on.month, received_on.day),
            QDate(today.year, today.month, today.day),
        )
        self.on.setAccessibleName("Acknowledged on")
        self.how = EnumCombo(AcknowledgementMethod)
        self.how.setAccessibleName("Acknowledged by")
        form = QFormLayout()
        form.addRow("Acknowledged &on:", self.on)
        form.addRow("&By:", self.how)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Record")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> tuple[date, AcknowledgementMethod]:
        chosen = self.on.date().toPython()
        assert isinstance(chosen, date)
        how = self.how.value()
        assert how is not None
        return chosen, how

    @classmethod
    def ask(
        cls,
        case_number: str,
        received_on: date,
        due_on: date | None,
        parent: QWidget | None = None,
    ) -> tuple[date, AcknowledgementMethod] | None:
        dialog = cls(case_number, received_on, due_on, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
