"""The practice database: switching to it and back, and filling it with made-up cases.

PR Desk opens one database per run, so switching starts a new PR Desk on the other
database and closes this window; nothing of the person's own database is opened in the
practice run, and the other way round.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import ArgumentError

from prdesk.config import is_practice_url
from prdesk.domain.database import Database, parse_url, without_password
from prdesk.domain.demo.practice import PRACTICE_CASES, prepare_practice
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.operations import PlainOperation
from prdesk.ui.practice_bar import PracticeBar

if TYPE_CHECKING:
    from prdesk.ui.main_window import MainWindow

_NOTE_MS = 15_000  # how long "ready to practise on" stays under the bar
ProcessStarter = Callable[[str, Sequence[str]], bool]


def _start_detached(program: str, arguments: Sequence[str]) -> bool:
    started, _pid = QProcess.startDetached(program, list(arguments))
    return bool(started)


# How a new PR Desk is started; tests put a recorder here.
start_process: ProcessStarter = _start_detached


def is_practice_database(db: Database) -> bool:
    return is_practice_url(db.url)


def relaunch(practice: bool, *, keep_database: bool = True) -> bool:
    """Starts a new PR Desk on the practice database, or on the person's own; True if it started.

    The --database this run was given goes along (without any password: the new run
    finds it in the credential store, or asks), so returning from practice comes back
    to the same database; without `keep_database` (a database chosen in Settings) it
    does not. The caller closes its window afterwards.
    """
    if getattr(sys, "frozen", False):
        # A bundled PR Desk: the executable is the application itself.
        program, arguments = sys.executable, []
    else:
        program, arguments = sys.executable, ["-m", "prdesk"]
    database = _database_argument(sys.argv[1:]) if keep_database else None
    if database is not None:
        arguments += ["--database", database]
    if practice:
        arguments.append("--practice")
    return start_process(program, arguments)


def _database_argument(argv: Sequence[str]) -> str | None:
    """The --database this run was started with, with any password taken out."""
    text: str | None = None
    for index, argument in enumerate(argv):
        if argument == "--database" and index + 1 < len(argv):
            text = argv[index + 1]
        elif argument.startswith("--database="):
            text = argument.removeprefix("--database=")
    if not text:
        return None
    try:
        url = parse_url(text)
    except (ArgumentError, ValueError):
        return None  # not a URL this run could have opened either
    return without_password(url).render_as_string(hide_password=False)


def confirm_switch(parent: QWidget, practice: bool) -> bool:
    """Asks before restarting on the other database; tests replace this."""
    if practice:
        title, button = "Open the practice database?", "Open practice database"
        text = (
            "PR Desk will close and open again on the practice database, full of made-up "
            "cases to try things on. Your own cases stay exactly as they are; come back with "
            "File ▸ Return to your own database."
        )
    else:
        title, button = "Return to your own database?", "Return to my database"
        text = "PR Desk will close the practice database and open again on your own cases."
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    go = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go


def switch_practice(window: MainWindow) -> bool:
    """File ▸ Practice database: restarts PR Desk on the other database; True if it did."""
    practice = not is_practice_database(window.ctx.db)
    if not confirm_switch(window, practice):
        return False
    # Unsaved typing is asked about now, while staying is still possible.
    if window.tabs is not None and not window.tabs.may_close_all():
        return False
    # The new run reads the layout and open cases: they are written before it starts.
    window.save_layout()
    if not relaunch(practice):
        show_message(
            window,
            "PR Desk could not start again on the other database. "
            "Close PR Desk and start it again yourself.",
        )
        return False
    window.close_confirmed()
    return True


class _Progress(QObject):
    """Carries the generator's progress from the worker to the bar on the GUI thread."""

    advanced = Signal(int, int)


def fill_practice(ctx: AppContext, bar: PracticeBar) -> PlainOperation[int]:
    """Marks the practice database and, the first time, fills it with made-up cases.

    Runs beside the window's own work, which stays usable; the bar shows how far it
    got, and every list refreshes once the cases are in.
    """
    relay = _Progress(bar)
    relay.advanced.connect(bar.show_progress)
    report = relay.advanced.emit
    db, hub = ctx.db, ctx.hub

    def added(count: int) -> None:
        if count:
            bar.show_note(f"{count:,} made-up cases are ready to practise on.")
            QTimer.singleShot(_NOTE_MS, bar, lambda: bar.show_note(""))
            hub.announce(Change.everything())
        else:
            bar.show_note("")

    def failed(error: object) -> None:
        bar.show_note("The made-up cases could not be added. Close PR Desk and try again.")

    operation = PlainOperation(
        bar, lambda: prepare_practice(db, PRACTICE_CASES, progress=report), hub=hub
    )
    return operation.alongside(long=True).success(added).failure(failed).run()
