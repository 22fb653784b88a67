"""The read side of the case list: filtered, sorted, windowed rows straight from SQL."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from prdesk.domain import search_index
from prdesk.domain.enums import FINISHED_STATUSES, CaseKind, CaseStatus, Channel, Severity
from prdesk.domain.models import Case, Category, Person, User, case_categories, case_departments
from prdesk.domain.readmodels import CaseRow
from prdesk.domain.search_text import query_terms

# A deadline this close (in calendar days, today included) counts as due soon.
DUE_SOON_DAYS = 3


class SortKey(StrEnum):
    NUMBER = "number"
    RECEIVED = "received"
    DUE = "due"
    STATUS = "status"
    KIND = "kind"
    CHANNEL = "channel"
    PATIENT = "patient"
    COMPLAINANT = "complainant"
    ASSIGNEE = "assignee"
    SEVERITY = "severity"
    GRIEVANCE = "grievance"


class Due(StrEnum):
    """Where a case stands against its running deadline."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"  # within DUE_SOON_DAYS, not yet overdue
    DUE_THIS_WEEK = "due_this_week"  # by Sunday of this week, not yet overdue

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "due_soon": "Due soon", "due_this_week": "Due this week"}[
            self.value
        ]


class Flag(StrEnum):
    SAFETY_CONCERN = "safety_concern"
    BEHAVIOURAL_ALERT = "behavioural_alert"

    @property
    def label(self) -> str:
        return "Safety concern" if self is Flag.SAFETY_CONCERN else "Behavioural alert"


@dataclass(frozen=True)
class CaseFilter:
    """What the list shows. An empty filter shows every case.

    Criteria of different kinds all apply together; the choices within one kind
    (two statuses, two departments) are alternatives. Relative criteria (overdue,
    assigned to me, open more than N days) are resolved when the query runs, so a
    saved view means the same thing tomorrow.
    """

    search: str = ""
    statuses: frozenset[CaseStatus] = frozenset()
    open_only: bool = False
    kinds: frozenset[CaseKind] = frozenset()
    channels: frozenset[Channel] = frozenset()
    grievance: bool | None = None
    assignee_ids: frozenset[int] = frozenset()
    unassigned: bool = False
    assigned_to_me: bool = False
    department_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    received_from: date | None = None
    received_to: date | None = None
    open_more_than_days: int | None = None
    due: frozenset[Due] = frozenset()
    flags: frozenset[Flag] = frozenset()
    # Exactly these cases, by number: where a report's line stands for one case.
    numbers: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for a saved view; only the criteria that are set."""
        result: dict[str, Any] = {}
        unset = asdict(CaseFilter())
        for name, value in asdict(self).items():
            # Equal and of the same type: "not grievances" (False) is a criterion, unlike None.
            if value == unset[name] and type(value) is type(unset[name]):
                continue
            if isinstance(value, frozenset):
                value = sorted(str(v) if isinstance(v, StrEnum) else v for v in value)
            elif isinstance(value, date):
                value = value.isoformat()
            result[name] = value
        return result

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseFilter:
        """The filter a saved view holds; criteria this version does not know are ignored."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            if spec.name not in data:
                continue
            try:
                values[spec.name] = _criterion(spec.name, data[spec.name])
            except (TypeError, ValueError):
                continue  # a value from another version (a status since removed): left out
        return cls(**values)

    @property
    def is_empty(self) -> bool:
        return self == CaseFilter()


_SET_MEMBERS: dict[str, Any] = {
    "statuses": CaseStatus,
    "kinds": CaseKind,
    "channels": Channel,
    "due": Due,
    "flags": Flag,
    "assignee_ids": int,
    "department_ids": int,
    "category_ids": int,
    "numbers": str,
}


def _criterion(name: str, raw: Any) -> Any:
    member = _SET_MEMBERS.get(name)
    if member is not None:
        return frozenset(member(value) for value in raw)
    if name in ("received_from", "received_to"):
        return date.fromisoformat(raw) if raw else None
    if name == "open_more_than_days":
        return None if raw is None else int(raw)
    if name == "grievance":
        return None if raw is None else bool(raw)
    if name == "search":
        return str(raw)
    return bool(raw)


@dataclass(frozen=True)
class Viewpoint:
    """Who asks and when: what "mine", "today" and "overdue" mean for this query."""

    today: date = field(default_factory=date.today)
    viewer_id: int | None = None


_Patient = aliased(Person, name="patient")
_Complainant = aliased(Person, name="complainant")
_Assignee = aliased(User, name="assignee")

