"""The assistant's last steps: trying PR Desk on made-up cases first, and what was set up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget, QWizardPage


class TryPage(QWizardPage):
    """A practice database with made-up cases, to find one's way before the real work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Try it out")
        self.setSubTitle("Find your way round PR Desk on cases that are not real.")
        self.practice = QCheckBox("Open a &practice database with made-up cases first")
        self.practice.setAccessibleName("Open a practice database with made-up cases first")
        explained = QLabel(
            "Your own database stays empty. File ▸ Open the practice database goes to the "
            "made-up cases, and File ▸ Return to your own database comes back."
        )
        explained.setWordWrap(True)
        explained.setProperty("role", "hint")
        explained.setContentsMargins(24, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.practice)
        layout.addWidget(explained)
        layout.addStretch(1)


class DonePage(QWizardPage):
    """What was set up, in a few lines; Finish opens PR Desk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Ready")
        self.setSubTitle("PR Desk is set up. You can change all of this later in Settings.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.summary.setAccessibleName("What was set up")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.setFinalPage(True)

    def show_summary(self, lines: list[str]) -> None:
        self.summary.setText("\n\n".join(lines))
