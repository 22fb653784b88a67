"""The cases read with plain SQL, and the means to compare a report's figures with a recount."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.reports.model import Cell, Report, Unit, format_cell

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Open: nobody has finished with it (everything but resolved, closed and withdrawn).
OPEN = ("new", "assigned", "investigating", "waiting_on_department", "waiting_on_patient",
        "reopened")  # fmt: skip


# The cases, as plain rows -------------------------------------------------------------


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    # SQLite keeps instants as UTC text; PostgreSQL hands back aware datetimes.
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(instant, datetime)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _id(value: Any) -> int | None:
    return None if value is None else int(value)


def local_day(instant: datetime) -> date:
    """The calendar day where the department works (this machine's zone)."""
    return instant.astimezone().date()


@dataclass
class CaseRow:
    """One case's own columns, and the names it is filed under.

    Attributes:
        subjects: its top-level categories (a subcategory stands for its parent).
        paths: its categories as "Parent > Child" (a top-level one: its name).
        areas: its departments.
    """

    id: int
    kind: str
    channel: str
    status: str
    grievance: bool
    received: datetime
    resolved: datetime | None
    ack_due: date | None
    acked: date | None
    determination: str | None
    due_on: date | None
    number: str
    severity: str
    assignee: int | None
    subjects: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)

    @property
    def received_day(self) -> date:
        return local_day(self.received)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str
    active: bool


@dataclass
class Data:
    """Everything the recount reads, as it stood when it was read.

    Attributes:
        letters: the finalised ones: (case, template, status, override, finalised).
        sent: the sent ones with the day they went: (case, template, day).
        staff: per case, the keys of the people it names (one per person).
        spellings: per staff key, the names as typed.
    """

    cases: list[CaseRow]
    letters: list[tuple[int, str, str, str, datetime | None]]
    sent: list[tuple[int, str, date]]
    staff: dict[int, set[str]]
    spellings: dict[str, set[str]]
    people: list[Person]

    @cached_property
    def by_id(self) -> dict[int, CaseRow]:
        return {c.id: c for c in self.cases}

    @cached_property
    def grievances(self) -> set[int]:
        return {c.id for c in self.cases if c.grievance}


_CASE_COLUMNS: tuple[Callable[[Any], Any], ...] = (
    int, str, str, str, bool, _instant, _instant, _day, _day, _text, _day, str, str, _id,
)  # fmt: skip


def load(db: Database) -> Data:
    with db.engine.connect() as connection:

        def rows(sql: str) -> Any:
            return connection.execute(text(sql))

        cases = {
            row[0]: CaseRow(*(read(value) for read, value in zip(_CASE_COLUMNS, row, strict=True)))
            for row in rows(
                "SELECT id, kind, channel, status, is_grievance, received_at, resolved_at,"
                " acknowledge_due_on, acknowledged_on, determination, due_on, number,"
                " severity, assignee_id FROM cases"
            )
        }
        categories = {
            ident: (parent_name or name, f"{parent_name} > {name}" if parent_name else name)
            for ident, name, parent_name in rows(
                "SELECT c.id, c.name, p.name FROM categories c"
                " LEFT JOIN categories p ON p.id = c.parent_id"
            )
        }
        for case_id, category in rows("SELECT case_id, category_id FROM case_categories"):
            subject, path = categories[category]
            cases[case_id].subjects.add(subject)
            cases[case_id].paths.add(path)
        for case_id, name in rows(
            "SELECT cd.case_id, d.name FROM case_departments cd"
            " JOIN departments d ON d.id = cd.department_id"
        ):
            cases[case_id].areas.add(name)
        letters = [
            (row[0], row[1], row[2], row[3] or "", _instant(row[4]))
            for row in rows(
                "SELECT case_id, template_key, status, compliance_override, finalised_at"
                " FROM letters WHERE finalised_at IS NOT NULL"
            )
        ]
        sent = [
            (case_id, template, _day(day) or date.min)
            for case_id, template, day in rows(
                "SELECT case_id, template_key, sent_on FROM letters"
                " WHERE status = 'sent' AND sent_on IS NOT NULL"
            )
        ]
        staff: dict[int, set[str]] = defaultdict(set)
        spellings: dict[str, set[str]] = defaultdict(set)
        for case_id, name, key in rows("SELECT case_id, name, name_key FROM case_staff"):
            staff[case_id].add(key)
            spellings[key].add(name)
        people = [
            Person(int(ident), name, role, bool(active))
            for ident, name, role, active in rows(
                "SELECT id, display_name, role, active FROM users"
            )
        ]
    return Data(list(cases.values()), letters, sent, dict(staff), dict(spellings), people)


