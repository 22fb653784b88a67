"""Opening, viewing, changing and assigning cases."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit, deadlines, search_index
from prdesk.domain.case_numbers import next_case_number
from prdesk.domain.classification import classify
from prdesk.domain.enums import CaseStatus, Role, TimelineKind
from prdesk.domain.errors import PermissionDenied, ValidationError
from prdesk.domain.models import Case, Category, Department, Person, TimelineEntry, User, utcnow
from prdesk.domain.models.cases import sort_name
from prdesk.domain.permissions import Action, allowed, require
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.search_text import case_search_text
from prdesk.domain.services import intake_settings, notifications
from prdesk.domain.services.case_access import check_version, clean, get_case
from prdesk.domain.services.case_input import (
    CaseUpdate,
    NewCase,
    PersonInput,
    validate_new_case,
    validate_update,
)
from prdesk.domain.services.case_staff import record_staff
from prdesk.domain.services.case_status import (
    add_system_entry,
    move,
    set_clock,
)
from prdesk.domain.services.mapping import case_detail
from prdesk.domain.services.policy import deadline_policy
from prdesk.domain.workflow import WORKING


def open_case(session: Session, actor: UserInfo, new: NewCase) -> CaseDetail:
    """Logs a new case: gives it a number, classifies it and records who opened it."""
    require(actor.role, Action.OPEN_CASE)
    validate_new_case(new, mrn_format=intake_settings.mrn_format(session))
    if new.linked_case_id is not None and session.get(Case, new.linked_case_id) is None:
        raise ValidationError(
            "The case to link this one to no longer exists.", {"linked_case_id": "missing"}
        )
    received_at = new.received_at.astimezone(UTC) if new.received_at else utcnow()
    classification = classify(new.intake_facts)
    if new.grievance_override is not None and new.grievance_override != classification.is_grievance:
        # Overriding the CMS rules is a coordinator's call.
        if not allowed(actor.role, Action.ASSIGN_CASE):
            raise PermissionDenied(
                "Only a coordinator or administrator may override the grievance decision."
            )
        is_grievance, reason, overridden = new.grievance_override, clean(new.override_reason), True
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
        patient_sort_name=sort_name(patient.full_name),
        complainant=complainant,
        complainant_relationship=new.complainant_relationship if complainant else None,
        disclosure_basis=new.disclosure_basis if complainant else None,
        description=clean(new.description),
        desired_outcome=clean(new.desired_outcome),
        location=clean(new.location),
        staff_involved=clean(new.staff_involved),
        safety_concern=new.safety_concern,
        behavioural_alert=new.behavioural_alert,
        is_grievance=is_grievance,
        grievance_reason=reason,
        grievance_overridden=overridden,
        created_by_id=actor.id,
        departments=_departments(session, new.department_ids),
        categories=_categories(session, new.category_ids),
        linked_case_id=new.linked_case_id,
    )
    case.search_text = _search_text(case)
    # Deadlines come from the policy in force today; a later policy change leaves them be.
    policy = deadline_policy(session)
    received = deadlines.received_on(received_at)
    set_clock(
        case, deadlines.opened(policy, received, kind=new.kind, is_grievance=is_grievance), policy
    )
    session.add(case)
    session.flush()
    search_index.reindex(session, [case.id])
    record_staff(session.connection(), case.id, case.staff_involved)
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
        override_reason=reason if overridden else None,
        linked_case_id=new.linked_case_id,
    )
    if overridden:
        verdict = "a grievance" if is_grievance else "a complaint, not a grievance"
        session.add(
            TimelineEntry(
                case_id=case.id,
                kind=TimelineKind.STATUS_CHANGE,
                occurred_at=utcnow(),
                author_id=actor.id,
                summary=f"Classification overridden: handled as {verdict}",
                body=escape_plain(f"Reason: {reason}\nThe CMS rules said: {classification.reason}"),
                internal=True,
            )
        )
    if new.safety_concern:
        notifications.notify_safety_concern(session, actor, case)
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
    case = get_case(session, case_ref)
    if record_view:
        audit.record(session, actor, "view", "case", case.id, case_id=case.id)
    return case_detail(session, case)


def update_case(
    session: Session, actor: UserInfo, case_id: int, expected_version: int, update: CaseUpdate
) -> CaseDetail:
    require(actor.role, Action.EDIT_CASE)
    validate_update(update)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    before = {name: _auditable(case, name) for name in update.changed}
    raises_safety_concern = bool(update.safety_concern) and not case.safety_concern
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
            # Severity is a str enum too: only free text is cleaned, or it would lose its type.
            text = isinstance(value, str) and not isinstance(value, Enum)
            setattr(case, name, clean(value) if text else value)
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
    if update.staff_involved is not None:
        record_staff(session.connection(), case.id, case.staff_involved)
    after = {name: _auditable(case, name) for name in update.changed}
    audit.record(
        session, actor, "update", "case", case.id, case_id=case.id, before=before, after=after
    )
    if raises_safety_concern:
        notifications.notify_safety_concern(session, actor, case)
    return case_detail(session, case)


def assign_case(
    session: Session, actor: UserInfo, case_id: int, expected_version: int, assignee_id: int | None
) -> CaseDetail:
    """Gives the case to a representative (or takes it back when None)."""
    require(actor.role, Action.ASSIGN_CASE)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    _assign(session, actor, case, assignee_id)
    return case_detail(session, case)


def _assign(session: Session, actor: UserInfo, case: Case, assignee_id: int | None) -> None:
    previous = case.assignee.display_name if case.assignee else None
    previous_id = case.assignee_id
    if assignee_id is None:
        if case.status in WORKING:
            raise ValidationError(
                f"A case that is '{case.status.label}' needs someone on it: assign it to "
                "another person instead, or move it on first.",
                {"assignee": "required"},
            )
        case.assignee = None
        if case.status is CaseStatus.ASSIGNED:
            # "Assigned" to nobody would sit in the Unassigned view under the wrong status.
            case.status = CaseStatus.NEW
            add_system_entry(session, actor, case, "Status changed from Assigned to New")
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
    current = case.assignee.display_name if case.assignee else None
    if assignee_id == previous_id:
        return  # nothing changed: nothing to record
    # Who had the case when is part of its record, not only of the audit log.
    if current is None:
        add_system_entry(session, actor, case, f"Unassigned (was with {previous})")
    elif previous is None:
        add_system_entry(session, actor, case, f"Assigned to {current}")
    else:
        add_system_entry(session, actor, case, f"Reassigned from {previous} to {current}")
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


def _change_status(
    session: Session, actor: UserInfo, case: Case, target: CaseStatus, override_reason: str = ""
) -> None:
    # The move, its timeline entry and the deadlines it stops, restarts or moves.
    move(session, actor, case, target, override_reason=override_reason)


def change_status(
    session: Session,
    actor: UserInfo,
    case_id: int,
    expected_version: int,
    status: CaseStatus,
    *,
    override_reason: str = "",
) -> CaseDetail:
    """Moves a case along its workflow.

    Closing a grievance whose written response has not been sent needs a coordinator
    and `override_reason`, which is kept on the case, its timeline and the audit log.
    """
    require(actor.role, Action.EDIT_CASE)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    previous = case.status
    if status is not previous:
        _change_status(session, actor, case, CaseStatus(status), override_reason)
        case.updated_at = utcnow()
        session.flush()
        audit.record(
            session, actor, "update", "case", case.id, case_id=case.id,
            before={"status": previous}, after={"status": case.status},
        )  # fmt: skip
    return case_detail(session, case)


def _new_person(data: PersonInput) -> Person:
    return Person(
        full_name=clean(data.full_name),
        salutation_name=clean(data.salutation_name),
        date_of_birth=data.date_of_birth,
        medical_record_number=clean(data.medical_record_number) or None,
        phone=clean(data.phone),
        email=clean(data.email),
        address_line1=clean(data.address_line1),
        address_line2=clean(data.address_line2),
        city=clean(data.city),
        region=clean(data.region),
        postal_code=clean(data.postal_code),
        country=clean(data.country),
        preferred_language=data.preferred_language or "en",
        contact_preference=data.contact_preference,
    )


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
