"""The date ranges people ask reports for: this month, last quarter, the last 12 months...

Plain date arithmetic with no Qt, so the command line's defaults are the window's
quick ranges, day for day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

DateRange = tuple[date, date]


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date, quarters_back: int = 0) -> date:
    first_month = _month_start(day, (day.month - 1) % 3)
    return _month_start(first_month, 3 * quarters_back)


def this_month(today: date) -> DateRange:
    return _month_start(today), today


def last_month(today: date) -> DateRange:
    start = _month_start(today, 1)
    return start, _month_start(today) - timedelta(days=1)


def this_quarter(today: date) -> DateRange:
    return _quarter_start(today), today


def last_quarter(today: date) -> DateRange:
    """The last whole quarter: the one a committee meets about."""
    return _quarter_start(today, 1), _quarter_start(today) - timedelta(days=1)


def last_12_months(today: date) -> DateRange:
    """Twelve calendar months, this one included: the month 11 months back, to today."""
    return twelve_months_to(today)


def this_year(today: date) -> DateRange:
    return date(today.year, 1, 1), today


def twelve_months_to(end: date) -> DateRange:
    return _month_start(end, 11), end


QUICK_RANGES: tuple[tuple[str, Callable[[date], DateRange]], ...] = (
    ("This month", this_month),
    ("Last month", last_month),
    ("This quarter", this_quarter),
    ("Last quarter", last_quarter),
    ("Last 12 months", last_12_months),
    ("This year", this_year),
)


def usual_range(report_name: str) -> str:
    """The quick range a report is read over unless someone asks otherwise: the
    committee meets about a quarter, the rest are read over a year."""
    return "Last quarter" if report_name == "committee" else "Last 12 months"


def quick_range(label: str, today: date) -> DateRange:
    """The days of a quick range by its label ("Last quarter")."""
    return dict(QUICK_RANGES)[label](today)
