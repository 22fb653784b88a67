"""Asking for the reason behind a decision that is kept on the case and shown to surveyors."""

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


class ReasonDialog(QDialog):
    """An explanation, a required reason of at most REASON_LIMIT characters, and the choice.

    The accept button stays disabled until a reason is given, and while it is too long.
    """

    def __init__(
        self,
        title: str,
        explanation: str,
        *,
        label: str,
        placeholder: str,
        accept_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        shown = QLabel(explanation)
        shown.setWordWrap(True)
        # It names the case and repeats a coordinator's words: never read as HTML.
        shown.setTextFormat(Qt.TextFormat.PlainText)
        prompt = QLabel(label)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(placeholder)
        prompt.setBuddy(self.reason)
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.accept_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.accept_button.setText(accept_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(shown)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.resize(480, 260)
        self._update()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def given_reason(self) -> str | None:
        """Shows the dialog; the reason given, or None when the person thought better of it."""
        return self.reason_text() if self.exec() == QDialog.DialogCode.Accepted else None

    def _update(self) -> None:
        length = len(self.reason_text())
        self.count.setText(f"{length} of {REASON_LIMIT} characters")
        self.accept_button.setEnabled(0 < length <= REASON_LIMIT)
