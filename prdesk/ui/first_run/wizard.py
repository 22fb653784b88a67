"""The first-run assistant, "PR Desk — Getting started", from the choice of database to the main window."""

from __future__ import annotations

import contextlib
import enum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.permissions import Action
from prdesk.ui.changes import ChangeHub
from prdesk.ui.connection_fields import Login
from prdesk.ui.context import AppContext
from prdesk.ui.first_run.closing_pages import DonePage, TryPage
from prdesk.ui.first_run.database_pages import ConnectionPage, WherePage
from prdesk.ui.first_run.prepare_page import PreparePage
from prdesk.ui.first_run.settings_step import SettingsStep
from prdesk.ui.operations import PlainOperation
from prdesk.ui.practice_bar import OPEN_PRACTICE, RETURN_HOME
from prdesk.ui.settings_pages.database import embedded_url
from prdesk.ui.settings_pages.deadlines import DeadlinePresetPage
from prdesk.ui.settings_pages.organisation import OrganisationPage
from prdesk.ui.settings_pages.signature import SignaturePage

_STOP_BEFORE_READY = (
    "Nothing is saved: no database is made and no connection is kept. The next time "
    "PR Desk starts, this assistant opens again."
)
_STOP_WHEN_READY = (
    "Nothing more is saved. The database is ready and is kept, with what you saved on "
    "the pages before this one; PR Desk opens on it from now on, and Settings has the rest."
)


class Step(enum.IntEnum):
    WHERE = 0
    CONNECTION = 1
    PREPARE = 2
    ORGANISATION = 3
    SIGNATURE = 4
    DEADLINES = 5
    TRY = 6
    DONE = 7


