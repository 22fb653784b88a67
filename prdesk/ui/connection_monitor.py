"""Notices a lost database connection, says so, and reconnects by itself with growing pauses."""

from __future__ import annotations

import random

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError
from prdesk.ui import operations
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.operations import PlainOperation

# Seconds before each attempt: quick at first (a blip), then no more than twice a minute.
BACKOFF_SECONDS = (1, 2, 4, 8, 15, 30)
# Workstations that lost one server at once must not all knock at the same moment.
JITTER = 0.2
RECONNECTED_SHOWN_MS = 5_000

CONNECTED, CHECKING, LOST = "connected", "checking", "lost"
LOST_TEXT = "The connection to the database was lost."


def retry_delay(attempt: int, *, jitter: float = JITTER) -> float:
    """Seconds to wait before attempt number `attempt` (0 first), with some randomness."""
    base = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]
    return base * random.uniform(1 - jitter, 1 + jitter)


def probe(db: Database) -> None:
    """One round trip on a connection from the pool (which replaces connections found dead)."""
    with db.transaction(read_only=True) as session:
        session.execute(text("SELECT 1"))


class ConnectionMonitor(QObject):
    """Told of every DatabaseUnavailable; checks, reports the loss and tries again until back.

    What a person was typing stays where it is: screens keep their text when a save
    fails, and nothing here closes or reloads them until the connection is back
    (then every screen refreshes, as after F5).

    Signals:
        state_changed: CONNECTED, CHECKING or LOST.
        reconnected: the database answers again.
    """

    state_changed = Signal(str)
    reconnected = Signal()

    def __init__(self, ctx: AppContext, banner: InfoBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.banner = banner
        self.banner.setAccessibleName("Connection to the database")
        self.state = CONNECTED
        self.attempt = 0
        self._seconds_left = 0
        self._probing = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._hide_reconnected = QTimer(self)
        self._hide_reconnected.setSingleShot(True)
        self._hide_reconnected.setInterval(RECONNECTED_SHOWN_MS)
        self._hide_reconnected.timeout.connect(self._on_settled)
        operations.activity().unavailable.connect(self.on_unavailable)

    def on_unavailable(self, db: Database | None, _error: DomainError) -> None:
        """An operation failed for want of the database (`db` None: it did not say which)."""
        if db is not None and db is not self._ctx.db:
            return
        self.report()

    def report(self) -> None:
        """Something failed to reach the database: check it, unless already on it."""
        if self.state != CONNECTED:
            return
        self._hide_reconnected.stop()
        # One failed statement may be a blip the pool has already mended: look first.
        self._set_state(CHECKING)
        self._probe()

    def retry_now(self) -> None:
        """Tries at once instead of waiting out the pause ("Retry now")."""
        if self.state == LOST and not self._probing:
            self._countdown.stop()
            self._probe()

    def _probe(self) -> None:
        self._probing = True
        if self.state == LOST:
            self.banner.show_message(f"{LOST_TEXT} Reconnecting…", kind="error")
        db = self._ctx.db
        (
            PlainOperation(self, lambda: probe(db))
            # Beside the queue of saves, which may be stuck waiting on the network.
            .alongside()
            .success(lambda _none: self._on_answer(True))
            .failure(lambda _error: self._on_answer(False))
            .run()
        )

    def _on_answer(self, answered: bool) -> None:
        self._probing = False
        if answered:
            was_lost = self.state == LOST
            self.attempt = 0
            self._countdown.stop()
            self._set_state(CONNECTED)
            if was_lost:
                self.banner.show_message("Reconnected to the database.", kind="info")
                self._hide_reconnected.start()
                self.reconnected.emit()
                # Others' changes made while away were never heard: refresh every screen.
                self._ctx.hub.announce(Change.everything())
            return
        if self.state == LOST:
            self.attempt += 1
        self._set_state(LOST)
        self._seconds_left = max(1, round(retry_delay(self.attempt)))
        self._show_countdown()
        self._countdown.start()

    def _tick(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left <= 0:
            self._countdown.stop()
            self._probe()
        else:
            self._show_countdown()

    def _show_countdown(self) -> None:
        self.banner.show_message(
            f"{LOST_TEXT} Reconnecting in {self._seconds_left} s…",
            kind="error",
            # No Alt+letter: a case's own controls use them all. F5 (Refresh) also retries.
            actions=[("Retry now", self.retry_now)],
        )

    def _on_settled(self) -> None:
        if self.state == CONNECTED:
            self.banner.hide()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