_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.NUMBER: Case.number,
    SortKey.RECEIVED: Case.received_at,
    SortKey.DUE: Case.due_on,
    SortKey.STATUS: Case.status,
    SortKey.KIND: Case.kind,
    SortKey.CHANNEL: Case.channel,
    SortKey.PATIENT: Case.patient_sort_name,
    SortKey.COMPLAINANT: _Complainant.full_name,
    SortKey.ASSIGNEE: _Assignee.display_name,
    SortKey.SEVERITY: Case.severity,
    SortKey.GRIEVANCE: Case.is_grievance,
}
# Sorted in the order of their members (low < severe, new < closed), not alphabetically.
_ORDERED: dict[SortKey, type[CaseStatus] | type[Severity] | type[CaseKind] | type[Channel]] = {
    SortKey.STATUS: CaseStatus,
    SortKey.SEVERITY: Severity,
    SortKey.KIND: CaseKind,
    SortKey.CHANNEL: Channel,
}
# Sorting by these needs the joined person or user; otherwise the joins wait for the page.
_NAME_SORTS = {SortKey.COMPLAINANT, SortKey.ASSIGNEE}
# Sorts an index of the cases table serves in order.
_INDEXED_SORTS = {SortKey.RECEIVED, SortKey.NUMBER, SortKey.DUE, SortKey.PATIENT}


