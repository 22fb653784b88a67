"""A slim message strip above a screen's content, with optional action buttons, instead of a popup."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QToolButton, QWidget

from prdesk.ui.icons import icon
from prdesk.ui.style import repolish


class InfoBar(QFrame):
    """Hidden until `show_message`; the close button or any action hides it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setWordWrap(True)
        # Messages can quote names and file paths: never read as HTML.
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 4, 4)
        self._layout.addWidget(self._icon)
        self._layout.addWidget(self._text, 1)
        self._buttons: list[QPushButton] = []
        self._close = QToolButton()
        self._close.setIcon(icon("close"))
        self._close.setAutoRaise(True)
        self._close.setToolTip("Dismiss")
        self._close.setAccessibleName("Dismiss message")
        self._close.clicked.connect(self.hide)
        self._layout.addWidget(self._close)
        self.hide()

    def show_message(
        self,
        text: str,
        *,
        kind: str = "info",
        actions: Sequence[tuple[str, Callable[[], None]]] = (),
    ) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        self.setProperty("kind", kind)
        repolish(self)
        self._show_icon()
        self._text.setText(text)
        self.setAccessibleDescription(text)
        for label, callback in actions:
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(self.hide)
            button.clicked.connect(callback)
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        self.show()

    def _show_icon(self) -> None:
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        kind = str(self.property("kind") or "info")
        self._icon.setPixmap(icon(kind).pixmap(QSize(size, size), self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The icon is drawn in the text's colour: drawn again when the colours change.
        if event.type() == QEvent.Type.PaletteChange:
            self._show_icon()

    def text(self) -> str:
        return self._text.text()

    def action_labels(self) -> list[str]:
        return [button.text() for button in self._buttons]

    def trigger(self, label: str) -> None:
        """Presses the action button with this label (keyboard users and tests)."""
        for button in self._buttons:
            if button.text() == label:
                button.click()
                return
        raise KeyError(label)
