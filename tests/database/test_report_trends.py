"""Trends: every figure recounted by hand in SQL, on both databases, and the cases behind it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from prdesk.domain import queries
from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.queries import count_cases
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.model import (
    Dimension,
    Granularity,
    Report,
    ReportRequest,
    ReportTable,
    format_cell,
)
from prdesk.domain.reports.trends import TOP_VALUES, trends_report
from prdesk.domain.services import organisation
from tests.support.builders import departments, log_case, phone_complaint

TODAY = date.today()
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# A case counted under each of its values, per period, written apart from the report's query.
_BY_VALUE = {
    Dimension.CATEGORY: """
        SELECT COALESCE(parent.name, filed.name), COUNT(DISTINCT c.id), ''
        FROM cases c
        JOIN case_categories cc ON cc.case_id = c.id
        JOIN categories filed ON filed.id = cc.category_id
        LEFT JOIN categories parent ON parent.id = filed.parent_id
        WHERE c.received_at >= :a AND c.received_at < :b
        GROUP BY COALESCE(parent.name, filed.name)""",
    Dimension.DEPARTMENT: """
        SELECT d.name, COUNT(*), ''
        FROM case_departments cd
        JOIN departments d ON d.id = cd.department_id
        JOIN cases c ON c.id = cd.case_id
        WHERE c.received_at >= :a AND c.received_at < :b
        GROUP BY d.name""",
    Dimension.STAFF: """
        SELECT s.name_key, COUNT(DISTINCT s.case_id), MIN(s.name)
        FROM case_staff s
        JOIN cases c ON c.id = s.case_id
        WHERE c.received_at >= :a AND c.received_at < :b
        GROUP BY s.name_key""",
    Dimension.CHANNEL: """
        SELECT c.channel, COUNT(*), '' FROM cases c
        WHERE c.received_at >= :a AND c.received_at < :b GROUP BY c.channel""",
    Dimension.KIND: """
        SELECT c.kind, COUNT(*), '' FROM cases c
        WHERE c.received_at >= :a AND c.received_at < :b GROUP BY c.kind""",
}
_WITHOUT = {
    Dimension.CATEGORY: "SELECT case_id FROM case_categories",
    Dimension.DEPARTMENT: "SELECT case_id FROM case_departments",
    Dimension.STAFF: "SELECT case_id FROM case_staff",
}
_MISSING = {
    Dimension.CATEGORY: "No category recorded",
    Dimension.DEPARTMENT: "No department recorded",
    Dimension.STAFF: "No staff member named",
}
_SPECIAL = {"All others", "All cases received", *_MISSING.values()}


def _periods(start: date, end: date, quarterly: bool) -> list[tuple[str, date, date]]:
    """(label, first day, last day) for the month or quarter before `start`, then each one
    to `end`, cut at `start` and `end`."""
    step = 3 if quarterly else 1
    month = (start.month - 1) // step * step + 1
    first = date(start.year, month, 1)
    found = []
    current = _add_months(first, -step)
    while current <= end:
        following = _add_months(current, step)
        if quarterly:
            label = f"Q{(current.month - 1) // 3 + 1} {current.year}"
        else:
            label = f"{_MONTHS[current.month - 1]} {current.year}"
        last = following - timedelta(days=1)
        if current >= first:
            found.append((label, max(current, start), min(last, end)))
        else:
            found.append((label, current, last))
        current = following
    return found


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _edge(db: Database, day: date) -> Any:
    """Local midnight starting `day`, as the database compares it with a stored instant."""
    moment = datetime(day.year, day.month, day.day).astimezone(UTC)
    if db.engine.dialect.name == "sqlite":
        return moment.replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment


def _by_hand(
    db: Database, session: Session, dimension: Dimension, spans: list[tuple[str, date, date]]
) -> tuple[dict[str, list[int]], list[int], list[int]]:
    """Counts per value label, all cases and cases without a value, per span."""
    counts: dict[str, list[int]] = {}
    spellings: dict[str, str] = {}
    everything, missing = [], []
    for position, (_, first, last) in enumerate(spans):
        edges = {"a": _edge(db, first), "b": _edge(db, last + timedelta(days=1))}
        for value, count, spelling in session.execute(text(_BY_VALUE[dimension]), edges):
            counts.setdefault(value, [0] * len(spans))[position] = count
            if spelling:
                spellings[value] = min(spellings.get(value, spelling), spelling)
        received = "SELECT COUNT(*) FROM cases c WHERE c.received_at >= :a AND c.received_at < :b"
        everything.append(session.execute(text(received), edges).scalar_one())
        if dimension in _WITHOUT:
            bare = f"{received} AND c.id NOT IN ({_WITHOUT[dimension]})"
            missing.append(session.execute(text(bare), edges).scalar_one())
    if dimension is Dimension.STAFF:
        counts = {spellings[key]: row for key, row in counts.items()}
    elif dimension is Dimension.CHANNEL:
        counts = {Channel(value).label: row for value, row in counts.items()}
    elif dimension is Dimension.KIND:
        counts = {CaseKind(value).label: row for value, row in counts.items()}
    return counts, everything, missing


def _change(now: int, before: int) -> float | None:
    return None if before == 0 else (now - before) / before


def _rows(table: ReportTable) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): row[1:] for row in table.rows}


def _check_drills(session: Session, table: ReportTable) -> None:
    """Each figure the case list can show opens on exactly the cases it counts."""
    for (r, c), shown in table.drill.items():
        assert count_cases(session, shown) == table.rows[r][c], (table.rows[r][0], c)


def _check(
    db: Database, session: Session, report: Report, request: ReportRequest, quarterly: bool
) -> None:
    spans = _periods(request.start, request.end, quarterly)
    counts, everything, missing = _by_hand(db, session, request.dimension, spans)
    table, changes = report.sections[0].table, report.sections[1].table
    assert table is not None and changes is not None
    n = len(spans) - 1
    assert [column.title for column in table.columns[1 : n + 1]] == [s[0] for s in spans[1:]]
    assert changes.columns[1].title == f"{spans[0][0]} (before)"
    rows = _rows(table)
    shown = [label for label in rows if label not in _SPECIAL]
    folded = [label for label in counts if label not in shown]
    expected: dict[str, list[int]] = {label: counts[label] for label in shown}
    assert len(shown) == min(len(counts), TOP_VALUES)
    totals = [sum(counts[label][1:]) for label in shown]
    assert totals == sorted(totals, reverse=True)
    if folded:
        assert min(totals) >= max(sum(counts[label][1:]) for label in folded)
        expected["All others"] = [sum(counts[label][i] for label in folded) for i in range(n + 1)]
    else:
        assert "All others" not in rows
    if request.dimension in _MISSING:
        if any(missing):
            expected[_MISSING[request.dimension]] = missing
        else:
            assert _MISSING[request.dimension] not in rows
    expected["All cases received"] = everything
    assert list(rows) == list(expected)
    assert table.rows[-1][0] == "All cases received" and table.total_row
    for label, want in expected.items():
        assert rows[label][:n] == tuple(want[1:]), label
        assert rows[label][n] == sum(want[1:]), label
        assert rows[label][n + 1] == pytest.approx(_change(want[-1], want[-2])), label
        steps = [_change(want[i], want[i - 1]) for i in range(1, n + 1)]
        assert _rows(changes)[label] == pytest.approx((want[0], *steps)), label
    _check_drills(session, table)
    _check_drills(session, changes)
    chart = report.sections[0].chart
    assert chart is not None
    for series in chart.series:
        assert list(series.values) == expected[series.name][1:]
        for value, shown_filter in zip(series.values, series.filters, strict=True):
            if shown_filter is not None:
                assert count_cases(session, shown_filter) == value


def test_every_figure_matches_a_count_written_by_hand(db: Database, coordinator: UserInfo) -> None:
    generate_demo_data(db, 400, seed=11)
    requests = [
        # Whole months up to today, and dates that cut the first and last periods short.
        (date(2025, 12, 1), date(2026, 11, 30)),
        (date(2025, 5, 14), date(2026, 8, 20)),
    ]
    with db.transaction(read_only=True) as session:
        for start, end in requests:
            for granularity in Granularity:
                for dimension in Dimension:
                    request = ReportRequest(start, end, granularity, dimension=dimension)
                    report = trends_report(session, request, today=TODAY)
                    _check(db, session, report, request, granularity is Granularity.QUARTER)
        staff = trends_report(
            session, ReportRequest(date(2025, 12, 1), date(2026, 11, 30), dimension=Dimension.STAFF)
        )
    table = staff.sections[0].table
    assert table is not None and "All others" in _rows(table)
    assert any(
        "added together under \u201cAll others\u201d" in p for p in staff.sections[0].paragraphs
    )


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


def _report(db: Database, request: ReportRequest) -> Report:
    with db.transaction(read_only=True) as session:
        return trends_report(session, request, today=TODAY)


def _cells(report: Report, section: int = 0) -> dict[str, list[str]]:
    table = report.sections[section].table
    assert table is not None
    return {
        str(row[0]): [
            format_cell(value, column.unit)
            for value, column in zip(row[1:], table.columns[1:], strict=True)
        ]
        for row in table.rows
    }


def test_the_change_on_the_period_before_worked_out_by_hand(
    db: Database, coordinator: UserInfo
) -> None:
    arrivals = {
        date(2025, 12, 10): [Channel.PHONE] * 4,
        date(2026, 1, 10): [Channel.PHONE, Channel.PHONE, Channel.LETTER],
        date(2026, 2, 10): [Channel.PHONE] * 3,
    }
    for day, channels in arrivals.items():
        for channel in channels:
            log_case(db, coordinator, phone_complaint(channel=channel, received_at=_at(day)))
    report = _report(
        db, ReportRequest(date(2026, 1, 1), date(2026, 2, 28), dimension=Dimension.CHANNEL)
    )
    assert report.title == "Trends by how it came in"
    assert report.subtitle == "1 January 2026 to 28 February 2026, by month"
    # Jan, Feb, total, change in Feb.
    assert _cells(report) == {
        "Phone": ["2", "3", "5", "+50%"],
        "Letter": ["1", "0", "1", "−100%"],
        "All cases received": ["3", "3", "6", "+0%"],
    }
    # Dec (before), then the change in Jan and in Feb; nothing to compare with is a dash.
    assert _cells(report, 1) == {
        "Phone": ["4", "−50%", "+50%"],
        "Letter": ["0", "–", "−100%"],
        "All cases received": ["4", "−25%", "+0%"],
    }


def test_a_case_counts_under_each_department_and_once_under_a_parent_category(
    db: Database, coordinator: UserInfo
) -> None:
    wards = departments(db, "Cardiology", "Surgery")
    with db.transaction() as session:
        rudeness = organisation.ensure_category(session, "Communication", "Rudeness")
        tone = organisation.ensure_category(session, "Communication", "Tone of letters")
        communication = organisation.ensure_category(session, "Communication")
        billing = organisation.ensure_category(session, "Billing", "Incorrect charge")
    day = _at(date(2026, 3, 5))
    log_case(
        db,
        coordinator,
        phone_complaint(
            received_at=day,
            department_ids=(wards["Cardiology"], wards["Surgery"]),
            category_ids=(rudeness, tone, billing),
        ),
    )
    log_case(db, coordinator, phone_complaint(received_at=day, category_ids=(communication,)))
    march = ReportRequest(date(2026, 3, 1), date(2026, 3, 31), dimension=Dimension.DEPARTMENT)
    by_department = _report(db, march)
    assert _cells(by_department) == {
        "Cardiology": ["1", "1", "–"],
        "Surgery": ["1", "1", "–"],
        "No department recorded": ["1", "1", "–"],
        "All cases received": ["2", "2", "–"],
    }
    assert "counts under each" in by_department.sections[0].paragraphs[0]
    by_category = _report(db, ReportRequest(march.start, march.end, dimension=Dimension.CATEGORY))
    assert _cells(by_category) == {
        "Communication": ["2", "2", "–"],
        "Billing": ["1", "1", "–"],
        "All cases received": ["2", "2", "–"],
    }
    paragraph = by_category.sections[0].paragraphs[0]
    assert "Subcategories count under their top-level category" in paragraph
    assert "A case filed under two categories counts under each" in paragraph
    table = by_category.sections[0].table
    assert table is not None
    with db.transaction(read_only=True) as session:
        _check_drills(session, table)


def test_one_person_spelled_two_ways_counts_once(db: Database, coordinator: UserInfo) -> None:
    day = _at(date(2026, 4, 8))
    for named in ("Dr O'Brien", "dr obrien; Nurse Lee", "Lee"):
        log_case(db, coordinator, phone_complaint(received_at=day, staff_involved=named))
    report = _report(
        db, ReportRequest(date(2026, 4, 1), date(2026, 4, 30), dimension=Dimension.STAFF)
    )
    assert _cells(report) == {
        "Dr O'Brien": ["2", "2", "–"],
        "Lee": ["2", "2", "–"],
        "All cases received": ["3", "3", "–"],
    }
    table = report.sections[0].table
    assert table is not None and not table.drill.get((0, 1))  # the list cannot show a person


def _forget_statements() -> None:
    # The case list keeps its statements, edges included, as the clock's zone never
    # changes while PR Desk runs; here it does, so they are built again.
    queries._count_query.cache_clear()
    queries._page_query.cache_clear()


@pytest.fixture
def chicago() -> Iterator[ZoneInfo]:
    """The workstation's clock in Illinois, where midnight is not midnight UTC."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Chicago"
    time.tzset()
    _forget_statements()
    yield ZoneInfo("America/Chicago")
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()
    _forget_statements()


def test_a_case_received_late_on_the_last_evening_counts_in_that_month(
    db: Database, coordinator: UserInfo, chicago: ZoneInfo
) -> None:
    late = datetime(2026, 3, 31, 23, 30, tzinfo=chicago)  # 04:30 on 1 April in UTC
    log_case(db, coordinator, phone_complaint(received_at=late))
    log_case(db, coordinator, phone_complaint(received_at=late + timedelta(minutes=31)))
    request = ReportRequest(date(2026, 3, 1), date(2026, 4, 30), dimension=Dimension.KIND)
    assert _cells(_report(db, request))["Complaint"] == ["1", "1", "2", "+0%"]
    quarters = ReportRequest(
        date(2026, 1, 1), date(2026, 6, 30), Granularity.QUARTER, dimension=Dimension.KIND
    )
    report = _report(db, quarters)
    assert _cells(report)["Complaint"] == ["1", "1", "2", "+0%"]
    table = report.sections[0].table
    assert table is not None
    with db.transaction(read_only=True) as session:
        _check_drills(session, table)
