"""Writing the audit log: who did what to which record, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import UserInfo


def record(
    session: Session,
    actor: UserInfo,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    case_id: int | None = None,
    **details: Any,
) -> None:
    """Adds one event to the log inside the caller's transaction.

    Details are field names and values the person changed, never more of the
    record than the change itself. These rows say what no row change shows
    (opening, printing, exporting, a reason given); the database's triggers
    record the changes themselves. The row names the running PR Desk the
    session belongs to (Database.client); on PostgreSQL the database also
    fills in who and from where for an application login, so neither can be
    forged.
    """
    session.add(
        AuditEvent(
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            case_id=case_id,
            details={key: _jsonable(value) for key, value in details.items()},
            client=str(session.info.get("client", "")),
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
