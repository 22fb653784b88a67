"""Keeps the signed-in person's unread notifications fresh: on every change heard, and now and then."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from prdesk.domain.services import notifications
from prdesk.domain.services.notifications import NotificationInfo, Unread
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext

# The change listener asks for a poll as soon as anyone's notifications change; this
# slower poll is only the safety net for a notice missed. The query is one indexed count.
POLL_INTERVAL_MS = 60_000


class NotificationWatcher(QObject):
    """Polls in the background and after every local change; never on the GUI thread.

    Signals:
        updated: the Unread summary, after every poll.
        arrived: a NotificationInfo not seen before (each one once).
    """

    updated = Signal(object)
    arrived = Signal(object)

    def __init__(
        self, ctx: AppContext, parent: QObject | None = None, interval_ms: int = POLL_INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._seen: set[int] = set()
        self._in_flight = False
        self._again = False
        self.unread = Unread(0, ())
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._timer.stop()

    def on_changed(self, _change: Change) -> None:
        self.poll()

    def poll(self) -> None:
        if self._in_flight:
            # One query at a time; ask once more when it is back.
            self._again = True
            return
        self._in_flight = True
        actor = self._ctx.actor
        (
            self._ctx.operation(
                self, lambda session: notifications.unread(session, actor), read_only=True
            )
            .success(self._on_unread)
            .failure(lambda _error: None)  # the next poll tries again; no message every 15 s
            .done(self._on_done)
            .run()
        )

    def mark_read(self, notification_ids: list[int] | None = None) -> None:
        """Marks some (or, with None, all) of the person's notifications read, then polls."""
        actor = self._ctx.actor
        (
            self._ctx.operation(
                self, lambda session: notifications.mark_read(session, actor, notification_ids)
            )
            .success(lambda _count: self.poll())
            .run()
        )

    def mark_one_read(self, notification_id: int) -> None:
        self.mark_read([notification_id])

    def _on_unread(self, unread: Unread) -> None:
        self.unread = unread
        fresh: list[NotificationInfo] = [n for n in unread.newest if n.id not in self._seen]
        self._seen.update(n.id for n in unread.newest)
        self.updated.emit(unread)
        for note in reversed(fresh):  # oldest first, so the newest is shown last
            self.arrived.emit(note)
        touched = frozenset(n.case_id for n in fresh if n.case_id is not None)
        if touched:
            # Cases changed elsewhere: the list shows them now, not at the next refresh.
            self._ctx.hub.announce(Change(touched, frozenset({Change.CASE})))

    def _on_done(self) -> None:
        self._in_flight = False
        if self._again:
            self._again = False
            self.poll()
