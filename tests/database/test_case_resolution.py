"""When a case was resolved: kept through closing, undone by reopening or withdrawing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus
from prdesk.domain.models import Case, TimelineEntry, utcnow
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases
from tests.support.builders import log_case, phone_complaint

S = CaseStatus


def _grievance(db: Database, actor: UserInfo) -> CaseDetail:
    written = phone_complaint(
        "Grace Okafor", grievance_override=True, override_reason="Asked for a written answer"
    )
    return log_case(db, actor, written)


def _move(db: Database, actor: UserInfo, case: CaseDetail, status: CaseStatus) -> CaseDetail:
    with db.transaction() as session:
        return cases.change_status(
            session, actor, case.id, case.version, status,
            override_reason="Answered in person at the bedside",
        )  # fmt: skip


def _resolved_at(db: Database, case: CaseDetail) -> datetime | None:
    with db.transaction(read_only=True) as session:
        return session.scalar(select(Case.resolved_at).where(Case.id == case.id))


def _moves_into(db: Database, case: CaseDetail, status: str) -> list[datetime]:
    """When the timeline says the case moved into `status`, oldest first."""
    with db.transaction(read_only=True) as session:
        return list(
            session.scalars(
                select(TimelineEntry.occurred_at)
                .where(
                    TimelineEntry.case_id == case.id,
                    TimelineEntry.summary.like(f"Status changed from % to {status}%"),
                )
                .order_by(TimelineEntry.id)
            )
        )


def test_resolving_records_when_closing_keeps_it_and_reopening_clears_it(
    db: Database, coordinator: UserInfo
) -> None:
    case = _grievance(db, coordinator)
    assert _resolved_at(db, case) is None

    before = utcnow()
    case = _move(db, coordinator, case, S.RESOLVED)
    resolved = _resolved_at(db, case)
    assert resolved is not None and before <= resolved <= utcnow()

    case = _move(db, coordinator, case, S.CLOSED)
    assert _resolved_at(db, case) == resolved  # the day it was resolved, not closed

    case = _move(db, coordinator, case, S.REOPENED)
    assert _resolved_at(db, case) is None

    case = _move(db, coordinator, case, S.RESOLVED)
    again = _resolved_at(db, case)
    assert again is not None and again > resolved

    case = _move(db, coordinator, case, S.REOPENED)
    case = _move(db, coordinator, case, S.WITHDRAWN)
    assert _resolved_at(db, case) is None


def test_a_case_closed_straight_from_work_counts_as_resolved_when_closed(
    db: Database, coordinator: UserInfo
) -> None:
    case = _grievance(db, coordinator)
    before = utcnow()
    case = _move(db, coordinator, case, S.CLOSED)
    resolved = _resolved_at(db, case)
    assert resolved is not None and before <= resolved <= utcnow()


def test_a_withdrawn_case_was_never_resolved(db: Database, coordinator: UserInfo) -> None:
    case = _move(db, coordinator, _grievance(db, coordinator), S.WITHDRAWN)
    assert _resolved_at(db, case) is None


def test_the_upgrade_finds_when_earlier_cases_were_resolved_from_their_timelines(
    db: Database, coordinator: UserInfo
) -> None:
    resolved = _move(db, coordinator, _grievance(db, coordinator), S.RESOLVED)
    closed_after = _move(db, coordinator, _grievance(db, coordinator), S.RESOLVED)
    closed_after = _move(db, coordinator, closed_after, S.CLOSED)
    closed = _move(db, coordinator, _grievance(db, coordinator), S.CLOSED)
    twice = _grievance(db, coordinator)
    for status in (S.RESOLVED, S.REOPENED, S.RESOLVED):
        twice = _move(db, coordinator, twice, status)
    reopened = _move(db, coordinator, _grievance(db, coordinator), S.RESOLVED)
    reopened = _move(db, coordinator, reopened, S.REOPENED)
    withdrawn = _move(db, coordinator, _grievance(db, coordinator), S.WITHDRAWN)
    before = {case.id: _resolved_at(db, case) for case in (resolved, closed_after, twice, closed)}

    schema.downgrade(db, "0005")  # as the release before reports left it
    schema.upgrade(db)

    assert _resolved_at(db, resolved) == _moves_into(db, resolved, "Resolved")[-1]
    assert _resolved_at(db, closed_after) == _moves_into(db, closed_after, "Resolved")[-1]
    assert _resolved_at(db, closed) == _moves_into(db, closed, "Closed")[-1]
    assert _resolved_at(db, twice) == _moves_into(db, twice, "Resolved")[-1]
    assert len(_moves_into(db, twice, "Resolved")) == 2
    assert _resolved_at(db, reopened) is None
    assert _resolved_at(db, withdrawn) is None
    # The timeline entry and the case were stamped in the same moment, give or take.
    for case_id, recorded in before.items():
        with db.transaction(read_only=True) as session:
            found = session.scalar(select(Case.resolved_at).where(Case.id == case_id))
        assert recorded is not None and found is not None
        assert abs(found - recorded) < timedelta(seconds=2)


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_closing_or_resolving_a_complaint_that_is_not_a_grievance_is_recorded_too(
    db: Database, coordinator: UserInfo, status: CaseStatus
) -> None:
    complaint = phone_complaint(grievance_override=False, override_reason="Sorted at the desk")
    case = _move(db, coordinator, log_case(db, coordinator, complaint), status)
    assert _resolved_at(db, case) is not None
