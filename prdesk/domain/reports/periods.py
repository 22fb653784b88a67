"""Months and quarters in the department's local time, and the SQL that sorts cases into them.

A case received at 23:30 on 31 March belongs to March where the department works, even
though it is stored as 1 April in UTC. So the edges of each period are local midnights
turned into UTC instants, and a CASE expression compares the stored instant with them:
exact in local time on both databases, and the range test can use the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, literal

from prdesk.domain.queries import local_midnight_utc
from prdesk.domain.reports.model import Granularity

# In English whatever the computer's locale: the reports are written in English.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def month_name(day: date) -> str:
    """ "November"."""
    return MONTH_NAMES[day.month - 1]


def long_date(day: date) -> str:
    """ "1 November 2026", as every report writes a day."""
    return f"{day.day} {month_name(day)} {day.year}"


@dataclass(frozen=True)
class Period:
    """One month or quarter of a report, both days included.

    Attributes:
        partial: the report's dates cut it short, so it is not a whole month or quarter.
    """

    start: date
    end: date
    label: str
    partial: bool = False

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the period (exclusive)."""
        return local_midnight_utc(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _first_of(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def _next_first(first: date, granularity: Granularity) -> date:
    months = 3 if granularity is Granularity.QUARTER else 1
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


def _label(first: date, granularity: Granularity) -> str:
    if granularity is Granularity.QUARTER:
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    return f"{month_name(first)[:3]} {first.year}"


def periods(start: date, end: date, granularity: Granularity) -> tuple[Period, ...]:
    """The months or quarters from `start` to `end`; the first and last are cut at those days."""
    found: list[Period] = []
    first = _first_of(start, granularity)
    while first <= end:
        following = _next_first(first, granularity)
        last = following - timedelta(days=1)
        clipped_start, clipped_end = max(first, start), min(last, end)
        partial = clipped_start != first or clipped_end != last
        found.append(Period(clipped_start, clipped_end, _label(first, granularity), partial))
        first = following
    return tuple(found)


def period_before(period: Period, granularity: Granularity) -> Period:
    """The whole month or quarter before `period`, for period-on-period change."""
    first = _first_of(period.start, granularity)
    earlier = _first_of(first - timedelta(days=1), granularity)
    return Period(earlier, first - timedelta(days=1), _label(earlier, granularity))


def within(column: Any, chosen: Sequence[Period]) -> ColumnElement[bool]:
    """`column` (a UTC instant) falls in one of the periods, which follow one another."""
    return and_(column >= chosen[0].start_utc, column < chosen[-1].end_utc)


def period_index(column: Any, chosen: Sequence[Period]) -> ColumnElement[int]:
    """The position in `chosen` of the period `column` falls in (use with `within`)."""
    if len(chosen) == 1:
        return literal(0)
    # Latest first: the first edge the instant is past is its period's start.
    whens = [
        (column >= period.start_utc, index) for index, period in reversed(list(enumerate(chosen)))
    ]
    return case(*whens[:-1], else_=0)
