"""The same patient with a case still open: found while intake is typed, and linked instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from prdesk.domain.enums import FINISHED_STATUSES, CaseStatus, Channel, TimelineKind
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.models import Case, Person
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.search_text import fold
from prdesk.domain.services import cases, timeline
from prdesk.domain.services.case_input import CaseUpdate, NewCase
from prdesk.domain.services.timeline import SUMMARY_LIMIT, NewTimelineEntry

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
    timeline.add_entry(
        session,
        actor,
        case.id,
        NewTimelineEntry(
            kind=_CONTACT_KINDS.get(new.channel, TimelineKind.NOTE),
            summary=summary[:SUMMARY_LIMIT],
            body=body,
            occurred_at=new.received_at,
        ),
    )
    if new.safety_concern and not case.safety_concern:
        return cases.update_case(
            session, actor, case.id, case.version, CaseUpdate(safety_concern=True)
        )
    return cases.view_case(session, actor, case.id, record_view=False)


def _summary(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
