"""Requests to departments for a statement or review: asking, the answer, and escalating.

A request is three timeline entries tied together by a DepartmentRequest row: the
request itself, the department's response when it comes, and an escalation to the
backup reviewer when it does not. The row says what is still outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.deadline_policy import add_working_days
from prdesk.domain.deadlines import long_date
from prdesk.domain.enums import FINISHED_STATUSES, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import Case, DepartmentRequest, TimelineEntry, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import DepartmentRequestInfo, UserInfo
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.services import timeline
from prdesk.domain.services.case_input import email_problem
from prdesk.domain.services.organisation import contacts_of
from prdesk.domain.services.policy import deadline_policy
from prdesk.domain.services.timeline_input import SUMMARY_LIMIT, NewTimelineEntry, mailbox
from prdesk.domain.services.timeline_reading import requests_where

# A week of the department's working days: long enough to gather a statement,
# short enough that a request nobody answers shows before the case's own deadline.
WORKING_DAYS_TO_ANSWER = 5
NAME_LIMIT = 200  # the columns' length


@dataclass(frozen=True)
class NewRequest:
    """What is asked of which department, by when.

    Attributes:
        body: Markdown, as the timeline entry keeps it.
        addressed_to, backup_reviewer: empty means the department's manager and backup.
        occurred_at: when the request was made (now when None).
    """

    department_id: int
    summary: str
    due_on: date
    body: str = ""
    addressed_to: str = ""
    addressed_email: str = ""
    backup_reviewer: str = ""
    backup_email: str = ""
    occurred_at: datetime | None = None


def default_due_on(session: Session, today: date) -> date:
    """When a request made today is due: WORKING_DAYS_TO_ANSWER working days on,
    counted on the deadline policy's holiday calendar."""
    return add_working_days(today, WORKING_DAYS_TO_ANSWER, deadline_policy(session).calendar)


def request_statement(
    session: Session, actor: UserInfo, case_id: int, new: NewRequest
) -> DepartmentRequestInfo:
    """Asks a department for a statement or review: a timeline entry and the request it makes."""
    require(actor.role, Action.ADD_TIMELINE_ENTRY)
    contacts = contacts_of(session, new.department_id)
    addressed_to, addressed_email = _or_contact(
        new.addressed_to, new.addressed_email, contacts.manager_name, contacts.manager_email
    )
    backup, backup_email = _or_contact(
        new.backup_reviewer, new.backup_email, contacts.backup_name, contacts.backup_email
    )
    errors: dict[str, str] = {}
    if not new.summary.strip():
        errors["summary"] = "Say what the department is asked for, in one line."
    if not addressed_to:
        errors["addressed_to"] = (
            f"{contacts.name} has no manager on record: name the person the request goes to."
        )
    for field, name in (("addressed_to", addressed_to), ("backup_reviewer", backup)):
        if len(name) > NAME_LIMIT:
            errors[field] = f"Keep the name under {NAME_LIMIT} characters."
    for field, address in (("addressed_email", addressed_email), ("backup_email", backup_email)):
        if address and (problem := email_problem(address)):
            errors[field] = problem
    if new.due_on < date.today():
        errors["due_on"] = "The answer cannot be due before today."
    if errors:
        raise ValidationError.from_fields(errors)
    entry = timeline.record_entry(
        session,
        actor,
        case_id,
        NewTimelineEntry(
            kind=TimelineKind.DEPARTMENT_REQUEST,
            summary=new.summary,
            body=new.body,
            occurred_at=new.occurred_at,
            department_ids=(contacts.id,),
            recipients=mailbox(addressed_to, addressed_email),
        ),
    )
    request = DepartmentRequest(
        case_id=entry.case_id,
        department_id=contacts.id,
        request_entry_id=entry.id,
        addressed_to=addressed_to,
        addressed_email=addressed_email,
        backup_reviewer=backup,
        backup_email=backup_email,
        due_on=new.due_on,
    )
    session.add(request)
    session.flush()
    audit.record(
        session, actor, "create", "department_request", request.id, case_id=request.case_id,
        department=contacts.name, addressed_to=addressed_to, due_on=new.due_on,
    )  # fmt: skip
    return _info(session, request.id)


def record_response(
    session: Session,
    actor: UserInfo,
    request_id: int,
    expected_version: int,
    summary: str,
    body: str = "",
    occurred_at: datetime | None = None,
) -> DepartmentRequestInfo:
    """The department's answer, as a timeline entry linked to the request it answers."""
    request, current = _outstanding(session, actor, request_id, expected_version)
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = "Say in one line what the department said."
    # Times are typed to the minute: a response in the request's own minute is fine.
    if occurred_at is not None and occurred_at < current.requested_at.replace(
        second=0, microsecond=0
    ):
        asked = long_date(current.requested_at.astimezone().date())
        errors["occurred_at"] = f"The response cannot have come before the request of {asked}."
    if errors:
        raise ValidationError.from_fields(errors)
    entry = timeline.record_entry(
        session,
        actor,
        request.case_id,
        NewTimelineEntry(
            kind=TimelineKind.DEPARTMENT_RESPONSE,
            summary=summary,
            body=body,
            occurred_at=occurred_at,
            department_ids=(request.department_id,),
            sender=mailbox(request.addressed_to, request.addressed_email),
        ),
    )
    request.response_entry_id = entry.id
    request.answered_at = entry.occurred_at
    session.flush()
    audit.record(
        session, actor, "respond", "department_request", request.id, case_id=request.case_id,
        response_entry_id=entry.id,
    )  # fmt: skip
    return _info(session, request.id)


