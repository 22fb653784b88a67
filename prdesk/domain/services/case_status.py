"""Moving a case through its workflow and keeping its deadlines, inside a use case's transaction.

Every status move and every moved deadline is written on the case's timeline by the
application itself (internal entries) and in the audit log.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit, deadlines
from prdesk.domain.deadline_policy import DeadlinePolicy
from prdesk.domain.deadlines import CaseClock, ClockChange
from prdesk.domain.enums import CaseStatus, TimelineKind
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Case, Letter, TimelineEntry, utcnow
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.services.case_input import column_length
from prdesk.domain.services.policy import deadline_policy
from prdesk.domain.workflow import (
    GUARDED,
    check_closing,
    check_transition,
    closing_needs_override,
)
from prdesk.domain.workflow import response_sent as any_response_sent

_REASON_LIMIT = column_length(Case, "closure_override_reason")
RESOLVING = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


def move(
    session: Session,
    actor: UserInfo,
    case: Case,
    target: CaseStatus,
    *,
    override_reason: str = "",
    today: date | None = None,
) -> None:
    """Moves the case to `target`, enforcing the workflow and the guard on closing."""
    check_transition(case.status, target, has_assignee=case.assignee is not None)
    reason = override_reason.replace("\x00", "").strip()
    overriding = False
    # A coordinator who resolved the grievance with a reason is not asked again to close it.
    if target in GUARDED and case.is_grievance and not case.closure_override_reason:
        responded = response_sent(session, case.id)
        check_closing(
            target,
            is_grievance=True,
            responded=responded,
            may_override=allowed(actor.role, Action.CLOSE_WITHOUT_RESPONSE),
            override_reason=reason,
        )
        overriding = closing_needs_override(target, is_grievance=True, responded=responded)
        if overriding and _REASON_LIMIT and len(reason) > _REASON_LIMIT:
            raise ValidationError(
                f"Keep the reason to {_REASON_LIMIT} characters (it has {len(reason)}).",
                {"closure_override_reason": "too_long"},
            )
    previous = case.status
    case.status = target
    case.closed_at = utcnow() if target is CaseStatus.CLOSED else None
    # Resolved when it reaches Resolved or Closed from an open status (again, after a
    # reopening); closing a resolved case keeps that day, and reopening or withdrawing it
    # means it was not resolved after all.
    if target not in RESOLVING:
        case.resolved_at = None
    elif previous not in RESOLVING:
        case.resolved_at = utcnow()
    summary, body = f"Status changed from {previous.label} to {target.label}", ""
    if overriding:
        case.closure_override_reason = reason
        summary += " without a sent response letter"
        body = (
            f"{target.label} by {actor.display_name} without a sent response letter. "
            f"Reason: {reason}"
        )
    elif target is CaseStatus.REOPENED:
        # The reason belonged to the closing now undone; the timeline and audit log keep it.
        case.closure_override_reason = ""
    add_system_entry(session, actor, case, summary, body)
    if overriding:
        audit.record(
            session, actor, "close_without_response", "case", case.id, case_id=case.id,
            reason=reason,
        )  # fmt: skip

    policy, day = deadline_policy(session), today or date.today()
    change = ClockChange(clock_of(case))
    if previous is CaseStatus.WAITING_ON_PATIENT:
        change = deadlines.resumed(change.clock, policy, day)
    if target is CaseStatus.WAITING_ON_PATIENT:
        change = deadlines.paused(change.clock, policy, day)
    elif target is CaseStatus.REOPENED:
        resumed_notes = change.notes
        change = deadlines.reopened(change.clock, policy, day)
        change = ClockChange(change.clock, resumed_notes + change.notes)
    apply_clock(session, actor, case, change, policy)


def response_sent(session: Session, case_id: int) -> bool:
    letters = session.execute(
        select(Letter.template_key, Letter.status).where(Letter.case_id == case_id)
    ).all()
    return any_response_sent((key, status) for key, status in letters)


def clock_of(case: Case) -> CaseClock:
    return CaseClock(
        acknowledge_due_on=case.acknowledge_due_on,
        acknowledged_on=case.acknowledged_on,
        response_due_on=case.response_due_on,
        clock_paused_on=case.clock_paused_on,
    )


def set_clock(case: Case, clock: CaseClock, policy: DeadlinePolicy) -> None:
    """Stores the clock and the deadline running now (after a status move, its new one)."""
    case.acknowledge_due_on = clock.acknowledge_due_on
    case.acknowledged_on = clock.acknowledged_on
    case.response_due_on = clock.response_due_on
    case.clock_paused_on = clock.clock_paused_on
    case.due_on = deadlines.running_due(case.status, clock, policy)


def apply_clock(
    session: Session, actor: UserInfo, case: Case, change: ClockChange, policy: DeadlinePolicy
) -> None:
    """Stores a changed clock, with a timeline entry per moved date and one audit event."""
    before = clock_of(case), case.due_on
    set_clock(case, change.clock, policy)
    for note in change.notes:
        add_system_entry(session, actor, case, note)
    if (change.clock, case.due_on) != before:
        audit.record(
            session, actor, "deadlines", "case", case.id, case_id=case.id,
            before=_auditable(*before), after=_auditable(change.clock, case.due_on),
        )  # fmt: skip


def add_system_entry(
    session: Session, actor: UserInfo, case: Case, summary: str, body: str = ""
) -> None:
    """An internal timeline entry written by the application, never by hand."""
    session.add(
        TimelineEntry(
            case_id=case.id,
            kind=TimelineKind.STATUS_CHANGE,
            occurred_at=utcnow(),
            author_id=actor.id,
            summary=summary[:300],
            body=escape_plain(body),
            internal=True,
        )
    )


def _auditable(clock: CaseClock, due_on: date | None) -> dict[str, str | None]:
    values = {
        "acknowledge_due_on": clock.acknowledge_due_on,
        "acknowledged_on": clock.acknowledged_on,
        "response_due_on": clock.response_due_on,
        "clock_paused_on": clock.clock_paused_on,
        "due_on": due_on,
    }
    return {name: value.isoformat() if value else None for name, value in values.items()}
