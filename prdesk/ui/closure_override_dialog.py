"""Asking a coordinator why a grievance is closed before its written response was sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

REASON_LIMIT = 500


class ClosureOverrideDialog(QDialog):
    """The reason is required; it is kept on the case, its timeline and the audit log."""

    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Finish {case_number} without a response letter")
        explanation = QLabel(
            f"{case_number} is a grievance and no written response letter has been sent. "
            "Resolving or closing it now is recorded as your decision: give the reason, as it "
            "should read "
            "to a surveyor reviewing the case."
        )
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        label = QLabel("&Reason for finishing without a sent response:")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for closing without a sent response")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            "e.g. The complainant withdrew by phone and asked for no letter."
        )
        label.setBuddy(self.reason)
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText("&Finish the case")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.resize(480, 260)
        self._update()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        length = len(self.reason_text())
        self.count.setText(f"{length} of {REASON_LIMIT} characters")
        self.close_button.setEnabled(0 < length <= REASON_LIMIT)

    @classmethod
    def ask(cls, case_number: str, parent: QWidget | None = None) -> str | None:
        """The reason given, or None when the coordinator thought better of it."""
        dialog = cls(case_number, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.reason_text() if accepted else None
