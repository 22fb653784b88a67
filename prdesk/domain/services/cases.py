"""Opening, viewing, changing and assigning cases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit, search_index
from prdesk.domain.case_numbers import next_case_number
from prdesk.domain.classification import classify
from prdesk.domain.enums import CaseStatus, Role, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import Case, Category, Department, Person, TimelineEntry, User, utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.search_text import case_search_text
from prdesk.domain.services.case_input import (
    CaseUpdate,
    NewCase,
    PersonInput,
    validate_new_case,
    validate_update,
)
from prdesk.domain.services.mapping import case_detail, load_case
from prdesk.domain.workflow import WORKING, check_transition


def open_case(session: Session, actor: UserInfo, new: NewCase) -> CaseDetail:
    """Logs a new case: gives it a number, classifies it and records who opened it."""
    require(actor.role, Action.OPEN_CASE)
    validate_new_case(new)
    received_at = new.received_at.astimezone(UTC) if new.received_at else utcnow()
    classification = classify(new.intake_facts)
    if new.grievance_override is not None and new.grievance_override != classification.is_grievance:
        require(actor.role, Action.ASSIGN_CASE)  # overriding CMS rules is a coordinator's call
        is_grievance, reason, overridden = new.grievance_override, _clean(new.override_reason), True
    else:
        is_grievance, reason, overridden = classification.is_grievance, classification.reason, False

    patient = _new_person(new.patient)
    complainant = _new_person(new.complainant) if new.complainant else None
    case = Case(
        number=next_case_number(session, datetime.now().astimezone().year),
        kind=new.kind,
        channel=new.channel,
        received_at=received_at,
        status=CaseStatus.NEW,
        severity=new.severity,
        patient=patient,
        complainant=complainant,
        complainant_relationship=new.complainant_relationship if complainant else None,
        disclosure_basis=new.disclosure_basis if complainant else None,
        description=_clean(new.description),
        desired_outcome=_clean(new.desired_outcome),
        location=_clean(new.location),
        staff_involved=_clean(new.staff_involved),
        safety_concern=new.safety_concern,
        behavioural_alert=new.behavioural_alert,
        is_grievance=is_grievance,
        grievance_reason=reason,
        grievance_overridden=overridden,
        created_by_id=actor.id,
        departments=_departments(session, new.department_ids),
        categories=_categories(session, new.category_ids),
    )
    case.search_text = _search_text(case)
    session.add(case)
    session.flush()
    search_index.reindex(session, [case.id])
    audit.record(
        session,
        actor,
        "create",
        "case",
        case.id,
        case_id=case.id,
        number=case.number,
        kind=case.kind,
        grievance=is_grievance,
        overridden=overridden,
    )
    if new.assignee_id is not None:
        require(actor.role, Action.ASSIGN_CASE)
        _assign(session, actor, case, new.assignee_id)
    return case_detail(session, case)


def view_case(
    session: Session, actor: UserInfo, case_ref: int | str, *, record_view: bool = True
) -> CaseDetail:
    """A case by id or number; opening it is recorded in the audit log (HIPAA).

    A screen that already has the case open and only refreshes it after a change
    passes `record_view=False`: that is not a new opening.
    """
    require(actor.role, Action.VIEW_CASE)
    case = _get_case(session, case_ref)
    if record_view:
        audit.record(session, actor, "view", "case", case.id, case_id=case.id)
    return case_detail(session, case)


def update_case(
    session: Session, actor: UserInfo, case_id: int, expected_version: int, update: CaseUpdate
) -> CaseDetail:
    require(actor.role, Action.EDIT_CASE)
    validate_update(update)
    case = _get_case(session, case_id)
    _check_version(case, expected_version)
    before = {name: _auditable(case, name) for name in update.changed}
    if update.status is not None and update.status != case.status:
        _change_status(session, actor, case, update.status)
    for name in (
        "severity",
        "description",
        "desired_outcome",
        "location",
        "staff_involved",
        "safety_concern",
        "behavioural_alert",
    ):
        value = getattr(update, name)
        if value is not None:
            setattr(case, name, _clean(value) if isinstance(value, str) else value)
    if update.department_ids is not None:
        case.departments = _departments(session, update.department_ids)
    if update.category_ids is not None:
        case.categories = _categories(session, update.category_ids)
    case.search_text = _search_text(case)
    # Changing only departments or categories writes no cases row, and so would not
    # bump the version: touching updated_at makes every edit a versioned UPDATE.
    case.updated_at = utcnow()
    session.flush()
    search_index.reindex(session, [case.id])
    after = {name: _auditable(case, name) for name in update.changed}
    audit.record(
        session, actor, "update", "case", case.id, case_id=case.id, before=before, after=after
    )
    return case_detail(session, case)


def assign_case(
    session: Session, actor: UserInfo, case_id: int, expected_version: int, assignee_id: int | None
) -> CaseDetail:
    """Gives the case to a representative (or takes it back when None)."""
    require(actor.role, Action.ASSIGN_CASE)
    case = _get_case(session, case_id)
    _check_version(case, expected_version)
    _assign(session, actor, case, assignee_id)
    return case_detail(session, case)


def _assign(session: Session, actor: UserInfo, case: Case, assignee_id: int | None) -> None:
    previous = case.assignee.display_name if case.assignee else None
    if assignee_id is None:
        if case.status in WORKING:
            raise ValidationError(
                f"A case that is '{case.status.label}' needs someone on it: assign it to "
                "another person instead, or move it on first.",
                {"assignee": "required"},
            )
        case.assignee = None
    else:
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.active:
            raise ValidationError(
                "Choose an active user to assign the case to.", {"assignee": "inactive"}
            )
        if assignee.role not in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.REPRESENTATIVE):
            raise ValidationError(
                f"{assignee.display_name} is a {assignee.role.label.lower()} and cannot work cases.",
                {"assignee": "role"},
            )
        case.assignee = assignee
        if case.status is CaseStatus.NEW:
            _change_status(session, actor, case, CaseStatus.ASSIGNED)
    session.flush()
    audit.record(
        session,
        actor,
        "assign",
        "case",
        case.id,
        case_id=case.id,
        before=previous,
        after=case.assignee.display_name if case.assignee else None,
    )


def _change_status(session: Session, actor: UserInfo, case: Case, target: CaseStatus) -> None:
    check_transition(case.status, target, has_assignee=case.assignee is not None)
    previous = case.status
    case.status = target
    case.closed_at = utcnow() if target is CaseStatus.CLOSED else None
    # Status changes are written to the timeline by the application itself.
    session.add(
        TimelineEntry(
            case_id=case.id,
            kind=TimelineKind.STATUS_CHANGE,
            occurred_at=utcnow(),
            author_id=actor.id,
            summary=f"Status changed from {previous.label} to {target.label}",
            internal=True,
        )
    )


def _get_case(session: Session, case_ref: int | str) -> Case:
    if isinstance(case_ref, str):
        number = case_ref.strip().upper()
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        if case_id is None:
            raise NotFound(f"No case numbered {case_ref.strip()}.")
    else:
        case_id = case_ref
    case = load_case(session, case_id)
    if case is None:
        raise NotFound(f"Case {case_ref} does not exist (it may have been deleted).")
    return case


def _check_version(case: Case, expected_version: int) -> None:
    if case.version != expected_version:
        raise ConflictError(
            f"Case {case.number} was changed by someone else since you opened it. "
            "Reload it to see their changes, then make yours again."
        )


def _new_person(data: PersonInput) -> Person:
    return Person(
        full_name=_clean(data.full_name),
        salutation_name=_clean(data.salutation_name),
        date_of_birth=data.date_of_birth,
        medical_record_number=_clean(data.medical_record_number) or None,
        phone=_clean(data.phone),
        email=_clean(data.email),
        address_line1=_clean(data.address_line1),
        address_line2=_clean(data.address_line2),
        city=_clean(data.city),
        region=_clean(data.region),
        postal_code=_clean(data.postal_code),
        country=_clean(data.country),
        preferred_language=data.preferred_language or "en",
        contact_preference=data.contact_preference,
    )


def _clean(text: str) -> str:
    # PostgreSQL cannot store NUL characters; they come only from odd pastes and mean nothing.
    return text.replace("\x00", "").strip()


def _departments(session: Session, ids: tuple[int, ...]) -> list[Department]:
    found = list(session.scalars(select(Department).where(Department.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationError("A chosen department no longer exists.", {"departments": "missing"})
    return found


def _categories(session: Session, ids: tuple[int, ...]) -> list[Category]:
    found = list(session.scalars(select(Category).where(Category.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationError("A chosen category no longer exists.", {"categories": "missing"})
    return found


def _search_text(case: Case) -> str:
    people = [p for p in (case.patient, case.complainant) if p is not None]
    return case_search_text(
        case.number,
        [(p.full_name, p.medical_record_number, p.phone, p.email) for p in people],
        case.description,
        case.desired_outcome,
    )


_COLLECTIONS = {"department_ids": "departments", "category_ids": "categories"}


def _auditable(case: Case, field_name: str) -> object:
    """A field's value as the audit log keeps it (names for departments and categories)."""
    if field_name in _COLLECTIONS:
        return [item.name for item in getattr(case, _COLLECTIONS[field_name])]
    return getattr(case, field_name)
