"""The fixed vocabularies of a case: kinds, channels, statuses and the like.

Values are stored in the database as the lower-case `value` strings, so renaming a
member's label never needs a migration.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a human label for screens and letters."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


class CaseKind(LabelledEnum):
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    INFORMATION_REQUEST = "information_request"
    LOST_BELONGINGS = "lost_belongings"
    APPOINTMENT_ACCESS = "appointment_access"
    OTHER_FEEDBACK = "other_feedback"


class Channel(LabelledEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    WALK_IN = "walk_in"
    WEB_FORM = "web_form"
    PATIENT_PORTAL = "patient_portal"
    STAFF_REFERRAL = "staff_referral"

    @property
    def is_written(self) -> bool:
        """Written channels make every complaint a grievance (42 CFR 482.13(a)(2))."""
        return self in _WRITTEN_CHANNELS


_WRITTEN_CHANNELS = frozenset(
    {Channel.EMAIL, Channel.LETTER, Channel.WEB_FORM, Channel.PATIENT_PORTAL}
)


class CaseStatus(LabelledEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    INVESTIGATING = "investigating"
    WAITING_ON_DEPARTMENT = "waiting_on_department"
    WAITING_ON_PATIENT = "waiting_on_patient"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self not in FINISHED_STATUSES


# Statuses in which nobody owes the complainant anything more.
FINISHED_STATUSES = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN})


class Severity(LabelledEnum):
    """Harm or impact, as triaged at intake."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    SEVERE = "severe"


class Determination(LabelledEnum):
    """What the review concluded about a complaint: the NHS return's outcome column."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"


class Relationship(LabelledEnum):
    """How the person raising a case relates to the patient."""

    SPOUSE_OR_PARTNER = "spouse_or_partner"
    PARENT = "parent"
    CHILD = "child"
    OTHER_FAMILY = "other_family"
    FRIEND = "friend"
    LEGAL_GUARDIAN = "legal_guardian"
    ATTORNEY = "attorney"
    OTHER_REPRESENTATIVE = "other_representative"


class DisclosureBasis(LabelledEnum):
    """Why the department may discuss the patient's care with a complainant (HIPAA)."""

    PATIENT_AUTHORIZATION = "patient_authorization"
    PERSONAL_REPRESENTATIVE = "personal_representative"
    INVOLVED_IN_CARE = "involved_in_care"
    NONE_ON_FILE = "none_on_file"


class ContactPreference(LabelledEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"


class TimelineKind(LabelledEnum):
    NOTE = "note"
    PHONE_CALL = "phone_call"
    EMAIL_RECEIVED = "email_received"
    EMAIL_SENT = "email_sent"
    MEETING = "meeting"
    STAFF_INTERVIEW = "staff_interview"
    RECORD_REVIEW = "record_review"
    DEPARTMENT_REQUEST = "department_request"
    DEPARTMENT_RESPONSE = "department_response"
    ESCALATION = "escalation"
    LETTER_SENT = "letter_sent"
    STATUS_CHANGE = "status_change"
    ATTACHMENT = "attachment"

    @property
    def is_system(self) -> bool:
        """Entries the application writes itself; nobody adds or edits them by hand."""
        return self in (
            TimelineKind.LETTER_SENT,
            TimelineKind.STATUS_CHANGE,
            TimelineKind.ATTACHMENT,
        )


class LetterStatus(LabelledEnum):
    """A letter's way from draft to envelope. Finalised and sent letters never change."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    FINALISED = "finalised"
    SENT = "sent"
    # A finalised letter replaced by a correction before it went: kept, never printed.
    # (Its label is the default "Withdrawn": labels are looked up by value, and a case
    # can be withdrawn too.)
    WITHDRAWN = "withdrawn"

    @property
    def editable(self) -> bool:
        return self in (LetterStatus.DRAFT, LetterStatus.SUBMITTED)

    @property
    def frozen(self) -> bool:
        """Its PDF bytes are stored and are what was (or will be) sent."""
        return self in (LetterStatus.FINALISED, LetterStatus.SENT, LetterStatus.WITHDRAWN)


class SendMethod(LabelledEnum):
    MAIL = "mail"
    EMAIL = "email"
    HAND = "hand"
    PORTAL = "portal"


class PaperFormat(LabelledEnum):
    """The paper letters print on, and so the window envelope their address must fit."""

    US_LETTER = "us_letter"
    A4 = "a4"


class Role(LabelledEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    REPRESENTATIVE = "representative"
    CLERK = "clerk"
    AUDITOR = "auditor"


_LABELS: dict[LabelledEnum, str] = {
    CaseKind.INFORMATION_REQUEST: "Information request",
    CaseKind.LOST_BELONGINGS: "Lost belongings",
    CaseKind.APPOINTMENT_ACCESS: "Appointment access",
    CaseKind.OTHER_FEEDBACK: "Other feedback",
    Channel.WALK_IN: "Walk-in",
    Channel.WEB_FORM: "Web form",
    Channel.PATIENT_PORTAL: "Patient portal",
    Channel.STAFF_REFERRAL: "Referred by staff",
    CaseStatus.WAITING_ON_DEPARTMENT: "Waiting on department",
    CaseStatus.WAITING_ON_PATIENT: "Waiting on patient",
    Relationship.SPOUSE_OR_PARTNER: "Spouse or partner",
    Relationship.OTHER_FAMILY: "Other family member",
    Relationship.LEGAL_GUARDIAN: "Legal guardian",
    Relationship.OTHER_REPRESENTATIVE: "Other representative",
    DisclosureBasis.PATIENT_AUTHORIZATION: "Patient's written authorization on file",
    DisclosureBasis.PERSONAL_REPRESENTATIVE: "Personal representative (45 CFR 164.502(g))",
    DisclosureBasis.INVOLVED_IN_CARE: "Involved in care, patient does not object (164.510(b))",
    DisclosureBasis.NONE_ON_FILE: "No basis on file: do not discuss care",
    TimelineKind.PHONE_CALL: "Phone call",
    TimelineKind.EMAIL_RECEIVED: "Email received",
    TimelineKind.EMAIL_SENT: "Email sent",
    TimelineKind.STAFF_INTERVIEW: "Staff interview",
    TimelineKind.RECORD_REVIEW: "Medical record review",
    TimelineKind.DEPARTMENT_REQUEST: "Request to a department",
    TimelineKind.DEPARTMENT_RESPONSE: "Department response",
    TimelineKind.LETTER_SENT: "Letter sent",
    LetterStatus.SUBMITTED: "Submitted for approval",
    SendMethod.HAND: "By hand",
    SendMethod.PORTAL: "Patient portal",
    PaperFormat.US_LETTER: "US Letter, #10 window envelope",
    PaperFormat.A4: "A4, DIN 5008 window envelope",
    TimelineKind.STATUS_CHANGE: "Status change",
    Determination.PARTLY_UPHELD: "Partly upheld",
    Determination.NOT_UPHELD: "Not upheld",
}
