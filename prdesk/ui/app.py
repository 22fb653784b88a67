"""The GUI's entry point: `run_gui(db, username)` starts the application and returns its exit code."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from prdesk.assets import resource
from prdesk.config import APP_NAME
from prdesk.domain.database import Database
from prdesk.ui import attachment_files, operations
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import install_excepthook
from prdesk.ui.main_window import MainWindow
from prdesk.ui.startup import Startup
from prdesk.ui.startup_window import StartupWindow


def application() -> QApplication:
    """The QApplication, created once with PR Desk's names and look."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(sys.argv[:1])
        # Fusion looks the same on every Windows version and under remote desktop.
        app.setStyle("Fusion")
        _add_shipped_fonts()
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    return app


def _add_shipped_fonts() -> None:
    """The fonts letters are printed with also back the screens' own fonts, so a
    workstation without a Korean or Arabic font shows those names, not empty boxes."""
    for path in sorted(resource("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))


def run_gui(
    db: Database,
    username: str,
    display_name: str | None = None,
    *,
    create_if_empty: bool = True,
    profile_in_use: bool = False,
) -> int:
    """Shows "Connecting…", checks the database in the background, then opens the main window.

    With `create_if_empty` (the embedded database) an empty database gets its tables
    at once; otherwise the user is asked first. With `profile_in_use` (the database
    came from the connection profile) a login typed at start is saved to the profile.
    """
    app = application()
    # Files opened in a viewer by a session that crashed must not stay on disk (HIPAA).
    attachment_files.remove_leftovers()
    restore_excepthook = install_excepthook()
    hub = ChangeHub()
    splash = StartupWindow(db.display_name)
    startup = Startup(
        db,
        username,
        display_name,
        hub,
        splash,
        create_if_empty=create_if_empty,
        profile_in_use=profile_in_use,
    )
    windows: list[MainWindow] = []  # keeps the main window alive for the session

    def on_ready(ctx: AppContext) -> None:
        window = MainWindow(ctx)
        windows.append(window)
        window.show()  # before the splash closes, or the last-window-closed rule would quit
        splash.close_quietly()
        # What start-up made lives for the whole session: keep it out of later garbage
        # collections, whose pauses (about 95 ms) otherwise stall opening a long case.
        gc.collect()
        gc.freeze()

    startup.ready.connect(on_ready)
    startup.gave_up.connect(app.exit)
    splash.quit_requested.connect(lambda: app.exit(0))
    splash.show()
    QTimer.singleShot(0, startup.start)
    try:
        return app.exec()
    finally:
        # Let a save in progress commit before the process ends.
        operations.wait_for_workers()
        # After the workers: one may have been writing a file to open at quit.
        attachment_files.remove_session_folder()
        restore_excepthook()
