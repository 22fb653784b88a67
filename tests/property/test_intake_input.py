"""Whatever is typed into intake, the coordinator gets a case or a message per field."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prdesk.domain import queries
from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship
from prdesk.domain.errors import ValidationError
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, users
from prdesk.domain.services.case_input import (
    CaseUpdate,
    NewCase,
    PersonInput,
    validate_new_case,
    validate_update,
)
from prdesk.domain.services.intake_settings import MrnFormat, check_mrn_format
from tests.property.strategies import hostile_text, long_text
from tests.support.builders import phone_complaint

PERSON_FIELDS = (
    "full_name", "salutation_name", "medical_record_number", "phone", "email", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "preferred_language",
)  # fmt: skip
CASE_FIELDS = {
    "description",
    "desired_outcome",
    "received_at",
    "override_reason",
    "location",
    "staff_involved",
}
CASE_FIELDS |= {"complainant_relationship", "disclosure_basis"}

typed = st.one_of(hostile_text(), long_text(150, 600), st.just(""))
# The hospital's record number format as an administrator may have set it.
MRN_FORMATS = st.sampled_from(
    (MrnFormat(), MrnFormat(r"MRN\d{8}", "MRN00012345"), MrnFormat(r"\d{6,10}", "1234567"))
)


@st.composite
def people(draw: st.DrawFn) -> PersonInput:
    values = {name: draw(typed) for name in PERSON_FIELDS if draw(st.booleans())}
    born = draw(st.none() | st.dates(date(1, 1, 1), date(9999, 12, 31)))
    return PersonInput(**{"full_name": "", **values}, date_of_birth=born)


@st.composite
def new_cases(draw: st.DrawFn) -> NewCase:
    complainant = draw(st.none() | people())
    received = draw(
        st.none() | st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC))
    )
    return NewCase(
        kind=draw(st.sampled_from(CaseKind)),
        channel=draw(st.sampled_from(Channel)),
        patient=draw(people()),
        description=draw(typed),
        received_at=received,
        complainant=complainant,
        complainant_relationship=draw(st.none() | st.sampled_from(Relationship)),
        disclosure_basis=draw(st.none() | st.sampled_from(DisclosureBasis)),
        desired_outcome=draw(typed),
        location=draw(typed),
        staff_involved=draw(typed),
        grievance_override=draw(st.none() | st.booleans()),
        override_reason=draw(typed),
    )


def _known_field(name: str) -> bool:
    prefix, _, field = name.partition(".")
    if prefix in ("patient", "complainant"):
        return field in PERSON_FIELDS or field == "date_of_birth"
    return name in CASE_FIELDS


@settings(max_examples=300, deadline=None)
@given(new=new_cases(), mrn_format=MRN_FORMATS)
def test_any_intake_is_accepted_or_each_problem_is_named_on_its_field(
    new: NewCase, mrn_format: MrnFormat
) -> None:
    try:
        validate_new_case(new, mrn_format=mrn_format)
    except ValidationError as error:
        assert error.fields, "a refusal names at least one field"
        for name, message in error.fields.items():
            assert _known_field(name), name
            assert isinstance(message, str) and message.strip()
        assert error.message.strip()


@st.composite
def plausible_cases(draw: st.DrawFn) -> NewCase:
    """A case that is fine but for one or two fields typed with anything at all."""
    base = phone_complaint()
    person = {name: draw(typed) for name in draw(st.sets(st.sampled_from(PERSON_FIELDS[1:])))}
    case = {
        name: draw(typed)
        for name in draw(st.sets(st.sampled_from(("description", "desired_outcome", "location"))))
    }
    return replace(
        base,
        patient=replace(base.patient, full_name=draw(typed.filter(str.strip)), **person),
        **case,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(new=plausible_cases())
def test_an_accepted_intake_is_saved_as_typed(sqlite_db: Database, new: NewCase) -> None:
    actor = _coordinator(sqlite_db)
    try:
        validate_new_case(new)
    except ValidationError as error:
        assert error.fields
        return
    with sqlite_db.transaction() as session:
        case = cases.open_case(session, actor, new)
    with sqlite_db.transaction(read_only=True) as session:
        saved = cases.view_case(session, actor, case.id, record_view=False)
    assert saved.number == case.number
    assert saved.patient.full_name == new.patient.full_name.replace("\x00", "").strip()


def test_half_a_character_from_a_paste_is_named_not_a_crash(sqlite_db: Database) -> None:
    """A lone surrogate cannot be stored by either database: it is refused on its field."""
    actor = _coordinator(sqlite_db)
    new = phone_complaint("Ana \ud83d Pérez", description="Waited \udc00 hours.")
    try:
        with sqlite_db.transaction() as session:
            cases.open_case(session, actor, new)
    except ValidationError as error:
        assert set(error.fields) == {"patient.full_name", "description"}
        assert "type that part again" in error.fields["description"]
    else:
        raise AssertionError("text with half a character was accepted")
    with sqlite_db.transaction(read_only=True) as session:
        assert queries.count_cases(session) == 0
    try:
        validate_update(CaseUpdate(description="Waited \ud800 hours.", location="Ward 3"))
    except ValidationError as error:
        assert set(error.fields) == {"description"}
    else:
        raise AssertionError("a change with half a character was accepted")


@pytest.mark.filterwarnings("ignore::FutureWarning")  # re's notes on odd patterns
@settings(max_examples=200, deadline=None)
@given(pattern=hostile_text(40), example=hostile_text(20))
def test_any_record_number_format_is_accepted_or_refused_with_a_reason(
    pattern: str, example: str
) -> None:
    # As the administration screen stores it: trimmed.
    value = MrnFormat(pattern.strip(), example.strip())
    try:
        check_mrn_format(value)
    except ValidationError as error:
        assert set(error.fields) <= {"pattern", "example"} and error.fields
        return
    # A saved format then checks any record number without failing.
    assert value.accepts(value.example)


def _coordinator(db: Database) -> UserInfo:
    with db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def test_a_date_received_in_the_future_is_named() -> None:
    new = NewCase(
        kind=CaseKind.COMPLAINT,
        channel=Channel.PHONE,
        patient=PersonInput("Ana Pérez"),
        description="Lost glasses.",
        received_at=datetime.now(UTC) + timedelta(days=2),
    )
    try:
        validate_new_case(new)
    except ValidationError as error:
        assert set(error.fields) == {"received_at"}
    else:
        raise AssertionError("a date in the future was accepted")
