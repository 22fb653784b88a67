"""The same patient with a case still open: found while intake is typed, and linked instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from prdesk.domain.enums import (
    FINISHED_STATUSES,
    CaseKind,
    CaseStatus,
    Channel,
    Severity,
    TimelineKind,
)
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.models import Case, Person
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.search_text import fold
from prdesk.domain.services import case_decisions, cases, timeline
from prdesk.domain.services.case_input import CaseUpdate, NewCase
from prdesk.domain.services.timeline_input import SUMMARY_LIMIT, NewTimelineEntry

# A panel, not a report: a patient with more open cases than this has bigger problems.
MATCH_LIMIT = 10
SUMMARY_CHARS = 140

_CONTACT_KINDS = {
    Channel.PHONE: TimelineKind.PHONE_CALL,
    Channel.EMAIL: TimelineKind.EMAIL_RECEIVED,
}


@dataclass(frozen=True)
class PossibleDuplicate:
    """An open case about the same patient.

    Attributes:
        matched_on: "mrn" (same medical record number) or "name" (same name and birth date).
    """

    case_id: int
    number: str
    status: CaseStatus
    received_at: datetime
    patient_name: str
    summary: str
    matched_on: str


def find_duplicates(
    session: Session, full_name: str, date_of_birth: date | None, mrn: str
) -> list[PossibleDuplicate]:
    """Open cases whose patient has this record number, or this name (ignoring accents and
    case) and date of birth; newest first."""
    mrn = mrn.strip()
    folded = fold(full_name)
    conditions: list[ColumnElement[bool]] = []
    if mrn:
        # A few spellings rather than upper(): the record-number index stays usable.
        conditions.append(Person.medical_record_number.in_({mrn, mrn.upper(), mrn.lower()}))
    if folded and date_of_birth is not None:
        conditions.append(Person.date_of_birth == date_of_birth)
    if not conditions:
        return []
    rows = session.execute(
        select(Case.id, Case.number, Case.status, Case.received_at, Case.description)
        .add_columns(Person.full_name, Person.medical_record_number, Person.date_of_birth)
        .join(Person, Person.id == Case.patient_id)
        .where(Case.status.not_in(FINISHED_STATUSES))
        .where(or_(*conditions))
        .order_by(Case.received_at.desc(), Case.id.desc())
    ).all()
    found: list[PossibleDuplicate] = []
    for case_id, number, status, received_at, description, name, row_mrn, born in rows:
        if mrn and row_mrn and row_mrn.casefold() == mrn.casefold():
            matched_on = "mrn"
        elif folded and born == date_of_birth and fold(name) == folded:
            matched_on = "name"
        else:
            continue
        found.append(
            PossibleDuplicate(
                case_id=case_id,
                number=number,
                status=status,
                received_at=received_at,
                patient_name=name,
                summary=_summary(description),
                matched_on=matched_on,
            )
        )
        if len(found) == MATCH_LIMIT:
            break
    return found


def add_contact_to_case(
    session: Session, actor: UserInfo, case_id: int, new: NewCase
) -> CaseDetail:
    """Logs a repeat contact on the open case it is about, instead of opening another case.

    What was typed becomes a timeline entry (a phone call, a received email, or a
    note); a safety concern raised in the contact flags the case, which escalates it.
    """
    if not new.description.strip():
        raise ValidationError.from_fields(
            {"description": "Describe what happened, in the complainant's words."}
        )
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"Case {case_id} does not exist (it may have been deleted).")
    who = new.complainant.full_name if new.complainant else new.patient.full_name
    summary = f"{new.channel.label} contact from {who.strip() or 'the patient'}"
    body = new.description.strip()
    if new.desired_outcome.strip():
        body += f"\n\nWould like: {new.desired_outcome.strip()}"
    # Nothing typed is lost: who raised it and how to reach them go on the entry.
    body += _raised_by(new)
    written = new.channel.is_written and case.kind is CaseKind.COMPLAINT and not case.is_grievance
    if written and not allowed(actor.role, Action.ASSIGN_CASE):
        body += (
            "\n\nThis contact came in writing: a coordinator should consider handling the "
            "case as a grievance."
        )
    timeline.add_entry(
        session,
        actor,
        case.id,
        NewTimelineEntry(
            kind=_CONTACT_KINDS.get(new.channel, TimelineKind.NOTE),
            summary=summary[:SUMMARY_LIMIT],
            body=escape_plain(body),
            occurred_at=new.received_at,
        ),
    )
    # What the contact raises the case to: a flag set, a higher severity. It never
    # lowers what the case already had.
    raised = CaseUpdate(
        safety_concern=True if new.safety_concern and not case.safety_concern else None,
        behavioural_alert=True if new.behavioural_alert and not case.behavioural_alert else None,
        severity=new.severity if _SEVERITY.index(new.severity) > _SEVERITY.index(case.severity)
        else None,
    )  # fmt: skip
    if raised.changed:
        cases.update_case(session, actor, case.id, case.version, raised)
    if written and allowed(actor.role, Action.ASSIGN_CASE):
        # A written complaint is always a grievance (42 CFR 482.13(a)(2)).
        current = session.get(Case, case.id)
        assert current is not None
        case_decisions.reclassify_case(
            session, actor, case.id, current.version, True,
            f"The complaint came in writing ({new.channel.label.lower()}): a written complaint "
            "is always a grievance.",
        )  # fmt: skip
    return cases.view_case(session, actor, case.id, record_view=False)


_SEVERITY = list(Severity)


def _raised_by(new: NewCase) -> str:
    person = new.complainant or new.patient
    reach = ", ".join(part.strip() for part in (person.phone, person.email) if part.strip())
    address = ", ".join(
        part.strip()
        for part in (person.address_line1, person.address_line2, person.city, person.region,
                     person.postal_code, person.country)
        if part.strip()
    )  # fmt: skip
    lines = [f"Raised by: {person.full_name.strip() or 'the patient'}"]
    if new.complainant is not None and new.complainant_relationship is not None:
        lines[0] += f" ({new.complainant_relationship.label.lower()})"
    if reach:
        lines.append(f"Contact: {reach}")
    if address:
        lines.append(f"Address: {address}")
    if new.complainant is not None and new.disclosure_basis is not None:
        lines.append(f"May discuss care: {new.disclosure_basis.label}")
    return "\n\n" + "\n".join(lines)


def _summary(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
