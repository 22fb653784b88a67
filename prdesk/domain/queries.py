"""The read side of the case list: filtered, sorted, windowed rows straight from SQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from prdesk.domain.enums import CaseStatus, Severity
from prdesk.domain.models import Case, Person, User
from prdesk.domain.readmodels import CaseRow
from prdesk.domain.search_text import query_terms

_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


class SortKey(StrEnum):
    NUMBER = "number"
    RECEIVED = "received"
    STATUS = "status"
    KIND = "kind"
    PATIENT = "patient"
    ASSIGNEE = "assignee"
    SEVERITY = "severity"


@dataclass(frozen=True)
class CaseFilter:
    """What the list shows. An empty filter shows every case."""

    statuses: frozenset[CaseStatus] = frozenset()
    search: str = ""
    open_only: bool = False


_Patient = aliased(Person, name="patient")
_Complainant = aliased(Person, name="complainant")
_Assignee = aliased(User, name="assignee")

_SORT_COLUMNS = {
    SortKey.NUMBER: Case.number,
    SortKey.RECEIVED: Case.received_at,
    SortKey.STATUS: Case.status,
    SortKey.KIND: Case.kind,
    SortKey.PATIENT: _Patient.full_name,
    SortKey.ASSIGNEE: _Assignee.display_name,
    SortKey.SEVERITY: Case.severity,
}


_ORDERED: dict[SortKey, type[CaseStatus] | type[Severity]] = {
    SortKey.STATUS: CaseStatus,
    SortKey.SEVERITY: Severity,
}


def _filtered(query: _S, case_filter: CaseFilter) -> _S:
    if case_filter.statuses:
        query = query.where(Case.status.in_(case_filter.statuses))
    if case_filter.open_only:
        query = query.where(Case.status.not_in([CaseStatus.RESOLVED, CaseStatus.CLOSED]))
    terms = query_terms(case_filter.search)
    if terms:
        # Each term must begin a word of the folded search column (which starts with
        # a space). The terms are bound parameters, so no text can break the query;
        # LIKE wildcards in them were already folded away.
        query = query.where(
            and_(*(Case.search_text.contains(" " + term, autoescape=True) for term in terms))
        )
    return query


def count_cases(session: Session, case_filter: CaseFilter = CaseFilter()) -> int:
    query = _filtered(select(func.count(Case.id)), case_filter)
    return session.scalar(query) or 0


def list_cases(
    session: Session,
    case_filter: CaseFilter = CaseFilter(),
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> list[CaseRow]:
    column: ColumnElement[Any] = _SORT_COLUMNS[sort].expression
    if sort in (SortKey.PATIENT, SortKey.ASSIGNEE):
        # People expect "alice" between "Adam" and "Bob", whatever the collation.
        column = func.lower(column)
    elif sort in _ORDERED:
        # Severity and status sort in their own order (low < severe), not alphabetically.
        members = list(_ORDERED[sort])
        column = case({m.value: position for position, m in enumerate(members)}, value=column)
    order = column.desc() if descending else column.asc()
    tie_break = Case.id.desc() if descending else Case.id.asc()
    query = (
        select(
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
            Case.is_grievance,
            Case.safety_concern,
        )
        .join(_Patient, _Patient.id == Case.patient_id)
        .outerjoin(_Complainant, _Complainant.id == Case.complainant_id)
        .outerjoin(_Assignee, _Assignee.id == Case.assignee_id)
    )
    query = _filtered(query, case_filter).order_by(order, tie_break).offset(offset).limit(limit)
    # Column labels are CaseRow's field names.
    return [CaseRow(**row._asdict()) for row in session.execute(query)]
