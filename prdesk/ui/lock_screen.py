"""What a locked PR Desk shows: an opaque cover over every window, and one prompt to unlock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

LOCKED_TITLE = "PR Desk — locked"
_COVER_COLOUR = QColor("#2b3440")


class LockCover(QWidget):
    """A child drawn over the whole of its window, opaque, kept on top of every sibling.

    The window itself stays as it is (a dialog keeps running its exec() loop, an
    editor keeps its text); only nothing of it can be seen.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAccessibleName("PR Desk is locked")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        elif kind == QEvent.Type.ChildAdded:
            # A widget added while locked (a case opening in a new tab) goes on top of
            # its siblings: put the cover back over it.
            self.raise_()
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _COVER_COLOUR)
        painter.setPen(QColor("white"))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        painter.setFont(font)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "PR Desk is locked")
        painter.end()


class UnlockPrompt(QDialog):
    """Asks for the password; cannot be closed or escaped, only answered.

    There is no way out but the password: quitting goes through the unlocked main
    window, which asks about unsaved work first.

    Signals:
        unlock_requested: the password typed.
    """

    unlock_requested = Signal(str)

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(LOCKED_TITLE)
        # No close button: the prompt goes away only by unlocking.
        self.setWindowFlags(
            Qt.WindowType.Dialog
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._may_close = False
        heading = QLabel("PR Desk is locked")
        heading.setProperty("role", "heading")
        explain = QLabel(
            f"Nothing has been lost. Type the password of {who} to go on. "
            "To quit PR Desk, unlock it first: File ▸ Quit then asks about unsaved work."
        )
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        label = QLabel("&Password")
        label.setBuddy(self.password)
        self.problem = QLabel()
        self.problem.setProperty("role", "field-error")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.password, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.password, self.unlock_button)
        self.setMinimumWidth(420)
        self.unlock_button.clicked.connect(self._on_unlock)

    def _on_unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())

    def set_checking(self, checking: bool) -> None:
        self.unlock_button.setEnabled(not checking)
        self.password.setEnabled(not checking)
        if checking:
            self.problem.setText("Checking…")
            self.problem.show()

    def refuse(self, message: str) -> None:
        """Says why not, and offers the field again, emptied."""
        self.set_checking(False)
        self.problem.setText(message)
        self.problem.show()
        self.password.clear()
        self.password.setFocus()

    def finish(self) -> None:
        self._may_close = True
        self.password.clear()
        self.close()
        self.deleteLater()

    def reject(self) -> None:
        # Escape must not dismiss the lock.
        if self._may_close:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            super().closeEvent(event)
        else:
            event.ignore()