def local_midnight_utc(day: date) -> datetime:
    """The instant local midnight starts `day`, in UTC (as instants are stored)."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _conditions(
    case_filter: CaseFilter, view: Viewpoint, dialect: str, *, many_matches: bool = False
) -> list[ColumnElement[bool]]:
    f = case_filter
    where: list[ColumnElement[bool]] = []
    if f.statuses:
        where.append(Case.status.in_(f.statuses))
    if f.open_only:
        where.append(Case.status.not_in(FINISHED_STATUSES))
    if f.kinds:
        where.append(Case.kind.in_(f.kinds))
    if f.numbers:
        where.append(Case.number.in_(sorted(f.numbers)))
    if f.channels:
        where.append(Case.channel.in_(f.channels))
    if f.grievance is not None:
        where.append(Case.is_grievance.is_(f.grievance))
    people: list[ColumnElement[bool]] = []
    if f.assignee_ids:
        people.append(Case.assignee_id.in_(f.assignee_ids))
    if f.unassigned:
        people.append(Case.assignee_id.is_(None))
    if f.assigned_to_me:
        people.append(Case.assignee_id == view.viewer_id if view.viewer_id else false())
    if people:
        where.append(or_(*people))
    if f.department_ids:
        where.append(
            exists().where(
                case_departments.c.case_id == Case.id,
                case_departments.c.department_id.in_(f.department_ids),
            )
        )
    if f.category_ids:
        # Choosing "Communication" also finds cases filed under "Communication > Rudeness".
        chosen = select(Category.id).where(
            or_(Category.id.in_(f.category_ids), Category.parent_id.in_(f.category_ids))
        )
        where.append(
            exists().where(
                case_categories.c.case_id == Case.id, case_categories.c.category_id.in_(chosen)
            )
        )
    if f.received_from:
        where.append(Case.received_at >= local_midnight_utc(f.received_from))
    if f.received_to:
        where.append(Case.received_at < local_midnight_utc(f.received_to + timedelta(days=1)))
    if f.open_more_than_days is not None:
        cutoff = view.today - timedelta(days=f.open_more_than_days)
        where.append(Case.received_at < local_midnight_utc(cutoff))
        where.append(Case.status.not_in(FINISHED_STATUSES))
    if f.due:
        where.append(or_(*(due_condition(due, view.today) for due in f.due)))
    if Flag.SAFETY_CONCERN in f.flags:
        where.append(Case.safety_concern.is_(True))
    if Flag.BEHAVIOURAL_ALERT in f.flags:
        where.append(Case.behavioural_alert.is_(True))
    terms = query_terms(f.search)
    if terms:
        matched = search_index.matching_case_ids(dialect, terms, many=many_matches)
        if matched is not None:
            where.append(matched)
    return where


def due_condition(due: Due, today: date) -> ColumnElement[bool]:
    """The cases `due` means as of `today` (the list's filter, the figures that link to it)."""
    # due_on is empty for finished cases and paused clocks: they are never overdue.
    if due is Due.OVERDUE:
        return Case.due_on < today
    if due is Due.DUE_SOON:
        return and_(Case.due_on >= today, Case.due_on < today + timedelta(days=DUE_SOON_DAYS))
    sunday = today + timedelta(days=6 - today.weekday())
    return and_(Case.due_on >= today, Case.due_on <= sunday)


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of a grouped query meet `condition` (0, never NULL, for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def count_cases(
    session: Session, case_filter: CaseFilter = CaseFilter(), view: Viewpoint | None = None
) -> int:
    return session.connection().scalar(count_statement(session, case_filter, view)) or 0


def list_cases(
    session: Session,
    case_filter: CaseFilter = CaseFilter(),
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    view: Viewpoint | None = None,
) -> list[CaseRow]:
    """One window of the list: `limit` rows from `offset`, in the chosen order."""
    query = page_statement(session, case_filter, sort=sort, descending=descending, view=view)
    # Core rather than ORM execution, and rows in CaseRow's field order: the list asks
    # for a page at every scroll, so the per-row cost is what a user waits for.
    result = session.connection().execute(query, {"page_offset": offset, "page_limit": limit})
    return [CaseRow(*row) for row in result.all()]


def page_statement(
    session: Session,
    case_filter: CaseFilter,
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    view: Viewpoint | None = None,
) -> Select[*tuple[Any, ...]]:
    """The statement list_cases runs, with `page_offset` and `page_limit` parameters
    (public for benchmarks and for reading its plan)."""
    dialect = _dialect(session)
    many = sort in _INDEXED_SORTS and search_index.matches_many(
        session, query_terms(case_filter.search)
    )
    return _page_query(case_filter, sort, descending, view or Viewpoint(), dialect, many)


def count_statement(
    session: Session, case_filter: CaseFilter, view: Viewpoint | None = None
) -> Select[int]:
    """The statement count_cases runs."""
    return _count_query(case_filter, view or Viewpoint(), _dialect(session))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@lru_cache(maxsize=64)
def _count_query(case_filter: CaseFilter, view: Viewpoint, dialect: str) -> Select[int]:
    # count(*), not count(id): SQLite counts through its smallest index only for the former.
    return select(func.count()).select_from(Case).where(*_conditions(case_filter, view, dialect))


def _sort_order(sort: SortKey, descending: bool) -> list[Any]:
    column: ColumnElement[Any] = _SORT_COLUMNS[sort]
    if sort in _NAME_SORTS:
        # People expect "alice" between "Adam" and "Bob", whatever the collation.
        column = func.lower(column)
    elif sort in _ORDERED:
        members = list(_ORDERED[sort])
        column = case({m.value: position for position, m in enumerate(members)}, value=column)
    order = column.desc() if descending else column.asc()
    if sort in (SortKey.DUE, SortKey.COMPLAINANT, SortKey.ASSIGNEE):
        order = order.nulls_last()  # cases without one go last either way
    return [order, Case.id.desc() if descending else Case.id.asc()]


@lru_cache(maxsize=64)
def _page_query(
    case_filter: CaseFilter,
    sort: SortKey,
    descending: bool,
    view: Viewpoint,
    dialect: str,
    many_matches: bool = False,
) -> Select[*tuple[Any, ...]]:
    """The statement for a page; built once per filter and order, since scrolling only
    changes the offset (a bound parameter)."""
    conditions = _conditions(case_filter, view, dialect, many_matches=many_matches)
    # Written into the SQL when it runs, not sent as parameters: PostgreSQL plans a
    # prepared statement with an unknown LIMIT for the worst case (4x slower here).
    offset: BindParameter[int] = bindparam("page_offset", type_=Integer, literal_execute=True)
    limit: BindParameter[int] = bindparam("page_limit", type_=Integer, literal_execute=True)
    columns = (
        Case.id,
        Case.number,
        Case.kind,
        Case.channel,
        Case.status,
        Case.severity,
        Case.received_at,
        _Patient.full_name.label("patient_name"),
        _Complainant.full_name.label("complainant_name"),
        _Assignee.display_name.label("assignee_name"),
        Case.assignee_id,
        Case.is_grievance,
        Case.safety_concern,
        Case.behavioural_alert,
        Case.due_on,
        and_(Case.acknowledged_on.is_(None), Case.due_on == Case.acknowledge_due_on).label(
            "due_is_acknowledgement"
        ),
        Case.clock_paused_on.is_not(None).label("clock_paused"),
        Case.version,
    )
    joined = (
        select(*columns)
        .join(_Patient, _Patient.id == Case.patient_id)
        .outerjoin(_Complainant, _Complainant.id == Case.complainant_id)
        .outerjoin(_Assignee, _Assignee.id == Case.assignee_id)
    )
    if sort in _NAME_SORTS:
        return _checked(
            joined.where(*conditions)
            .order_by(*_sort_order(sort, descending))
            .offset(offset)
            .limit(limit)
        )
    # Find the page's ids through the cases table's own indexes first, then join the
    # names for just those rows: deep pages stay cheap with 100,000 cases.
    page = (
        select(Case.id)
        .where(*conditions)
        .order_by(*_sort_order(sort, descending))
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    return _checked(
        joined.join(page, page.c.id == Case.id).order_by(*_sort_order(sort, descending))
    )


def _checked(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The page's columns must be CaseRow's fields in order, since rows are built by position."""
    names = [column.key for column in query.selected_columns]
    if names != _ROW_FIELDS:
        raise AssertionError(f"page columns {names} do not match CaseRow {_ROW_FIELDS}")
    return query


_ROW_FIELDS = list(CaseRow._fields)
