"""Deadline figures for coordinators: open, due-soon and overdue cases per caseworker, and in all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prdesk.domain.enums import FINISHED_STATUSES, Role
from prdesk.domain.models import Case, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.queries import (
    DUE_SOON_DAYS,
    CaseFilter,
    Due,
    Viewpoint,
    count_where,
    due_condition,
)
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services.users import caseworkers


class Figure(StrEnum):
    """One column of the workload: which of a caseworker's open cases it counts."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"open": "Open", "due_soon": "Due soon", "overdue": "Overdue"}[self.value]


class Holder(StrEnum):
    """Whose open cases a workload line counts."""

    CASEWORKER = "caseworker"
    NOBODY = "nobody"
    DEPARTMENT = "department"


@dataclass(frozen=True)
class WorkloadLine:
    """One line of the workload view.

    Attributes:
        holder: a caseworker's cases, the unassigned ones, or the whole department's.
        assignee_id: the caseworker (None on the other lines).
        name: the caseworker's name, or what the line stands for.
        can_take_cases: False for someone who holds open cases but may no longer
            be given any (an account disabled or moved to another role): those
            cases need a new owner.
    """

    holder: Holder
    assignee_id: int | None
    name: str
    open: int
    due_soon: int
    overdue: int
    can_take_cases: bool = True

    def count(self, figure: Figure) -> int:
        return {
            Figure.OPEN: self.open,
            Figure.DUE_SOON: self.due_soon,
            Figure.OVERDUE: self.overdue,
        }[figure]

    def case_filter(self, figure: Figure) -> CaseFilter:
        """The case list filter that shows exactly the cases this figure counts."""
        if self.holder is Holder.NOBODY:
            return figure_filter(figure, unassigned=True)
        if self.holder is Holder.CASEWORKER and self.assignee_id is not None:
            return figure_filter(figure, assignee_ids=frozenset({self.assignee_id}))
        return figure_filter(figure)


@dataclass(frozen=True)
class Workload:
    """Unassigned open cases, then one line per caseworker by name, and the department's total."""

    unassigned: WorkloadLine
    caseworkers: tuple[WorkloadLine, ...]
    total: WorkloadLine


@dataclass(frozen=True)
class DeadlineCounts:
    """Open cases past or nearing their running deadline, for the window's status area.

    Attributes:
        assignee_id: whose cases were counted (representatives count their own);
            None when the whole department's were.
    """

    overdue: int
    due_soon: int
    assignee_id: int | None

    @property
    def mine_only(self) -> bool:
        return self.assignee_id is not None

    def case_filter(self, figure: Figure) -> CaseFilter:
        """The cases behind the overdue or the due-soon count."""
        owners = frozenset({self.assignee_id}) if self.assignee_id is not None else frozenset()
        return figure_filter(figure, assignee_ids=owners)


def figure_filter(
    figure: Figure, *, assignee_ids: frozenset[int] = frozenset(), unassigned: bool = False
) -> CaseFilter:
    """The filter behind a figure, for some caseworkers, for nobody, or (neither) for everyone."""
    due: frozenset[Due] = frozenset()
    if figure is Figure.OVERDUE:
        due = frozenset({Due.OVERDUE})
    elif figure is Figure.DUE_SOON:
        due = frozenset({Due.DUE_SOON})
    return CaseFilter(open_only=True, due=due, assignee_ids=assignee_ids, unassigned=unassigned)


# These mirror queries.Due, so that a figure and the list its click shows always agree
# (tests compare them); due_on is empty for finished cases and paused clocks.
def workload(session: Session, actor: UserInfo, view: Viewpoint | None = None) -> Workload:
    """Open cases per caseworker, for someone who may see cases."""
    require(actor.role, Action.VIEW_CASE)
    return workload_figures(session, view or Viewpoint(viewer_id=actor.id))


def workload_figures(session: Session, view: Viewpoint) -> Workload:
    """Open cases per caseworker as of `view.today`, counted by the database in one grouped
    query; whoever calls it has checked that the reader may see them."""
    query = (
        select(
            Case.assignee_id,
            func.count(Case.id),
            count_where(due_condition(Due.DUE_SOON, view.today)),
            count_where(due_condition(Due.OVERDUE, view.today)),
        )
        .where(Case.status.not_in(FINISHED_STATUSES))
        .group_by(Case.assignee_id)
    )
    figures: dict[int | None, tuple[int, int, int]] = {
        assignee_id: (int(open_), int(soon), int(overdue))
        for assignee_id, open_, soon, overdue in session.execute(query)
    }
    lines = [
        WorkloadLine(Holder.CASEWORKER, person.id, person.name, *figures.pop(person.id, (0, 0, 0)))
        for person in caseworkers(session)
    ]
    unassigned = WorkloadLine(Holder.NOBODY, None, "Unassigned", *figures.pop(None, (0, 0, 0)))
    if figures:
        # Open cases still held by people who can no longer work them.
        holders = session.execute(
            select(User.id, User.display_name).where(User.id.in_(list(figures)))
        )
        lines.extend(
            WorkloadLine(Holder.CASEWORKER, user_id, name, *figures[user_id], can_take_cases=False)
            for user_id, name in holders
        )
        lines.sort(key=lambda line: (line.name.casefold(), line.assignee_id or 0))
    everyone = [unassigned, *lines]
    total = WorkloadLine(
        Holder.DEPARTMENT,
        None,
        "All open cases",
        sum(line.open for line in everyone),
        sum(line.due_soon for line in everyone),
        sum(line.overdue for line in everyone),
    )
    return Workload(unassigned, tuple(lines), total)


def counts_only_own_cases(role: Role) -> bool:
    """Representatives watch their own deadlines; coordinators, auditors and administrators
    watch the whole department's."""
    return role is Role.REPRESENTATIVE


def deadline_counts(
    session: Session, actor: UserInfo, view: Viewpoint | None = None
) -> DeadlineCounts:
    """Overdue and due-soon open cases, read through the index on the running deadline."""
    require(actor.role, Action.VIEW_CASE)
    view = view or Viewpoint(viewer_id=actor.id)
    mine_only = counts_only_own_cases(actor.role)
    # Every counted case is due before the end of the due-soon window: a range on the
    # indexed due_on keeps this cheap however many cases there are.
    query = select(
        count_where(due_condition(Due.OVERDUE, view.today)),
        count_where(due_condition(Due.DUE_SOON, view.today)),
    ).where(
        Case.due_on < view.today + timedelta(days=DUE_SOON_DAYS),
        Case.status.not_in(FINISHED_STATUSES),
    )
    if mine_only:
        query = query.where(Case.assignee_id == actor.id)
    overdue, due_soon = session.execute(query).one()
    return DeadlineCounts(int(overdue), int(due_soon), actor.id if mine_only else None)
