"""The assistant's step that prepares the database chosen, as every start does, and keeps the connection."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget, QWizardPage
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError
from prdesk.ui.changes import ChangeHub
from prdesk.ui.connection_fields import Login, remember_login
from prdesk.ui.context import AppContext
from prdesk.ui.operations import PlainOperation
from prdesk.ui.startup import Startup, confirm_upgrade


class _AssistantStartup(Startup):
    """The start-up checks, asking their questions on the assistant's page.

    Attributes:
        login: the shared database's login, kept once the database is ready; one typed
            while starting, that worked, takes its place.
        abandoned: the person went Back or stopped: what this makes is let go, not kept.
    """

    def __init__(self, page: PreparePage, db: Database, username: str, login: Login | None) -> None:
        super().__init__(
            db,
            username,
            None,
            page.hub,
            page,
            create_if_empty=login is None,
            say=page.set_message,
        )
        self._page = page
        self.login = login
        self.abandoned = False

    def remember(self, login: Login) -> None:
        # Kept with the connection once the database is ready, not before.
        self.login = login

    # Once let go, nothing is asked any more: the person is elsewhere in the assistant.

    def ask_upgrade(self, message: str) -> bool:
        return not self.abandoned and self._page.ask_upgrade(message)

    def ask_login(self, message: str) -> Login | None:
        return None if self.abandoned else super().ask_login(message)

    def ask_retry(self, message: str) -> bool:
        if not self.abandoned:
            self._page.show_problem(message)
        return False

    def tell(self, message: str) -> None:
        if not self.abandoned:
            self._page.show_problem(message)


class PreparePage(QWizardPage):
    """Prepares the database exactly as every start does, showing its progress here; a
    shared database's connection (and its password, if asked) is kept only once it is ready.

    Going Back lets a preparation go on to its end in the background: it is still
    counted by `running` until it has finished, and undoes the connection it kept.

    Signals:
        ready: the AppContext, once the database is usable, the person known and the
            connection kept.
        settled: no preparation is running any more, abandoned ones included.
    """

    ready = Signal(object)
    settled = Signal()

    def __init__(self, username: str, hub: ChangeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._username = username
        self._target: tuple[URL, Login | None] | None = None
        self._startup: _AssistantStartup | None = None
        # Every preparation not yet finished, the current one and those gone Back from.
        self._unfinished: set[_AssistantStartup] = set()
        self._ctx: AppContext | None = None
        self._problem = ""
        self.setTitle("Preparing the database")
        self.setSubTitle("PR Desk checks the database and makes it ready for the department.")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: nobody can know how long a network takes
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Preparing the database")
        self.retry = QPushButton("&Try again")
        self.retry.setAutoDefault(False)
        self.retry.hide()
        self.retry.clicked.connect(self._start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setCommitPage(True)

    @property
    def ctx(self) -> AppContext | None:
        return self._ctx

    @property
    def running(self) -> bool:
        """Whether a preparation is still at work, one gone Back from included."""
        return bool(self._unfinished)

    def prepare(self, url: URL, login: Login | None) -> None:
        """Which database the page prepares when it is shown; `login` for a shared one."""
        self._target = (url, login)

    def initializePage(self) -> None:
        if self._ctx is None:
            QTimer.singleShot(0, self, self._start)

    def isComplete(self) -> bool:
        return self._ctx is not None

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def show_problem(self, message: str) -> None:
        self._problem = message

    def ask_upgrade(self, message: str) -> bool:
        """Whether to create (or upgrade) PR Desk's tables; `message` says which."""
        return confirm_upgrade(self, message)

    def _start(self) -> None:
        if self._target is None or self._startup is not None or self._ctx is not None:
            return
        url, login = self._target
        self._problem = ""
        self.retry.hide()
        self.progress.show()
        username = self._username if login is None else (url.username or self._username)
        db = Database(url, password=(login.password if login else "") or None)
        startup = _AssistantStartup(self, db, username, login)
        startup.ready.connect(lambda ctx: self._on_prepared(startup, ctx))
        startup.gave_up.connect(lambda _code: self._on_gave_up(startup))
        self._startup = startup
        self._unfinished.add(startup)
        startup.start()

    def _on_prepared(self, startup: _AssistantStartup, ctx: AppContext) -> None:
        login = startup.login
        if startup.abandoned or login is None:
            self._finish(startup, ctx)
            return
        self.set_message("Keeping the connection for the next starts…")
        (
            PlainOperation(self, lambda: remember_login(login, profile=True))
            .success(lambda _none: self._on_kept(startup, ctx))
            .failure(lambda error: self._on_not_kept(startup, ctx, error))
            .run()
        )

    def _on_kept(self, startup: _AssistantStartup, ctx: AppContext) -> None:
        if not startup.abandoned:
            self._finish(startup, ctx)
            return
        # Gone Back meanwhile: the choice may now be another database.
        (PlainOperation(self, config.clear_profile).done(lambda: self._finish(startup, ctx)).run())

    def _on_not_kept(self, startup: _AssistantStartup, ctx: AppContext, error: DomainError) -> None:
        self._problem = error.message
        ctx.db.dispose()
        self._on_gave_up(startup)

    def _finish(self, startup: _AssistantStartup, ctx: AppContext) -> None:
        if startup.abandoned:
            ctx.db.dispose()
        else:
            self._startup = None
            self._ctx = ctx
            self.progress.hide()
            self.set_message(
                f"The database is ready. You are signed in as {ctx.actor.display_name}."
            )
            self.completeChanged.emit()
            self.ready.emit(ctx)
        self._settle(startup)

    def _on_gave_up(self, startup: _AssistantStartup) -> None:
        startup.database.dispose()
        if not startup.abandoned:
            self._startup = None
            self.progress.hide()
            self.retry.show()
            reason = self._problem or "The database was left as it is."
            self.set_message(
                f"{reason}\n\nTry again, or go Back to choose another database or change the "
                "connection."
            )
        self._settle(startup)

    def _settle(self, startup: _AssistantStartup) -> None:
        self._unfinished.discard(startup)
        if not self._unfinished:
            self.settled.emit()

    def abandon(self) -> None:
        """Lets go of the preparation under way: it finishes in the background, and what
        it makes is not kept."""
        startup, self._startup = self._startup, None
        if startup is None:
            return
        startup.abandoned = True
        self.progress.hide()
        self.set_message("")

    def cleanupPage(self) -> None:
        """Going Back while the database is being prepared: what it was doing is let go."""
        self.abandon()
