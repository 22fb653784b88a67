"""Where this computer keeps the cases, as a settings page: the embedded database or a shared one."""

from __future__ import annotations

import os
import sys
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError
from prdesk.ui import practice as practice_runs
from prdesk.ui.connection_fields import ConnectionFields, Login, check_login, keep_password
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.operations import PlainOperation
from prdesk.ui.settings_page import Scope, SettingsPage

ONLY_HERE = "Only on this computer"
SHARED = "On the department's shared database"


class WhereChoice(QWidget):
    """The two places cases can be kept, one sentence each.

    Signals:
        changed: the other place was chosen.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.embedded = QRadioButton("Only &on this computer")
        self.embedded.setAccessibleName(ONLY_HERE)
        self.shared = QRadioButton("On the department's &shared database")
        self.shared.setAccessibleName(SHARED)
        group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button, text in (
            (
                self.embedded,
                "For one person working alone: the cases are kept in a file in your own data "
                "folder on this computer, with no server to set up.",
            ),
            (
                self.shared,
                "The usual choice in a hospital: the whole department works on the same cases, "
                "kept on a PostgreSQL server; IT gives you its name and your login.",
            ),
        ):
            group.addButton(button)
            explained = QLabel(text)
            explained.setWordWrap(True)
            explained.setProperty("role", "hint")
            explained.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(button)
            layout.addWidget(explained)
        self.shared.setChecked(True)
        self.shared.toggled.connect(self.changed)

    def is_shared(self) -> bool:
        return self.shared.isChecked()

    def set_shared(self, shared: bool) -> None:
        (self.shared if shared else self.embedded).setChecked(True)


def relaunch(*, practice: bool, keep_database: bool = True) -> bool:
    """Starts PR Desk again (on the practice database, or on the one chosen) and ends this
    one; False, with this one going on, when it could not start. Without `keep_database`
    the new PR Desk opens the database saved on this computer, not this run's --database."""
    started = practice_runs.relaunch(practice, keep_database=keep_database)
    if started:
        QApplication.quit()
    return started


def embedded_url() -> URL:
    """The database kept only on this computer, in the per-user data folder."""
    return URL.create("sqlite", database=str(config.embedded_database_path()))


def keep_on_this_computer() -> None:
    """Forgets the shared connection (and its remembered password), and makes the database
    on this computer when there is none yet, so the next start opens it rather than the
    first-run assistant. Runs on a worker: the credential store and the disk can be slow."""
    try:
        config.clear_profile()
    except OSError as error:
        raise DomainError(f"The connection profile cannot be removed: {error}") from None
    if config.embedded_database_path().exists():
        return  # an older one is upgraded at the next start, after asking
    db = Database(embedded_url())
    try:
        schema.ensure_ready(db, create_if_empty=True)
    finally:
        db.dispose()


# Why the database in use is not the one this page chooses, when it is not.
_NAMED_AT_START = (
    "This PR Desk was opened on a database named when it was started (--database), which "
    "comes before the choice on this page. What you save here is used when PR Desk is "
    "started in the usual way, as it is when you start it again from here."
)
_NAMED_BY_COMPUTER = (
    "This computer is set to open one database (the {variable} setting), which comes "
    "before the choice on this page: what you save here is used only once IT removes "
    "that setting."
)


def named_elsewhere() -> str:
    """Why this page's choice is not the database in use ("" when it is): a --database
    given at start, or the environment variable, both of which outrank it."""
    if os.environ.get(config.ENV_DATABASE_URL):
        return _NAMED_BY_COMPUTER.format(variable=config.ENV_DATABASE_URL)
    if any(arg == "--database" or arg.startswith("--database=") for arg in sys.argv[1:]):
        return _NAMED_AT_START
    return ""


