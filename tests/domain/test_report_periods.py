"""Months and quarters of a report: cut at its dates, named as people say them, in local time."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select

from prdesk.domain.models.base import UtcDateTime
from prdesk.domain.queries import local_midnight_utc
from prdesk.domain.reports.model import Granularity
from prdesk.domain.reports.periods import (
    Period,
    period_before,
    period_index,
    periods,
    within,
)

MONTH, QUARTER = Granularity.MONTH, Granularity.QUARTER


@pytest.fixture
def chicago(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The workstation's clock set to Chicago: UTC-6 in winter, UTC-5 from 8 March 2026."""
    monkeypatch.setenv("TZ", "America/Chicago")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def _spans(found: tuple[Period, ...]) -> list[tuple[str, date, date, bool]]:
    return [(p.label, p.start, p.end, p.partial) for p in found]


def test_months_are_cut_at_the_reports_first_and_last_days() -> None:
    assert _spans(periods(date(2025, 12, 15), date(2026, 2, 10), MONTH)) == [
        ("Dec 2025", date(2025, 12, 15), date(2025, 12, 31), True),
        ("Jan 2026", date(2026, 1, 1), date(2026, 1, 31), False),
        ("Feb 2026", date(2026, 2, 1), date(2026, 2, 10), True),
    ]


def test_quarters_are_named_by_their_number_and_year() -> None:
    assert _spans(periods(date(2025, 11, 1), date(2026, 9, 30), QUARTER)) == [
        ("Q4 2025", date(2025, 11, 1), date(2025, 12, 31), True),
        ("Q1 2026", date(2026, 1, 1), date(2026, 3, 31), False),
        ("Q2 2026", date(2026, 4, 1), date(2026, 6, 30), False),
        ("Q3 2026", date(2026, 7, 1), date(2026, 9, 30), False),
    ]


def test_a_single_day_is_one_short_period() -> None:
    (only,) = periods(date(2026, 2, 28), date(2026, 2, 28), QUARTER)
    assert (only.label, only.days, only.partial) == ("Q1 2026", 1, True)
    (whole,) = periods(date(2024, 2, 1), date(2024, 2, 29), MONTH)
    assert (whole.label, whole.days, whole.partial) == ("Feb 2024", 29, False)


def test_the_period_before_is_the_whole_month_or_quarter_before() -> None:
    march = periods(date(2026, 3, 5), date(2026, 3, 20), MONTH)[0]
    assert _spans((period_before(march, MONTH),)) == [
        ("Feb 2026", date(2026, 2, 1), date(2026, 2, 28), False)
    ]
    first = periods(date(2026, 1, 1), date(2026, 3, 31), QUARTER)[0]
    assert _spans((period_before(first, QUARTER),)) == [
        ("Q4 2025", date(2025, 10, 1), date(2025, 12, 31), False)
    ]


def test_periods_start_and_end_at_local_midnight_across_the_clock_change(chicago: None) -> None:
    (march,) = periods(date(2026, 3, 1), date(2026, 3, 31), MONTH)
    assert march.start_utc == datetime(2026, 3, 1, 6, 0, tzinfo=UTC)  # CST
    assert march.end_utc == datetime(2026, 4, 1, 5, 0, tzinfo=UTC)  # CDT
    assert local_midnight_utc(date(2026, 11, 2)) == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def test_an_instant_is_sorted_into_the_period_of_its_local_day(chicago: None) -> None:
    chosen = periods(date(2026, 1, 1), date(2026, 6, 30), QUARTER)
    metadata = MetaData()
    events = Table(
        "events", metadata, Column("id", Integer, primary_key=True), Column("at", UtcDateTime())
    )
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    local = {
        1: datetime(2026, 3, 31, 23, 30),  # already 1 April in UTC: still Q1 here
        2: datetime(2026, 4, 1, 0, 30),
        3: datetime(2025, 12, 31, 23, 30),  # before the report
        4: datetime(2026, 6, 30, 23, 59),
        5: datetime(2026, 7, 1, 0, 0),  # after it
    }
    with engine.begin() as connection:
        connection.execute(
            insert(events), [{"id": k, "at": v.astimezone()} for k, v in local.items()]
        )
        found = connection.execute(
            select(events.c.id, period_index(events.c.at, chosen))
            .where(within(events.c.at, chosen))
            .order_by(events.c.id)
        ).all()
    assert [tuple(row) for row in found] == [(1, 0), (2, 1), (4, 1)]