# Months and percentiles, written out --------------------------------------------------


def months_between(first: date, last: date) -> list[tuple[date, date, str]]:
    """(first day, last day, label) of each month from `first`'s to `last`'s, whole."""
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        found.append(
            (date(year, month, 1), following - timedelta(days=1), f"{MONTHS[month - 1]} {year}")
        )
        year, month = following.year, following.month
    return found


def percentile(values: list[float], fraction: float) -> float | None:
    """Interpolated between the two nearest, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def share(good: int, bad: int) -> float | None:
    return good / (good + bad) if good + bad else None


def change(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


# Comparing ----------------------------------------------------------------------------


@dataclass
class Comparison:
    lines: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def add(self, where: str, unit: Unit, shown: Cell | str, expected: Cell) -> None:
        if isinstance(shown, str) and unit is not Unit.TEXT:
            # The figure is not in the report, so neither is its unit.
            written = "–" if expected is None else f"{expected:,}"
            self.lines.append((where, shown, written, False))
            return
        written = format_cell(expected, unit) + _exact(expected, unit)
        shown_text = format_cell(shown, unit) + _exact(shown, unit)
        self.lines.append((where, shown_text, written, _same(shown, expected)))

    @property
    def differences(self) -> list[tuple[str, str, str, bool]]:
        return [line for line in self.lines if not line[3]]


def _same(shown: Cell, expected: Cell) -> bool:
    if shown is None or expected is None:
        return shown is None and expected is None
    if isinstance(shown, str) or isinstance(expected, str):
        return shown == expected
    return math.isclose(float(shown), float(expected), rel_tol=1e-9, abs_tol=1e-6)


def _exact(value: Cell, unit: Unit) -> str:
    return f" ({value:.6f})" if isinstance(value, float) and unit is not Unit.COUNT else ""


WHOLE = ""  # the heading that stands for a report's first table, whatever it is called


class Table:
    """One table of a report, its cells found by row label and column title."""

    def __init__(self, report: Report, heading: str, asked: str = "") -> None:
        """The table of the section headed `heading`; WHOLE: the first table of the report."""
        tables = [s for s in report.sections if s.table is not None]
        if heading == WHOLE:
            section = tables[0] if tables else None
        else:
            section = next((s for s in tables if s.heading == heading), None)
        heading = section.heading if section is not None and heading == WHOLE else heading
        self.name = f"{report.name}{asked} / {heading}"
        self.table = section.table if section is not None else None

    def cell(self, row: str | Callable[[str], bool], column: str) -> tuple[Unit, Cell | str]:
        if self.table is None:
            return Unit.COUNT, "no such table"
        titles = [c.title for c in self.table.columns]
        if column not in titles:
            return Unit.COUNT, "no such column"
        index = titles.index(column)
        unit = self.table.columns[index].unit
        matches = row if callable(row) else (lambda label: label == row)
        found = [r for r in self.table.rows if isinstance(r[0], str) and matches(r[0])]
        return (unit, found[0][index]) if found else (unit, "no such row")

    def labels(self) -> list[str]:
        return [str(r[0]) for r in self.table.rows] if self.table is not None else []


def compare(
    out: Comparison,
    table: Table,
    row: str | Callable[[str], bool],
    column: str,
    expected: Cell,
    row_name: str = "",
) -> None:
    unit, shown = table.cell(row, column)
    out.add(f"{table.name} | {row_name or row} | {column}", unit, shown, expected)
