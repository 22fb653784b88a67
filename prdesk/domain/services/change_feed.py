"""What other workstations changed, read from the audit trail (the embedded database has no NOTIFY)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prdesk.domain.models import AuditEvent

# Rows written by the audit triggers; the application's own rows ("view", "print",
# "export") record reading, which changes nothing on anyone's screen.
_ROW_ACTIONS = ("insert", "update", "delete")
# Enough for any burst of saves between two polls; more simply waits for the next poll.
BATCH_LIMIT = 1000


@dataclass(frozen=True)
class TableChange:
    """One changed row's table, and its case when it belongs to one.

    Attributes:
        table: the table's name ("timeline_entries").
        case_id: the case the row belongs to, or None (settings, users, templates).
    """

    table: str
    case_id: int | None


@dataclass(frozen=True)
class FeedBatch:
    """What changed after a given audit row.

    Attributes:
        last_id: the newest audit row read; the next read starts after it.
        changes: distinct (table, case) pairs changed by other workstations.
        more: rows beyond the batch limit are waiting: read again at once.
    """

    last_id: int
    changes: frozenset[TableChange]
    more: bool = False


def latest_audit_id(session: Session) -> int:
    """Where to start: changes made before this workstation looked are already on its screen."""
    return int(session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


def changes_since(
    session: Session, after_id: int, own_client: str, *, limit: int = BATCH_LIMIT
) -> FeedBatch:
    """Row changes recorded after `after_id` by any other client than `own_client`.

    The screens of `own_client` were told of its own changes when it made them.
    """
    rows = session.execute(
        select(
            AuditEvent.id,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.case_id,
            AuditEvent.client,
        )
        .where(AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
        .limit(limit)
    ).all()
    last_id = rows[-1].id if rows else after_id
    changes = frozenset(
        TableChange(row.entity, row.case_id)
        for row in rows
        if row.action in _ROW_ACTIONS and row.client != own_client
    )
    return FeedBatch(last_id, changes, more=len(rows) == limit)
