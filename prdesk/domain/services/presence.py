"""Who else has a case open right now, and whether they are editing it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from prdesk.domain.models import CasePresence, User, utcnow
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import UserInfo

VIEWING = "viewing"
# A workstation refreshes its rows every 30 s; one silent for three of those has gone
# away (crashed, unplugged) without saying so.
STALE_AFTER = timedelta(seconds=90)
_ACTIVITY_LENGTH = 100


@dataclass(frozen=True)
class Presence:
    """Someone else in a case.

    Attributes:
        display_name: who ("Ana López").
        activity: "viewing", or what they are editing ("the case details", "a letter").
        since: when they started doing it (UTC).
    """

    display_name: str
    activity: str
    since: datetime

    @property
    def editing(self) -> bool:
        return self.activity != VIEWING


def enter(
    session: Session, actor: UserInfo, case_id: int, client: str, activity: str = VIEWING
) -> None:
    """Says this PR Desk has the case open, doing `activity`; `since` moves only when it changes.

    A case deleted meanwhile, or gone out of this person's sight, has nobody to tell:
    nothing is written, and the rest of the transaction stands.
    """
    if not allowed(actor.role, Action.EDIT_CASE):
        # Auditors only read; the database refuses any presence row of theirs.
        return
    try:
        with session.begin_nested():
            _write_presence(session, actor, case_id, client, activity)
    except DBAPIError as error:
        if error.connection_invalidated:
            raise


def _write_presence(
    session: Session, actor: UserInfo, case_id: int, client: str, activity: str
) -> None:
    activity = activity[:_ACTIVITY_LENGTH] or VIEWING
    now = _clock(session)
    row = session.scalars(
        select(CasePresence).where(CasePresence.case_id == case_id, CasePresence.client == client)
    ).one_or_none()
    if row is None:
        session.add(
            CasePresence(
                case_id=case_id,
                user_id=actor.id,
                client=client,
                activity=activity,
                since=now,
                seen_at=now,
            )
        )
    else:
        if row.activity != activity:
            row.activity, row.since = activity, now
        row.user_id, row.seen_at = actor.id, now
    session.flush()


def heartbeat(
    session: Session, actor: UserInfo, client: str, activities: Mapping[int, str]
) -> None:
    """Keeps this PR Desk's rows for the cases still open (case id -> activity) from going
    stale, and puts back any that a failed write never made."""
    for case_id, activity in activities.items():
        # A case that went away or out of this person's sight is skipped; the others count.
        enter(session, actor, case_id, client, activity)


def leave(session: Session, client: str, case_id: int | None = None) -> None:
    """The case (or, with None, every case) is closed on this PR Desk."""
    statement = delete(CasePresence).where(CasePresence.client == client)
    if case_id is not None:
        statement = statement.where(CasePresence.case_id == case_id)
    session.execute(statement)


def _clock(session: Session) -> Any:
    """The time presence is written and judged by: the server's on PostgreSQL, so that a
    workstation whose clock is off neither vanishes nor lingers for the others. (The
    embedded database has one workstation and one clock.)"""
    if session.get_bind().dialect.name == "postgresql":
        return func.now()
    return utcnow()


def others(session: Session, case_id: int, client: str) -> list[Presence]:
    """Everyone else in the case, editors first, then by when they came."""
    cutoff = _clock(session) - STALE_AFTER
    rows = session.execute(
        select(User.display_name, CasePresence.activity, CasePresence.since)
        .join(User, User.id == CasePresence.user_id)
        .where(
            CasePresence.case_id == case_id,
            CasePresence.client != client,
            CasePresence.seen_at >= cutoff,
        )
        .order_by(CasePresence.since, CasePresence.id)
    ).all()
    found = [Presence(row.display_name, row.activity, row.since) for row in rows]
    return sorted(found, key=lambda p: not p.editing)
