"""Asking departments for statements, their answers, escalations and what is still owed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.deadlines import long_date
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseStatus, Role, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, DepartmentRequest, User
from prdesk.domain.readmodels import CaseDetail, DepartmentRequestInfo, UserInfo
from prdesk.domain.services import cases, organisation, timeline, users
from prdesk.domain.services.department_requests import (
    NewRequest,
    default_due_on,
    escalate,
    outstanding_requests,
    record_response,
    request_statement,
)
from prdesk.domain.services.organisation import DepartmentContacts
from prdesk.domain.services.timeline import EntryChanges
from prdesk.domain.services.timeline_reading import entry_info, requests_where
from tests.support.builders import log_case, phone_complaint


def _department(
    db: Database,
    actor: UserInfo,
    name: str = "Cardiology",
    manager: tuple[str, str] = ("Dr. Amara Okafor", "amara.okafor@riverside.example"),
    backup: tuple[str, str] = ("Ewa Kowalczyk", "ewa.kowalczyk@riverside.example"),
) -> DepartmentContacts:
    with db.transaction() as session:
        department_id = organisation.ensure_department(session, name)
        version = organisation.contacts_of(session, department_id).version
        return organisation.set_department_contacts(
            session, actor, department_id, version, *manager, *backup
        )


def _ask(
    db: Database,
    actor: UserInfo,
    case: CaseDetail,
    department: DepartmentContacts,
    summary: str = "Statement from the charge nurse on the night of 3 March",
    due_on: date | None = None,
    **fields: Any,
) -> DepartmentRequestInfo:
    with db.transaction() as session:
        return request_statement(
            session,
            actor,
            case.id,
            NewRequest(
                department.id, summary, due_on or date.today() + timedelta(days=7), **fields
            ),
        )


def _case(db: Database, actor: UserInfo, case_id: int) -> CaseDetail:
    with db.transaction(read_only=True) as session:
        return cases.view_case(session, actor, case_id, record_view=False)


def test_a_request_goes_to_the_departments_manager_and_shows_on_the_case(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    case = log_case(db, coordinator)
    asked = _ask(db, coordinator, case, cardiology, body="Please include the **triage times**.")

    assert asked.addressed_to == "Dr. Amara Okafor"
    assert asked.addressed_email == "amara.okafor@riverside.example"
    assert asked.backup_reviewer == "Ewa Kowalczyk"
    assert asked.department.name == "Cardiology" and asked.case_number == case.number
    assert asked.requested_by == "María García" and asked.outstanding
    shown = _case(db, coordinator, case.id)
    assert shown.requests == (asked,)
    entry = next(e for e in shown.timeline if e.id == asked.request_entry_id)
    assert entry.kind is TimelineKind.DEPARTMENT_REQUEST
    assert entry.summary == "Statement from the charge nurse on the night of 3 March"
    assert entry.body == "Please include the **triage times**."
    assert [d.name for d in entry.departments] == ["Cardiology"]
    assert entry.recipients == "Dr. Amara Okafor <amara.okafor@riverside.example>"
    assert not entry.internal and not entry.patient_facing
    assert entry.request_id == asked.id
    with db.transaction(read_only=True) as session:
        assert outstanding_requests(session, coordinator) == (asked,)
        logged = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "department_request")
        ).one()
    assert logged.entity_id == asked.id and logged.details["addressed_to"] == "Dr. Amara Okafor"


def test_someone_other_than_the_manager_can_be_asked(db: Database, coordinator: UserInfo) -> None:
    cardiology = _department(db, coordinator)
    case = log_case(db, coordinator)
    asked = _ask(
        db, coordinator, case, cardiology, addressed_to="Nurse Jamal Haddad", backup_reviewer=""
    )
    # Another person named keeps only the address typed, never the manager's.
    assert (asked.addressed_to, asked.addressed_email) == ("Nurse Jamal Haddad", "")
    assert asked.backup_reviewer == "Ewa Kowalczyk"


def test_a_request_with_nobody_to_ask_or_due_in_the_past_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    pharmacy = _department(db, coordinator, "Pharmacy", ("", ""), ("", ""))
    case = log_case(db, coordinator)
    with pytest.raises(ValidationError) as caught:
        _ask(db, coordinator, case, pharmacy, due_on=date.today() - timedelta(days=1))
    assert caught.value.fields == {
        "addressed_to": "Pharmacy has no manager on record: name the person the request goes to.",
        "due_on": "The answer cannot be due before today.",
    }
    with pytest.raises(ValidationError) as caught:
        _ask(db, coordinator, case, pharmacy, summary=" ", addressed_to="Li Wei",
             addressed_email="li.wei@")  # fmt: skip
    assert set(caught.value.fields) == {"summary", "addressed_email"}
    with db.transaction(read_only=True) as session:
        assert session.scalars(select(DepartmentRequest)).all() == []
        assert cases.view_case(session, coordinator, case.id).timeline == ()


def test_the_response_is_an_entry_linked_to_its_request(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    case = log_case(db, coordinator)
    asked = _ask(db, coordinator, case, cardiology)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        record_response(
            session, coordinator, asked.id, asked.version, "", occurred_at=asked.requested_at
            - timedelta(days=1),
        )  # fmt: skip
    assert set(caught.value.fields) == {"summary", "occurred_at"}
    received = datetime.now(UTC).replace(microsecond=0)
    with db.transaction() as session:
        answered = record_response(
            session, coordinator, asked.id, asked.version,
            "Charge nurse's statement received", "Triage was delayed by a **power cut**.",
            received,
        )  # fmt: skip
    assert not answered.outstanding and answered.answered_at == received
    shown = _case(db, coordinator, case.id)
    response = next(e for e in shown.timeline if e.id == answered.response_entry_id)
    assert response.kind is TimelineKind.DEPARTMENT_RESPONSE
    assert response.summary == "Charge nurse's statement received"
    assert response.body == "Triage was delayed by a **power cut**."
    assert response.request_id == asked.id
    assert response.sender == "Dr. Amara Okafor <amara.okafor@riverside.example>"
    with db.transaction(read_only=True) as session:
        assert outstanding_requests(session, coordinator) == ()

    with db.transaction() as session:
        colleague = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    with pytest.raises(ConflictError) as conflict, db.transaction() as session:
        record_response(session, colleague, asked.id, asked.version, "Statement by email")
    assert conflict.value.message.startswith(
        "María García already recorded Cardiology's response of "
    )


def test_a_deleted_response_leaves_the_request_outstanding_again(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    asked = _ask(db, coordinator, log_case(db, coordinator), cardiology)
    with db.transaction() as session:
        answered = record_response(session, coordinator, asked.id, asked.version, "Wrong case")
    with db.transaction() as session:
        wrong = timeline.delete_entry(
            session, coordinator, answered.response_entry_id or 0, _entry_version(db, answered)
        )
        assert wrong.summary == "Wrong case"
        again = outstanding_requests(session, coordinator)
    assert [r.id for r in again] == [asked.id]
    with db.transaction() as session:
        right = record_response(session, coordinator, asked.id, again[0].version, "Statement")
    assert right.response_entry_id != answered.response_entry_id and not right.outstanding


def _entry_version(db: Database, request: DepartmentRequestInfo) -> int:
    detail = _case(db, _any_user(db), request.case_id)
    return next(e.version for e in detail.timeline if e.id == request.response_entry_id)


def _any_user(db: Database) -> UserInfo:
    with db.transaction(read_only=True) as session:
        user = session.scalars(select(User).order_by(User.id)).first()
        assert user is not None
        return UserInfo(user.id, user.username, user.display_name, user.role)


def test_an_unanswered_request_is_escalated_to_the_backup_reviewer(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    case = log_case(db, coordinator)
    asked = _ask(db, coordinator, case, cardiology)
    with db.transaction() as session:
        escalated = escalate(
            session, coordinator, asked.id, asked.version, "Second reminder <sent> today."
        )
    assert escalated.escalated_at is not None and escalated.outstanding
    shown = _case(db, coordinator, case.id)
    entry = next(e for e in shown.timeline if e.id == escalated.escalation_entry_id)
    asked_on = asked.requested_at.astimezone().date()
    assert entry.kind is TimelineKind.ESCALATION and entry.internal
    assert entry.summary == (
        f"Escalated to Ewa Kowalczyk — Cardiology has not answered the request of "
        f"{long_date(asked_on)}"
    )
    assert entry.body == r"Second reminder \<sent\> today."
    assert entry.recipients == "Ewa Kowalczyk <ewa.kowalczyk@riverside.example>"
    with db.transaction(read_only=True) as session:
        assert outstanding_requests(session, coordinator)[0].escalated_at is not None

    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as s:
        escalate(s, coordinator, asked.id, asked.version)
    with (
        pytest.raises(ValidationError, match="escalated to Ewa Kowalczyk on"),
        db.transaction() as session,
    ):
        escalate(session, coordinator, asked.id, escalated.version)
    with db.transaction() as session:
        record_response(session, coordinator, asked.id, escalated.version, "Statement at last")
    with pytest.raises(ConflictError, match="already recorded"), db.transaction() as session:
        escalate(session, coordinator, asked.id, escalated.version + 1)


def test_a_request_without_a_backup_cannot_be_escalated(
    db: Database, coordinator: UserInfo
) -> None:
    facilities = _department(db, coordinator, "Facilities", ("Tom Reyes", ""), ("", ""))
    asked = _ask(db, coordinator, log_case(db, coordinator), facilities)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        escalate(session, coordinator, asked.id, asked.version)
    assert caught.value.fields["backup_reviewer"].startswith(
        "The request to Facilities names no backup reviewer to escalate to."
    )


def test_outstanding_requests_are_listed_oldest_due_first_and_filtered(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    radiology = _department(db, coordinator, "Radiology", ("Dr. Sato", ""), ("", ""))
    first, second = log_case(db, coordinator), log_case(db, coordinator, phone_complaint("Ana"))
    late = _ask(db, coordinator, first, cardiology, due_on=date.today() + timedelta(days=9))
    soon = _ask(db, coordinator, second, radiology, "Review of the X-ray report")
    withdrawn = _ask(db, coordinator, second, cardiology, due_on=date.today())
    with db.transaction() as session:
        # Time passes: the first request's due date goes by (as if asked weeks ago).
        row = session.get(DepartmentRequest, soon.id)
        assert row is not None
        row.due_on = date.today() - timedelta(days=3)
    with db.transaction() as session:
        case = cases.view_case(session, coordinator, second.id, record_view=False)
        entry = next(e for e in case.timeline if e.id == withdrawn.request_entry_id)
        timeline.delete_entry(session, coordinator, entry.id, entry.version)

    with db.transaction(read_only=True) as session:
        every = outstanding_requests(session, coordinator)
        overdue = outstanding_requests(session, coordinator, overdue_on=date.today())
        cardiology_only = outstanding_requests(session, coordinator, department_id=cardiology.id)
    assert [r.id for r in every] == [soon.id, late.id]
    assert [r.id for r in overdue] == [soon.id] and overdue[0].is_overdue(date.today())
    assert [r.id for r in cardiology_only] == [late.id]
    with pytest.raises(NotFound, match="deleted from the timeline"), db.transaction() as s:
        record_response(s, coordinator, withdrawn.id, withdrawn.version, "Too late")

    with db.transaction() as session:
        cases.change_status(session, coordinator, first.id, _version(db, first.id),
                            CaseStatus.WITHDRAWN)  # fmt: skip
        assert [r.id for r in outstanding_requests(session, coordinator)] == [soon.id]


def _version(db: Database, case_id: int) -> int:
    return _case(db, _any_user(db), case_id).version


def test_requests_are_due_in_five_working_days_of_the_policy_calendar(db: Database) -> None:
    with db.transaction(read_only=True) as session:
        # Thursday 24 Dec, (Christmas Day), Monday 28 to Thursday 31 Dec.
        assert default_due_on(session, date(2026, 12, 23)) == date(2026, 12, 31)
        # Thanksgiving (26 Nov) and the weekend are not counted.
        assert default_due_on(session, date(2026, 11, 25)) == date(2026, 12, 3)


def test_department_contacts_are_kept_by_administrators_only(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    with db.transaction() as session:
        listed = organisation.department_contacts(session)
    assert listed == [cardiology]
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        organisation.set_department_contacts(
            session, coordinator, cardiology.id, cardiology.version,
            "Dr. Amara Okafor", "amara.okafor", "Dr. Amara Okafor", "",
        )  # fmt: skip
    assert set(caught.value.fields) == {"manager_email", "backup_name"}
    with pytest.raises(ConflictError), db.transaction() as session:
        organisation.set_department_contacts(
            session, coordinator, cardiology.id, cardiology.version - 1, "A", "", "B", ""
        )
    with db.transaction() as session:
        representative = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    assert representative.role is Role.REPRESENTATIVE
    with pytest.raises(PermissionDenied), db.transaction() as session:
        organisation.set_department_contacts(
            session, representative, cardiology.id, cardiology.version, "A", "", "B", ""
        )


def test_demo_data_has_outstanding_answered_and_escalated_requests(db: Database) -> None:
    generate_demo_data(db, 300, seed=11)
    with db.transaction() as session:
        contacts = {c.name: c for c in organisation.department_contacts(session)}
        coordinator = users.resolve_actor(session, "moconnell")
        every = requests_where(session, DepartmentRequest.id > 0)
        waiting = outstanding_requests(session, coordinator)
        entries = {
            entry.id: entry
            for case_id in {request.case_id for request in every}
            for entry in cases.view_case(session, coordinator, case_id).timeline
        }
    assert all(c.manager_name and c.manager_email for c in contacts.values())
    assert contacts["Facilities"].backup_name == ""
    answered = [r for r in every if not r.outstanding]
    assert answered and waiting
    assert [r.due_on for r in waiting] == sorted(r.due_on for r in waiting)
    for request in every:
        asked = entries[request.request_entry_id]
        assert asked.kind is TimelineKind.DEPARTMENT_REQUEST and asked.request_id == request.id
        assert [d.id for d in asked.departments] == [request.department.id]
        assert request.due_on > asked.occurred_at.astimezone().date()
    for request in answered:
        response = entries[request.response_entry_id or 0]
        assert response.kind is TimelineKind.DEPARTMENT_RESPONSE
        assert request.answered_at == response.occurred_at
    for request in (r for r in every if r.escalated_at):
        escalation = entries[request.escalation_entry_id or 0]
        assert escalation.summary.startswith(f"Escalated to {request.backup_reviewer} — ")
        assert request.due_on < escalation.occurred_at.astimezone().date()


def test_the_request_is_answered_on_the_date_of_its_response_through_undo_and_edits(
    db: Database, coordinator: UserInfo
) -> None:
    cardiology = _department(db, coordinator)
    case = log_case(db, coordinator)
    now = datetime.now(UTC).replace(microsecond=0)
    with db.transaction() as session:
        asked = request_statement(
            session, coordinator, case.id,
            NewRequest(cardiology.id, "Statement from the charge nurse", date.today(),
                       occurred_at=now - timedelta(hours=6)),
        )  # fmt: skip
    # The statement came by post this morning and is written down in the afternoon.
    came = now - timedelta(hours=3)
    with db.transaction() as session:
        answered = record_response(
            session, coordinator, asked.id, asked.version, "Statement by post", occurred_at=came
        )
    assert answered.answered_at == came
    response = next(
        e for e in _case(db, coordinator, case.id).timeline if e.id == answered.response_entry_id
    )

    with db.transaction() as session:
        deleted = timeline.delete_entry(session, coordinator, response.id, response.version)
        timeline.restore_entry(session, coordinator, deleted.id)
        (restored,) = requests_where(session, DepartmentRequest.id == asked.id)
    assert restored.answered_at == came

    corrected = came - timedelta(hours=1)
    with db.transaction() as session:
        current = entry_info(session, response.id)
        timeline.edit_entry(
            session, coordinator, response.id, current.version,
            replace(EntryChanges.of(current), occurred_at=corrected),
        )  # fmt: skip
        (edited,) = requests_where(session, DepartmentRequest.id == asked.id)
    assert edited.answered_at == corrected


def test_a_manager_named_surname_first_reads_as_one_person(
    db: Database, coordinator: UserInfo
) -> None:
    surgery = _department(
        db, coordinator, "Surgery", ("Okafor, Amara", "amara.okafor@riverside.example"), ("", "")
    )
    case = log_case(db, coordinator)

    asked = _ask(db, coordinator, case, surgery)

    entry = next(
        e for e in _case(db, coordinator, case.id).timeline if e.id == asked.request_entry_id
    )
    assert entry.recipients == '"Okafor, Amara" <amara.okafor@riverside.example>'
