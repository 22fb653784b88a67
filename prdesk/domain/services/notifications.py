"""Telling coordinators at once what cannot wait, such as a new safety concern, until they read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import Session

from prdesk.domain.enums import Role
from prdesk.domain.models import Case, Notification, User, utcnow
from prdesk.domain.readmodels import UserInfo

SAFETY_CONCERN = "safety_concern"
# Who answers for safety: risk management is reached through them.
ESCALATION_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
# The newest unread ones are listed; the count covers them all.
LIST_LIMIT = 20


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    kind: str
    message: str
    case_id: int | None
    case_number: str | None
    created_at: datetime


@dataclass(frozen=True)
class Unread:
    """What the bell shows: how many are unread and the newest of them, newest first."""

    count: int
    newest: tuple[NotificationInfo, ...]


def notify_safety_concern(session: Session, actor: UserInfo, case: Case) -> int:
    """Notifies every active coordinator and administrator but the actor, in the caller's
    transaction; returns how many were notified.

    The message names the case number and who flagged it, nothing about the patient's
    health: it may be read over a shoulder.
    """
    message = f"Safety concern flagged on {case.number} by {actor.display_name}"
    recipients = select(
        User.id,
        literal(case.id),
        literal(SAFETY_CONCERN),
        literal(message[:500]),
        literal(utcnow(), Notification.created_at.type),
    ).where(User.active.is_(True), User.role.in_(ESCALATION_ROLES), User.id != actor.id)
    # INSERT ... SELECT, which returns nothing: the author may write these but, on
    # PostgreSQL, read only their own notifications.
    result = session.execute(
        insert(Notification).from_select(
            ["recipient_id", "case_id", "kind", "message", "created_at"], recipients
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def unread(session: Session, actor: UserInfo) -> Unread:
    """The actor's unread notifications: one count and one short list, both on the index."""
    mine = (Notification.recipient_id == actor.id) & Notification.read_at.is_(None)
    count = session.scalar(select(func.count(Notification.id)).where(mine)) or 0
    if not count:
        return Unread(0, ())
    rows = session.execute(
        select(Notification, Case.number)
        .outerjoin(Case, Case.id == Notification.case_id)
        .where(mine)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    return Unread(
        count,
        tuple(
            NotificationInfo(
                id=note.id,
                kind=note.kind,
                message=note.message,
                case_id=note.case_id,
                case_number=number,
                created_at=note.created_at,
            )
            for note, number in rows
        ),
    )


def mark_read(session: Session, actor: UserInfo, notification_ids: list[int] | None = None) -> int:
    """Marks the actor's own notifications read (all of them when no ids are given).

    Nobody can mark another person's notifications read. Returns how many changed.
    """
    statement = update(Notification).where(
        Notification.recipient_id == actor.id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        if not notification_ids:
            return 0
        statement = statement.where(Notification.id.in_(notification_ids))
    result = session.execute(statement.values(read_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
