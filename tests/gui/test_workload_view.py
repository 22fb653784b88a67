"""The workload dock and the status area's deadline counts, as a coordinator uses them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from prdesk.domain.enums import Role
from prdesk.domain.models import Case, User
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, users
from prdesk.ui.case_list_columns import column_index
from prdesk.ui.changes import Change, ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.deadline_counts import DeadlineCountsWidget
from prdesk.ui.main_window import MainWindow
from prdesk.ui.workload_model import DUE_SOON, NAME, OPEN, OVERDUE, WorkloadModel
from prdesk.ui.workload_view import WorkloadView
from tests.gui.conftest import CaseMaker, wait_idle

SHOTS = Path("/tmp/shots")


def _colleague(ctx: AppContext, username: str, name: str) -> UserInfo:
    with ctx.db.transaction() as session:
        return users.resolve_actor(session, username, name)


def _due(ctx: AppContext, case_id: int, due_in: int, assignee: UserInfo | None = None) -> None:
    """The deadline policy set this case's running deadline `due_in` days from today."""
    with ctx.db.transaction() as session:
        if assignee is not None:
            version = session.get_one(Case, case_id).version
            cases.assign_case(session, ctx.actor, case_id, version, assignee.id)
        due_on = date.today() + timedelta(days=due_in)
        session.execute(update(Case).where(Case.id == case_id).values(due_on=due_on))


@pytest.fixture
def jiwoo(ctx: AppContext, make_case: CaseMaker) -> UserInfo:
    """Ji-woo holds a late case and one due tomorrow; one late case is with nobody."""
    rep = _colleague(ctx, "jkim", "Ji-woo Kim")
    _due(ctx, make_case("Łukasz Wójcik").id, -2, rep)
    _due(ctx, make_case("Anna Wang").id, 1, rep)
    _due(ctx, make_case("Robert O'Brien").id, -5)
    return rep


def _cell(view: WorkloadView, name: str, column: int) -> str:
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)
    return str(model.index(row, column).data())


def _window(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    wait_idle(qtbot)
    return window


def _patients(window: MainWindow) -> set[str]:
    model = window.case_list.model
    column = column_index("patient")
    return {model.index(row, column).data() for row in range(model.rowCount())}


def test_model_passes_the_model_tester(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo, qtmodeltester: object
) -> None:
    view = WorkloadView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert isinstance(view.model, WorkloadModel)


def test_ctrl_shift_w_shows_each_caseworkers_figures(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo
) -> None:
    window = _window(ctx, qtbot)
    assert not window.workload_dock.isVisible()
    qtbot.keyClick(
        window,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.workload
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    assert window.workload_dock.isVisible() and view.table.hasFocus()
    rows = [
        [view.model.index(r, c).data() for c in (NAME, OPEN, DUE_SOON, OVERDUE)]
        for r in range(view.model.rowCount())
    ]
    assert rows == [
        ["Unassigned", "1", "0", "1"],
        ["Ji-woo Kim", "2", "1", "1"],
        ["María García", "0", "0", "0"],
        ["All open cases", "3", "1", "2"],
    ]
    assert "as of" in view.caption.text()
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "workload-dock.png"))


def test_clicking_a_figure_lists_exactly_those_cases(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo
) -> None:
    window = _window(ctx, qtbot)
    window.show_workload()
    view = window.workload
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    window.case_list.search.setText("wang")  # an earlier search does not hide any of them

    rect = view.table.visualRect(view.model.index(1, OVERDUE))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _patients(window) == {"Łukasz Wójcik"})
    assert window.tabs.currentWidget() is window.case_list
    assert window.case_list.search.text() == ""

    # Keyboard: Enter on the unassigned line's open figure.
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, OPEN))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _patients(window) == {"Robert O'Brien"})

    view.table.setCurrentIndex(view.model.index(3, DUE_SOON))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _patients(window) == {"Anna Wang"})


def test_the_figures_follow_a_reassignment(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo, make_case: CaseMaker
) -> None:
    window = _window(ctx, qtbot)
    window.show_workload()
    view = window.workload
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    late = make_case("Nguyễn Văn An")
    _due(ctx, late.id, -1, jiwoo)
    ctx.hub.announce(Change.to_case(late.id, Change.ASSIGNMENT))
    qtbot.waitUntil(lambda: _cell(view, "Ji-woo Kim", OVERDUE) == "2")
    assert _cell(view, "All open cases", OPEN) == "4"
    qtbot.waitUntil(
        lambda: (
            window.status.deadlines is not None
            and window.status.deadlines.overdue.text() == "3 overdue"
        )
    )


def test_the_status_area_counts_the_departments_deadlines_and_lists_them(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo
) -> None:
    window = _window(ctx, qtbot)
    counts = window.status.deadlines
    assert counts is not None
    qtbot.waitUntil(lambda: counts.overdue.text() == "2 overdue")
    assert counts.due_soon.text() == "1 due soon"
    assert "department" in counts.overdue.toolTip()
    SHOTS.mkdir(exist_ok=True)
    window.status.grab().save(str(SHOTS / "status-deadlines.png"))

    qtbot.mouseClick(counts.overdue, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _patients(window) == {"Łukasz Wójcik", "Robert O'Brien"})
    qtbot.mouseClick(counts.due_soon, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _patients(window) == {"Anna Wang"})


def test_a_representative_counts_only_their_own_cases(
    ctx: AppContext, qtbot: QtBot, jiwoo: UserInfo
) -> None:
    as_jiwoo = AppContext(ctx.db, jiwoo, ChangeHub())
    counts = DeadlineCountsWidget(as_jiwoo)
    qtbot.addWidget(counts)
    qtbot.waitUntil(lambda: counts.overdue.text() == "1 overdue")
    assert counts.due_soon.text() == "1 due soon"
    assert "your open cases" in counts.overdue.toolTip()
    with qtbot.waitSignal(counts.filter_requested) as asked:
        qtbot.mouseClick(counts.overdue, Qt.MouseButton.LeftButton)
    assert asked.args[0].assignee_ids == frozenset({jiwoo.id})


def test_a_clerk_has_no_deadline_counts(ctx: AppContext, qtbot: QtBot) -> None:
    clerk = _colleague(ctx, "tfront", "Tom Front")
    with ctx.db.transaction() as session:
        session.execute(update(User).where(User.id == clerk.id).values(role=Role.CLERK))
    as_clerk = AppContext(
        ctx.db, UserInfo(clerk.id, clerk.username, clerk.display_name, Role.CLERK), ChangeHub()
    )
    window = _window(as_clerk, qtbot)
    assert window.status.deadlines is None
    assert not window.commands["workload"].isEnabled()
