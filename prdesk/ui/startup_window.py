"""The small window shown while PR Desk connects, so the user never faces a frozen window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class StartupWindow(QWidget):
    """ "Connecting to …" with a busy bar and a Quit button.

    Signals:
        quit_requested: the user gave up waiting.
    """

    quit_requested = Signal()

    def __init__(self, database_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PR Desk")
        self.message = QLabel(f"Connecting to {database_name}…")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: we cannot know how long a network takes
        bar.setTextVisible(False)
        bar.setAccessibleName("Connecting")
        quit_button = QPushButton("&Quit")
        quit_button.clicked.connect(self.quit_requested)
        title = QLabel("PR Desk")
        title.setProperty("role", "heading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addWidget(bar)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(520)
        self._closing_by_program = False

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def close_quietly(self) -> None:
        self._closing_by_program = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_by_program:
            self.quit_requested.emit()
        super().closeEvent(event)
