"""The strip across the top of the window while PR Desk runs on the practice database."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

PRACTICE_TEXT = (
    "Practice database: every case here is made up. "
    "Nothing you do here reaches the department's cases."
)
RETURN_LABEL = "Return to your own database"
PRACTICE_TITLE = "PR Desk — Practice (made-up cases)"
OPEN_PRACTICE = "Open the &practice database"
RETURN_HOME = "Return to your own &database"
# Its own colours, text included, so it reads the same under a dark palette.
_STYLE = """
QFrame#practiceBar { background: #5b2c83; border: none; }
QFrame#practiceBar QLabel { color: #ffffff; }
QFrame#practiceBar QLabel#practiceProgress { color: #e6d9f2; }
"""


class PracticeBar(QFrame):
    """Always shown, never dismissed: nobody should mistake made-up cases for real ones.

    Signals:
        return_requested: the person asked to go back to their own database.
    """

    return_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceBar")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName("Practice database")
        self.label = QLabel(PRACTICE_TEXT)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.progress = QLabel("")
        self.progress.setObjectName("practiceProgress")
        self.progress.setTextFormat(Qt.TextFormat.PlainText)
        self.progress.setAccessibleName("Practice database progress")
        self.progress.hide()
        self.return_button = QPushButton(RETURN_LABEL)
        self.return_button.setAutoDefault(False)
        self.return_button.clicked.connect(self.return_requested)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.label)
        text.addWidget(self.progress)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 8, 6)
        row.addLayout(text, 1)
        row.addWidget(self.return_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleDescription(PRACTICE_TEXT)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setText(f"Adding made-up cases to practise on: {done:,} of {total:,}…")
        self.progress.show()

    def show_note(self, text: str) -> None:
        """A line under the message (the outcome of filling the database); empty hides it."""
        self.progress.setText(text)
        self.progress.setVisible(bool(text))


def practice_action_text(practising: bool) -> str:
    """File ▸ Practice database's wording: where choosing it takes the person."""
    return RETURN_HOME if practising else OPEN_PRACTICE
