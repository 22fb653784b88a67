"""Recording that a finalised letter went out: how, on which day, and who sent it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import SendMethod
from prdesk.domain.readmodels import LetterInfo
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.formatting import date_format


@dataclass(frozen=True)
class Sending:
    """How the letter went, as the person sending it says."""

    via: SendMethod
    sent_on: date
    sent_by: str


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class LetterSendDialog(QDialog):
    """Method (mail unless changed), the day (today, never later, never before it was
    finalised) and the sender (the user, unless someone else posted it)."""

    def __init__(self, letter: LetterInfo, sender: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark the letter sent")
        intro = QLabel(
            f"“{letter.subject}” to {letter.recipient_name}. "
            "The letter as finalised is kept on the case's timeline."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        today = date.today()
        earliest = letter.dated or today
        self.via = EnumCombo(SendMethod)
        self.via.setAccessibleName("Sent by way of")
        self.on = QDateEdit(_qdate(today))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat(date_format())
        self.on.setDateRange(_qdate(min(earliest, today)), _qdate(today))
        self.on.setAccessibleName("Sent on")
        self.sent_by = QLineEdit(sender)
        self.sent_by.setAccessibleName("Sent by")
        self.sent_by.setMaxLength(200)
        form = QFormLayout()
        form.addRow("&How:", self.via)
        form.addRow("Sent &on:", self.on)
        form.addRow("Sent &by:", self.sent_by)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.accept_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.accept_button.setText("&Mark sent")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.sent_by.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(440, 0)
        self._update()

    def value(self) -> Sending:
        via = self.via.value()
        chosen = self.on.date().toPython()
        assert via is not None and isinstance(chosen, date)
        return Sending(via, chosen, self.sent_by.text().strip())

    def _update(self) -> None:
        self.accept_button.setEnabled(bool(self.sent_by.text().strip()))

    @classmethod
    def ask(cls, parent: QWidget | None, letter: LetterInfo, sender: str) -> Sending | None:
        dialog = cls(letter, sender, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
