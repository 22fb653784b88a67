"""Reading a case's timeline and requests into read models, in a handful of queries.

A case under long investigation holds thousands of entries; loading them through
the ORM's object graph would cost more than the rest of the case together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, aliased

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
    return entries_where(session, TimelineEntry.id == entry_id, deleted=True)[0]


def entries_where(
    session: Session, condition: ColumnElement[bool], *, deleted: bool = False
) -> tuple[TimelineEntryInfo, ...]:
    """Entries matching `condition`, oldest first; deleted ones only when asked for."""
    if not deleted:
        condition = condition & TimelineEntry.deleted_at.is_(None)
    author = aliased(User)
    editor = aliased(User)
    rows = session.execute(
        select(TimelineEntry, author.display_name, editor.display_name)
        .join(author, author.id == TimelineEntry.author_id)
        .outerjoin(editor, editor.id == TimelineEntry.edited_by_id)
        .where(condition)
        .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
        .execution_options(populate_existing=True)
    ).all()
    ids = [entry.id for entry, _, _ in rows]
    departments = _departments_of(session, ids)
    attachments = _attachments_of(session, ids)
    requests = _request_ids_of(session, ids)
    return tuple(
        TimelineEntryInfo(
            id=entry.id,
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            recorded_at=entry.recorded_at,
            author_name=author_name,
            summary=entry.summary,
            body=entry.body,
            patient_facing=entry.patient_facing,
            internal=entry.internal,
            version=entry.version,
            author_id=entry.author_id,
            people=tuple(entry.people or ()),
            departments=departments.get(entry.id, ()),
            sender=entry.sender,
            recipients=entry.recipients,
            attachments=attachments.get(entry.id, ()),
            edited_at=entry.edited_at,
            edited_by_name=editor_name or "",
            request_id=requests.get(entry.id),
        )
        for entry, author_name, editor_name in rows
    )


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    # SQLite allows a limited number of bound parameters per statement.
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _departments_of(session: Session, ids: list[int]) -> dict[int, tuple[Reference, ...]]:
    found: dict[int, list[Reference]] = defaultdict(list)
    link = timeline_entry_departments.c
    for chunk in _chunks(ids):
        for entry_id, department_id, name in session.execute(
            select(link.entry_id, Department.id, Department.name)
            .join(Department, Department.id == link.department_id)
            .where(link.entry_id.in_(chunk))
            .order_by(Department.name)
        ):
            found[entry_id].append(Reference(department_id, name))
    return {entry_id: tuple(refs) for entry_id, refs in found.items()}


def _attachments_of(session: Session, ids: list[int]) -> dict[int, tuple[AttachmentInfo, ...]]:
    found: dict[int, list[AttachmentInfo]] = defaultdict(list)
    for chunk in _chunks(ids):
        for info in attachments_where(session, Attachment.timeline_entry_id.in_(chunk)):
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


def _request_ids_of(session: Session, ids: list[int]) -> dict[int, int]:
    """The request each entry made, answered or escalated."""
    found: dict[int, int] = {}
    columns = (
        DepartmentRequest.request_entry_id,
        DepartmentRequest.response_entry_id,
        DepartmentRequest.escalation_entry_id,
    )
    for chunk in _chunks(ids, 300):
        wanted = set(chunk)
        for request_id, *entry_ids in session.execute(
            select(DepartmentRequest.id, *columns).where(
                or_(*(column.in_(chunk) for column in columns))
            )
        ):
            for entry_id in entry_ids:
                if entry_id in wanted:
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
