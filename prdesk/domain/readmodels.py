"""Immutable views of domain data handed to the screens, the exporters and the command line.

They hold plain values only, so they can cross threads and outlive the session that
read them (a detached ORM object would raise on its first lazy attribute).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    ContactPreference,
    Determination,
    DisclosureBasis,
    LetterStatus,
    PaperFormat,
    Relationship,
    Role,
    SendMethod,
    Severity,
    TimelineKind,
)

# The letters' footer until an administrator words their own.
DEFAULT_CONFIDENTIALITY = (
    "Confidential: this letter holds information about a patient's care. If it reached "
    "you by mistake, please let us know and destroy it."
)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    job_title: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


@dataclass(frozen=True)
class PersonInfo:
    id: int
    full_name: str
    salutation_name: str
    date_of_birth: date | None
    medical_record_number: str | None
    phone: str
    email: str
    address_lines: tuple[str, ...]
    preferred_language: str
    contact_preference: ContactPreference
    version: int

    @property
    def greeting_name(self) -> str:
        return self.salutation_name or self.full_name


@dataclass(frozen=True)
class Reference:
    """Something chosen from a list: a department, a category, a user."""

    id: int
    name: str


class CaseRow(NamedTuple):
    """One line of the case list.

    A named tuple rather than a frozen dataclass: the list builds a page of these on
    every scroll, and a tuple is several times cheaper to make. Immutable all the same.
    """

    id: int
    number: str
    kind: CaseKind
    channel: Channel
    status: CaseStatus
    severity: Severity
    received_at: datetime
    patient_name: str
    complainant_name: str | None
    assignee_name: str | None
    assignee_id: int | None
    is_grievance: bool
    safety_concern: bool
    behavioural_alert: bool = False
    # The running deadline: to acknowledge when due_is_acknowledgement, else to respond.
    due_on: date | None = None
    due_is_acknowledgement: bool = False
    clock_paused: bool = False
    # The case's version when the row was read: acting from the list (assigning) is
    # refused if the case changed since, as it is from an open case.
    version: int = 0


@dataclass(frozen=True)
class AttachmentInfo:
    """A file kept on a case; its content is fetched only when someone opens it."""

    id: int
    case_id: int
    entry_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime


@dataclass(frozen=True)
class TimelineEntryInfo:
    """One step of an investigation.

    Attributes:
        body: Markdown (see rich_text.py).
        request_id: the request to a department this entry made, answered or escalated.
    """

    id: int
    kind: TimelineKind
    occurred_at: datetime
    recorded_at: datetime
    author_name: str
    summary: str
    body: str
    patient_facing: bool
    internal: bool
    version: int
    author_id: int = 0
    people: tuple[str, ...] = ()
    departments: tuple[Reference, ...] = ()
    sender: str = ""
    recipients: str = ""
    attachments: tuple[AttachmentInfo, ...] = ()
    edited_at: datetime | None = None
    edited_by_name: str = ""
    request_id: int | None = None

    @property
    def editable(self) -> bool:
        """Whether people may edit or delete it (PR Desk's own records are not)."""
        return not self.kind.is_system

    @property
    def deletable(self) -> bool:
        """Editable entries, and files attached by mistake (another patient's letter)."""
        return self.editable or self.kind is TimelineKind.ATTACHMENT


@dataclass(frozen=True)
class DepartmentRequestInfo:
    """A request to a department for a statement or review, and where it stands."""

    id: int
    case_id: int
    case_number: str
    department: Reference
    addressed_to: str
    addressed_email: str
    backup_reviewer: str
    backup_email: str
    requested_at: datetime
    requested_by: str
    due_on: date
    summary: str
    request_entry_id: int
    response_entry_id: int | None
    answered_at: datetime | None
    escalation_entry_id: int | None
    escalated_at: datetime | None
    version: int

    @property
    def outstanding(self) -> bool:
        return self.answered_at is None

    def is_overdue(self, today: date) -> bool:
        return self.outstanding and today > self.due_on


@dataclass(frozen=True)
class LetterInfo:
    id: int
    case_id: int
    case_number: str
    template_key: str
    language: str
    status: LetterStatus
    subject: str
    recipient_name: str
    recipient_address: tuple[str, ...]
    salutation: str
    body: str
    signatory_name: str
    signatory_title: str
    created_at: datetime
    created_by_name: str
    version: int
    copies_to: tuple[str, ...] = ()
    # 0 is the template as shipped; administrators' edits are 1, 2, ...
    template_version: int = 0
    signatory_id: int | None = None
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by_name: str = ""
    finalised_at: datetime | None = None
    # When it went, how, and who sent it (as the sender said), and when that was recorded.
    sent_on: date | None = None
    sent_via: SendMethod | None = None
    sent_by_name: str = ""
    sent_at: datetime | None = None
    pdf_sha256: str | None = None
    # A correction is a new letter that names the one it corrects.
    corrects_letter_id: int | None = None
    # Why a coordinator let it go without every element the policy requires.
    compliance_override: str = ""

    @property
    def dated(self) -> date | None:
        """The date printed on it: the day it was finalised; None while it is a draft."""
        return self.finalised_at.astimezone().date() if self.finalised_at else None


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case view shows."""

    id: int
    number: str
    kind: CaseKind
    channel: Channel
    status: CaseStatus
    severity: Severity
    received_at: datetime
    patient: PersonInfo
    complainant: PersonInfo | None
    complainant_relationship: Relationship | None
    disclosure_basis: DisclosureBasis | None
    description: str
    desired_outcome: str
    location: str
    staff_involved: str
    safety_concern: bool
    behavioural_alert: bool
    is_grievance: bool
    grievance_reason: str
    grievance_overridden: bool
    departments: tuple[Reference, ...]
    categories: tuple[Reference, ...]
    assignee: UserInfo | None
    created_by: UserInfo
    created_at: datetime
    updated_at: datetime
    timeline: tuple[TimelineEntryInfo, ...]
    letters: tuple[LetterInfo, ...]
    version: int
    # Deadlines under the department's policy; see deadline_policy.py.
    acknowledge_due_on: date | None = None
    acknowledged_on: date | None = None
    response_due_on: date | None = None
    due_on: date | None = None
    clock_paused_on: date | None = None
    closure_override_reason: str = ""
    linked_case: Reference | None = None
    requests: tuple[DepartmentRequestInfo, ...] = ()
    findings: str = ""
    actions_taken: str = ""
    # Whether the review upheld the complaint; None until someone records it.
    determination: Determination | None = None

    @property
    def addressee(self) -> PersonInfo:
        """Whom letters go to: the complainant when there is one, else the patient."""
        return self.complainant or self.patient


@dataclass(frozen=True)
class PrintQueueItem:
    """What a clerk needs to print and post one letter, and nothing of the case beyond it."""

    letter_id: int
    case_number: str
    status: LetterStatus
    subject: str
    recipient_name: str
    recipient_address: tuple[str, ...]
    approved_at: datetime | None
    approved_by_name: str
    pages: int | None  # known once the letter is finalised
    version: int
    printed_at: datetime | None = None
    printed_by_name: str = ""


@dataclass(frozen=True)
class Letterhead:
    """The organisation as printed at the top of every letter."""

    organisation: str
    department: str = "Patient Relations"
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    # PNG or JPEG bytes, printed at the left of the letterhead.
    logo: bytes | None = None
    paper: PaperFormat = PaperFormat.US_LETTER
    # Printed at the foot of every page of a letter.
    confidentiality: str = DEFAULT_CONFIDENTIALITY
    # The practice database's letters are marked across every page as not real.
    practice: bool = False