class FirstRunWizard(QWizard):
    """Asks where the cases are kept, prepares that database as every start does, then
    offers the first settings. The main window opens on the context it built.

    Signals:
        completed: (AppContext, practice) on Finish; `practice` asks for the practice
            database first.
    """

    completed = Signal(object, bool)

    def __init__(self, username: str, hub: ChangeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PR Desk — Getting started")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Next >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Open PR Desk")
        self.where = WherePage()
        self.connection = ConnectionPage()
        self.prepare = PreparePage(username, hub)
        self.organisation = SettingsStep(
            OrganisationPage,
            lambda: self.ctx,
        )
        self.signature = SettingsStep(
            SignaturePage,
            lambda: self.ctx,
        )
        self.deadlines = SettingsStep(
            DeadlinePresetPage,
            lambda: self.ctx,
            "Choose the rules your hospital follows.",
        )
        self.try_out = TryPage()
        self.done_page = DonePage()
        for step, page in (
            (Step.WHERE, self.where),
            (Step.CONNECTION, self.connection),
            (Step.PREPARE, self.prepare),
            (Step.ORGANISATION, self.organisation),
            (Step.SIGNATURE, self.signature),
            (Step.DEADLINES, self.deadlines),
            (Step.TRY, self.try_out),
            (Step.DONE, self.done_page),
        ):
            self.setPage(step, page)
        self.setStartId(Step.WHERE)
        self._stopping = False
        self._discarding = False
        self.prepare.ready.connect(self._on_ready)
        self.currentIdChanged.connect(self._on_step)
        self.resize(940, 680)

    @property
    def ctx(self) -> AppContext | None:
        """The database and person, once the database is prepared."""
        return self.prepare.ctx

    def nextId(self) -> int:
        step = self.currentId()
        ctx = self.ctx
        administers = ctx is not None and ctx.may(Action.MANAGE_ORGANISATION)
        drafts = ctx is not None and ctx.may(Action.DRAFT_LETTER)
        following: list[int] = []
        if step == Step.WHERE:
            return Step.CONNECTION if self.where.shared() else Step.PREPARE
        if step == Step.CONNECTION:
            return Step.PREPARE
        if step == Step.DONE:
            return -1
        if administers:
            following.append(Step.ORGANISATION)
        if drafts:
            following.append(Step.SIGNATURE)
        if administers:
            following.append(Step.DEADLINES)
        following.append(Step.TRY)
        following.append(Step.DONE)
        later = [candidate for candidate in following if candidate > step]
        return later[0] if later else -1

    def _on_step(self, step: int) -> None:
        QTimer.singleShot(0, self, self._focus_shown_control)
        if step == Step.PREPARE:
            self.prepare.prepare(*self._target())
        elif step == Step.DONE:
            self.done_page.show_summary(self.summary())

    def _focus_shown_control(self) -> None:
        """QWizard gives a new page's first control the focus even when it is hidden (a
        message strip's Dismiss button, there only with a message): the next one shown has it."""
        focused = self.focusWidget()
        if focused is not None and not focused.isVisible():
            self.focusNextChild()

    def _target(self) -> tuple[URL, Login | None]:
        login: Login | None = self.connection.login if self.where.shared() else None
        if login is None:
            return embedded_url(), None
        return login.url, login

    def _on_ready(self, _ctx: AppContext) -> None:
        if self.currentPage() is self.prepare:
            self.next()

    def practice_first(self) -> bool:
        return self.try_out.practice.isChecked()

    def summary(self) -> list[str]:
        """What was set up, as the Done page lists it."""
        ctx = self.ctx
        if ctx is None:
            return []
        lines = []
        if ctx.db.dialect == "sqlite":
            lines.append(
                f"Cases are kept only on this computer, in {config.embedded_database_path()}."
            )
        else:
            url = ctx.db.url
            lines.append(
                f"Cases are kept on the shared database {url.database} on {url.host}; "
                "this computer connects to it at every start."
            )
        lines.append(f"You work as {ctx.actor.display_name} ({ctx.actor.role.label}).")
        organisation = self.organisation.page
        if isinstance(organisation, OrganisationPage) and self.organisation.saved:
            lines.append(f"Letters are headed {organisation.form.letterhead().organisation}.")
        signature = self.signature.page
        if isinstance(signature, SignaturePage) and self.signature.saved:
            lines.append(
                "Your signature prints on your letters."
                if signature.signature.image()
                else "Your letters leave room to sign by hand."
            )
        deadlines = self.deadlines.page
        if isinstance(deadlines, DeadlinePresetPage) and self.deadlines.saved:
            chosen = deadlines.chosen()
            name = (
                "your own deadlines" if chosen is Preset.CUSTOM else f"the {chosen.label} deadlines"
            )
            lines.append(f"New cases get {name}.")
        if self.practice_first():
            lines.append(
                f"The practice database opens first; File ▸ {_menu(RETURN_HOME)} brings you "
                f"back to your own (File ▸ {_menu(OPEN_PRACTICE)} goes to it again)."
            )
        return lines

    def accept(self) -> None:
        ctx = self.ctx
        if ctx is not None:
            # Before this window closes: the main window must be up by then, or closing
            # the last window would end PR Desk.
            self.completed.emit(ctx, self.practice_first())
        super().accept()

    def reject(self) -> None:
        if self._stopping:
            return  # Cancel again while stopping: it ends as soon as it can
        if self._ready():
            if self.ask_stop(_STOP_WHEN_READY):
                super().reject()
            return
        if self.currentId() not in (Step.WHERE, -1):
            if not self.ask_stop(_STOP_BEFORE_READY):
                return
            if self._ready():
                # Ready while the question was open: what is kept has changed, ask again.
                self.reject()
                return
        self._stopping = True
        # After the key press or click that asked: the window is disabled while it stops.
        QTimer.singleShot(0, self, self._stop)

    def _ready(self) -> bool:
        return self.ctx is not None

    def _stop(self) -> None:
        """Nothing counts as set up before the database is ready: what was begun goes,
        once every preparation (one gone Back from too) has finished with the file."""
        self.setButtonText(QWizard.WizardButton.CancelButton, "Stopping…")
        self.setEnabled(False)
        self.prepare.abandon()
        if self.prepare.running:
            self.prepare.settled.connect(self._discard)
        else:
            self._discard()

    def _discard(self) -> None:
        if self._discarding:
            return
        self._discarding = True
        PlainOperation(self, discard_unfinished).done(lambda: QWizard.reject(self)).run()

    def ask_stop(self, consequence: str) -> bool:
        """Whether to stop setting up; `consequence` says what is kept."""
        answer = QMessageBox.question(
            self,
            "Stop setting up?",
            f"Stop setting up?\n\n{consequence}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def discard_unfinished() -> None:
    """What an assistant stopped before the database was ready leaves: a kept connection
    and its password, an embedded file begun; gone, so the next start asks again. The
    assistant shows only when neither existed before it. Runs on a worker."""
    config.clear_profile()
    path = config.embedded_database_path()
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _menu(label: str) -> str:
    """A menu item's text as read in a sentence."""
    return label.replace("&", "")
