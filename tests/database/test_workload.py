"""The workload view's figures and the status area's deadline counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, update

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import Case, User
from prdesk.domain.queries import CaseFilter, Viewpoint, count_cases, list_cases
from prdesk.domain.readmodels import Reference, UserInfo
from prdesk.domain.services import cases, users
from prdesk.domain.workload import Figure, Holder, Workload, deadline_counts, workload
from tests.support.builders import log_case

TODAY = date(2026, 11, 26)
VIEW = Viewpoint(today=TODAY)


def _colleague(
    db: Database, username: str, name: str, role: Role = Role.REPRESENTATIVE
) -> UserInfo:
    with db.transaction() as session:
        user = users.resolve_actor(session, username, name)
        session.execute(update(User).where(User.id == user.id).values(role=role))
    return UserInfo(user.id, user.username, user.display_name, role)


def _case(
    db: Database,
    coordinator: UserInfo,
    *,
    due_in: int | None,
    assignee: UserInfo | None = None,
    status: CaseStatus | None = None,
) -> int:
    """A case logged and assigned, whose running deadline the deadline policy set to
    `due_in` days from TODAY (None: finished, or its clock paused)."""
    case = log_case(db, coordinator)
    with db.transaction() as session:
        if assignee is not None:
            cases.assign_case(session, coordinator, case.id, case.version, assignee.id)
        values: dict[str, Any] = {
            "due_on": None if due_in is None else TODAY + timedelta(days=due_in)
        }
        if status is not None:
            values["status"] = status
        session.execute(update(Case).where(Case.id == case.id).values(**values))
    return case.id


def _figures(load: Workload) -> dict[str, tuple[int, int, int]]:
    lines = [load.unassigned, *load.caseworkers, load.total]
    return {line.name: (line.open, line.due_soon, line.overdue) for line in lines}


@pytest.fixture
def department(db: Database, coordinator: UserInfo) -> dict[str, UserInfo]:
    """Two representatives: Ji-woo with a full desk, Anil with nothing yet."""
    jiwoo = _colleague(db, "jkim", "Ji-woo Kim")
    anil = _colleague(db, "apatel", "Anil Patel")
    _case(db, coordinator, due_in=-3, assignee=jiwoo)  # overdue
    _case(db, coordinator, due_in=-1, assignee=jiwoo)  # overdue since yesterday
    _case(db, coordinator, due_in=0, assignee=jiwoo)  # due today: soon, not late
    _case(db, coordinator, due_in=2, assignee=jiwoo)  # last day of "due soon"
    _case(db, coordinator, due_in=3, assignee=jiwoo)  # just beyond it
    _case(db, coordinator, due_in=None, assignee=jiwoo, status=CaseStatus.WAITING_ON_PATIENT)
    _case(db, coordinator, due_in=None, assignee=jiwoo, status=CaseStatus.RESOLVED)
    _case(db, coordinator, due_in=None, assignee=jiwoo, status=CaseStatus.WITHDRAWN)
    _case(db, coordinator, due_in=-10)  # nobody has it and it is late
    _case(db, coordinator, due_in=20)
    return {"jiwoo": jiwoo, "anil": anil}


def test_workload_counts_each_caseworkers_open_due_soon_and_overdue_cases(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    with db.transaction(read_only=True) as session:
        load = workload(session, coordinator, VIEW)
    assert _figures(load) == {
        "Unassigned": (2, 0, 1),
        "Anil Patel": (0, 0, 0),
        "Ji-woo Kim": (6, 2, 2),
        "María García": (0, 0, 0),
        "All open cases": (8, 2, 3),
    }
    # Caseworkers by name, every one of them, even with an empty desk.
    assert [line.name for line in load.caseworkers] == ["Anil Patel", "Ji-woo Kim", "María García"]
    assert load.unassigned.holder is Holder.NOBODY and load.total.holder is Holder.DEPARTMENT


def test_each_figure_lists_exactly_the_cases_it_counts(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    with db.transaction(read_only=True) as session:
        load = workload(session, coordinator, VIEW)
        for line in [load.unassigned, *load.caseworkers, load.total]:
            for figure in Figure:
                shown = count_cases(session, line.case_filter(figure), VIEW)
                assert shown == line.count(figure), (line.name, figure)
        overdue_of_jiwoo = list_cases(
            session, load.caseworkers[1].case_filter(Figure.OVERDUE), view=VIEW
        )
    assert {row.assignee_name for row in overdue_of_jiwoo} == {"Ji-woo Kim"}
    assert sorted(row.due_on for row in overdue_of_jiwoo if row.due_on) == [
        TODAY - timedelta(days=3),
        TODAY - timedelta(days=1),
    ]


def test_someone_who_left_still_shows_with_the_cases_they_hold(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    with db.transaction() as session:
        session.execute(update(User).where(User.id == department["jiwoo"].id).values(active=False))
    with db.transaction(read_only=True) as session:
        load = workload(session, coordinator, VIEW)
    leaver = next(line for line in load.caseworkers if line.name == "Ji-woo Kim")
    assert (leaver.open, leaver.can_take_cases) == (6, False)
    assert all(line.can_take_cases for line in load.caseworkers if line is not leaver)
    assert load.total.open == 8


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_figures_come_from_grouped_queries_however_many_cases_there_are(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    with db.transaction(read_only=True) as session, _statements(db) as few:
        workload(session, coordinator, VIEW)
        deadline_counts(session, coordinator, VIEW)
    for _ in range(5):
        _case(db, coordinator, due_in=-2, assignee=department["anil"])
    with db.transaction(read_only=True) as session, _statements(db) as more:
        load = workload(session, coordinator, VIEW)
        deadline_counts(session, coordinator, VIEW)
    assert len(more) == len(few) <= 4
    assert _figures(load)["Anil Patel"] == (5, 0, 5)


def test_the_status_area_counts_the_department_for_a_coordinator(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    lead = _colleague(db, "rlopez", "Rosa López", Role.COORDINATOR)
    with db.transaction(read_only=True) as session:
        counts = deadline_counts(session, lead, VIEW)
        assert (counts.overdue, counts.due_soon, counts.mine_only) == (3, 2, False)
        shown = count_cases(session, counts.case_filter(Figure.OVERDUE), VIEW)
    assert shown == 3


def test_the_status_area_counts_a_representatives_own_cases(
    db: Database, coordinator: UserInfo, department: dict[str, UserInfo]
) -> None:
    with db.transaction(read_only=True) as session:
        jiwoo = deadline_counts(session, department["jiwoo"], VIEW)
        anil = deadline_counts(session, department["anil"], VIEW)
        due_soon_rows = list_cases(session, jiwoo.case_filter(Figure.DUE_SOON), view=VIEW)
    assert (jiwoo.overdue, jiwoo.due_soon, jiwoo.mine_only) == (2, 2, True)
    assert (anil.overdue, anil.due_soon) == (0, 0)
    assert sorted(row.due_on for row in due_soon_rows if row.due_on) == [
        TODAY,
        TODAY + timedelta(days=2),
    ]


def test_a_clerk_sees_no_figures(db: Database, coordinator: UserInfo) -> None:
    clerk = _colleague(db, "tfront", "Tom Front", Role.CLERK)
    with db.transaction(read_only=True) as session, pytest.raises(PermissionDenied):
        workload(session, clerk, VIEW)
    with db.transaction(read_only=True) as session, pytest.raises(PermissionDenied):
        deadline_counts(session, clerk, VIEW)


def test_an_empty_department_has_nothing_due(db: Database, coordinator: UserInfo) -> None:
    with db.transaction(read_only=True) as session:
        load = workload(session, coordinator, VIEW)
        counts = deadline_counts(session, coordinator, VIEW)
    assert _figures(load) == {
        "Unassigned": (0, 0, 0),
        "María García": (0, 0, 0),
        "All open cases": (0, 0, 0),
    }
    assert (counts.overdue, counts.due_soon) == (0, 0)
    assert load.total.case_filter(Figure.OPEN) == CaseFilter(open_only=True)


def test_a_colleague_who_left_is_still_offered_while_holding_open_cases(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        leaver = users.resolve_actor(session, "dkim", "Daniel Kim")
    case = log_case(db, coordinator)
    with db.transaction() as session:
        cases.assign_case(session, coordinator, case.id, case.version, leaver.id)
        session.execute(update(User).where(User.id == leaver.id).values(active=False))
    with db.transaction(read_only=True) as session:
        assignable = users.caseworkers(session)
        holders = users.case_holders(session)
    assert leaver.id not in {person.id for person in assignable}
    assert Reference(leaver.id, "Daniel Kim (no longer taking cases)") in holders
