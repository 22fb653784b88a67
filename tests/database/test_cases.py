"""Logging, finding, changing and assigning cases, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Channel, Role, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, Case, User
from prdesk.domain.queries import CaseFilter, SortKey, count_cases, list_cases
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, users
from prdesk.domain.services.case_input import CaseUpdate
from tests.support.builders import log_case, phone_complaint, raised_by_daughter


def _representative(db: Database, username: str = "jkim", name: str = "Ji-woo Kim") -> UserInfo:
    with db.transaction() as session:
        return users.resolve_actor(session, username, name)


def test_a_new_case_gets_a_readable_number_and_is_classified(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    year = datetime.now().astimezone().year
    assert case.number == f"PR-{year}-000001"
    assert case.status is CaseStatus.NEW
    assert case.is_grievance
    assert "not resolved at the time" in case.grievance_reason
    assert case.created_by.username == "mgarcia"
    assert log_case(db, coordinator).number == f"PR-{year}-000002"


def test_the_first_user_administers_and_later_users_start_as_representatives(
    db: Database, coordinator: UserInfo
) -> None:
    assert coordinator.role is Role.ADMINISTRATOR
    assert _representative(db).role is Role.REPRESENTATIVE


def test_times_are_stored_in_utc_and_come_back_as_the_same_instant(
    db: Database, coordinator: UserInfo
) -> None:
    new_york_morning = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    case = log_case(db, coordinator, phone_complaint(received_at=new_york_morning))
    assert case.received_at == new_york_morning
    assert case.received_at.tzinfo is not None and case.received_at.utcoffset() == timedelta(0)
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT received_at FROM cases")).scalar_one()
    assert str(stored).startswith("2026-03-02 14:30")


def test_a_case_is_found_by_names_in_any_script_without_accents(
    db: Database, coordinator: UserInfo
) -> None:
    log_case(db, coordinator, raised_by_daughter("Łukasz Wójcik", "Siobhán O'Brien"))
    log_case(db, coordinator, phone_complaint("Nguyễn Thị Hương"))
    log_case(db, coordinator, phone_complaint("王秀英"))
    with db.transaction(read_only=True) as session:

        def found(query: str) -> list[str]:
            return [row.patient_name for row in list_cases(session, CaseFilter(search=query))]

        assert found("lukasz") == ["Łukasz Wójcik"]
        assert found("obrien") == ["Łukasz Wójcik"]  # the daughter raised it
        assert found("NGUYEN huong") == ["Nguyễn Thị Hương"]
        assert found("wang xiu") == ["王秀英"]
        assert found("5550102000") and found("555-010-2000")
        assert len(found("mrn0001")) == 3
        # Symbols alone filter nothing out; quotes and operators around words are ignored.
        for symbols in ["'", '"', "%", "_", "*", "(", "\\", "--"]:
            assert count_cases(session, CaseFilter(search=symbols)) == 3
        assert found("' OR 1=1 --") == []
        assert found('Nguyễn" AND (') == ["Nguyễn Thị Hương"]


def test_the_list_sorts_on_the_server_and_pages(db: Database, coordinator: UserInfo) -> None:
    for name in ["Charlie", "alice", "Bob"]:
        log_case(db, coordinator, phone_complaint(name))
    with db.transaction(read_only=True) as session:
        by_patient = list_cases(session, sort=SortKey.PATIENT, descending=False)
        newest_first = list_cases(session)
        second_page = list_cases(session, sort=SortKey.NUMBER, descending=False, offset=1, limit=1)
    assert [r.patient_name.lower() for r in by_patient] == ["alice", "bob", "charlie"]
    assert [r.patient_name for r in newest_first] == ["Bob", "alice", "Charlie"]
    assert [r.patient_name for r in second_page] == ["alice"]


def test_assigning_moves_a_new_case_on_and_is_recorded(db: Database, coordinator: UserInfo) -> None:
    rep = _representative(db)
    case = log_case(db, coordinator)
    with db.transaction() as session:
        assigned = cases.assign_case(session, coordinator, case.id, case.version, rep.id)
    assert assigned.assignee is not None and assigned.assignee.display_name == "Ji-woo Kim"
    assert assigned.status is CaseStatus.ASSIGNED
    assert [e.summary for e in assigned.timeline] == [
        "Status changed from New to Assigned",
        "Assigned to Ji-woo Kim",
    ]
    assert all(e.kind is TimelineKind.STATUS_CHANGE and e.internal for e in assigned.timeline)
    with db.transaction(read_only=True) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.case_id == case.id, AuditEvent.entity == "case")
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["create", "assign"]


def test_reassigning_is_written_on_the_timeline(db: Database, coordinator: UserInfo) -> None:
    rep = _representative(db)
    case = log_case(db, coordinator)
    with db.transaction() as session:
        first = cases.assign_case(session, coordinator, case.id, case.version, coordinator.id)
        again = cases.assign_case(session, coordinator, case.id, first.version, rep.id)
        same = cases.assign_case(session, coordinator, case.id, again.version, rep.id)
    summaries = [e.summary for e in same.timeline]
    assert summaries[-1] == f"Reassigned from {coordinator.display_name} to Ji-woo Kim"
    assert summaries.count(summaries[-1]) == 1  # assigning the same person again adds nothing


def test_a_representative_cannot_assign_cases(db: Database, coordinator: UserInfo) -> None:
    rep = _representative(db)
    case = log_case(db, coordinator)
    with pytest.raises(PermissionDenied, match="may not assign"), db.transaction() as session:
        cases.assign_case(session, rep, case.id, case.version, rep.id)


def test_a_stale_edit_is_refused_and_the_other_change_survives(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(desired_outcome="A refund.")
        )
    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as session:
        cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(desired_outcome="Nothing.")
        )
    with db.transaction(read_only=True) as session:
        stored = session.get(Case, case.id)
        assert stored is not None and stored.desired_outcome == "A refund."
        assert stored.version == case.version + 1


@pytest.mark.postgresql
def test_concurrent_writes_to_one_case_are_caught_by_the_version_column(
    postgres_db: Database,
) -> None:
    """Two sessions load version 1; the second commit must fail, not overwrite.

    PostgreSQL only: SQLite lets one writer in at a time, so the race cannot arise.
    """
    db = postgres_db
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    case = log_case(db, coordinator)
    first, second = db._sessions(), db._sessions()
    try:
        a, b = first.get(Case, case.id), second.get(Case, case.id)
        assert a is not None and b is not None
        a.location = "Ward 3"
        first.commit()
        b.location = "Ward 9"
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()


def test_viewing_a_case_is_audited_and_unknown_numbers_say_so(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        shown = cases.view_case(session, coordinator, case.number.lower())
    assert shown.id == case.id
    with (
        pytest.raises(NotFound, match="No case numbered PR-1999-000001"),
        db.transaction() as session,
    ):
        cases.view_case(session, coordinator, "PR-1999-000001")
    with db.transaction(read_only=True) as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [(v.username, v.case_id) for v in views] == [("mgarcia", case.id)]


def test_a_rejected_case_leaves_nothing_behind(db: Database, coordinator: UserInfo) -> None:
    with pytest.raises(ValidationError), db.transaction() as session:
        cases.open_case(session, coordinator, phone_complaint(description=""))
    with db.transaction(read_only=True) as session:
        assert count_cases(session) == 0
        # Only the coordinator's own first sign-in is on record.
        assert session.scalars(select(AuditEvent.entity)).all() == ["users"]


def test_a_coordinator_can_override_the_grievance_decision_with_a_reason(
    db: Database, coordinator: UserInfo
) -> None:
    new = phone_complaint(
        channel=Channel.LETTER,
        grievance_override=False,
        override_reason="Duplicate of a letter already handled as PR-2026-000001",
    )
    case = log_case(db, coordinator, new)
    assert not case.is_grievance
    assert case.grievance_overridden
    assert case.grievance_reason.startswith("Duplicate")


def test_a_disabled_user_cannot_act(db: Database, coordinator: UserInfo) -> None:
    _representative(db)
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == "jkim"))
        assert user is not None
        user.active = False
    with pytest.raises(PermissionDenied, match="disabled"), db.transaction() as session:
        users.resolve_actor(session, "jkim")


def test_updated_at_moves_when_a_case_changes(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        changed = cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(location="Ward 3")
        )
    assert changed.updated_at >= case.updated_at
    assert changed.updated_at <= datetime.now(UTC)


def test_the_workstation_user_of_an_embedded_database_administers_it(
    db: Database, coordinator: UserInfo
) -> None:
    """Demo data brings fictional staff; the person at the workstation still runs it."""
    with db.transaction() as session:
        owner = users.resolve_actor(session, "jsmith", workstation_owner=True)
    assert owner.role is Role.ADMINISTRATOR


def test_a_stale_change_of_departments_alone_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    from prdesk.domain.services.organisation import ensure_department

    case = log_case(db, coordinator)
    with db.transaction() as session:
        cardiology, radiology = (
            ensure_department(session, "Cardiology"),
            ensure_department(session, "Radiology"),
        )
        cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(department_ids=(cardiology,))
        )
    with pytest.raises(ConflictError), db.transaction() as session:
        cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(department_ids=(radiology,))
        )
    with db.transaction() as session:
        shown = cases.view_case(session, coordinator, case.id)
    assert [d.name for d in shown.departments] == ["Cardiology"]


def test_text_too_long_for_the_database_is_refused_on_its_field(
    db: Database, coordinator: UserInfo
) -> None:
    from prdesk.domain.services.case_input import PersonInput

    patient = PersonInput("Ana Souza", phone="5" * 41, postal_code="9" * 21)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        cases.open_case(session, coordinator, phone_complaint(patient=patient, location="x" * 201))
    assert set(caught.value.fields) == {"patient.phone", "patient.postal_code", "location"}
    assert caught.value.fields["location"] == "Keep this to 200 characters (it has 201)."


def test_a_pasted_nul_character_does_not_break_saving(db: Database, coordinator: UserInfo) -> None:
    case = log_case(
        db, coordinator, phone_complaint("Ana\x00 Souza", description="Waited\x00 long.")
    )
    assert case.patient.full_name == "Ana Souza"
    assert case.description == "Waited long."


def test_severity_and_status_sort_in_their_own_order(db: Database, coordinator: UserInfo) -> None:
    from prdesk.domain.enums import Severity

    for severity in (Severity.HIGH, Severity.LOW, Severity.SEVERE, Severity.MODERATE):
        log_case(db, coordinator, phone_complaint(severity=severity))
    with db.transaction(read_only=True) as session:
        rows = list_cases(session, sort=SortKey.SEVERITY, descending=True)
    assert [r.severity for r in rows] == [
        Severity.SEVERE,
        Severity.HIGH,
        Severity.MODERATE,
        Severity.LOW,
    ]


def test_a_case_being_worked_cannot_be_left_without_anyone(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        assigned = cases.assign_case(session, coordinator, case.id, case.version, coordinator.id)
        working = cases.update_case(
            session,
            coordinator,
            case.id,
            assigned.version,
            CaseUpdate(status=CaseStatus.INVESTIGATING),
        )
    with pytest.raises(ValidationError, match="needs someone on it"), db.transaction() as session:
        cases.assign_case(session, coordinator, case.id, working.version, None)


def test_a_representative_cannot_assign_while_opening_a_case(
    db: Database, coordinator: UserInfo
) -> None:
    rep = _representative(db)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        cases.open_case(session, rep, phone_complaint(assignee_id=rep.id))


def test_a_very_long_description_still_saves_and_is_found(
    db: Database, coordinator: UserInfo
) -> None:
    # PostgreSQL refuses a full-text vector over 1 MB; the case must save regardless.
    pasted = "Zanzibar " + " ".join(f"word{n}" for n in range(150_000))
    case = log_case(db, coordinator, phone_complaint("Amara Okafor", description=pasted))
    with db.transaction(read_only=True) as session:
        found = list_cases(session, CaseFilter(search="zanzibar"))
    assert [row.number for row in found] == [case.number]


def test_taking_back_an_assigned_case_makes_it_new_again(
    db: Database, coordinator: UserInfo
) -> None:
    rep = _representative(db)
    case = log_case(db, coordinator)
    with db.transaction() as session:
        assigned = cases.assign_case(session, coordinator, case.id, case.version, rep.id)
        back = cases.assign_case(session, coordinator, case.id, assigned.version, None)
    assert back.status is CaseStatus.NEW and back.assignee is None
    assert [e.summary for e in back.timeline][-2:] == [
        "Status changed from Assigned to New",
        "Unassigned (was with Ji-woo Kim)",
    ]
