"""Reading a case's timeline and requests into read models, in a handful of queries.

A case under long investigation holds thousands of entries; loading them through
the ORM's object graph would cost more than the rest of the case together.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, or_, select
from sqlalchemy.orm import Session, aliased

from prdesk.domain.errors import NotFound
from prdesk.domain.models import (
    Attachment,
    Blob,
    Case,
    Department,
    DepartmentRequest,
    TimelineEntry,
    User,
    timeline_entry_departments,
)
from prdesk.domain.readmodels import (
    AttachmentInfo,
    DepartmentRequestInfo,
    Reference,
    TimelineEntryInfo,
)


def case_timeline(session: Session, case_id: int) -> tuple[TimelineEntryInfo, ...]:
    """The case's entries, oldest first; deleted ones are left out."""
    return entries_where(session, TimelineEntry.case_id == case_id)


def entry_info(session: Session, entry_id: int) -> TimelineEntryInfo:
    """One entry as it is now, deleted or not (undo shows what it restores)."""
    found = entries_where(session, TimelineEntry.id == entry_id, deleted=True)
    if not found:
        raise NotFound("This timeline entry no longer exists.")
    return found[0]


def entries_where(
    session: Session, condition: ColumnElement[bool], *, deleted: bool = False
) -> tuple[TimelineEntryInfo, ...]:
    """Entries matching `condition`, oldest first; deleted ones only when asked for.

    Plain rows rather than ORM objects, and the entries' departments, files and
    requests each in one query over the same condition: a case with thousands of
    entries then costs four queries, not thousands, and no identity map to fill.
    """
    if not deleted:
        condition = condition & TimelineEntry.deleted_at.is_(None)
    matching = select(TimelineEntry.id).where(condition).scalar_subquery()
    author = aliased(User)
    editor = aliased(User)
    rows = session.execute(
        select(
            TimelineEntry.id,
            TimelineEntry.kind,
            TimelineEntry.occurred_at,
            TimelineEntry.recorded_at,
            author.display_name,
            TimelineEntry.summary,
            TimelineEntry.body,
            TimelineEntry.patient_facing,
            TimelineEntry.internal,
            TimelineEntry.version,
            TimelineEntry.author_id,
            TimelineEntry.people,
            TimelineEntry.sender,
            TimelineEntry.recipients,
            TimelineEntry.edited_at,
            editor.display_name,
        )
        .join(author, author.id == TimelineEntry.author_id)
        .outerjoin(editor, editor.id == TimelineEntry.edited_by_id)
        .where(condition)
        .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
    ).all()
    if not rows:
        return ()
    departments = _departments_of(session, matching)
    attachments = _attachments_of(session, matching)
    requests = _request_ids_of(session, matching)
    return tuple(
        TimelineEntryInfo(
            id=entry_id,
            kind=kind,
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            author_name=author_name,
            summary=summary,
            body=body,
            patient_facing=patient_facing,
            internal=internal,
            version=version,
            author_id=author_id,
            people=tuple(people or ()),
            departments=departments.get(entry_id, ()),
            sender=sender,
            recipients=recipients,
            attachments=attachments.get(entry_id, ()),
            edited_at=edited_at,
            edited_by_name=editor_name or "",
            request_id=requests.get(entry_id),
        )
        for (
            entry_id, kind, occurred_at, recorded_at, author_name, summary, body,
            patient_facing, internal, version, author_id, people, sender, recipients,
            edited_at, editor_name,
        ) in rows
    )  # fmt: skip


def _departments_of(
    session: Session, entry_ids: ScalarSelect[int]
) -> dict[int, tuple[Reference, ...]]:
    found: dict[int, list[Reference]] = defaultdict(list)
    link = timeline_entry_departments.c
    for entry_id, department_id, name in session.execute(
        select(link.entry_id, Department.id, Department.name)
        .join(Department, Department.id == link.department_id)
        .where(link.entry_id.in_(entry_ids))
        .order_by(Department.name)
    ):
        found[entry_id].append(Reference(department_id, name))
    return {entry_id: tuple(refs) for entry_id, refs in found.items()}


def _attachments_of(
    session: Session, entry_ids: ScalarSelect[int]
) -> dict[int, tuple[AttachmentInfo, ...]]:
    found: dict[int, list[AttachmentInfo]] = defaultdict(list)
    for info in attachments_where(session, Attachment.timeline_entry_id.in_(entry_ids)):
        if info.entry_id is not None:
            found[info.entry_id].append(info)
    return {entry_id: tuple(infos) for entry_id, infos in found.items()}


def attachments_where(session: Session, condition: ColumnElement[bool]) -> list[AttachmentInfo]:
    return [
        AttachmentInfo(
            id=row.id,
            case_id=row.case_id,
            entry_id=row.timeline_entry_id,
            filename=row.filename,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            added_at=row.added_at,
        )
        for row in session.execute(
            select(
                Attachment.id,
                Attachment.case_id,
                Attachment.timeline_entry_id,
                Attachment.filename,
                Attachment.media_type,
                Blob.size,
                Attachment.sha256,
                Attachment.added_at,
            )
            .join(Blob, Blob.sha256 == Attachment.sha256)
            .where(condition)
            .order_by(Attachment.id)
        )
    ]


def _request_ids_of(session: Session, entry_ids: ScalarSelect[int]) -> dict[int, int]:
    """The request each entry made, answered or escalated."""
    found: dict[int, int] = {}
    columns = (
        DepartmentRequest.request_entry_id,
        DepartmentRequest.response_entry_id,
        DepartmentRequest.escalation_entry_id,
    )
    for request_id, *linked in session.execute(
        select(DepartmentRequest.id, *columns).where(
            or_(*(column.in_(entry_ids) for column in columns))
        )
    ):
        for entry_id in linked:
            if entry_id is not None:
                found[entry_id] = request_id
    return found


def requests_where(
    session: Session, condition: ColumnElement[bool], *order: Any
) -> tuple[DepartmentRequestInfo, ...]:
    requester = aliased(User)
    rows = session.execute(
        select(
            DepartmentRequest,
            Case.number,
            Department.name,
            TimelineEntry.occurred_at,
            TimelineEntry.summary,
            requester.display_name,
        )
        .join(Case, Case.id == DepartmentRequest.case_id)
        .join(Department, Department.id == DepartmentRequest.department_id)
        .join(TimelineEntry, TimelineEntry.id == DepartmentRequest.request_entry_id)
        .join(requester, requester.id == TimelineEntry.author_id)
        .where(condition)
        .order_by(*(order or (DepartmentRequest.due_on, DepartmentRequest.id)))
    ).all()
    return tuple(
        DepartmentRequestInfo(
            id=request.id,
            case_id=request.case_id,
            case_number=number,
            department=Reference(request.department_id, department),
            addressed_to=request.addressed_to,
            addressed_email=request.addressed_email,
            backup_reviewer=request.backup_reviewer,
            backup_email=request.backup_email,
            requested_at=requested_at,
            requested_by=requested_by,
            due_on=request.due_on,
            summary=summary,
            request_entry_id=request.request_entry_id,
            response_entry_id=request.response_entry_id,
            answered_at=request.answered_at,
            escalation_entry_id=request.escalation_entry_id,
            escalated_at=request.escalated_at,
            version=request.version,
        )
        for request, number, department, requested_at, summary, requested_by in rows
    )


def case_requests(session: Session, case_id: int) -> tuple[DepartmentRequestInfo, ...]:
    """The case's requests, leaving out those whose request entry was deleted."""
    return requests_where(
        session, (DepartmentRequest.case_id == case_id) & TimelineEntry.deleted_at.is_(None)
    )
