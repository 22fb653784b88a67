"""Decisions about a case after intake: its acknowledgement, and whether it is a grievance."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from prdesk.domain import audit, deadlines
from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Case, utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services.case_access import check_version, clean, get_case
from prdesk.domain.services.case_status import add_system_entry, apply_clock, clock_of
from prdesk.domain.services.mapping import case_detail
from prdesk.domain.services.policy import deadline_policy


def record_acknowledgement(
    session: Session,
    actor: UserInfo,
    case_id: int,
    expected_version: int,
    on: date,
    how: AcknowledgementMethod,
) -> CaseDetail:
    """Records that (and how) the complainant was told their case was received."""
    require(actor.role, Action.EDIT_CASE)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    acknowledge(session, actor, case, on, AcknowledgementMethod(how))
    return case_detail(session, case)


def acknowledge(
    session: Session, actor: UserInfo, case: Case, on: date, how: AcknowledgementMethod
) -> None:
    """Stops the acknowledgement clock; also called when an acknowledgement letter is sent,
    whoever records the sending (a clerk may not otherwise change a case)."""
    if on > date.today():
        raise ValidationError(
            "The acknowledgement cannot be dated in the future.", {"acknowledged_on": "future"}
        )
    received = deadlines.received_on(case.received_at)
    if on < received:
        raise ValidationError(
            f"The case was received on {deadlines.long_date(received)}: it cannot have been "
            "acknowledged before that.",
            {"acknowledged_on": "before_received"},
        )
    change = deadlines.acknowledged(clock_of(case), on, how)
    apply_clock(session, actor, case, change, deadline_policy(session))
    case.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "acknowledge", "case", case.id, case_id=case.id, on=on, how=how)


def reclassify_case(
    session: Session,
    actor: UserInfo,
    case_id: int,
    expected_version: int,
    is_grievance: bool,
    reason: str,
) -> CaseDetail:
    """A coordinator decides, after intake, that the case is (or is not) a grievance.

    Which clocks apply follows: an acknowledgement may become due, or no longer be.
    """
    require(actor.role, Action.ASSIGN_CASE)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    reason = clean(reason)
    if not reason:
        raise ValidationError(
            "Give the reason for changing the grievance decision.", {"reason": "required"}
        )
    if len(reason) > 500:
        raise ValidationError(
            f"Keep the reason to 500 characters (it has {len(reason)}).", {"reason": "too_long"}
        )
    if is_grievance == case.is_grievance:
        return case_detail(session, case)
    if not case.status.is_open:
        # A finished case made a grievance would be a closed grievance with no response
        # and no recorded reason for closing it.
        raise ValidationError(
            f"Case {case.number} is {case.status.label.lower()}: reopen it before changing "
            "the grievance decision.",
            {"status": "finished"},
        )
    before = case.is_grievance
    case.is_grievance, case.grievance_reason, case.grievance_overridden = is_grievance, reason, True
    verdict = "a grievance" if is_grievance else "a complaint, not a grievance"
    add_system_entry(
        session, actor, case, f"Classification changed: handled as {verdict}", f"Reason: {reason}"
    )
    policy = deadline_policy(session)
    change = deadlines.reclassified(
        clock_of(case), policy, deadlines.received_on(case.received_at),
        kind=case.kind, is_grievance=is_grievance,
    )  # fmt: skip
    apply_clock(session, actor, case, change, policy)
    case.updated_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "update", "case", case.id, case_id=case.id,
        before={"is_grievance": before}, after={"is_grievance": is_grievance, "reason": reason},
    )  # fmt: skip
    return case_detail(session, case)
