"""What a timeline entry is made of as typed or read from a file, and the checks it must pass."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Department, utcnow
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services import attachments
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.case_access import clean
from prdesk.domain.services.case_input import CLOCK_SKEW, DAMAGED_MESSAGE, damaged

SUMMARY_LIMIT = 300
PERSON_LIMIT = 200
# As long as an email address may be (RFC 5321), which is the longest sender there is.
SENDER_LIMIT = 320


@dataclass(frozen=True)
class NewTimelineEntry:
    kind: TimelineKind
    summary: str
    body: str = ""  # Markdown
    occurred_at: datetime | None = None  # now, when not given
    patient_facing: bool = False
    internal: bool = False
    people: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()
    sender: str = ""
    recipients: str = ""
    attachments: tuple[NewAttachment, ...] = ()


@dataclass(frozen=True)
class EntryChanges:
    """An entry's editable fields as the person left them: the whole new state, not a diff."""

    kind: TimelineKind
    summary: str
    body: str
    occurred_at: datetime
    patient_facing: bool
    internal: bool
    people: tuple[str, ...]
    department_ids: tuple[int, ...]
    sender: str = ""
    recipients: str = ""

    @classmethod
    def of(cls, entry: TimelineEntryInfo) -> EntryChanges:
        """The entry as it is saved, to start an edit from."""
        return cls(
            kind=entry.kind,
            summary=entry.summary,
            body=entry.body,
            occurred_at=entry.occurred_at,
            patient_facing=entry.patient_facing,
            internal=entry.internal,
            people=entry.people,
            department_ids=tuple(department.id for department in entry.departments),
            sender=entry.sender,
            recipients=entry.recipients,
        )


@dataclass(frozen=True)
class CheckedEntry:
    """An entry's values as they will be stored."""

    summary: str
    body: str
    occurred_at: datetime
    people: list[str]
    departments: list[Department]
    sender: str
    recipients: str


def mailbox(name: str, address: str) -> str:
    """A sender or recipient as an entry names them: "Name <address>", or whichever
    of the two is known."""
    name = " ".join(name.replace("\x00", "").split())
    address = address.replace("\x00", "").strip()
    if name and address and name.lower() != address.lower():
        if any(ch in name for ch in ',;:<>@"'):
            # Quoted, or "Lee, Ann" would read as two people in a list of recipients.
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{address}>"
    return address or name


def check_entry(
    session: Session,
    new: NewTimelineEntry | EntryChanges,
    system_kinds: Collection[TimelineKind],
    limit_bytes: int | None,
) -> CheckedEntry:
    """The entry's values cleaned, or ValidationError with a message per field."""
    errors: dict[str, str] = {}
    if new.kind.is_system and new.kind not in system_kinds:
        errors["kind"] = f"'{new.kind.label}' entries are added by PR Desk itself."
    summary = clean(new.summary)
    if not summary:
        errors["summary"] = "Write a one-line summary of the step."
    elif len(summary) > SUMMARY_LIMIT:
        errors["summary"] = (
            f"Keep the summary under {SUMMARY_LIMIT} characters; put the rest in the details."
        )
    now = utcnow()
    occurred_at = new.occurred_at or now
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    if occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = "A step cannot happen in the future."
    # Within the grace for workstation clocks the step is happening now; kept as later
    # than now, it would sort after steps that followed it.
    occurred_at = min(occurred_at, now)
    if new.patient_facing and new.internal:
        errors["internal"] = "An entry is either patient-facing or internal, not both."
    people = list(dict.fromkeys(name for name in map(clean, new.people) if name))
    too_long = next((name for name in people if len(name) > PERSON_LIMIT), None)
    if too_long is not None:
        errors["people"] = (
            f"“{too_long[:40]}…” is too long for a name; keep each under {PERSON_LIMIT} characters."
        )
    sender = clean(new.sender)
    if len(sender) > SENDER_LIMIT:
        errors["sender"] = f"Keep the sender under {SENDER_LIMIT} characters."
    ids = set(new.department_ids)
    departments = (
        list(session.scalars(select(Department).where(Department.id.in_(ids)))) if ids else []
    )
    if len(departments) != len(ids):
        errors["department_ids"] = "A chosen department no longer exists; choose again."
    if isinstance(new, NewTimelineEntry) and limit_bytes is not None:
        message = attachments.check_sizes(new.attachments, limit_bytes)
        if message:
            errors["attachments"] = message
    # Half a character (from a paste) cannot be stored: say where, rather than fail saving.
    typed = {
        "summary": new.summary,
        "body": new.body,
        "sender": new.sender,
        "recipients": new.recipients,
        "people": "".join(new.people),
    }
    for field, value in typed.items():
        if damaged(value):
            errors.setdefault(field, DAMAGED_MESSAGE)
    if errors:
        raise ValidationError.from_fields(errors)
    return CheckedEntry(
        summary=summary,
        body=new.body.replace("\x00", "").rstrip(),
        occurred_at=occurred_at.astimezone(UTC),
        people=people,
        departments=departments,
        sender=sender,
        recipients=new.recipients.replace("\x00", "").strip(),
    )
