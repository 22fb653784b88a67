"""The Qt half of `prdesk --self-test`: Qt starts, the icon draws, the main window opens."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler, qVersion
from PySide6.QtGui import QColor, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTableView, QWidget

from prdesk.domain.database import Database
from prdesk.domain.readmodels import UserInfo
from prdesk.self_test import CheckFailed

# The first lists of a new database arrive in well under a second; a slow disk may take more.
_WINDOW_WAIT_S = 30


def start_qt() -> str:
    """The application object; a computer with no screen at all gets the offscreen platform."""
    from prdesk.ui.app import application

    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(_quiet_about_platform)
    application()
    return (
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, {QGuiApplication.platformName()} platform"
    )


def _quiet_about_platform(kind: QtMsgType, _where: QMessageLogContext, message: str) -> None:
    """Qt's own warnings on stderr, less the offscreen platform's note that it ignores
    size hints, which says nothing about the installation."""
    if "propagateSizeHints" not in message and kind != QtMsgType.QtDebugMsg:
        print(f"Qt: {message}", file=sys.stderr)


def icon_renders(svg: Path) -> str:
    """The SVG application icon drawn by Qt's icon engine: blue inside, clear in the corner."""
    icon = QIcon(str(svg))
    if icon.isNull():
        raise CheckFailed("Qt cannot read the SVG icon: its SVG icon engine is missing")
    for size in (16, 32):
        image = icon.pixmap(size, size).toImage()
        if image.isNull() or image.width() < size:
            raise CheckFailed(f"the icon could not be drawn at {size} px")
        middle = QColor(image.pixel(size // 2, size // 5))
        corner = QColor.fromRgba(image.pixel(0, size - 1))
        if not (middle.blue() > middle.red() + 60 and corner.alpha() < 60):
            raise CheckFailed(f"the icon drawn at {size} px does not look like PR Desk's icon")
    return f"{svg.name} drawn at 16 and 32 px"


def main_window_opens(db: Database, actor: UserInfo) -> str:
    """Builds the main window on the database, waits for its case list, and closes it."""
    from prdesk.ui import operations
    from prdesk.ui.changes import ChangeHub
    from prdesk.ui.context import AppContext
    from prdesk.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication), "start_qt() runs first"
    with _faults_caught() as faults:
        window = MainWindow(AppContext(db, actor, ChangeHub()))
        window.show()
        deadline = time.monotonic() + _WINDOW_WAIT_S
        shown = 0
        while time.monotonic() < deadline and not faults:
            app.processEvents()
            shown = _cases_listed(window)
            if shown and operations.pending() == 0:
                break
            time.sleep(0.02)
        title = window.windowTitle()
        window.close()
        window.deleteLater()
        app.processEvents()
        operations.wait_for_workers()
    if faults:
        raise CheckFailed(faults[0])
    if not shown:
        raise CheckFailed(f"the case list stayed empty for {_WINDOW_WAIT_S} s")
    return f"'{title}' opened with {shown} case(s) listed, then closed"


def _cases_listed(window: QWidget) -> int:
    """Rows in the window's case list (its tables on screen: the longest one)."""
    counts = [
        view.model().rowCount()
        for view in window.findChildren(QTableView)
        if view.isVisible() and view.model() is not None
    ]
    return max(counts, default=0)


@contextmanager
def _faults_caught() -> Iterator[list[str]]:
    """Errors raised in the window's slots, and any message box it opens, become findings
    instead of a traceback on the console or a dialog nobody is there to close."""
    faults: list[str] = []
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, _tb: TracebackType | None) -> None:
        faults.append(f"the window raised {kind.__name__}")

    def close_dialogs() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            text = modal.text() if isinstance(modal, QMessageBox) else modal.windowTitle()
            faults.append(f"the window asked: {' '.join(text.split())[:200]}")
            modal.reject()

    watch = QTimer()
    watch.setInterval(100)
    watch.timeout.connect(close_dialogs)
    sys.excepthook = hook
    watch.start()
    try:
        yield faults
    finally:
        watch.stop()
        sys.excepthook = previous
