"""Hears what other workstations change and announces it, so open screens update within seconds.

PostgreSQL: a connection of its own LISTENs on `prdesk_changes`, which the audit
triggers notify on every committed change. SQLite has no NOTIFY: a connection of
its own watches `PRAGMA data_version`, which moves when another connection
commits, and then reads the new audit rows to learn which cases changed.

The database side runs on a plain Python thread that touches nothing of Qt; it
only queues what it heard. A timer on the GUI thread empties the queue every
100 ms, and at most twice a second, so a burst of notices (one save writes several
rows; many colleagues save at once) becomes one Change per kind of change.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError
from prdesk.domain.services.change_feed import changes_since, latest_audit_id
from prdesk.ui.changes import Change, ChangeHub

CHANNEL = "prdesk_changes"
DELIVER_EVERY_MS = 100
# Twenty busy colleagues must not make every list here reload ten times a second:
# what arrives within half a second of the last announcement waits for the next.
MIN_GAP_SECONDS = 0.5
SQLITE_POLL_SECONDS = 0.5
# How often the listening thread looks up from waiting, to notice it should stop.
_WAKE_SECONDS = 0.5
RETRY_SECONDS = (1, 2, 4, 8, 15, 30)

# What a change to each table means for the screens (see Change).
_ASPECTS: dict[str, frozenset[str]] = {
    "cases": frozenset({Change.CASE, Change.ASSIGNMENT}),
    "timeline_entries": frozenset({Change.TIMELINE}),
    "attachments": frozenset({Change.TIMELINE}),
    "department_requests": frozenset({Change.TIMELINE}),
    "letters": frozenset({Change.LETTERS}),
}
# Shared settings and reference lists: any screen may show them.
_EVERYWHERE = frozenset({"settings", "users", "departments", "categories"})
# Bookkeeping that no screen shows, or that is only ever one person's own.
_UNSEEN = frozenset(
    {
        "audit_log",
        "case_search",
        "case_number_counters",
        "blobs",
        "saved_views",
        "signatures",
        "letter_template_versions",
    }
)
PRESENCE, NOTIFICATIONS = "case_presence", "notifications"


@dataclass(frozen=True)
class _Heard:
    table: str
    case_id: int | None


@dataclass(frozen=True)
class _Event:
    """What the thread tells the GUI: "resync" (notices may have been missed), "lost"."""

    kind: str


_Item = _Heard | _Event


class ChangeListener(QObject):
    """One per window: announces other workstations' changes on the hub.

    Signals:
        presence_changed: the case ids whose "who is here" changed (empty: any case).
        notifications_changed: someone's notifications changed; poll yours.
        lost: the listening connection dropped (it reconnects by itself).
    """

    presence_changed = Signal(object)
    notifications_changed = Signal()
    lost = Signal()

    def __init__(self, db: Database, hub: ChangeHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._hub = hub
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._delivered_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(DELIVER_EVERY_MS)
        self._timer.timeout.connect(self.deliver)
        self.destroyed.connect(self._stop.set)
        application = QCoreApplication.instance()
        if application is not None:
            # Quitting without closing the window (signing out of the lock) stops it too.
            application.aboutToQuit.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def listening(self) -> bool:
        """Whether changes made from now on will be heard (connected and caught up)."""
        return self._listening.is_set()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._wake.clear()
        target: Callable[[], None]
        target = self._listen if self._db.dialect == "postgresql" else self._poll
        self._thread = threading.Thread(target=target, name="prdesk-changes", daemon=True)
        self._thread.start()
        self._timer.start()

    def stop(self) -> None:
        """Stops listening and waits (briefly) for the thread: nothing runs after the window."""
        self._timer.stop()
        self._stop.set()
        self._wake.set()
        self._listening.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def retry_now(self) -> None:
        """Skips the wait before the next reconnection attempt (the database is back)."""
        self._wake.set()

    def deliver(self) -> None:
        """Announces everything heard since the last call as one Change per kind of change."""
        now = time.monotonic()
        if now - self._delivered_at < MIN_GAP_SECONDS or self._queue.empty():
            return
        self._delivered_at = now
        by_aspects: dict[frozenset[str], set[int]] = {}
        everything = presence_any = notifications = lost = False
        presence: set[int] = set()
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, _Event):
                everything |= item.kind == "resync"
                lost |= item.kind == "lost"
            elif item.table == PRESENCE:
                if item.case_id is None:
                    presence_any = True
                else:
                    presence.add(item.case_id)
            elif item.table == NOTIFICATIONS:
                notifications = True
            elif item.table in _EVERYWHERE:
                everything = True
            elif item.table not in _UNSEEN and item.case_id is not None:
                aspects = _ASPECTS.get(item.table, frozenset({Change.CASE}))
                by_aspects.setdefault(aspects, set()).add(item.case_id)
        if lost:
            self.lost.emit()
        if everything:
            self._hub.announce(Change.everything())
        else:
            for aspects, case_ids in by_aspects.items():
                self._hub.announce(Change(frozenset(case_ids), aspects))
        if presence_any or presence:
            self.presence_changed.emit(frozenset() if presence_any else frozenset(presence))
        if notifications:
            self.notifications_changed.emit()

    # The thread's side: only the queue and the events are shared with the GUI.

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _listen(self) -> None:
        """PostgreSQL: LISTEN, and after a lost connection, reconnect with growing pauses."""
        failures = 0
        connected_before = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(**self._connection_arguments()) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    if connected_before:
                        # Whatever was notified while away is lost: everything may be stale.
                        self._queue.put(_Event("resync"))
                    connected_before, failures = True, 0
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=_WAKE_SECONDS):
                            heard = self._parse(notice.payload)
                            if heard is not None:
                                self._queue.put(heard)
            except psycopg.Error:
                self._listening.clear()
                if self._stop.is_set():
                    return
                if connected_before and failures == 0:
                    self._queue.put(_Event("lost"))
                self._pause(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                failures += 1

    def _connection_arguments(self) -> dict[str, Any]:
        url = self._db.url
        arguments: dict[str, Any] = {
            key: value
            for key, value in url.translate_connect_args(username="user", database="dbname").items()
            if value is not None
        }
        arguments.update({key: value for key, value in url.query.items() if isinstance(value, str)})
        arguments.update(
            autocommit=True,
            application_name=f"{self._db.client} listener"[:63],
            connect_timeout=10,
            # A cut network sends nothing: keepalives notice it within half a minute.
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        return arguments

    def _parse(self, payload: str) -> _Heard | None:
        try:
            notice = json.loads(payload)
            table, case_id, client = notice["table"], notice.get("case_id"), notice.get("client")
        except (ValueError, KeyError, TypeError):
            return None
        if client == self._db.client or not isinstance(table, str):
            return None  # our own change: this window announced it when it was saved
        return _Heard(table, case_id if isinstance(case_id, int) else None)

    def _poll(self) -> None:
        """SQLite: watch the file's data version, then read what the audit trail says changed."""
        # Read-write but never create: a file moved away must not come back empty.
        location = f"{Path(self._db.url.database or '').resolve().as_uri()}?mode=rw"
        watcher: sqlite3.Connection | None = None
        seen_version: int | None = None
        last_id: int | None = None
        while not self._stop.is_set():
            try:
                if watcher is None:
                    watcher = sqlite3.connect(location, timeout=5, uri=True)
                version = int(watcher.execute("PRAGMA data_version").fetchone()[0])
                if last_id is None:
                    with self._db.transaction(read_only=True) as session:
                        last_id = latest_audit_id(session)
                    seen_version = version
                    self._listening.set()
                elif version != seen_version:
                    with self._db.transaction(read_only=True) as session:
                        batch = changes_since(session, last_id, self._db.client)
                    last_id = batch.last_id
                    # Read again at the next tick while rows are waiting beyond the batch.
                    seen_version = None if batch.more else version
                    for change in batch.changes:
                        self._queue.put(_Heard(change.table, change.case_id))
                    # Presence and notifications are not in the audit trail: look again.
                    self._queue.put(_Heard(PRESENCE, None))
                    self._queue.put(_Heard(NOTIFICATIONS, None))
            except (sqlite3.Error, SQLAlchemyError, DomainError):
                if watcher is not None:
                    watcher.close()
                watcher = None
            self._stop.wait(SQLITE_POLL_SECONDS)
        if watcher is not None:
            watcher.close()
