"""What a person types to open or change a case, and the checks it must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from prdesk.domain.classification import IntakeFacts
from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    ContactPreference,
    DisclosureBasis,
    Relationship,
    Severity,
)
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Base, Case, Person
from prdesk.domain.models.base import utcnow
from prdesk.domain.services.intake_settings import ANY_MRN, MrnFormat

# Numbers typed without a country code are read as this country's; one day a setting.
PHONE_REGION = "US"
# Older than anyone alive: a date of birth before this is a typing slip (1896 for 1986).
OLDEST_AGE = 125
# Clocks on workstations drift; a minute's grace stops "in the future" on a fresh entry.
OLDEST_RECEIVED = timedelta(days=3 * 366)
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class PersonInput:
    full_name: str
    salutation_name: str = ""
    date_of_birth: date | None = None
    medical_record_number: str = ""
    phone: str = ""
    email: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    preferred_language: str = "en"
    contact_preference: ContactPreference = ContactPreference.LETTER


@dataclass(frozen=True)
class NewCase:
    kind: CaseKind
    channel: Channel
    patient: PersonInput
    description: str
    received_at: datetime | None = None  # now, when not given
    complainant: PersonInput | None = None
    complainant_relationship: Relationship | None = None
    disclosure_basis: DisclosureBasis | None = None
    desired_outcome: str = ""
    severity: Severity = Severity.LOW
    location: str = ""
    staff_involved: str = ""
    safety_concern: bool = False
    behavioural_alert: bool = False
    department_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    resolved_at_once: bool = False
    billing_only: bool = False
    written_response_requested: bool = False
    needs_investigation: bool = False
    # A coordinator's decision that overrides the CMS rules, with the reason.
    grievance_override: bool | None = None
    override_reason: str = ""
    assignee_id: int | None = None
    # An earlier open case about the same patient that this new one is linked to.
    linked_case_id: int | None = None

    @property
    def intake_facts(self) -> IntakeFacts:
        return IntakeFacts(
            kind=self.kind,
            channel=self.channel,
            resolved_at_once=self.resolved_at_once,
            billing_only=self.billing_only,
            written_response_requested=self.written_response_requested,
            needs_investigation=self.needs_investigation,
        )


@dataclass(frozen=True)
class CaseUpdate:
    """Changes to a case; a field left as None stays as it is."""

    status: CaseStatus | None = None
    severity: Severity | None = None
    description: str | None = None
    desired_outcome: str | None = None
    location: str | None = None
    staff_involved: str | None = None
    safety_concern: bool | None = None
    behavioural_alert: bool | None = None
    department_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    changed: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        # Callers may pass the stored string values ("investigating"); rules need members.
        if self.status is not None:
            object.__setattr__(self, "status", CaseStatus(self.status))
        if self.severity is not None:
            object.__setattr__(self, "severity", Severity(self.severity))
        names = tuple(
            name
            for name in self.__dataclass_fields__
            if name != "changed" and getattr(self, name) is not None
        )
        object.__setattr__(self, "changed", names)


def validate_person(
    person: PersonInput, prefix: str, *, is_patient: bool, mrn_format: MrnFormat = ANY_MRN
) -> dict[str, str]:
    errors: dict[str, str] = {}
    who = "patient" if is_patient else "person raising the case"
    if not person.full_name.strip():
        errors[f"{prefix}.full_name"] = f"Enter the {who}'s name."
    if person.date_of_birth is not None and (message := birth_date_problem(person.date_of_birth)):
        errors[f"{prefix}.date_of_birth"] = message
    if person.email.strip() and (message := email_problem(person.email)):
        errors[f"{prefix}.email"] = message
    if person.phone.strip() and (message := phone_problem(person.phone)):
        errors[f"{prefix}.phone"] = message
    if person.medical_record_number.strip() and not mrn_format.accepts(
        person.medical_record_number
    ):
        errors[f"{prefix}.medical_record_number"] = mrn_format.message(person.medical_record_number)
    for name in _PERSON_TEXT_FIELDS:
        if damaged(getattr(person, name)) and f"{prefix}.{name}" not in errors:
            errors[f"{prefix}.{name}"] = DAMAGED_MESSAGE
        limit = column_length(Person, name)
        if limit and len(getattr(person, name)) > limit and f"{prefix}.{name}" not in errors:
            label = name.replace("_", " ").replace("line1", "line 1").replace("line2", "line 2")
            errors[f"{prefix}.{name}"] = f"Keep the {label} to {limit} characters."
    return errors


# Half of a character (a lone UTF-16 surrogate) can arrive in a paste from a program
# that cut a symbol in two; neither database can store it, and the save would fail.
_HALF_CHARACTER = re.compile("[\ud800-\udfff]")
DAMAGED_MESSAGE = "Part of this text is a broken character (from a paste): type that part again."


def damaged(text: str | None) -> bool:
    """True when the text holds half of a character, which cannot be stored."""
    return text is not None and _HALF_CHARACTER.search(text) is not None


def _damaged_fields(values: dict[str, str | None]) -> dict[str, str]:
    return {name: DAMAGED_MESSAGE for name, value in values.items() if damaged(value)}


def birth_date_problem(born: date, today: date | None = None) -> str:
    """Why a date of birth cannot be right ("" when it can)."""
    today = today or date.today()
    if born > today:
        return "The date of birth cannot be in the future."
    if today.year - born.year > OLDEST_AGE:
        return f"Check the date of birth: that would make them over {OLDEST_AGE} years old."
    return ""


def email_problem(address: str) -> str:
    """Why an email address cannot be written to ("" when it can); no network is asked."""
    try:
        validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return f"'{address.strip()}' is not an email address: {error}"
    return ""


_PHONE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "it has too few digits",
    phonenumbers.ValidationResult.TOO_LONG: "it has too many digits",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "the country code is not one",
    phonenumbers.ValidationResult.INVALID_LENGTH: "it has the wrong number of digits",
}


def phone_problem(text: str, region: str = PHONE_REGION) -> str:
    """Why a phone number cannot be dialled as typed ("" when it can).

    Only the number's length is checked against the country's plan: the full
    validity test also rejects new area codes until the library learns of them,
    and the coordinator could not save a real caller's number.
    """
    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        return f"'{text.strip()}' is not a phone number."
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _PHONE_REASONS:
        return f"'{text.strip()}' is not a phone number: {_PHONE_REASONS[reason]}."
    return ""


def format_phone(text: str, region: str = PHONE_REGION) -> str:
    """A dialable number written the usual way: national for this country, else international.

    Text that is not a phone number comes back as it was, for validation to point out.
    """
    if phone_problem(text, region):
        return text
    number = phonenumbers.parse(text.strip(), region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        or number.country_code == phonenumbers.country_code_for_region(region)
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


_PERSON_TEXT_FIELDS = (
    "full_name", "salutation_name", "medical_record_number", "phone", "email", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "preferred_language",
)  # fmt: skip


def column_length(model: type[Base], name: str) -> int | None:
    """The most characters the database column holds, so input is checked before it fails there."""
    column_type = model.__table__.c[name].type
    length: int | None = getattr(column_type, "length", None)
    return length


def _case_length_errors(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    for name, value in values.items():
        column = "grievance_reason" if name == "override_reason" else name
        limit = column_length(Case, column)
        if limit and len(value) > limit:
            errors[name] = f"Keep this to {limit} characters (it has {len(value)})."
    return errors


def validate_update(update: CaseUpdate) -> None:
    errors = _case_length_errors(
        {name: value for name in ("location", "staff_involved")
         if (value := getattr(update, name)) is not None}
    )  # fmt: skip
    errors |= _damaged_fields(
        {name: getattr(update, name)
         for name in ("description", "desired_outcome", "location", "staff_involved")}
    )  # fmt: skip
    if errors:
        raise ValidationError.from_fields(errors)


def validate_new_case(new: NewCase, *, mrn_format: MrnFormat = ANY_MRN) -> None:
    """Raises ValidationError naming every field that needs attention."""
    errors = validate_person(new.patient, "patient", is_patient=True, mrn_format=mrn_format)
    if new.complainant is not None:
        errors |= validate_person(new.complainant, "complainant", is_patient=False)
        if new.complainant_relationship is None:
            errors["complainant_relationship"] = (
                "Choose how the person raising it relates to the patient."
            )
        if new.disclosure_basis is None:
            errors["disclosure_basis"] = (
                "Record the basis for discussing the patient's care with them, or 'none on file'."
            )
    if not new.description.strip():
        errors["description"] = "Describe what happened, in the complainant's words."
    if new.received_at is not None:
        if new.received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        if new.received_at > utcnow() + CLOCK_SKEW:
            errors["received_at"] = "The date received cannot be in the future."
        elif new.received_at < utcnow() - OLDEST_RECEIVED:
            # Most likely a slip in the year (206 for 2026): the case would sit at the
            # top of every overdue list for good.
            errors["received_at"] = (
                "The date received is more than three years ago: check the year."
            )
    if new.grievance_override is not None and not new.override_reason.strip():
        errors["override_reason"] = "Give the reason for overriding the grievance decision."
    errors |= _case_length_errors(
        {"location": new.location, "staff_involved": new.staff_involved,
         "override_reason": new.override_reason}
    )  # fmt: skip
    errors |= _damaged_fields(
        {"description": new.description, "desired_outcome": new.desired_outcome,
         "location": new.location, "staff_involved": new.staff_involved,
         "override_reason": new.override_reason}
    )  # fmt: skip
    if errors:
        raise ValidationError.from_fields(errors)
