"""Reading the audit trail: entries by case, person, day and kind, newest first, page by page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.models import AuditEvent, Case, Category, Department, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services.audit_vocabulary import (
    CATEGORY_COLUMNS,
    DEPARTMENT_COLUMNS,
    OUTWARD_ACTIONS,
    USER_COLUMNS,
    VIEW_ACTIONS,
)
from prdesk.domain.services.audit_wording import Names, describe, entity_label, old_and_new

PAGE_SIZE = 200


class AuditKind(StrEnum):
    """Which entries: changes to data, openings, or what left PR Desk (prints and exports)."""

    ALL = "all"
    CHANGES = "changes"
    VIEWS = "views"
    EXPORTS = "exports"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AuditKind.ALL: "Everything",
    AuditKind.CHANGES: "Changes",
    AuditKind.VIEWS: "Openings and views",
    AuditKind.EXPORTS: "Letters printed and exports",
}

# What an auditor picks as "table": each stands for the table the database writes and
# the entity name PR Desk records for its own entries about the same thing.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "cases": ("cases", "case", "case_departments", "case_categories"),
    "timeline_entries": ("timeline_entries", "timeline_entry", "timeline_entry_departments"),
    "letters": ("letters", "letter"),
    "people": ("people", "person"),
    "attachments": ("attachments", "attachment", "blobs"),
    "department_requests": ("department_requests", "department_request"),
    "users": ("users", "user", "user_departments", "signatures", "signature"),
    "settings": (
        "settings",
        "setting",
        "departments",
        "department",
        "categories",
        "category",
        "letter_template_versions",
        "letter_template",
    ),
    "exports": ("case_list", "audit_log"),
}
SUBJECT_LABELS: dict[str, str] = {
    "cases": "Cases",
    "timeline_entries": "Timeline entries",
    "letters": "Letters",
    "people": "People",
    "attachments": "Attached files",
    "department_requests": "Requests to departments",
    "users": "Users and signatures",
    "settings": "Settings, departments and templates",
    "exports": "Case lists and the audit trail",
}


@dataclass(frozen=True)
class AuditFilter:
    """Which entries an auditor asks for; empty fields do not narrow anything.

    Days are local calendar days, both included.
    """

    case_number: str = ""
    case_id: int | None = None
    user: str = ""
    from_day: date | None = None
    to_day: date | None = None
    kind: AuditKind = AuditKind.ALL
    subject: str = ""

    def to_json(self) -> dict[str, Any]:
        """What was asked for, as recorded when the trail is read or exported."""
        return {
            "case": self.case_number or (self.case_id if self.case_id is not None else ""),
            "user": self.user,
            "from": self.from_day.isoformat() if self.from_day else "",
            "to": self.to_day.isoformat() if self.to_day else "",
            "kind": "" if self.kind is AuditKind.ALL else self.kind.value,
            "table": self.subject,
        }


@dataclass(frozen=True)
class AuditRow:
    """One entry of the trail, as an auditor reads it.

    Attributes:
        who: the person's name and login ("María García (mgarcia)"), or the login alone.
        client: the running PR Desk that wrote it ("PR Desk WS-0412 5120").
        description: one sentence ("Changed status: New → Assigned").
        old_values, new_values: (label, value) pairs, before and after.
    """

    id: int
    at: datetime
    username: str
    who: str
    client: str
    case_id: int | None
    case_number: str
    action: str
    entity: str
    entity_id: int | None
    description: str
    old_values: tuple[tuple[str, str], ...]
    new_values: tuple[tuple[str, str], ...]

    @property
    def table(self) -> str:
        return entity_label(self.entity)


@dataclass(frozen=True)
class AuditPage:
    """Entries newest first; `next_before` asks for the page after it (None: none left)."""

    rows: tuple[AuditRow, ...]
    next_before: int | None


def count_entries(session: Session, actor: UserInfo, wanted: AuditFilter) -> int:
    require(actor.role, Action.VIEW_AUDIT_LOG)
    query = select(func.count()).select_from(AuditEvent).where(*_conditions(session, wanted))
    return int(session.scalar(query) or 0)


def entries_page(
    session: Session,
    actor: UserInfo,
    wanted: AuditFilter,
    *,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """Up to `limit` entries older than `before_id` (the newest when None).

    Keyed by id rather than counted by offset, so a page deep in millions of
    entries costs what the first one does, and entries written meanwhile never
    shift a page.
    """
    require(actor.role, Action.VIEW_AUDIT_LOG)
    events = list(session.scalars(_page_query(session, wanted, before_id, limit + 1)))
    more = len(events) > limit
    events = events[:limit]
    rows = _rows(session, events)
    return AuditPage(rows, rows[-1].id if more and rows else None)


def all_entries(
    session: Session, actor: UserInfo, wanted: AuditFilter, *, page_size: int = 1000
) -> Iterator[AuditRow]:
    """Every matching entry, newest first, read a page at a time (for exports)."""
    require(actor.role, Action.VIEW_AUDIT_LOG)
    conditions = _conditions(session, wanted)
    before: int | None = None
    while True:
        query = select(AuditEvent).where(*conditions)
        if before is not None:
            query = query.where(AuditEvent.id < before)
        events = list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(page_size)))
        rows = _rows(session, events)
        # Millions of entries pass through one session: let each page's go.
        for event in events:
            session.expunge(event)
        yield from rows
        if len(events) < page_size:
            return
        before = events[-1].id


def record_reading(
    session: Session, actor: UserInfo, wanted: AuditFilter, action: str = "view", **details: Any
) -> None:
    """Logs that the trail was read ("view") or taken out ("export"), with what was asked.

    Access to the record of accesses is itself accountable (45 CFR 164.312(b)):
    an auditor's search is recorded once, not every page scrolled.
    """
    require(actor.role, Action.VIEW_AUDIT_LOG)
    audit.record(session, actor, action, "audit_log", None, filter=wanted.to_json(), **details)


def usernames(session: Session, actor: UserInfo) -> list[tuple[str, str]]:
    """(login, name) of everyone who has worked in PR Desk, by name, for choosing one."""
    require(actor.role, Action.VIEW_AUDIT_LOG)
    rows = session.execute(select(User.username, User.display_name).order_by(User.display_name))
    return [(username, name) for username, name in rows]


def _page_query(
    session: Session, wanted: AuditFilter, before_id: int | None, limit: int
) -> Select[AuditEvent]:
    query = select(AuditEvent).where(*_conditions(session, wanted))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return query.order_by(AuditEvent.id.desc()).limit(limit)


def _conditions(session: Session, wanted: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    case_id = wanted.case_id
    # The id, when given, is the case the number was read from (a case's own trail).
    if case_id is None and wanted.case_number.strip():
        number = wanted.case_number.strip().upper()
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        if case_id is None:
            raise NotFound(f"There is no case {number}.")
    if case_id is not None:
        conditions.append(AuditEvent.case_id == case_id)
    if wanted.user.strip():
        conditions.append(AuditEvent.username.in_(_logins(session, wanted.user.strip())))
    if wanted.from_day and wanted.to_day and wanted.from_day > wanted.to_day:
        raise ValidationError(
            "The first day comes after the last.", {"from_day": "after the last day"}
        )
    if wanted.from_day is not None:
        conditions.append(AuditEvent.at >= _start_of(wanted.from_day))
    if wanted.to_day is not None:
        conditions.append(AuditEvent.at < _start_of(wanted.to_day + timedelta(days=1)))
    outward, views = sorted(OUTWARD_ACTIONS), sorted(VIEW_ACTIONS)
    if wanted.kind is AuditKind.VIEWS:
        conditions.append(AuditEvent.action.in_(views))
    elif wanted.kind is AuditKind.EXPORTS:
        conditions.append(AuditEvent.action.in_(outward))
    elif wanted.kind is AuditKind.CHANGES:
        conditions.append(AuditEvent.action.not_in([*outward, *views]))
    if wanted.subject:
        entities = SUBJECTS.get(wanted.subject)
        if entities is None:
            known = ", ".join(SUBJECTS)
            raise ValidationError(f"No such table '{wanted.subject}' (one of: {known}).")
        conditions.append(AuditEvent.entity.in_(entities))
    return conditions


def _logins(session: Session, name: str) -> list[str]:
    """The logins a name stands for: itself, and anyone whose login or name it is."""
    folded = name.lower()
    found = session.scalars(
        select(User.username).where(
            or_(func.lower(User.username) == folded, func.lower(User.display_name) == folded)
        )
    )
    return sorted({name, *found})


def _start_of(day: date) -> datetime:
    """The instant a local calendar day begins."""
    return datetime(day.year, day.month, day.day).astimezone()


def _rows(session: Session, events: Sequence[AuditEvent]) -> tuple[AuditRow, ...]:
    names = _names(session, events)
    logins = {event.username for event in events}
    people = {
        login: name
        for login, name in session.execute(
            select(User.username, User.display_name).where(User.username.in_(logins))
        )
    }
    rows = []
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        old, new = old_and_new(event.action, event.entity, details, names)
        name = people.get(event.username)
        rows.append(
            AuditRow(
                id=event.id,
                at=event.at,
                username=event.username,
                who=f"{name} ({event.username})" if name else event.username,
                client=event.client or "",
                case_id=event.case_id,
                case_number=names.case_numbers.get(event.case_id, "")
                if event.case_id is not None
                else "",
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                description=describe(event.action, event.entity, event.entity_id, details, names),
                old_values=old,
                new_values=new,
            )
        )
    return tuple(rows)


def _names(session: Session, events: Sequence[AuditEvent]) -> Names:
    """Names of the users, departments, categories and cases the entries refer to by id."""
    users: set[int] = set()
    departments: set[int] = set()
    categories: set[int] = set()
    cases = {event.case_id for event in events if event.case_id is not None}
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        for part in ("old", "new", "before", "after"):
            values = details.get(part)
            if not isinstance(values, dict):
                continue
            for column, value in values.items():
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                if column in USER_COLUMNS:
                    users.add(value)
                elif column in DEPARTMENT_COLUMNS:
                    departments.add(value)
                elif column in CATEGORY_COLUMNS:
                    categories.add(value)
                elif column in ("linked_case_id", "case_id"):
                    cases.add(value)
    return Names(
        users=_lookup(session, User.id, User.display_name, users),
        departments=_lookup(session, Department.id, Department.name, departments),
        categories=_lookup(session, Category.id, Category.name, categories),
        case_numbers=_lookup(session, Case.id, Case.number, cases),
    )


def _lookup(session: Session, key: Any, value: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        row_id: text for row_id, text in session.execute(select(key, value).where(key.in_(ids)))
    }
