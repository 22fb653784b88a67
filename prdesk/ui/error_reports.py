"""Telling the user about errors: domain messages as they are, bugs without their details.

A bug's message can hold patient data, so the log (prdesk.logs) and the error
dialog (prdesk.ui.error_dialog) get only the exception's type and where it was raised.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from prdesk.logs import log_bug
from prdesk.ui.error_dialog import report_bug


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
    """Logs a bug and shows the error dialog, once, however many times it happens in a row."""
    report_bug(error, parent)


def install_excepthook() -> Callable[[], None]:
    """Shows errors raised in Qt slots, timers, paint events and models' data() in the
    error dialog, and keeps running.

    A bug in a background thread of Python's own is logged the same way, instead of
    Python's default printout, which would include its message.
    Returns the function that puts the previous hooks back.
    """
    previous = sys.excepthook
    previous_thread_hook = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        # Widgets belong to the GUI thread: from here the bug is only logged.
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            log_bug(args.exc_value, {"Thread": "background"})

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        if threading.current_thread() is not threading.main_thread():
            # A QThread's own bug: widgets may not be touched from there.
            log_bug(error, {"Thread": "background"})
            return
        report_bug(error, QApplication.activeWindow(), defer=True)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook = previous
        threading.excepthook = previous_thread_hook

    return restore
