"""What the intake form may and may not accept."""

from datetime import UTC, date, datetime, timedelta

import pytest

from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.errors import ValidationError
from prdesk.domain.services.case_input import (
    NewCase,
    PersonInput,
    format_phone,
    validate_new_case,
)
from prdesk.domain.services.intake_settings import MrnFormat, check_mrn_format


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


def test_a_slip_in_the_year_received_is_caught() -> None:
    slipped = datetime.now(UTC).replace(year=206)
    assert "check the year" in _errors(_case(received_at=slipped))["received_at"]
    validate_new_case(_case(received_at=datetime.now(UTC) - timedelta(days=30)))


def test_overriding_the_grievance_decision_needs_a_reason() -> None:
    assert "override_reason" in _errors(_case(grievance_override=False))


def test_phone_numbers_with_extensions_are_accepted_letters_are_not() -> None:
    validate_new_case(_case(patient=PersonInput("Ana Souza", phone="+1 (555) 010-2000 ext. 12")))
    assert "patient.phone" in _errors(_case(patient=PersonInput("Ana Souza", phone="call me")))


def test_phone_and_email_messages_say_what_is_wrong() -> None:
    errors = _errors(_case(patient=PersonInput("Ana Souza", phone="12", email="ana@hospital-mail")))
    assert errors["patient.phone"] == "'12' is not a phone number: it has too few digits."
    assert errors["patient.email"].startswith("'ana@hospital-mail' is not an email address: ")
    assert "period" in errors["patient.email"]


def test_a_date_of_birth_over_125_years_ago_is_a_typing_slip() -> None:
    errors = _errors(_case(patient=PersonInput("Ana Souza", date_of_birth=date(1886, 5, 1))))
    assert errors["patient.date_of_birth"] == (
        "Check the date of birth: that would make them over 125 years old."
    )


def test_phone_numbers_are_kept_in_the_national_format_or_international_when_foreign() -> None:
    assert format_phone("2175550142") == "(217) 555-0142"
    assert format_phone("+1 217 555 0142 x 12") == "(217) 555-0142 ext. 12"
    assert format_phone("+44 20 7946 0958") == "+44 20 7946 0958"
    assert format_phone("call me") == "call me"


def test_the_record_number_must_have_the_hospitals_format_when_one_is_set() -> None:
    mrn_format = MrnFormat(r"\d{7,8}", "01234567")
    new = _case(patient=PersonInput("Ana Souza", medical_record_number="MRN-12"))
    with pytest.raises(ValidationError) as caught:
        validate_new_case(new, mrn_format=mrn_format)
    assert caught.value.fields["patient.medical_record_number"] == (
        "'MRN-12' is not a medical record number here: they look like 01234567."
    )
    validate_new_case(_case(patient=PersonInput("Ana Souza", medical_record_number=" 1234567 ")))
    validate_new_case(
        _case(patient=PersonInput("Ana Souza", medical_record_number="1234567")),
        mrn_format=mrn_format,
    )


def test_an_administrator_cannot_store_a_broken_record_number_format() -> None:
    with pytest.raises(ValidationError) as caught:
        check_mrn_format(MrnFormat(r"(\d{7}", "1234567"))
    assert caught.value.fields["pattern"].startswith("This is not a regular expression")
    with pytest.raises(ValidationError) as caught:
        check_mrn_format(MrnFormat(r"\d{7,8}", "12-34"))
    assert caught.value.fields["example"] == "The example does not fit the pattern."
    check_mrn_format(MrnFormat("", ""))  # empty: any record number
