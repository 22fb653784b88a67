"""Who else has this case open: "Ana López is also editing this case (a letter, since 10:42)"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.permissions import Action
from prdesk.domain.services import presence
from prdesk.domain.services.presence import VIEWING, Presence
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import locale, time_format

# Rows older than presence.STALE_AFTER (90 s) are someone gone: refresh well within it.
HEARTBEAT_MS = 30_000


class PresenceTracker(QObject):
    """This PR Desk's own presence in the cases it has open, one per application context.

    Several things can hold one case (its tab, a letter's window); what the others
    see is the first of them that is editing, else "viewing". The rows are
    refreshed every 30 s and removed when the last holder lets go.

    Signals:
        others_changed: case ids whose other people changed (empty: any case); banners refresh.
    """

    others_changed = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.hub)
        self._ctx = ctx
        self._holders: dict[int, dict[str, str]] = {}
        self._published: dict[int, str] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self.heartbeat)
        application = QCoreApplication.instance()
        if application is not None:
            # Quitting without closing the window (signing out of the lock) says goodbye too.
            application.aboutToQuit.connect(self.leave_all)

    @classmethod
    def of(cls, ctx: AppContext) -> PresenceTracker:
        """The tracker of this context's PR Desk (made on first use)."""
        tracker = ctx.hub.findChild(cls)
        return tracker if isinstance(tracker, cls) else cls(ctx)

    def hold(self, case_id: int, holder: str, activity: str = VIEWING) -> None:
        """`holder` ("tab", "letter 12") has the case open doing `activity`."""
        self._holders.setdefault(case_id, {})[holder] = activity
        self._publish(case_id)

    def release(self, case_id: int, holder: str) -> None:
        holders = self._holders.get(case_id, {})
        holders.pop(holder, None)
        if holders:
            self._publish(case_id)
            return
        self._holders.pop(case_id, None)
        if self._published.pop(case_id, None) is not None:
            client = self._ctx.db.client
            self._write(lambda session: presence.leave(session, client, case_id))
        if not self._holders:
            self._timer.stop()

    def follow_letter(self, case_id: int | None, letter_id: int, editing: bool) -> None:
        """A letter's window: "editing a letter" while it can change it, nothing once closed."""
        if case_id is None:
            return
        if editing:
            self.hold(case_id, f"letter {letter_id}", "a letter")
        else:
            self.release(case_id, f"letter {letter_id}")

    def release_all(self, case_id: int, *holders: str) -> None:
        """For a screen being destroyed: lets go unless the application is going first."""
        if shiboken6.isValid(self):
            for holder in holders:
                self.release(case_id, holder)

    def leave_all(self) -> None:
        """The window is closing: nobody should see this PR Desk in any case any more."""
        self._holders.clear()
        self._timer.stop()
        if self._published:
            self._published.clear()
            client = self._ctx.db.client
            self._write(lambda session: presence.leave(session, client))

    def activity(self, case_id: int) -> str | None:
        """What the others are told this PR Desk is doing in the case, or None."""
        return self._published.get(case_id)

    def heartbeat(self) -> None:
        activities, actor, client = dict(self._published), self._ctx.actor, self._ctx.db.client
        if activities:
            self._write(lambda session: presence.heartbeat(session, actor, client, activities))

    def on_presence_changed(self, case_ids: frozenset[int]) -> None:
        self.others_changed.emit(case_ids)

    def _publish(self, case_id: int) -> None:
        if not self._ctx.may(Action.EDIT_CASE):
            # Auditors only read: the database keeps no presence of theirs.
            return
        holders = self._holders.get(case_id, {})
        editing = [activity for activity in holders.values() if activity != VIEWING]
        activity = editing[0] if editing else VIEWING
        if self._published.get(case_id) == activity:
            return
        self._published[case_id] = activity
        actor, client = self._ctx.actor, self._ctx.db.client
        self._write(lambda session: presence.enter(session, actor, case_id, client, activity))
        if not self._timer.isActive():
            self._timer.start()

    def _write(self, work: Callable[[Session], None]) -> None:
        (
            self._ctx.operation(self, work)
            # Being seen is a courtesy: a failed write is retried by the next heartbeat,
            # and a lost connection is reported by the connection monitor.
            .failure(lambda _error: None)
            .run()
        )


class PresenceBanner(QFrame):
    """A quiet line at the top of a case's tab naming the others in it, hidden when alone."""

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case_id = case_id
        self._loading = False
        self._again = False
        self.people: list[Presence] = []
        self.setObjectName("presenceBanner")
        self.setAccessibleName("Others in this case")
        # Its tint, blue or (someone editing) amber, comes from the theme's sheet.
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.label.setAccessibleName("Others in this case")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.label, 1)
        self.hide()
        self.tracker = PresenceTracker.of(ctx)
        self.tracker.others_changed.connect(self.on_others_changed)
        # Someone whose workstation went away stops refreshing their row; it goes stale
        # without any notice, so look again now and then.
        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def text(self) -> str:
        """What the banner says, or "" while it is hidden (nobody else is in the case)."""
        return "" if self.isHidden() else self.label.text()

    def on_others_changed(self, case_ids: frozenset[int]) -> None:
        if not case_ids or self._case_id in case_ids:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        case_id, client = self._case_id, self._ctx.db.client
        (
            self._ctx.operation(
                self, lambda session: presence.others(session, case_id, client), read_only=True
            )
            .alongside()
            .success(self.show_people)
            .failure(lambda _error: None)  # the next notice or refresh tries again
            .done(self._done)
            .run()
        )

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def show_people(self, people: list[Presence]) -> None:
        self.people = people
        lines = [
            f"{p.display_name} is also editing this case ({p.activity}, since {_clock(p.since)})"
            for p in people
            if p.editing
        ]
        viewers = [p.display_name for p in people if not p.editing]
        if viewers:
            lines.append("Also viewing: " + ", ".join(dict.fromkeys(viewers)))
        text = "\n".join(lines)
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.setProperty("editing", any(p.editing for p in people))
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(people))


def _clock(moment: datetime) -> str:
    local = moment.astimezone()
    return locale().toString(QTime(local.hour, local.minute), time_format())
