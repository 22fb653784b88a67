"""Waiting for the windows of a GUI test, and closing them while their database is still there."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.ui import operations
from prdesk.ui.main_window import MainWindow


def wait_idle(qtbot: QtBot, timeout: int = 10_000) -> None:
    """Until every background operation has been delivered on the GUI thread."""
    qtbot.waitUntil(lambda: operations.pending() == 0, timeout=timeout)


def close_windows(qtbot: QtBot) -> None:
    """Closes every main window and waits for what closing does (presence says goodbye)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
    wait_idle(qtbot, timeout=30_000)
