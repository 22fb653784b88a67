"""Telling the user about errors: domain messages as they are, bugs without their details.

A bug's message can hold patient data, so the log (prdesk.logs) gets only the
exception's type and where it was raised, and the user a plain apology.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from prdesk.logs import log_bug

# One unexpected-error box at a time: a bug in a paint handler would otherwise
# stack up a new box on every repaint.
_open_bug_box: list[QMessageBox] = []


def show_message(
    parent: QWidget | None,
    text: str,
    *,
    title: str = "PR Desk",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A message box that does not block the caller (tests and other windows go on running)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    # Messages repeat names and text from the database: never read them as HTML.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def show_unexpected_error(parent: QWidget | None, error: BaseException) -> None:
    """Logs a bug and apologises, once, however many times it happens in a row."""
    log_bug(error)
    if _open_bug_box or QApplication.instance() is None:
        return
    box = show_message(
        parent,
        "Something went wrong inside PR Desk, and what you were doing may not have been "
        "saved. Check it, and try again.\n\nIf it happens again, tell your IT support desk "
        f"the time and what you were doing. (Error type: {type(error).__name__})",
        title="Unexpected error",
        icon=QMessageBox.Icon.Critical,
    )
    _open_bug_box.append(box)
    box.finished.connect(lambda _result: _open_bug_box.clear())


def install_excepthook() -> Callable[[], None]:
    """Shows errors raised in Qt slots as an 'Unexpected error' box and keeps running.

    A bug in a background thread of Python's own is logged the same way, instead of
    Python's default printout, which would include its message.
    Returns the function that puts the previous hooks back.
    """
    previous = sys.excepthook
    previous_thread_hook = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            log_bug(args.exc_value)

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        show_unexpected_error(QApplication.activeWindow(), error)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook = previous
        threading.excepthook = previous_thread_hook

    return restore
