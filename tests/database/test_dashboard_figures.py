"""The dashboard's figures, checked against SQL written by hand, and the cases each one opens."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseStatus, Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.queries import CaseFilter, Viewpoint, count_cases
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports import catalogue
from prdesk.domain.reports.catalogue import ReportSpec, run_report
from prdesk.domain.reports.dashboard import Dashboard, dashboard
from prdesk.domain.reports.model import Report, ReportRequest
from prdesk.domain.services import users
from tests.support.builders import colleague

FINISHED = "('resolved', 'closed', 'withdrawn')"


@pytest.fixture
def demo(db: Database) -> Database:
    generate_demo_data(db, 400, seed=5)
    return db


def _coordinator(session: Session) -> UserInfo:
    return users.resolve_actor(session, "moconnell")


def _board(db: Database, today: date | None = None) -> Dashboard:
    with db.transaction(read_only=True) as session:
        actor = _coordinator(session)
        return dashboard(session, actor, Viewpoint(today=today or date.today(), viewer_id=actor.id))


def _scalar(session: Session, sql: str, **params: object) -> int:
    return int(session.execute(text(sql), params).scalar_one())


def _listed(db: Database, case_filter: CaseFilter, today: date) -> int:
    with db.transaction(read_only=True) as session:
        return count_cases(session, case_filter, Viewpoint(today=today))


def _local_month(stored: object) -> tuple[int, int]:
    """The local month an instant read back by hand falls in (SQLite gives text)."""
    instant = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    assert isinstance(instant, datetime)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    local = instant.astimezone()
    return local.year, local.month


def test_open_cases_by_status_and_deadlines_match_a_count_by_hand(demo: Database) -> None:
    today = date.today()
    sunday = today + timedelta(days=6 - today.weekday())
    board = _board(demo, today)
    with demo.transaction(read_only=True) as session:
        by_status = dict(
            session.execute(
                text(
                    f"SELECT status, COUNT(*) FROM cases WHERE status NOT IN {FINISHED} GROUP BY status"
                )
            ).all()
        )
        overdue = _scalar(
            session,
            f"SELECT COUNT(*) FROM cases WHERE status NOT IN {FINISHED} AND due_on < :today",
            today=today,
        )
        this_week = _scalar(
            session,
            f"SELECT COUNT(*) FROM cases WHERE status NOT IN {FINISHED} "
            "AND due_on BETWEEN :today AND :sunday",
            today=today,
            sunday=sunday,
        )
    shown = {status.value: tally.count for status, tally in board.by_status if tally.count}
    assert shown == by_status
    assert board.open.count == sum(by_status.values()) > 50
    assert board.overdue.count == overdue > 0
    assert board.due_this_week.count == this_week
    # Every open status has its line, in the order cases move through them.
    assert [status for status, _ in board.by_status][:3] == [
        CaseStatus.NEW,
        CaseStatus.ASSIGNED,
        CaseStatus.INVESTIGATING,
    ]


def test_workload_per_caseworker_matches_a_count_by_hand(demo: Database) -> None:
    today = date.today()
    board = _board(demo, today)
    with demo.transaction(read_only=True) as session:
        rows = session.execute(
            text(
                "SELECT u.display_name, COUNT(*), "
                "SUM(CASE WHEN c.due_on < :today THEN 1 ELSE 0 END) "
                "FROM cases c JOIN users u ON u.id = c.assignee_id "
                f"WHERE c.status NOT IN {FINISHED} GROUP BY u.display_name"
            ),
            {"today": today},
        ).all()
        unassigned = _scalar(
            session,
            f"SELECT COUNT(*) FROM cases WHERE assignee_id IS NULL AND status NOT IN {FINISHED}",
        )
    by_hand = {name: (int(open_), int(overdue)) for name, open_, overdue in rows}
    shown = {
        line.name: (line.open, line.overdue) for line in board.workload.caseworkers if line.open
    }
    assert shown == by_hand
    assert board.workload.unassigned.open == unassigned


def test_cases_received_per_local_month_match_a_count_by_hand(demo: Database) -> None:
    today = date.today()
    board = _board(demo, today)
    with demo.transaction(read_only=True) as session:
        received = session.execute(text("SELECT received_at, kind FROM cases")).all()
    new: Counter[tuple[int, int]] = Counter()
    kinds: Counter[tuple[int, int, str]] = Counter()
    for stored, kind in received:
        month = _local_month(stored)
        new[month] += 1
        kinds[(*month, kind)] += 1
    assert len(board.months) == 12
    assert board.this_month.period.start == today.replace(day=1)
    for month in board.months:
        key = (month.period.start.year, month.period.start.month)
        assert month.new.count == new[key], month.period.label
        assert month.complaints.count == kinds[(*key, "complaint")], month.period.label
        assert month.compliments.count == kinds[(*key, "compliment")], month.period.label
    assert sum(month.new.count for month in board.months) > 100
    assert sum(month.compliments.count for month in board.months) > 0
    last = board.months[-2].new.count
    assert board.new_change == pytest.approx((board.this_month.new.count - last) / last)


def test_every_figure_lists_exactly_the_cases_it_counts(demo: Database) -> None:
    today = date.today()
    board = _board(demo, today)
    tallies = [board.open, board.overdue, board.due_this_week]
    tallies += [tally for _, tally in board.by_status]
    for month in board.months:
        tallies += [month.new, month.complaints, month.compliments]
    for tally in tallies:
        assert _listed(demo, tally.case_filter, today) == tally.count, tally.case_filter


def test_the_report_carries_the_same_figures_and_each_opens_its_cases(demo: Database) -> None:
    today = date.today()
    board = _board(demo, today)
    with demo.transaction(read_only=True) as session:
        actor = _coordinator(session)
    start = (today.replace(day=1) - timedelta(days=150)).replace(day=1)
    report = run_report(demo, actor, "dashboard", ReportRequest(start, today))
    sections = {section.heading: section for section in report.sections}
    glance = sections["At a glance"].table
    assert glance is not None
    assert glance.rows[0] == ("Open cases", board.open.count)
    assert glance.rows[1] == ("Overdue", board.overdue.count)
    status = sections["Open cases by status"].table
    assert status is not None and status.total_row
    assert status.rows[-1] == ("All open cases", board.open.count)
    months = sections["New cases per month"].table
    assert months is not None
    # From the request's first month to its last: six of them.
    assert [row[1] for row in months.rows] == [m.new.count for m in board.months[-6:]]
    _assert_drills_count_their_cells(demo, report, today)


def _assert_drills_count_their_cells(db: Database, report: Report, today: date) -> None:
    checked = 0
    for section in report.sections:
        if section.table is not None:
            for (row, column), case_filter in section.table.drill.items():
                figure = section.table.rows[row][column]
                assert _listed(db, case_filter, today) == figure, (section.heading, row, column)
                checked += 1
        if section.chart is not None:
            for series in section.chart.series:
                for value, case_filter in zip(series.values, series.filters, strict=True):
                    assert case_filter is not None
                    assert _listed(db, case_filter, today) == value, section.chart.title
                    checked += 1
    assert checked > 60


def test_the_report_judges_deadlines_on_its_last_day(demo: Database) -> None:
    today = date.today()
    earlier = today - timedelta(days=20)
    with demo.transaction(read_only=True) as session:
        actor = _coordinator(session)
        overdue_then = _scalar(
            session,
            f"SELECT COUNT(*) FROM cases WHERE status NOT IN {FINISHED} AND due_on < :day",
            day=earlier,
        )
    report = run_report(
        demo, actor, "dashboard", ReportRequest(earlier - timedelta(days=60), earlier)
    )
    glance = next(s.table for s in report.sections if s.heading == "At a glance")
    assert glance is not None
    assert glance.rows[1] == ("Overdue", overdue_then)
    assert f"{earlier.day} {earlier:%B %Y}" in report.subtitle
    assert any("judged as of" in p for s in report.sections for p in s.paragraphs)


def test_a_representative_has_no_dashboard(db: Database, coordinator: UserInfo) -> None:
    rep = colleague(db, "jdoe", "Jo Doe", Role.REPRESENTATIVE)
    with db.transaction(read_only=True) as session, pytest.raises(PermissionDenied):
        dashboard(session, rep)


def test_a_report_runs_with_jit_compilation_off_and_leaves_the_setting_as_it_was(
    db: Database, coordinator: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres = db.engine.dialect.name == "postgresql"

    def probe(session: Session, request: ReportRequest) -> Report:
        jit = session.execute(text("SHOW jit")).scalar_one() if postgres else "none"
        return Report("probe", "Probe", f"jit {jit}", (), datetime.now(UTC))

    monkeypatch.setitem(catalogue._BY_NAME, "probe", ReportSpec("probe", "Probe", "", probe))
    with db.transaction(read_only=True) as session:
        before = session.execute(text("SHOW jit")).scalar_one() if postgres else "none"
    today = date.today()
    report = run_report(db, coordinator, "probe", ReportRequest(today, today))
    assert report.subtitle == ("jit off" if postgres else "jit none")
    with db.transaction(read_only=True) as session:
        after = session.execute(text("SHOW jit")).scalar_one() if postgres else "none"
    assert after == before
    # The dashboard itself runs on both databases.
    assert run_report(db, coordinator, "dashboard", ReportRequest(today, today)).sections
