"""The "Paste email or letter" dialog: text in, a draft of the new case out."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.email_intake import IntakeDraft, UnreadableMessage, parse_pasted
from prdesk.domain.enums import Channel
from prdesk.ui.info_bar import InfoBar


class PasteDialog(QDialog):
    """Takes the text of an email or letter, starting with what is on the clipboard.

    Whether it is an email or a letter is guessed from its From:/Subject: lines and
    can be changed. Tests call `load()` and `draft()`; the application calls `ask()`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste email or letter — PR Desk")
        self.resize(720, 520)
        self.banner = InfoBar()
        hint = QLabel(
            "Paste the whole email, with its From, Sent and Subject lines, or the text of a letter."
        )
        hint.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Text of the email or letter")
        self.text.setTabChangesFocus(True)
        self.as_email = QRadioButton("&Email")
        self.as_letter = QRadioButton("&Letter")
        group = QButtonGroup(self)
        group.addButton(self.as_email)
        group.addButton(self.as_letter)
        self.as_email.setChecked(True)
        self._chosen = False
        self.as_email.clicked.connect(self._on_chosen)
        self.as_letter.clicked.connect(self._on_chosen)
        kind = QHBoxLayout()
        kind.addWidget(QLabel("Received as:"))
        kind.addWidget(self.as_email)
        kind.addWidget(self.as_letter)
        kind.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Fill in the case")
        ok.setToolTip("Fill the new case from this text (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addLayout(kind)
        layout.addWidget(buttons)
        self.text.textChanged.connect(self._guess_kind)
        # Enter makes new lines in the text; Ctrl+Enter goes on, as in the new-case dialog.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.load(QGuiApplication.clipboard().text())

    def load(self, text: str) -> None:
        self.text.setPlainText(text)
        self.text.selectAll()

    def draft(self) -> IntakeDraft:
        """The parsed draft; raises UnreadableMessage when there is nothing to read."""
        channel = Channel.EMAIL if self.as_email.isChecked() else Channel.LETTER
        return parse_pasted(self.text.toPlainText(), channel)

    def accept(self) -> None:
        try:
            self.draft()
        except UnreadableMessage as error:
            self.banner.show_message(error.message, kind="error")
            self.text.setFocus()
            return
        super().accept()

    def _on_chosen(self) -> None:
        self._chosen = True

    def _guess_kind(self) -> None:
        if self._chosen:
            return
        text = self.text.toPlainText()
        if text.strip():
            looks_like_email = parse_pasted(text).channel is Channel.EMAIL
            self.as_email.setChecked(looks_like_email)
            self.as_letter.setChecked(not looks_like_email)

    @classmethod
    def ask(cls, parent: QWidget | None) -> IntakeDraft | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.draft()
