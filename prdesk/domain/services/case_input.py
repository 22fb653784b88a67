"""What a person types to open or change a case, and the checks it must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()./ \-]*(?:(?:ext|x)\.? ?[0-9]+)?$", re.IGNORECASE)
# Clocks on workstations drift; a minute's grace stops "in the future" on a fresh entry.
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


def validate_person(person: PersonInput, prefix: str, *, is_patient: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    who = "patient" if is_patient else "person raising the case"
    if not person.full_name.strip():
        errors[f"{prefix}.full_name"] = f"Enter the {who}'s name."
    if person.date_of_birth is not None:
        if person.date_of_birth > date.today():
            errors[f"{prefix}.date_of_birth"] = "The date of birth cannot be in the future."
        elif person.date_of_birth.year < 1880:
            errors[f"{prefix}.date_of_birth"] = "Check the date of birth: it is before 1880."
    if person.email and not _EMAIL.match(person.email.strip()):
        errors[f"{prefix}.email"] = f"'{person.email}' is not an email address."
    if person.phone and (
        not _PHONE.match(person.phone.strip()) or not any(c.isdigit() for c in person.phone)
    ):
        errors[f"{prefix}.phone"] = f"'{person.phone}' is not a phone number."
    for name in _PERSON_TEXT_FIELDS:
        limit = column_length(Person, name)
        if limit and len(getattr(person, name)) > limit and f"{prefix}.{name}" not in errors:
            label = name.replace("_", " ").replace("line1", "line 1").replace("line2", "line 2")
            errors[f"{prefix}.{name}"] = f"Keep the {label} to {limit} characters."
    return errors


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
    if errors:
        raise ValidationError.from_fields(errors)


def validate_new_case(new: NewCase) -> None:
    """Raises ValidationError naming every field that needs attention."""
    errors = validate_person(new.patient, "patient", is_patient=True)
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
    if new.grievance_override is not None and not new.override_reason.strip():
        errors["override_reason"] = "Give the reason for overriding the grievance decision."
    errors |= _case_length_errors(
        {"location": new.location, "staff_involved": new.staff_involved,
         "override_reason": new.override_reason}
    )  # fmt: skip
    if errors:
        raise ValidationError.from_fields(errors)
