"""What the intake form may and may not accept."""

from datetime import UTC, date, datetime, timedelta

import pytest

from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.errors import ValidationError
from prdesk.domain.services.case_input import NewCase, PersonInput, validate_new_case


def _case(**changes: object) -> NewCase:
    fields: dict[str, object] = {
        "kind": CaseKind.COMPLAINT,
        "channel": Channel.PHONE,
        "patient": PersonInput("Ana Souza"),
        "description": "Waited four hours in the emergency department.",
    }
    fields.update(changes)
    return NewCase(**fields)  # type: ignore[arg-type]


def _errors(new: NewCase) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_new_case(new)
    return caught.value.fields


def test_a_complete_phone_complaint_is_accepted() -> None:
    validate_new_case(_case())


def test_every_problem_is_reported_at_once_by_field() -> None:
    tomorrow = date.today() + timedelta(days=1)
    errors = _errors(
        _case(
            patient=PersonInput("", date_of_birth=tomorrow, email="not-an-email"), description=" "
        )
    )
    assert set(errors) == {
        "patient.full_name",
        "patient.date_of_birth",
        "patient.email",
        "description",
    }
    assert errors["patient.date_of_birth"] == "The date of birth cannot be in the future."


def test_someone_raising_a_case_for_a_patient_needs_a_relationship_and_a_disclosure_basis() -> None:
    errors = _errors(_case(complainant=PersonInput("Mai Tran")))
    assert "complainant_relationship" in errors
    assert "disclosure_basis" in errors


def test_a_case_cannot_be_received_in_the_future() -> None:
    errors = _errors(_case(received_at=datetime.now(UTC) + timedelta(days=2)))
    assert "received_at" in errors


def test_overriding_the_grievance_decision_needs_a_reason() -> None:
    assert "override_reason" in _errors(_case(grievance_override=False))


def test_phone_numbers_with_extensions_are_accepted_letters_are_not() -> None:
    validate_new_case(_case(patient=PersonInput("Ana Souza", phone="+1 (555) 010-2000 ext. 12")))
    assert "patient.phone" in _errors(_case(patient=PersonInput("Ana Souza", phone="call me")))
