"""Starting up in the background: check the schema, offer an upgrade, ask for a login, find out who is signing in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database, without_password
from prdesk.domain.errors import DatabaseUnavailable, DomainError, LoginRequired, SchemaMismatch
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import users
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.login_dialog import Login, LoginDialog, remember_login
from prdesk.ui.operations import BackgroundWork, Operation, PlainOperation
from prdesk.ui.startup_window import StartupWindow

T = TypeVar("T")

_BUG_MESSAGE = (
    "PR Desk could not finish starting because of an unexpected error.\n\n"
    "Retry, or quit and tell your IT support desk if it happens again."
)


def _silent(_message: str) -> None:
    """Progress nobody is shown."""


class Startup(QObject):
    """Runs the start-up checks off the GUI thread and asks the user when a choice is needed.

    The questions are methods (`ask_upgrade`, `ask_retry`, `ask_login`, `tell`) so tests
    can answer them, and the first-run assistant asks them on its own page. A shared
    database that refuses the login, or wants a password it was not given, asks for one
    and tries again; single sign-on never asks.

    Signals:
        ready: the AppContext, once the database is usable and the user is known.
        gave_up: the exit code, when PR Desk cannot or should not go on.
    """

    ready = Signal(object)
    gave_up = Signal(int)

    def __init__(
        self,
        db: Database,
        username: str,
        display_name: str | None,
        hub: ChangeHub,
        window: QWidget,
        *,
        create_if_empty: bool = True,
        profile_in_use: bool = False,
        say: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(window)
        # The start-up window tells its progress itself; the first-run assistant shows
        # it on a page of its own.
        self._say = say or (window.set_message if isinstance(window, StartupWindow) else _silent)
        self._db = db
        # A login typed while starting, kept once it has worked; saved to the connection
        # profile too when the profile named this database.
        self._login: Login | None = None
        self._profile_in_use = profile_in_use
        # Only the embedded database gets its tables unasked; a shared one asks first.
        self._create_if_empty = create_if_empty
        self._username = username
        self._display_name = display_name
        self._hub = hub
        self._window = window

    @property
    def database(self) -> Database:
        """The database being prepared (a login typed meanwhile gives a new one)."""
        return self._db

    def start(self) -> None:
        self._say(f"Connecting to {self._db.display_name}…")
        self._run(
            PlainOperation(
                self._window,
                lambda: schema.ensure_ready(self._db, create_if_empty=self._create_if_empty),
            ),
            lambda _state: self._resolve_actor(),
        )

    def _run(self, work: BackgroundWork[T], on_success: Callable[[T], None]) -> None:
        """Runs one step; whatever its outcome, start-up goes on, asks, or ends.

        A bug (neither success nor a DomainError delivered) has already been reported
        by the operation; the user is then offered Retry or Quit, never a splash left
        on "Connecting…" for good.
        """
        settled: list[bool] = []
        (
            work.success(on_success)
            .success(lambda _result: settled.append(True))
            .failure(self._on_failure)
            .failure(lambda _error: settled.append(True))
            .done(lambda: None if settled else self._on_bug())
            .run()
        )

    def _resolve_actor(self) -> None:
        self._say("Signing in…")
        username, display_name = self._username, self._display_name
        # An embedded database belongs to this workstation's user.
        owner = self._db.dialect == "sqlite"
        self._run(
            Operation(
                self._window,
                self._db,
                lambda session: users.resolve_actor(
                    session, username, display_name, workstation_owner=owner
                ),
            ),
            self._on_actor,
        )

    def _on_actor(self, actor: UserInfo) -> None:
        if self._login is not None:
            login, self._login = self._login, None
            self.remember(login)
        self.ready.emit(AppContext(self._db, actor, self._hub))

    def remember(self, login: Login) -> None:
        """Keeps a login typed while starting, once it has worked: its password as asked,
        and the connection too when the profile named this database."""
        profile = self._profile_in_use
        # The credential store can be slow (or ask its own questions): not on this thread.
        (
            PlainOperation(None, lambda: remember_login(login, profile=profile))
            .failure(self._on_not_remembered)
            .run()
        )

    def _on_not_remembered(self, error: DomainError) -> None:
        show_message(None, error.message)

    def _sign_in(self, login: Login) -> None:
        """Starts over with the typed login, in place of the one refused."""
        self._db.dispose()
        self._db = Database(login.url, password=login.password or None)
        self._login = login
        self._username = login.url.username or self._username
        self.start()

    def _upgrade(self) -> None:
        self._say("Upgrading the database… Do not switch off the computer.")
        self._run(
            PlainOperation(self._window, lambda: schema.upgrade(self._db)),
            lambda _state: self._resolve_actor(),
        )

    def _on_failure(self, error: DomainError) -> None:
        if isinstance(error, LoginRequired) and self._db.dialect == "postgresql":
            login = self.ask_login(error.message)
            if login is None:
                self.gave_up.emit(1)
            else:
                self._sign_in(login)
        elif isinstance(error, SchemaMismatch) and error.needs_upgrade:
            if self.ask_upgrade(error.message):
                self._upgrade()
            else:
                self.gave_up.emit(1)
        elif isinstance(error, DatabaseUnavailable):
            if self.ask_retry(error.message):
                self.start()
            else:
                self.gave_up.emit(1)
        else:
            self.tell(error.message)
            self.gave_up.emit(1)

    def _on_bug(self) -> None:
        if self.ask_retry(_BUG_MESSAGE):
            self.start()
        else:
            self.gave_up.emit(1)

    # -- the questions

    def _dialog_parent(self) -> QWidget:
        return self._window

    def ask_upgrade(self, message: str) -> bool:
        """Whether to create or upgrade PR Desk's tables; `message` says which is needed."""
        return confirm_upgrade(self._dialog_parent(), message)

    def ask_login(self, message: str) -> Login | None:
        """The login to try next, or None when the person would rather quit."""
        url = without_password(self._db.url)
        remembered = config.saved_password(url) is not None
        return LoginDialog.ask(url, message, self._dialog_parent(), remember=remembered)

    def ask_retry(self, message: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Cannot open the database",
            message,
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close,
            self._dialog_parent(),
        )
        box.button(QMessageBox.StandardButton.Close).setText("&Quit")
        return box.exec() == QMessageBox.StandardButton.Retry

    def tell(self, message: str) -> None:
        QMessageBox.critical(self._dialog_parent(), "PR Desk cannot start", message)


def confirm_upgrade(parent: QWidget, message: str) -> bool:
    """Asks before PR Desk's tables are created or upgraded in a database, wherever that
    is asked (at a start, in the first-run assistant); `message` says which is needed.

    No is the default: an upgrade cannot be undone, and a shared database may hold the
    department's cases.
    """
    answer = QMessageBox.question(
        parent,
        "Prepare the database?",
        f"{message}\n\nMake sure the database has been backed up, and that nobody is using "
        "an older PR Desk on it. Prepare this database for PR Desk now?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
