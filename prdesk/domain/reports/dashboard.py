"""Where the department stands today: open cases, deadlines, workload and what came in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prdesk.domain.enums import FINISHED_STATUSES, CaseKind, CaseStatus
from prdesk.domain.models import Case
from prdesk.domain.permissions import Action, require
from prdesk.domain.queries import CaseFilter, Due, Viewpoint, count_where, due_condition
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.model import Chart, ChartKind, Granularity, Series
from prdesk.domain.reports.periods import Period, month_name, period_index, periods, within
from prdesk.domain.workload import Figure, Workload, WorkloadLine, workload_figures

# A year of months shows the seasons; more bars than that stop being readable.
MONTHS_SHOWN = 12
OPEN_STATUSES = tuple(status for status in CaseStatus if status not in FINISHED_STATUSES)


@dataclass(frozen=True)
class Tally:
    """A number of cases, and the case list filter that shows exactly those cases."""

    count: int
    case_filter: CaseFilter


@dataclass(frozen=True)
class MonthFigures:
    """What came in during one month (this month: so far)."""

    period: Period
    new: Tally
    complaints: Tally
    compliments: Tally


@dataclass(frozen=True)
class Dashboard:
    """The department's figures as of `today`.

    Attributes:
        by_status: every open status in workflow order, with no cases or some.
        months: the last months, oldest first; the last is `today`'s month, so far.
    """

    today: date
    open: Tally
    overdue: Tally
    due_this_week: Tally
    by_status: tuple[tuple[CaseStatus, Tally], ...]
    workload: Workload
    months: tuple[MonthFigures, ...]

    @property
    def this_month(self) -> MonthFigures:
        return self.months[-1]

    @property
    def last_month(self) -> MonthFigures | None:
        return self.months[-2] if len(self.months) > 1 else None

    @property
    def new_change(self) -> float | None:
        """New cases this month against the whole of last month (+0.12 is 12 % more)."""
        before = self.last_month
        if before is None or before.new.count == 0:
            return None
        return (self.this_month.new.count - before.new.count) / before.new.count


def dashboard(
    session: Session, actor: UserInfo, view: Viewpoint | None = None, *, months: int = MONTHS_SHOWN
) -> Dashboard:
    """The dashboard for someone who may see the department's reports."""
    require(actor.role, Action.VIEW_REPORTS)
    return dashboard_figures(session, view or Viewpoint(viewer_id=actor.id), months)


def coming_sunday(today: date) -> date:
    """The last day of `today`'s week: what "due this week" runs to."""
    return today + timedelta(days=6 - today.weekday())


def dashboard_figures(session: Session, view: Viewpoint, months: int = MONTHS_SHOWN) -> Dashboard:
    """The dashboard as of `view.today`; whoever calls it has checked that the reader may
    see the department's reports."""
    today = view.today
    # One pass over the open cases: how many in each status, and of those how many are
    # past or near their deadline, by the list's own conditions.
    overdue = due_condition(Due.OVERDUE, today)
    this_week = due_condition(Due.DUE_THIS_WEEK, today)
    per_status = {
        CaseStatus(status): (int(count), int(late), int(week))
        for status, count, late, week in session.execute(
            select(Case.status, func.count(Case.id), count_where(overdue), count_where(this_week))
            .where(Case.status.not_in(FINISHED_STATUSES))
            .group_by(Case.status)
        )
    }
    by_status = tuple(
        (
            status,
            Tally(per_status.get(status, (0, 0, 0))[0], CaseFilter(statuses=frozenset({status}))),
        )
        for status in OPEN_STATUSES
    )
    open_filter = CaseFilter(open_only=True)
    return Dashboard(
        today=today,
        open=Tally(sum(figures[0] for figures in per_status.values()), open_filter),
        overdue=Tally(
            sum(figures[1] for figures in per_status.values()),
            CaseFilter(open_only=True, due=frozenset({Due.OVERDUE})),
        ),
        due_this_week=Tally(
            sum(figures[2] for figures in per_status.values()),
            CaseFilter(open_only=True, due=frozenset({Due.DUE_THIS_WEEK})),
        ),
        by_status=by_status,
        workload=workload_figures(session, view),
        months=_months(session, today, months),
    )


def _months(session: Session, today: date, count: int) -> tuple[MonthFigures, ...]:
    """Cases received per month, and how many were complaints and compliments: one query."""
    first = today.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    chosen = periods(first, today, Granularity.MONTH)
    index = period_index(Case.received_at, chosen)
    counted = {
        int(position): (int(new), int(complaints), int(compliments))
        for position, new, complaints, compliments in session.execute(
            select(
                index,
                func.count(Case.id),
                count_where(Case.kind == CaseKind.COMPLAINT),
                count_where(Case.kind == CaseKind.COMPLIMENT),
            )
            .where(within(Case.received_at, chosen))
            .group_by(index)
        )
    }
    result = []
    for position, period in enumerate(chosen):
        new, complaints, compliments = counted.get(position, (0, 0, 0))
        received = CaseFilter(received_from=period.start, received_to=period.end)
        result.append(
            MonthFigures(
                period,
                Tally(new, received),
                Tally(complaints, _of_kind(received, CaseKind.COMPLAINT)),
                Tally(compliments, _of_kind(received, CaseKind.COMPLIMENT)),
            )
        )
    return tuple(result)


def _of_kind(received: CaseFilter, kind: CaseKind) -> CaseFilter:
    return CaseFilter(
        kinds=frozenset({kind}),
        received_from=received.received_from,
        received_to=received.received_to,
    )


def workload_lines(board: Dashboard) -> tuple[WorkloadLine, ...]:
    """The unassigned cases, then each caseworker's."""
    return (board.workload.unassigned, *board.workload.caseworkers)


def _series(name: str, tallies: Sequence[Tally]) -> Series:
    return Series(
        name, tuple(float(t.count) for t in tallies), tuple(t.case_filter for t in tallies)
    )


def status_chart(board: Dashboard) -> Chart:
    labels = tuple(status.label for status, _ in board.by_status)
    tallies = [tally for _, tally in board.by_status]
    return Chart("Open cases by status", ChartKind.HBAR, labels, (_series("Open cases", tallies),))


def workload_chart(board: Dashboard) -> Chart:
    lines = workload_lines(board)
    return Chart(
        "Open and overdue cases per caseworker",
        ChartKind.HBAR,
        tuple(line.name for line in lines),
        tuple(
            _series(
                figure.label,
                [Tally(line.count(figure), line.case_filter(figure)) for line in lines],
            )
            for figure in (Figure.OPEN, Figure.OVERDUE)
        ),
    )


def _so_far(board: Dashboard) -> str:
    return f" ({month_name(board.today)} so far)" if board.this_month.period.partial else ""


def new_cases_chart(board: Dashboard) -> Chart:
    return Chart(
        f"New cases per month{_so_far(board)}",
        ChartKind.BAR,
        tuple(month.period.label for month in board.months),
        (_series("New cases", [month.new for month in board.months]),),
    )


def kinds_chart(board: Dashboard) -> Chart:
    return Chart(
        f"Complaints and compliments per month{_so_far(board)}",
        ChartKind.BAR,
        tuple(month.period.label for month in board.months),
        (
            _series("Complaints", [month.complaints for month in board.months]),
            _series("Compliments", [month.compliments for month in board.months]),
        ),
    )
