"""Turning ORM rows into the frozen read models the rest of the application sees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from prdesk.domain.enums import SendMethod
from prdesk.domain.models import Case, Letter, Person, User
from prdesk.domain.readmodels import (
    CaseDetail,
    LetterInfo,
    PersonInfo,
    Reference,
    UserInfo,
)
from prdesk.domain.services.timeline_reading import case_requests, case_timeline


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        job_title=user.job_title,
        email=user.email,
        phone=user.phone,
        active=user.active,
    )


def address_lines(person: Person) -> tuple[str, ...]:
    """Postal address lines, skipping blanks ("Springfield, IL 62704" on one line)."""
    locality = " ".join(part for part in (person.region, person.postal_code) if part)
    city_line = ", ".join(part for part in (person.city, locality) if part)
    lines = (person.address_line1, person.address_line2, city_line, person.country)
    return tuple(line for line in lines if line)


def person_info(person: Person) -> PersonInfo:
    return PersonInfo(
        id=person.id,
        full_name=person.full_name,
        salutation_name=person.salutation_name,
        date_of_birth=person.date_of_birth,
        medical_record_number=person.medical_record_number,
        phone=person.phone,
        email=person.email,
        address_lines=address_lines(person),
        preferred_language=person.preferred_language,
        contact_preference=person.contact_preference,
        version=person.version,
    )


def letter_info(
    letter: Letter, created_by: User, case_number: str, *, approved_by: User | None = None
) -> LetterInfo:
    return LetterInfo(
        id=letter.id,
        case_id=letter.case_id,
        case_number=case_number,
        template_key=letter.template_key,
        language=letter.language,
        status=letter.status,
        subject=letter.subject,
        recipient_name=letter.recipient_name,
        recipient_address=tuple(line for line in letter.recipient_address.split("\n") if line),
        salutation=letter.salutation,
        body=letter.body,
        signatory_name=letter.signatory_name,
        signatory_title=letter.signatory_title,
        created_at=letter.created_at,
        created_by_name=created_by.display_name,
        version=letter.version,
        copies_to=tuple(line for line in letter.copies_to.split("\n") if line.strip()),
        template_version=letter.template_version,
        signatory_id=letter.signatory_id,
        updated_at=letter.updated_at,
        submitted_at=letter.submitted_at,
        approved_at=letter.approved_at,
        approved_by_name=approved_by.display_name if approved_by else "",
        finalised_at=letter.finalised_at,
        sent_on=letter.sent_on,
        sent_via=_send_method(letter.sent_via),
        sent_by_name=letter.sent_by_name,
        sent_at=letter.sent_at,
        pdf_sha256=letter.pdf_sha256,
        corrects_letter_id=letter.corrects_letter_id,
        compliance_override=letter.compliance_override,
    )


def _send_method(value: str) -> SendMethod | None:
    # Letters recorded as sent before the ways of sending were fixed may say anything.
    try:
        return SendMethod(value) if value else None
    except ValueError:
        return None


def load_case(session: Session, case_id: int) -> Case | None:
    """The case with everything its detail view needs, loaded in a few queries."""
    return session.execute(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.patient),
            selectinload(Case.complainant),
            selectinload(Case.assignee),
            selectinload(Case.created_by),
            selectinload(Case.departments),
            selectinload(Case.categories),
        )
    ).scalar_one_or_none()


def case_detail(session: Session, case: Case) -> CaseDetail:
    letters = session.scalars(
        select(Letter)
        .where(Letter.case_id == case.id)
        .order_by(Letter.created_at, Letter.id)
        .options(selectinload(Letter.created_by), selectinload(Letter.approved_by))
    ).all()
    return CaseDetail(
        id=case.id,
        number=case.number,
        kind=case.kind,
        channel=case.channel,
        status=case.status,
        severity=case.severity,
        received_at=case.received_at,
        patient=person_info(case.patient),
        complainant=person_info(case.complainant) if case.complainant else None,
        complainant_relationship=case.complainant_relationship,
        disclosure_basis=case.disclosure_basis,
        description=case.description,
        desired_outcome=case.desired_outcome,
        location=case.location,
        staff_involved=case.staff_involved,
        safety_concern=case.safety_concern,
        behavioural_alert=case.behavioural_alert,
        is_grievance=case.is_grievance,
        grievance_reason=case.grievance_reason,
        grievance_overridden=case.grievance_overridden,
        departments=tuple(Reference(d.id, d.name) for d in case.departments),
        categories=tuple(Reference(c.id, c.path) for c in case.categories),
        assignee=user_info(case.assignee) if case.assignee else None,
        created_by=user_info(case.created_by),
        created_at=case.created_at,
        updated_at=case.updated_at,
        timeline=case_timeline(session, case.id),
        letters=tuple(
            letter_info(letter, letter.created_by, case.number, approved_by=letter.approved_by)
            for letter in letters
        ),
        version=case.version,
        acknowledge_due_on=case.acknowledge_due_on,
        acknowledged_on=case.acknowledged_on,
        response_due_on=case.response_due_on,
        due_on=case.due_on,
        clock_paused_on=case.clock_paused_on,
        closure_override_reason=case.closure_override_reason,
        linked_case=_linked_case(session, case.linked_case_id),
        requests=case_requests(session, case.id),
        findings=case.findings,
        actions_taken=case.actions_taken,
        determination=case.determination,
    )


def _linked_case(session: Session, case_id: int | None) -> Reference | None:
    if case_id is None:
        return None
    number = session.scalar(select(Case.number).where(Case.id == case_id))
    return Reference(case_id, number) if number else None
