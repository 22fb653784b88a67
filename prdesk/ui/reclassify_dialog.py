"""Asking a coordinator why a case is to be handled as a grievance, or no longer as one."""

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


class ReclassifyDialog(QDialog):
    """The reason is required: it goes on the case, its timeline and the audit log."""

    def __init__(self, case_number: str, to_grievance: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        verdict = "a grievance" if to_grievance else "a complaint, not a grievance"
        self.setWindowTitle(f"Handle {case_number} as {verdict}")
        consequence = (
            "A grievance needs a written response with the CMS elements, and its "
            "acknowledgement clock starts if the deadline policy has one for grievances."
            if to_grievance
            else "A complaint that is not a grievance needs no formal written response; "
            "an acknowledgement due only for grievances is no longer due."
        )
        explanation = QLabel(
            f"{case_number} will be handled as {verdict}. {consequence} "
            "Give the reason, as it should read to a surveyor reviewing the case."
        )
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        label = QLabel("&Reason:")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the new classification")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            "e.g. The patient has asked for a formal written response."
            if to_grievance
            else "e.g. Resolved on the spot by the charge nurse; the patient was satisfied."
        )
        label.setBuddy(self.reason)
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Reclassify")
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
        self.ok_button.setEnabled(0 < length <= REASON_LIMIT)

    @classmethod
    def ask(cls, case_number: str, to_grievance: bool, parent: QWidget | None = None) -> str | None:
        """The reason given, or None when the coordinator thought better of it."""
        dialog = cls(case_number, to_grievance, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.reason_text() if accepted else None
