"""The GUI's entry point: `run_gui(db, username)` starts the application and returns its exit code."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QSessionManager
from PySide6.QtWidgets import QApplication, QWidget

from prdesk.assets import resource
from prdesk.config import APP_NAME
from prdesk.domain.database import Database
from prdesk.logs import log_session_end, log_session_start
from prdesk.ui import attachment_files, operations
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import install_excepthook
from prdesk.ui.first_run.launch import show_assistant
from prdesk.ui.garbage import collect_on_gui_thread
from prdesk.ui.icons import app_icon
from prdesk.ui.main_window import MainWindow
from prdesk.ui.startup import Startup
from prdesk.ui.startup_window import StartupWindow
from prdesk.ui.theme import install_theme


def application() -> QApplication:
    """The QApplication, created once with PR Desk's names, icon and look.

    The look follows the system's: Fusion takes Windows' light or dark palette (and
    high contrast's colours) from Qt, and the theme re-makes PR Desk's own rules
    from it whenever it changes.
    """
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
    app.setWindowIcon(app_icon())
    install_theme(app)
    collect_on_gui_thread(app)
    if app.property("prdeskSession") is None:
        # The log shows where each session starts and ends, around its errors.
        app.setProperty("prdeskSession", True)
        log_session_start()
        app.aboutToQuit.connect(log_session_end)
    return app


def _add_shipped_fonts() -> None:
    """The fonts letters are printed with also back the screens' own fonts, so a
    workstation without a Korean or Arabic font shows those names, not empty boxes."""
    for path in sorted(resource("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))


def run_gui(
    db: Database | None,
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
    With no `db` (PR Desk's first start on this computer) the first-run assistant
    chooses and prepares the database, and the main window opens on what it made.
    """
    app = application()
    # Files opened in a viewer by a session that crashed must not stay on disk (HIPAA).
    attachment_files.remove_leftovers()
    restore_excepthook = install_excepthook()
    hub = ChangeHub()
    # Keeps the main window (or the assistant) alive for the session.
    windows: list[QWidget] = []

    def open_window(ctx: AppContext) -> None:
        window = MainWindow(ctx)
        windows.append(window)
        window.show()  # before what came first closes, or the last-window rule would quit
        # What start-up made lives for the whole session: keep it out of later garbage
        # collections, whose pauses (about 95 ms) otherwise stall opening a long case.
        gc.collect()
        gc.freeze()

    app.commitDataRequest.connect(lambda manager: _on_session_ending(manager, windows))
    if db is None:
        windows.append(show_assistant(username, hub, open_window, app.exit))
        return _run(app, restore_excepthook)
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

    def on_ready(ctx: AppContext) -> None:
        open_window(ctx)
        splash.close_quietly()

    startup.ready.connect(on_ready)
    startup.gave_up.connect(app.exit)
    splash.quit_requested.connect(lambda: app.exit(0))
    splash.show()
    QTimer.singleShot(0, startup.start)
    return _run(app, restore_excepthook)


def _on_session_ending(manager: QSessionManager, windows: list[QWidget]) -> None:
    """Windows is signing out or shutting down, or an installer is closing PR Desk to
    update it: the same question about unsaved typing as File ▸ Quit, and a person who
    keeps their typing stops the shutdown. Qt 6 no longer closes the windows itself."""
    for window in windows:
        if not (isinstance(window, MainWindow) and window.isVisible()):
            continue
        if not manager.allowsInteraction():
            window.save_layout()  # no question may be asked: keep what can be kept
            continue
        closed = window.close()
        manager.release()
        if not closed:
            manager.cancel()


def _run(app: QApplication, restore_excepthook: Callable[[], None]) -> int:
    """The event loop until PR Desk ends, then what must be done before the process ends."""
    try:
        return app.exec()
    finally:
        # Let a save in progress commit before the process ends.
        operations.wait_for_workers()
        # After the workers: one may have been writing a file to open at quit.
        attachment_files.remove_session_folder()
        restore_excepthook()