def escalate(
    session: Session, actor: UserInfo, request_id: int, expected_version: int, note: str = ""
) -> DepartmentRequestInfo:
    """Takes an unanswered request to the backup reviewer; `note` is plain text, as typed."""
    request, current = _outstanding(session, actor, request_id, expected_version)
    department = current.department.name
    if not request.backup_reviewer:
        raise ValidationError.from_fields(
            {
                "backup_reviewer": f"The request to {department} names no backup reviewer to "
                "escalate to. Ask an administrator to record one for the department, or "
                "follow it up with the manager."
            }
        )
    if request.escalated_at is not None:
        raise ValidationError.from_fields(
            {
                "escalation": f"This request was escalated to {request.backup_reviewer} on "
                f"{long_date(request.escalated_at.astimezone().date())} already."
            }
        )
    asked_on = long_date(current.requested_at.astimezone().date())
    summary = (
        f"Escalated to {request.backup_reviewer} — {department} has not answered "
        f"the request of {asked_on}"
    )
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
    entry = timeline.record_entry(
        session,
        actor,
        request.case_id,
        NewTimelineEntry(
            kind=TimelineKind.ESCALATION,
            summary=summary,
            body=escape_plain(note.strip()),
            internal=True,
            department_ids=(request.department_id,),
            recipients=mailbox(request.backup_reviewer, request.backup_email),
        ),
    )
    request.escalation_entry_id = entry.id
    request.escalated_at = entry.occurred_at
    session.flush()
    audit.record(
        session, actor, "escalate", "department_request", request.id, case_id=request.case_id,
        to=request.backup_reviewer, escalation_entry_id=entry.id,
    )  # fmt: skip
    return _info(session, request.id)


def outstanding_requests(
    session: Session,
    actor: UserInfo,
    *,
    overdue_on: date | None = None,
    department_id: int | None = None,
) -> tuple[DepartmentRequestInfo, ...]:
    """Unanswered requests on open cases, the one due first first.

    `overdue_on`: only those due before that day. A request whose entry was deleted
    was withdrawn; one on a finished case is no longer waited for.
    """
    require(actor.role, Action.VIEW_CASE)
    condition: ColumnElement[bool] = (
        DepartmentRequest.answered_at.is_(None)
        & TimelineEntry.deleted_at.is_(None)
        & Case.status.not_in(FINISHED_STATUSES)
    )
    if overdue_on is not None:
        condition = condition & (DepartmentRequest.due_on < overdue_on)
    if department_id is not None:
        condition = condition & (DepartmentRequest.department_id == department_id)
    return requests_where(session, condition)


def _request(session: Session, request_id: int) -> tuple[DepartmentRequest, DepartmentRequestInfo]:
    # Locked until commit: of two answers saved at once, the second waits for the first
    # and is then told who answered, instead of both passing the checks.
    request = session.get(
        DepartmentRequest, request_id, with_for_update=True, populate_existing=True
    )
    found = requests_where(session, DepartmentRequest.id == request_id)
    if request is None or not found:
        raise NotFound("The request does not exist (it may have been deleted).")
    if session.scalar(
        select(TimelineEntry.deleted_at).where(TimelineEntry.id == request.request_entry_id)
    ):
        raise NotFound(
            f"The request to {found[0].department.name} was deleted from the timeline. "
            "Restore it first."
        )
    return request, found[0]


def _outstanding(
    session: Session, actor: UserInfo, request_id: int, expected_version: int
) -> tuple[DepartmentRequest, DepartmentRequestInfo]:
    """The request, locked, when it still waits for an answer and is as this person saw it."""
    require(actor.role, Action.ADD_TIMELINE_ENTRY)
    request, current = _request(session, request_id)
    if request.answered_at is not None:
        raise ConflictError(_answered_by(session, request, current))
    if request.version != expected_version:
        raise ConflictError(
            f"The request to {current.department.name} was changed by someone else since "
            "you opened the case. Reload it to see what changed."
        )
    return request, current


def _answered_by(
    session: Session, request: DepartmentRequest, current: DepartmentRequestInfo
) -> str:
    who = session.scalar(
        select(User.display_name)
        .join(TimelineEntry, TimelineEntry.author_id == User.id)
        .where(TimelineEntry.id == request.response_entry_id)
    )
    when = long_date(request.answered_at.astimezone().date()) if request.answered_at else ""
    return (
        f"{who or 'Someone'} already recorded {current.department.name}'s response"
        f"{f' of {when}' if when else ''}. Reload the case to see it."
    )


def _info(session: Session, request_id: int) -> DepartmentRequestInfo:
    return requests_where(session, DepartmentRequest.id == request_id)[0]


def _or_contact(name: str, email: str, contact: str, contact_email: str) -> tuple[str, str]:
    """The person named, or else the department's contact (with their address, unless
    another was typed): someone named instead of the contact keeps only the address typed."""
    name = _one_line(name)
    if name:
        return name, email.strip()
    return contact, email.strip() or contact_email


def _one_line(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())