class DatabasePage(SettingsPage):
    """This computer's choice of database, and the connection to a shared one.

    Saving a shared connection first connects with it (on a worker): a connection that
    does not work is never saved. The change takes effect when PR Desk next starts; from
    Settings, the page offers to start again at once.

    Signals:
        connected: the Login, once it has connected and been saved.
    """

    title: ClassVar[str] = "Database connection"
    summary: ClassVar[str] = "Where this computer's PR Desk keeps the cases, and how it connects."
    scope: ClassVar[Scope] = Scope.WORKSTATION
    keys: ClassVar[tuple[str, ...]] = ("connection profile", "remembered password")

    connected = Signal(object)

    def __init__(
        self,
        ctx: AppContext | None,
        parent: QWidget | None = None,
        *,
        choose_where: bool = True,
        offer_restart: bool = True,
        keep_connection: bool = True,
    ) -> None:
        """`keep_connection` False only tests the shared connection on save, and keeps
        nothing: the first-run assistant keeps it once the database is ready."""
        super().__init__(ctx, parent)
        self._offer_restart = offer_restart
        self._keep_connection = keep_connection
        self._choose_where = choose_where
        self._saved_state: tuple[bool, str, str, bool] | None = None
        self._check = check_login
        self.banner = InfoBar()
        self.where = WhereChoice()
        self.where.setVisible(choose_where)
        self.fields = ConnectionFields(check=self._run_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.where)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.where.changed.connect(self._on_where_changed)
        self.where.changed.connect(self.edited)
        self.fields.edited.connect(self.edited)
        self._on_where_changed()

    def _run_check(self, login: Login) -> None:
        self._check(login)

    def set_check(self, check: object) -> None:
        """Replaces the connection test (tests); it runs on a worker thread."""
        assert callable(check)
        self._check = check

    def _on_where_changed(self) -> None:
        self.fields.setVisible(self.where.is_shared())

    def _show_named_elsewhere(self) -> None:
        """The info line, when the database in use was not chosen on this page."""
        elsewhere = named_elsewhere() if self.ctx is not None else ""
        if elsewhere:
            self.banner.show_message(elsewhere, kind="info")
        else:
            self.banner.hide()

    def load(self) -> None:
        self._show_named_elsewhere()
        profile = config.load_profile()
        self.where.set_shared(profile is not None or not self._choose_where)
        if profile is None:
            self._saved_state = self._state()
            return
        self.fields.load(profile)
        self.fields.remember.setChecked(False)
        self._saved_state = self._state()
        # The credential store can be slow, or ask its own questions: not on this thread.
        (
            PlainOperation(self, lambda: config.saved_password(profile))
            .success(self._show_password)
            .run()
        )

    def _show_password(self, password: str | None) -> None:
        if password:
            self.fields.password.setText(password)
            self.fields.remember.setChecked(True)
            self._saved_state = self._state()

    def _state(self) -> tuple[bool, str, str, bool]:
        try:
            login = self.fields.login()
        except DomainError:
            return (self.where.is_shared(), "", "", False)
        url = login.url.render_as_string(hide_password=False)
        return (self.where.is_shared(), url, login.password, login.remember)

    def is_modified(self) -> bool:
        return self._saved_state is not None and self._state() != self._saved_state

    def save(self) -> None:
        self._show_named_elsewhere()
        if not self.where.is_shared():
            (
                PlainOperation(self, keep_on_this_computer)
                .success(lambda _none: self._on_saved(None))
                .failure(self._on_failed)
                .run()
            )
            return
        login = self.fields.valid_login()
        if login is None:
            self.failed.emit("Some fields need attention.")
            return
        check, keep = self._check, self._keep_connection

        def connect_and_keep() -> Login:
            check(login)
            if keep:
                keep_password(login)
                config.save_profile(login.url)
            return login

        self.fields.test_result.setText("Connecting…")
        (
            PlainOperation(self, connect_and_keep)
            .success(self._on_saved)
            .failure(self._on_failed)
            .run()
        )

    def _on_saved(self, login: Login | None) -> None:
        self._saved_state = self._state()
        if login is not None:
            self.fields.test_result.setText(
                "Connected: the login works, and is saved."
                if self._keep_connection
                else "Connected: the login works."
            )
            self.connected.emit(login)
        self.saved.emit()
        # Started again, PR Desk would open the database the computer's setting names.
        restart_helps = not os.environ.get(config.ENV_DATABASE_URL)
        if self._offer_restart and self.ctx is not None and restart_helps and self.ask_restart():
            relaunch(practice=False, keep_database=False)

    def _on_failed(self, error: DomainError) -> None:
        if self.fields.show_error(error):
            self.fields.test_result.setText(f"Not connected ({error.message}).")
        else:
            self.fields.test_result.setText("Not connected.")
            self.banner.show_message(error.message, kind="error")
        self.failed.emit(error.message)

    def ask_restart(self) -> bool:
        """Whether to start PR Desk again now on the database chosen."""
        answer = QMessageBox.question(
            self,
            "Start PR Desk again?",
            "The new database is used from the next time PR Desk starts. Start it again now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
