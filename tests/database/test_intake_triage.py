"""Triage at intake: duplicates of an open case, linking instead, the grievance override and
the record number format, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Channel, Role, Severity, TimelineKind
from prdesk.domain.errors import PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, Case, TimelineEntry, User
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, duplicates, intake_settings, notifications, users
from prdesk.domain.services.case_input import CaseUpdate, PersonInput
from prdesk.domain.services.intake_settings import MrnFormat
from tests.support.builders import log_case, phone_complaint


def _patient(name: str, mrn: str = "", born: date | None = date(1958, 3, 14)) -> PersonInput:
    return PersonInput(name, date_of_birth=born, medical_record_number=mrn)


def _user(db: Database, username: str, name: str, role: Role) -> UserInfo:
    with db.transaction() as session:
        users.resolve_actor(session, username, name)
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        user.role = role
    with db.transaction() as session:
        return users.resolve_actor(session, username)


def test_the_same_patient_with_an_open_case_is_found_by_record_number_or_name_and_birth(
    db: Database, coordinator: UserInfo
) -> None:
    earlier = log_case(db, coordinator, phone_complaint(patient=_patient("Nguyễn Thị Hương")))
    by_mrn = log_case(db, coordinator, phone_complaint(patient=_patient("H. Nguyen", "0042")))
    log_case(db, coordinator, phone_complaint(patient=_patient("Nguyễn Thị Hương", born=None)))
    log_case(db, coordinator, phone_complaint(patient=_patient("Ana Souza")))

    with db.transaction(read_only=True) as session:
        found = duplicates.find_duplicates(session, "NGUYEN thi huong", date(1958, 3, 14), "")
        assert [(d.number, d.matched_on) for d in found] == [(earlier.number, "name")]
        assert found[0].status is CaseStatus.NEW
        assert found[0].summary.startswith("Waited six hours")
        found = duplicates.find_duplicates(session, "Someone Else", None, " 0042 ")
        assert [(d.number, d.matched_on) for d in found] == [(by_mrn.number, "mrn")]
        assert duplicates.find_duplicates(session, "Nguyễn Thị Hương", date(1960, 1, 1), "") == []
        assert duplicates.find_duplicates(session, "", None, "") == []


def test_a_finished_case_is_not_a_duplicate(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator, phone_complaint(patient=_patient("Ana Souza", "77")))
    with db.transaction() as session:
        cases.update_case(
            session, coordinator, case.id, case.version, CaseUpdate(status=CaseStatus.WITHDRAWN)
        )
    with db.transaction(read_only=True) as session:
        assert duplicates.find_duplicates(session, "Ana Souza", None, "77") == []


def test_a_repeat_call_is_added_to_the_open_case_instead_of_a_new_one(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(patient=_patient("Ana Souza", "77")))
    call = phone_complaint(
        patient=_patient("Ana Souza", "77"),
        description="Called again: still no answer from the ward.",
        desired_outcome="A call back today.",
    )
    with db.transaction() as session:
        detail = duplicates.add_contact_to_case(session, coordinator, case.id, call)
    assert detail.id == case.id
    entry = detail.timeline[-1]
    assert entry.kind is TimelineKind.PHONE_CALL
    assert entry.summary == "Phone contact from Ana Souza"
    assert entry.body.startswith(
        "Called again: still no answer from the ward.\n\nWould like: A call back today."
        "\n\nRaised by: Ana Souza"
    )
    with db.transaction(read_only=True) as session:
        assert len(session.scalars(select(Case)).all()) == 1

    email = phone_complaint(channel=Channel.EMAIL, description="Following up by email.")
    with db.transaction() as session:
        detail = duplicates.add_contact_to_case(session, coordinator, case.id, email)
    assert any(e.kind is TimelineKind.EMAIL_RECEIVED for e in detail.timeline)


def test_a_new_case_can_be_linked_to_the_earlier_one(db: Database, coordinator: UserInfo) -> None:
    earlier = log_case(db, coordinator)
    later = log_case(db, coordinator, phone_complaint(linked_case_id=earlier.id))
    assert later.linked_case is not None and later.linked_case.name == earlier.number
    with pytest.raises(ValidationError, match="no longer exists"):
        log_case(db, coordinator, phone_complaint(linked_case_id=earlier.id + 1000))


def test_a_coordinator_override_is_on_the_timeline_and_in_the_audit_log(
    db: Database, coordinator: UserInfo
) -> None:
    new = phone_complaint(grievance_override=False, override_reason="Settled on the call.")
    case = log_case(db, coordinator, new)
    assert not case.is_grievance and case.grievance_overridden
    assert case.grievance_reason == "Settled on the call."
    entry = case.timeline[-1]
    assert entry.summary == "Classification overridden: handled as a complaint, not a grievance"
    assert entry.body.startswith("Reason: Settled on the call.")
    with db.transaction(read_only=True) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
        assert event is not None and event.details["override_reason"] == "Settled on the call."


def test_a_representative_cannot_override_and_nothing_is_saved(
    db: Database, coordinator: UserInfo
) -> None:
    representative = _user(db, "jkim", "Ji-woo Kim", Role.REPRESENTATIVE)
    new = phone_complaint(grievance_override=False, override_reason="Seems minor.")
    with pytest.raises(PermissionDenied, match="Only a coordinator or administrator"):
        log_case(db, representative, new)
    with db.transaction(read_only=True) as session:
        assert session.scalars(select(Case)).all() == []
        assert session.scalars(select(TimelineEntry)).all() == []


def test_record_numbers_must_fit_the_format_the_administrator_set(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        intake_settings.set_mrn_format(session, coordinator, MrnFormat(r"\d{7,8}", "01234567"))
    with db.transaction(read_only=True) as session:
        assert intake_settings.mrn_format(session) == MrnFormat(r"\d{7,8}", "01234567")
    with pytest.raises(ValidationError) as caught:
        log_case(db, coordinator, phone_complaint(patient=_patient("Ana Souza", "A-1")))
    assert "look like 01234567" in caught.value.fields["patient.medical_record_number"]
    assert log_case(db, coordinator, phone_complaint(patient=_patient("Ana Souza", "1234567")))

    representative = _user(db, "jkim", "Ji-woo Kim", Role.REPRESENTATIVE)
    with db.transaction() as session, pytest.raises(PermissionDenied):
        intake_settings.set_mrn_format(session, representative, MrnFormat())


def test_a_safety_concern_raised_in_a_repeat_contact_flags_the_open_case(
    db: Database, coordinator: UserInfo
) -> None:
    other = _user(db, "lchen", "Li Chen", Role.COORDINATOR)
    case = log_case(db, coordinator)
    call = phone_complaint(description="She fell again on the ward.", safety_concern=True)
    with db.transaction() as session:
        detail = duplicates.add_contact_to_case(session, coordinator, case.id, call)
    assert detail.safety_concern
    with db.transaction(read_only=True) as session:
        unread = notifications.unread(session, other)
    assert [n.case_number for n in unread.newest] == [case.number]


def test_a_repeat_contact_in_writing_with_new_concerns_raises_the_case(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(
        db, coordinator, phone_complaint(patient=_patient("Ana Souza", "77"), resolved_at_once=True)
    )
    assert not case.is_grievance
    letter = phone_complaint(
        patient=_patient("Ana Souza", "77"),
        channel=Channel.LETTER,
        description="She was shouted at again on Tuesday.",
        severity=Severity.HIGH,
        behavioural_alert=True,
    )
    with db.transaction() as session:
        detail = duplicates.add_contact_to_case(session, coordinator, case.id, letter)
    assert detail.is_grievance and detail.severity is Severity.HIGH and detail.behavioural_alert
    assert "came in writing" in detail.grievance_reason
