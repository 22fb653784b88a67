"""Recording, correcting, deleting and restoring the steps of a case's investigation timeline."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from prdesk.domain import audit, search_index
from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import (
    AuditEvent,
    Case,
    DepartmentRequest,
    TimelineEntry,
    User,
    utcnow,
)
from prdesk.domain.permissions import Action, allowed, require
from prdesk.domain.readmodels import TimelineEntryInfo, UserInfo
from prdesk.domain.services import attachments

# What an entry is made of (and its checks) lives in timeline_input; callers find it here too.
from prdesk.domain.services.timeline_input import SUMMARY_LIMIT as SUMMARY_LIMIT
from prdesk.domain.services.timeline_input import EntryChanges as EntryChanges
from prdesk.domain.services.timeline_input import NewTimelineEntry as NewTimelineEntry
from prdesk.domain.services.timeline_input import check_entry
from prdesk.domain.services.timeline_input import mailbox as mailbox
from prdesk.domain.services.timeline_reading import entries_where, entry_info

_NO_SYSTEM_KINDS: frozenset[TimelineKind] = frozenset()
_ALL_KINDS = frozenset(TimelineKind)


class EntryConflict(ConflictError):
    """Someone changed or deleted the entry since this person opened it.

    Attributes:
        current: the entry as saved now, to show beside the person's own text;
            None when it was deleted.
    """

    def __init__(self, message: str, current: TimelineEntryInfo | None) -> None:
        super().__init__(message)
        self.current = current


def may_edit(actor: UserInfo, entry: TimelineEntryInfo) -> bool:
    """Authors correct their own entries; coordinators and administrators anyone's.

    PR Desk's own records (letters sent, status changes, attached files) are never edited.
    """
    return entry.editable and _may_change(actor, entry)


def may_delete(actor: UserInfo, entry: TimelineEntryInfo) -> bool:
    """As may_edit; a file attached by mistake (another patient's letter) may be deleted too."""
    return entry.deletable and _may_change(actor, entry)


def _may_change(actor: UserInfo, entry: TimelineEntryInfo) -> bool:
    if allowed(actor.role, Action.EDIT_ANY_TIMELINE_ENTRY):
        return True
    return entry.author_id == actor.id and allowed(actor.role, Action.ADD_TIMELINE_ENTRY)


def add_entry(
    session: Session, actor: UserInfo, case_id: int, new: NewTimelineEntry
) -> TimelineEntryInfo:
    """Records a step of the investigation. Adding never conflicts with someone else's entry."""
    require(actor.role, Action.ADD_TIMELINE_ENTRY)
    entry = _store(session, actor, case_id, new, _NO_SYSTEM_KINDS)
    search_index.reindex(session, [case_id])
    return entry_info(session, entry.id)


def add_entries(
    session: Session, actor: UserInfo, case_id: int, new: Sequence[NewTimelineEntry]
) -> list[TimelineEntryInfo]:
    """Records several steps at once (dropped emails and files): all of them, or none."""
    require(actor.role, Action.ADD_TIMELINE_ENTRY)
    # Every entry is checked before any is stored, so the message is about the first
    # problem rather than whatever a half-written batch ran into.
    limit = attachments.attachment_limit_bytes(session)
    for item in new:
        check_entry(session, item, frozenset({TimelineKind.ATTACHMENT}), limit)
    ids = [
        _store(session, actor, case_id, item, frozenset({TimelineKind.ATTACHMENT})).id
        for item in new
    ]
    if not ids:
        return []
    search_index.reindex(session, [case_id])
    # Read back together, in the order given: a drop of fifty files is not fifty reads.
    added = {info.id: info for info in entries_where(session, TimelineEntry.id.in_(ids))}
    return [added[entry_id] for entry_id in ids]


def record_entry(
    session: Session, actor: UserInfo, case_id: int, new: NewTimelineEntry, *, system: bool = False
) -> TimelineEntry:
    """An entry another use case makes (a request, a letter sent): checked, stored, indexed
    and audited like any other. The caller has checked its own permission; `system`
    allows PR Desk's own kinds. Returns the row, inside the caller's session."""
    entry = _store(session, actor, case_id, new, _ALL_KINDS if system else _NO_SYSTEM_KINDS)
    if not new.kind.is_system:
        # PR Desk's own entries are not searched: the index would not change (and a
        # clerk recording a letter sent may not read what it is made from).
        search_index.reindex(session, [case_id])
    return entry


def edit_entry(
    session: Session,
    actor: UserInfo,
    entry_id: int,
    expected_version: int,
    changes: EntryChanges,
) -> TimelineEntryInfo:
    """Saves a corrected entry, unless someone else changed or deleted it meanwhile."""
    entry = _changeable(session, actor, entry_id, expected_version)
    checked = check_entry(session, changes, _NO_SYSTEM_KINDS, limit_bytes=None)
    before = _editable_fields(entry)
    entry.kind = changes.kind
    entry.summary = checked.summary
    entry.body = checked.body
    entry.occurred_at = checked.occurred_at
    entry.patient_facing = changes.patient_facing
    entry.internal = changes.internal
    entry.people = checked.people
    entry.departments = checked.departments
    entry.sender = checked.sender
    entry.recipients = checked.recipients
    after = _editable_fields(entry)
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        # Saving what is already saved writes nothing and leaves no trace.
        return entry_info(session, entry.id)
    entry.edited_at = utcnow()
    entry.edited_by_id = actor.id
    _keep_requests_in_step(session, entry)
    session.flush()
    audit.record(
        session, actor, "update", "timeline_entry", entry.id, case_id=entry.case_id,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )  # fmt: skip
    search_index.reindex(session, [entry.case_id])
    return entry_info(session, entry.id)


def delete_entry(
    session: Session, actor: UserInfo, entry_id: int, expected_version: int
) -> TimelineEntryInfo:
    """Hides an entry from the timeline, letters and search; restore_entry brings it back.

    The audit log keeps its full text, so what was deleted can always be read there.
    """
    entry = _changeable(session, actor, entry_id, expected_version, deleting=True)
    entry.deleted_at = utcnow()
    entry.deleted_by_id = actor.id
    _keep_requests_in_step(session, entry)
    session.flush()
    audit.record(
        session, actor, "delete", "timeline_entry", entry.id, case_id=entry.case_id,
        **_editable_fields(entry),
        attachments=[attachment.filename for attachment in entry.attachments],
    )  # fmt: skip
    search_index.reindex(session, [entry.case_id])
    return entry_info(session, entry.id)


def restore_entry(session: Session, actor: UserInfo, entry_id: int) -> TimelineEntryInfo:
    """Undoes a delete (and so redoes an add that was undone)."""
    entry = _locked(session, entry_id)
    _require_may_edit(session, actor, entry, deleting=True)
    if entry.deleted_at is None:
        raise ValidationError("This entry is not deleted, so there is nothing to restore.")
    entry.deleted_at = None
    entry.deleted_by_id = None
    _keep_requests_in_step(session, entry)
    session.flush()
    audit.record(
        session, actor, "restore", "timeline_entry", entry.id, case_id=entry.case_id,
        summary=entry.summary,
    )  # fmt: skip
    search_index.reindex(session, [entry.case_id])
    return entry_info(session, entry.id)


def _store(
    session: Session,
    actor: UserInfo,
    case_id: int,
    new: NewTimelineEntry,
    system_kinds: Collection[TimelineKind],
) -> TimelineEntry:
    limit = attachments.attachment_limit_bytes(session) if new.attachments else None
    checked = check_entry(session, new, system_kinds, limit)
    # The id only: a clerk recording a letter sent may not read the case's details.
    if session.scalar(select(Case.id).where(Case.id == case_id)) is None:
        raise NotFound(f"Case {case_id} does not exist (it may have been deleted).")
    entry = TimelineEntry(
        case_id=case_id,
        kind=new.kind,
        occurred_at=checked.occurred_at,
        author_id=actor.id,
        summary=checked.summary,
        body=checked.body,
        patient_facing=new.patient_facing,
        internal=new.internal,
        people=checked.people,
        sender=checked.sender,
        recipients=checked.recipients,
        departments=checked.departments,
    )
    session.add(entry)
    session.flush()
    attachments.store(session, actor, case_id, entry.id, new.attachments)
    audit.record(
        session, actor, "create", "timeline_entry", entry.id, case_id=case_id, kind=new.kind,
        attachments=[attachments.clean_filename(file.filename) for file in new.attachments],
    )  # fmt: skip
    return entry


def _locked(session: Session, entry_id: int) -> TimelineEntry:
    # Locked until commit: a second save waits for the first and then sees its version,
    # instead of both passing the version check and one silently overwriting the other.
    entry = session.get(TimelineEntry, entry_id, with_for_update=True, populate_existing=True)
    if entry is None:
        raise NotFound("This timeline entry no longer exists.")
    return entry


def _require_may_edit(
    session: Session, actor: UserInfo, entry: TimelineEntry, *, deleting: bool = False
) -> None:
    info = entry_info(session, entry.id)
    if not (info.deletable if deleting else info.editable):
        raise ValidationError(
            f"'{entry.kind.label}' entries are PR Desk's own record and cannot be changed."
        )
    if not (may_delete if deleting else may_edit)(actor, info):
        raise PermissionDenied(
            f"Only {info.author_name}, who wrote this entry, or a coordinator may change it."
        )


def _changeable(
    session: Session,
    actor: UserInfo,
    entry_id: int,
    expected_version: int,
    *,
    deleting: bool = False,
) -> TimelineEntry:
    entry = _locked(session, entry_id)
    _require_may_edit(session, actor, entry, deleting=deleting)
    if entry.deleted_at is not None:
        who = _display_name(session, entry.deleted_by_id)
        raise EntryConflict(
            f"{who} deleted this entry after you opened it, so your change was not saved.",
            None,
        )
    if entry.version != expected_version:
        raise EntryConflict(
            f"{_last_changed_by(session, entry)} changed this entry after you opened it. "
            "Their version is shown; make your change again if it is still needed.",
            entry_info(session, entry.id),
        )
    return entry


def _display_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else "Someone else"


def _last_changed_by(session: Session, entry: TimelineEntry) -> str:
    """Who made the latest change: an edit, or a restore after a delete."""
    username = session.scalar(
        select(AuditEvent.username)
        .where(
            AuditEvent.entity == "timeline_entry",
            AuditEvent.entity_id == entry.id,
            AuditEvent.action.in_(("update", "delete", "restore")),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    name = (
        session.scalar(select(User.display_name).where(User.username == username))
        if username
        else None
    )
    return name or _display_name(session, entry.edited_by_id)


def _keep_requests_in_step(session: Session, entry: TimelineEntry) -> None:
    """A request answered or escalated by this entry was so when the entry's step
    happened; while the entry is deleted, the request is outstanding again."""
    when = entry.occurred_at if entry.deleted_at is None else None
    for request in session.scalars(
        select(DepartmentRequest).where(
            or_(
                DepartmentRequest.response_entry_id == entry.id,
                DepartmentRequest.escalation_entry_id == entry.id,
            )
        )
    ):
        if request.response_entry_id == entry.id and request.answered_at != when:
            request.answered_at = when
        if request.escalation_entry_id == entry.id and request.escalated_at != when:
            request.escalated_at = when


def _editable_fields(entry: TimelineEntry) -> dict[str, Any]:
    """What a person can change in an entry, as the audit log records it."""
    return {
        "kind": entry.kind,
        "summary": entry.summary,
        "body": entry.body,
        "occurred_at": entry.occurred_at.isoformat(),
        "patient_facing": entry.patient_facing,
        "internal": entry.internal,
        "people": list(entry.people or ()),
        # Sorted here: a collection just assigned is in the order it was chosen in.
        "departments": sorted(department.name for department in entry.departments),
        "sender": entry.sender,
        "recipients": entry.recipients,
    }
