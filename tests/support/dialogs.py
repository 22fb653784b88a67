"""Finding the message box a screen has just shown, as a coordinator would see it."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot


def visible_message_box() -> QMessageBox | None:
    """The message box on screen now, if any."""
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    return next((box for box in boxes if box.isVisible()), None)


def shown_message_box(qtbot: QtBot) -> QMessageBox:
    """Waits for a message box (a question, or news of what was done) and returns it."""
    qtbot.waitUntil(lambda: visible_message_box() is not None)
    box = visible_message_box()
    assert box is not None
    return box


def answer_message_box(
    button: QMessageBox.StandardButton,
) -> list[tuple[str, QMessageBox.StandardButton]]:
    """Clicks `button` on the next message box shown, once it is on screen (a question
    asked with a blocking call). The list returned gets the box's text and its default
    button, read before the box goes."""
    seen: list[tuple[str, QMessageBox.StandardButton]] = []

    def answer() -> None:
        box = visible_message_box()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append((box.text(), box.standardButton(box.defaultButton())))
        box.button(button).click()

    QTimer.singleShot(0, answer)
    return seen
