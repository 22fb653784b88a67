"""Human-readable case numbers (PR-2026-000123), unique across concurrent workstations."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from prdesk.domain.models import CaseNumberCounter

PREFIX = "PR"


def format_case_number(year: int, value: int) -> str:
    return f"{PREFIX}-{year}-{value:06d}"


def next_case_number(session: Session, year: int) -> str:
    """Takes the next number for `year` inside the caller's transaction.

    The counter row stays locked until that transaction ends (a row lock on
    PostgreSQL, the write lock on SQLite), so a concurrent creator waits and then
    gets the following number; a rolled-back case gives its number back.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(CaseNumberCounter)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    value = session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.year == year)
        .values(last_value=CaseNumberCounter.last_value + 1)
        .returning(CaseNumberCounter.last_value)
    ).scalar_one()
    return format_case_number(year, value)
