"""Adding steps to a case's investigation timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from prdesk.domain import audit, search_index
from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.models import Case, TimelineEntry, utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import TimelineEntryInfo, UserInfo
from prdesk.domain.services.case_input import CLOCK_SKEW
from prdesk.domain.services.timeline_reading import entry_info

SUMMARY_LIMIT = 300


@dataclass(frozen=True)
class NewTimelineEntry:
    kind: TimelineKind
    summary: str
    body: str = ""
    occurred_at: datetime | None = None  # now, when not given
    patient_facing: bool = False
    internal: bool = False


def add_entry(
    session: Session, actor: UserInfo, case_id: int, new: NewTimelineEntry
) -> TimelineEntryInfo:
    """Records a step of the investigation. Adding never conflicts with someone else's entry."""
    require(actor.role, Action.ADD_TIMELINE_ENTRY)
    errors: dict[str, str] = {}
    if new.kind.is_system:
        errors["kind"] = f"'{new.kind.label}' entries are added by PR Desk itself."
    if not new.summary.strip():
        errors["summary"] = "Write a one-line summary of the step."
    elif len(new.summary.strip()) > SUMMARY_LIMIT:
        errors["summary"] = (
            f"Keep the summary under {SUMMARY_LIMIT} characters; put the rest in the details."
        )
    occurred_at = new.occurred_at or utcnow()
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    if occurred_at > utcnow() + CLOCK_SKEW:
        errors["occurred_at"] = "A step cannot happen in the future."
    if new.patient_facing and new.internal:
        errors["internal"] = "An entry is either patient-facing or internal, not both."
    if errors:
        raise ValidationError.from_fields(errors)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"Case {case_id} does not exist (it may have been deleted).")
    entry = TimelineEntry(
        case_id=case.id,
        kind=new.kind,
        occurred_at=occurred_at.astimezone(UTC),
        author_id=actor.id,
        summary=new.summary.strip(),
        body=new.body.rstrip(),
        patient_facing=new.patient_facing,
        internal=new.internal,
    )
    session.add(entry)
    session.flush()
    search_index.reindex(session, [case.id])
    audit.record(
        session, actor, "create", "timeline_entry", entry.id, case_id=case.id, kind=new.kind
    )

    return entry_info(session, entry.id)
