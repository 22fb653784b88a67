"""Messages under form fields: a red outline and the reason, cleared as soon as the field is edited."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prdesk.ui.style import repolish


class FieldErrors:
    """The error labels of one form, keyed by the field names ValidationError uses.

    Fields are kept in the order they were added, which is the form's tab order,
    so `first_invalid` is the first field the user reaches.
    """

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._invalid: set[str] = set()

    def wrap(self, key: str, editor: QWidget) -> QWidget:
        """The editor with a hidden message label under it, to put in the layout."""
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        label = QLabel()
        label.setProperty("role", "field-error")
        label.setWordWrap(True)
        label.hide()
        layout.addWidget(label)
        self.register(key, editor, label)
        return container

    def register(self, key: str, editor: QWidget, label: QLabel) -> None:
        # Messages can quote what was typed: never read as HTML.
        label.setTextFormat(Qt.TextFormat.PlainText)
        self._fields[key] = (editor, label)
        _on_edit(editor, lambda: self.clear_field(key))

    def show(self, errors: Mapping[str, str]) -> dict[str, str]:
        """Marks the fields; returns the errors no field here could show."""
        self.clear()
        unplaced: dict[str, str] = {}
        for key, message in errors.items():
            if key not in self._fields:
                unplaced[key] = message
                continue
            editor, label = self._fields[key]
            label.setText(message)
            label.show()
            editor.setProperty("invalid", True)
            editor.setAccessibleDescription(message)
            repolish(editor)
            self._invalid.add(key)
        return unplaced

    def clear_field(self, key: str) -> None:
        if key not in self._invalid:
            return
        self._invalid.discard(key)
        editor, label = self._fields[key]
        label.clear()
        label.hide()
        editor.setProperty("invalid", False)
        editor.setAccessibleDescription("")
        repolish(editor)

    def clear(self) -> None:
        for key in list(self._invalid):
            self.clear_field(key)

    def message(self, key: str) -> str:
        """The message shown under a field ("" when it has none)."""
        return self._fields[key][1].text() if key in self._invalid else ""

    def first_invalid(self) -> QWidget | None:
        for key, (editor, _label) in self._fields.items():
            if key in self._invalid and editor.isVisibleTo(editor.window()):
                return editor
        return None


def _on_edit(editor: QWidget, callback: Callable[[], None]) -> None:
    """Connects whatever signal means "the user changed this field"."""
    if isinstance(editor, QLineEdit):
        editor.textEdited.connect(callback)
    elif isinstance(editor, QPlainTextEdit):
        editor.textChanged.connect(callback)
    elif isinstance(editor, QComboBox):
        editor.activated.connect(callback)
    elif isinstance(editor, QDateTimeEdit):
        editor.dateTimeChanged.connect(callback)
    elif isinstance(editor, QAbstractButton):
        editor.toggled.connect(callback)
    elif isinstance(editor, QListWidget):
        editor.itemChanged.connect(callback)
