"""The dashboard written out as a report: its figures in tables, for the screen and the page."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from prdesk.domain.queries import DUE_SOON_DAYS, Viewpoint
from prdesk.domain.reports.dashboard import (
    Dashboard,
    MonthFigures,
    Tally,
    coming_sunday,
    dashboard_figures,
    kinds_chart,
    new_cases_chart,
    status_chart,
    workload_chart,
    workload_lines,
)
from prdesk.domain.reports.model import (
    Cell,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Unit,
    format_cell,
)
from prdesk.domain.reports.periods import long_date
from prdesk.domain.workload import Figure


def _month_label(month: MonthFigures) -> str:
    # "Nov 2026" reads as the whole month: the month still running says so.
    return f"{month.period.label} so far" if month.period.partial else month.period.label


def new_cases_sentence(board: Dashboard) -> str:
    """ "New this month" in words, with last month's figure and the change on it."""
    now, before = board.this_month, board.last_month
    sentence = f"{format_cell(now.new.count, Unit.COUNT)} new cases in {_month_label(now)}"
    if before is None:
        return sentence + "."
    change = board.new_change
    against = format_cell(before.new.count, Unit.COUNT)
    if change is None:
        return sentence + f", against {against} in {before.period.label}."
    return sentence + (
        f", {format_cell(change, Unit.CHANGE)} on {before.period.label} ({against})."
    )


def _glance(board: Dashboard) -> Section:
    now = board.this_month
    rows: list[tuple[str, Tally]] = [
        ("Open cases", board.open),
        ("Overdue", board.overdue),
        (f"Due by Sunday {long_date(coming_sunday(board.today))}", board.due_this_week),
        (f"New in {_month_label(now)}", now.new),
    ]
    if board.last_month is not None:
        rows.append((f"New in {board.last_month.period.label}", board.last_month.new))
    rows += [
        (f"Complaints in {_month_label(now)}", now.complaints),
        (f"Compliments in {_month_label(now)}", now.compliments),
    ]
    return Section(
        "At a glance",
        (new_cases_sentence(board),),
        ReportTable(
            (ReportColumn("Figure"), ReportColumn("Cases", Unit.COUNT)),
            tuple((label, tally.count) for label, tally in rows),
            {(row, 1): tally.case_filter for row, (_, tally) in enumerate(rows)},
        ),
    )


def _by_status(board: Dashboard) -> Section:
    rows: list[tuple[Cell, ...]] = [
        (status.label, tally.count) for status, tally in board.by_status
    ]
    rows.append(("All open cases", board.open.count))
    drill = {(row, 1): tally.case_filter for row, (_, tally) in enumerate(board.by_status)}
    drill[(len(board.by_status), 1)] = board.open.case_filter
    return Section(
        "Open cases by status",
        table=ReportTable(
            (ReportColumn("Status"), ReportColumn("Cases", Unit.COUNT)),
            tuple(rows),
            drill,
            total_row=True,
        ),
        chart=status_chart(board),
    )


_WORKLOAD_FIGURES = (Figure.OPEN, Figure.DUE_SOON, Figure.OVERDUE)


def _workload(board: Dashboard) -> Section:
    lines = (*workload_lines(board), board.workload.total)
    return Section(
        "Workload",
        (
            "Open cases each caseworker holds; due soon means due within "
            f"{DUE_SOON_DAYS} days, today included.",
        ),
        ReportTable(
            (
                ReportColumn("Caseworker"),
                *(ReportColumn(figure.label, Unit.COUNT) for figure in _WORKLOAD_FIGURES),
            ),
            tuple((line.name, *(line.count(f) for f in _WORKLOAD_FIGURES)) for line in lines),
            {
                (row, column + 1): line.case_filter(figure)
                for row, line in enumerate(lines)
                for column, figure in enumerate(_WORKLOAD_FIGURES)
            },
            total_row=True,
        ),
        workload_chart(board),
    )


def _new_cases(board: Dashboard) -> Section:
    rows: list[tuple[Cell, ...]] = []
    before: MonthFigures | None = None
    for month in board.months:
        change = None
        if before is not None and before.new.count:
            change = (month.new.count - before.new.count) / before.new.count
        rows.append((_month_label(month), month.new.count, change))
        before = month
    return Section(
        "New cases per month",
        table=ReportTable(
            (
                ReportColumn("Month"),
                ReportColumn("New cases", Unit.COUNT),
                ReportColumn("Change", Unit.CHANGE, "on the month before"),
            ),
            tuple(rows),
            {(row, 1): month.new.case_filter for row, month in enumerate(board.months)},
        ),
        chart=new_cases_chart(board),
    )


def _kinds(board: Dashboard) -> Section:
    return Section(
        "Complaints and compliments per month",
        table=ReportTable(
            (
                ReportColumn("Month"),
                ReportColumn("Complaints", Unit.COUNT, "grievances included"),
                ReportColumn("Compliments", Unit.COUNT),
            ),
            tuple(
                (_month_label(month), month.complaints.count, month.compliments.count)
                for month in board.months
            ),
            {
                (row, column): tally.case_filter
                for row, month in enumerate(board.months)
                for column, tally in ((1, month.complaints), (2, month.compliments))
            },
        ),
        chart=kinds_chart(board),
    )


def _months_asked(request: ReportRequest, as_of: date) -> int:
    """The request's months, last month always included, at most two years of them."""
    span = (as_of.year - request.start.year) * 12 + as_of.month - request.start.month + 1
    return max(2, min(span, 24))


def dashboard_report(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> Report:
    """The dashboard as a report, as of the request's last day (today, if that is yet to come).

    The months run from the month of the request's first day, two years at most.
    """
    as_of = min(request.end, today or date.today())
    # run_report has let only those who may see the department's reports this far.
    board = dashboard_figures(session, Viewpoint(today=as_of), _months_asked(request, as_of))
    return Report(
        name="dashboard",
        title="Where the department stands",
        subtitle=f"As of {long_date(as_of)}",
        sections=(
            Section(
                "How to read this report",
                (
                    f"Deadlines are judged as of {long_date(as_of)}, the report's last day, and the "
                    "months run up to it. Open cases, their statuses and who holds them are as "
                    "they stood when the report was made.",
                ),
            ),
            _glance(board),
            _by_status(board),
            _workload(board),
            _new_cases(board),
            _kinds(board),
        ),
        generated_at=datetime.now(UTC),
    )
