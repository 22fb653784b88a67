"""The status bar: who is signed in, which database, whether it answers, and whether work is going on."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from prdesk.domain.permissions import Action
from prdesk.ui import operations
from prdesk.ui.connection_monitor import CHECKING, CONNECTED, LOST
from prdesk.ui.context import AppContext
from prdesk.ui.deadline_counts import DeadlineCountsWidget
from prdesk.ui.notification_bell import NotificationBell
from prdesk.ui.style import ERROR_COLOR, readable_on

# Quick operations finish before this; only slow ones (a slow network) show "Working…".
BUSY_DELAY_MS = 400
RECONNECTED_MESSAGE_MS = 5_000


class StatusBar(QStatusBar):
    """Shows the user's name and role and the database (never its password)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = QLabel("Working…")
        self.busy.hide()
        self.user = QLabel(f"{ctx.actor.display_name} ({ctx.actor.role.label})")
        self.user.setContentsMargins(12, 0, 0, 0)
        self.user.setAccessibleName("Signed in as")
        self.user.setTextFormat(Qt.TextFormat.PlainText)
        self.database = QLabel(ctx.db.display_name)
        self.database.setContentsMargins(12, 0, 4, 0)
        self.database.setAccessibleName("Database")
        self.database.setTextFormat(Qt.TextFormat.PlainText)
        self.database.setToolTip("The database PR Desk is working on")
        self.connection = QLabel()
        self.connection.setAccessibleName("Database connection")
        self.connection.setTextFormat(Qt.TextFormat.PlainText)
        self.connection.hide()
        self._connection_state = CONNECTED
        self.notifications = NotificationBell()
        # Clerks see no cases, so no counts of them either.
        self.deadlines = DeadlineCountsWidget(ctx) if ctx.may(Action.VIEW_CASE) else None
        if self.deadlines is not None:
            self.addPermanentWidget(self.deadlines)
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.connection)
        self.addPermanentWidget(self.notifications)
        self.addPermanentWidget(self.user)
        self.addPermanentWidget(self.database)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        operations.activity().changed.connect(self.on_activity)

    def on_activity(self, in_flight: int) -> None:
        if in_flight and not self._busy_timer.isActive() and not self.busy.isVisible():
            self._busy_timer.start()
        elif not in_flight:
            self._busy_timer.stop()
            self.busy.hide()

    def show_connection(self, state: str) -> None:
        """The connection's state beside the database's name; nothing while all is well."""
        if state == LOST:
            self.connection.setText("Connection lost: reconnecting")
            self.connection.setStyleSheet(
                f"color: {readable_on(ERROR_COLOR, self)}; font-weight: 600;"
            )
        elif state == CHECKING:
            self.connection.setText("Checking the connection…")
            self.connection.setStyleSheet("")
        self.connection.setVisible(state != CONNECTED)
        was_lost, self._connection_state = self._connection_state == LOST, state
        if state == CONNECTED and was_lost:
            self.showMessage("Reconnected to the database", RECONNECTED_MESSAGE_MS)
