"""Deadlines on cases and the status workflow, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.deadline_policy import CMS_POLICY, NHS_POLICY, Clock, Preset, Unit, due_date
from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.domain.enums import CaseStatus, LetterStatus, TimelineKind
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, Case, Letter
from prdesk.domain.queries import CaseFilter, Due, Viewpoint, count_cases
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import case_decisions, cases, policy, users
from tests.support.builders import log_case, phone_complaint

# Monday 2 Nov 2026, mid-morning in the workstation's own time zone.
RECEIVED = datetime(2026, 11, 2, 10, 0).astimezone()


def _representative(db: Database) -> UserInfo:
    with db.transaction() as session:
        return users.resolve_actor(session, "jkim", "Ji-woo Kim")


def _move(db: Database, actor: UserInfo, case: CaseDetail, *statuses: CaseStatus) -> CaseDetail:
    for status in statuses:
        with db.transaction() as session:
            case = cases.change_status(session, actor, case.id, case.version, status)
    return case


def _working(db: Database, coordinator: UserInfo) -> CaseDetail:
    """A grievance received on 2 Nov 2026, assigned and under investigation."""
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    with db.transaction() as session:
        case = cases.assign_case(session, coordinator, case.id, case.version, coordinator.id)
    return _move(db, coordinator, case, CaseStatus.INVESTIGATING)


def _status_entries(case: CaseDetail) -> list[str]:
    return [e.summary for e in case.timeline if e.kind is TimelineKind.STATUS_CHANGE]


def test_a_grievance_is_opened_with_its_deadlines_under_the_cms_policy(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    assert case.is_grievance
    assert case.acknowledge_due_on == date(2026, 11, 9)
    assert case.response_due_on == date(2026, 12, 2)
    assert case.due_on == date(2026, 11, 9)  # acknowledging comes first
    with db.transaction(read_only=True) as session:
        view = Viewpoint(today=date(2026, 11, 10))
        assert count_cases(session, CaseFilter(due=frozenset({Due.OVERDUE})), view) == 1


def test_a_new_policy_applies_to_cases_opened_afterwards(
    db: Database, coordinator: UserInfo
) -> None:
    before = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    with db.transaction() as session:
        stored = policy.load_policy(session)
        assert stored == policy.StoredPolicy(CMS_POLICY, 0)
        saved = policy.save_policy(session, coordinator, NHS_POLICY, stored.version)
    after = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    assert after.acknowledge_due_on == date(2026, 11, 5)  # 3 working days
    assert after.response_due_on == date(2027, 5, 4)  # 6 months; 2 May 2027 is a Sunday
    with db.transaction(read_only=True) as session:
        again = cases.view_case(session, coordinator, before.id)
        assert policy.load_policy(session) == saved
        assert session.scalars(
            select(AuditEvent.details).where(AuditEvent.entity == "setting")
        ).one()["key"] == ("deadline_policy")
    assert again.response_due_on == date(2026, 12, 2)


def test_only_an_administrator_changes_the_policy_and_never_over_a_newer_one(
    db: Database, coordinator: UserInfo
) -> None:
    custom = replace(CMS_POLICY, preset=Preset.CUSTOM, respond=Clock(14, Unit.CALENDAR_DAYS))
    with db.transaction() as session:
        policy.save_policy(session, coordinator, custom, 0)
    with (
        pytest.raises(ConflictError, match="changed the deadline policy"),
        db.transaction() as session,
    ):
        policy.save_policy(session, coordinator, NHS_POLICY, 0)
    representative = _representative(db)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        policy.save_policy(session, representative, NHS_POLICY, 1)
    with pytest.raises(ValidationError, match="from 1 to 366"), db.transaction() as session:
        policy.save_policy(
            session, coordinator, replace(custom, respond=Clock(0, Unit.CALENDAR_DAYS)), 1
        )
    with db.transaction(read_only=True) as session:
        assert policy.deadline_policy(session) == custom


def test_recording_the_acknowledgement_starts_the_response_clock(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    with db.transaction() as session:
        done = case_decisions.record_acknowledgement(
            session,
            coordinator,
            case.id,
            case.version,
            date(2026, 11, 4),
            AcknowledgementMethod.PHONE,
        )
    assert done.acknowledged_on == date(2026, 11, 4)
    assert done.due_on == date(2026, 12, 2)
    assert _status_entries(done) == ["Acknowledged by phone on 4 Nov 2026; response due 2 Dec 2026"]
    with db.transaction(read_only=True) as session:
        actions = set(
            session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id))
        )
    assert {"acknowledge", "deadlines"} <= actions


def test_an_acknowledgement_dated_in_the_future_or_before_receipt_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED))
    for on, message in (
        (date.today() + timedelta(days=1), "future"),
        (date(2026, 11, 1), "received on 2 Nov 2026"),
    ):
        with pytest.raises(ValidationError, match=message), db.transaction() as session:
            case_decisions.record_acknowledgement(
                session, coordinator, case.id, case.version, on, AcknowledgementMethod.LETTER
            )
    with db.transaction(read_only=True) as session:
        assert session.get(Case, case.id).acknowledged_on is None  # type: ignore[union-attr]


def test_waiting_on_the_patient_pauses_the_clock_and_moves_the_response_date(
    db: Database, coordinator: UserInfo
) -> None:
    case = _working(db, coordinator)
    with db.transaction() as session:
        case = case_decisions.record_acknowledgement(
            session,
            coordinator,
            case.id,
            case.version,
            date(2026, 11, 3),
            AcknowledgementMethod.EMAIL,
        )
    case = _move(db, coordinator, case, CaseStatus.WAITING_ON_PATIENT)
    assert case.clock_paused_on == date.today()
    assert case.due_on is None
    # A week goes by while the patient finds their discharge papers.
    with db.transaction() as session:
        stored = session.get(Case, case.id)
        assert stored is not None
        stored.clock_paused_on = date.today() - timedelta(days=7)
        stored.response_due_on = date(2027, 1, 13)
        version = stored.version + 1
    with db.transaction() as session:
        case = cases.change_status(session, coordinator, case.id, version, CaseStatus.INVESTIGATING)
    assert case.clock_paused_on is None
    assert case.response_due_on == case.due_on == date(2027, 1, 20)
    assert _status_entries(case)[-2:] == [
        "Status changed from Waiting on patient to Investigating",
        "Response due date moved from 13 Jan 2027 to 20 Jan 2027: "
        "clock paused 7 days waiting on the patient",
    ]


def test_a_grievance_is_not_resolved_or_closed_without_a_sent_response(
    db: Database, coordinator: UserInfo
) -> None:
    case = _working(db, coordinator)
    representative = _representative(db)
    with pytest.raises(ValidationError, match="until its written response letter has been sent"):
        _move(db, representative, case, CaseStatus.RESOLVED)
    with pytest.raises(ValidationError, match="Give the reason"):
        _move(db, coordinator, case, CaseStatus.RESOLVED)
    with db.transaction(read_only=True) as session:
        assert cases.view_case(session, coordinator, case.id).status is CaseStatus.INVESTIGATING


def test_a_coordinator_closes_an_unanswered_grievance_with_a_recorded_reason(
    db: Database, coordinator: UserInfo
) -> None:
    case = _working(db, coordinator)
    reason = "Resolved in a meeting; the family asked for no letter."
    with db.transaction() as session:
        resolved = cases.change_status(
            session, coordinator, case.id, case.version, CaseStatus.RESOLVED, override_reason=reason
        )
    entry = resolved.timeline[-1]
    assert entry.summary == (
        "Status changed from Investigating to Resolved without a sent response letter"
    )
    assert reason in entry.body and entry.internal
    # Closing it afterwards does not ask again: the decision is on record.
    closed = _move(db, coordinator, resolved, CaseStatus.CLOSED)
    assert closed.status is CaseStatus.CLOSED
    assert closed.closure_override_reason == reason
    assert closed.due_on is None
    with db.transaction(read_only=True) as session:
        logged = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "close_without_response")
        ).one()
    assert logged["reason"] == reason


def test_a_grievance_with_a_sent_response_closes_without_a_reason(
    db: Database, coordinator: UserInfo
) -> None:
    case = _working(db, coordinator)
    with db.transaction() as session:
        session.add(
            Letter(
                case_id=case.id, template_key="grievance_determination", language="en",
                status=LetterStatus.SENT, subject="Our response", recipient_name="N",
                salutation="N", body="…", signatory_name="M", created_by_id=coordinator.id,
            )
        )  # fmt: skip
    representative = _representative(db)
    closed = _move(db, representative, case, CaseStatus.RESOLVED, CaseStatus.CLOSED)
    assert closed.status is CaseStatus.CLOSED and closed.closure_override_reason == ""


def test_reopening_restarts_the_response_clock_and_withdrawing_stops_it(
    db: Database, coordinator: UserInfo
) -> None:
    case = _working(db, coordinator)
    with db.transaction() as session:
        case = cases.change_status(
            session, coordinator, case.id, case.version, CaseStatus.RESOLVED, override_reason="x"
        )
    case = _move(db, coordinator, case, CaseStatus.CLOSED, CaseStatus.REOPENED)
    with db.transaction(read_only=True) as session:
        expected = policy.deadline_policy(session)
    restarted = due_date(expected.respond, date.today(), expected.calendar)
    assert case.status is CaseStatus.REOPENED
    assert case.response_due_on == restarted
    assert case.closure_override_reason == ""
    assert _status_entries(case)[-1].startswith("Response due date moved from 2 Dec 2026 to ")
    assert case.due_on == case.acknowledge_due_on  # still never acknowledged
    case = _move(db, coordinator, case, CaseStatus.WITHDRAWN)
    assert case.due_on is None
    assert _status_entries(case)[-1] == "Status changed from Reopened to Withdrawn"


def test_a_move_the_workflow_does_not_allow_is_refused(db: Database, coordinator: UserInfo) -> None:
    case = _move(db, coordinator, _working(db, coordinator), CaseStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="cannot go from 'Withdrawn' to 'Investigating'"):
        _move(db, coordinator, case, CaseStatus.INVESTIGATING)


def test_a_finished_case_is_reopened_before_it_is_reclassified(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED, resolved_at_once=True))
    case = _move(db, coordinator, case, CaseStatus.CLOSED)
    with db.transaction() as session, pytest.raises(ValidationError, match="reopen it"):
        case_decisions.reclassify_case(
            session, coordinator, case.id, case.version, True, "Asked for one"
        )


def test_reclassifying_as_a_grievance_makes_an_acknowledgement_due(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(received_at=RECEIVED, resolved_at_once=True))
    assert not case.is_grievance and case.acknowledge_due_on is None
    with db.transaction() as session:
        case = case_decisions.reclassify_case(
            session, coordinator, case.id, case.version, True, "The patient asked for a letter."
        )
    assert case.is_grievance and case.grievance_overridden
    assert case.acknowledge_due_on == case.due_on == date(2026, 11, 9)
    assert _status_entries(case) == [
        "Classification changed: handled as a grievance",
        "Acknowledgement due date set to 9 Nov 2026: 7 calendar days from the day received now apply",
    ]
