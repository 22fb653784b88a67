"""Questions the application asks before it throws away what someone typed."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_discard(parent: QWidget | None, title: str, text: str) -> bool:
    """True when the person chooses Discard; Cancel (the default) keeps their text."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
