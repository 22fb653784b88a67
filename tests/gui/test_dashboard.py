"""The dashboard tab, as a coordinator uses it: each figure and bar lists exactly its cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import Role
from prdesk.domain.queries import CaseFilter
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import users
from prdesk.ui.changes import Change, ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.dashboard_view import DashboardView
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, shown_window, wait_idle

SHOTS = Path("/tmp/shots")


@pytest.fixture
def demo(ctx: AppContext) -> AppContext:
    generate_demo_data(ctx.db, 160, seed=3)
    return ctx


def _dashboard(window: MainWindow, qtbot: QtBot) -> DashboardView:
    window.commands["dashboard"].trigger()
    assert window.tabs is not None and window.tabs.dashboard is not None
    view = window.tabs.dashboard
    assert window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.board is not None)
    wait_idle(qtbot)
    return view


def _listed(window: MainWindow, qtbot: QtBot, expected: int) -> None:
    """The case list is in front and counts exactly `expected` cases."""
    assert window.tabs is not None and window.case_list is not None
    case_list = window.case_list
    assert window.tabs.currentWidget() is case_list
    text = "1 case" if expected == 1 else f"{expected:,} cases"
    qtbot.waitUntil(lambda: case_list.count_label.text() == text)
    assert case_list.model.count_is_exact and case_list.model.total == expected


def test_every_figure_lists_exactly_the_cases_it_counts(demo: AppContext, qtbot: QtBot) -> None:
    window = shown_window(demo, qtbot)
    view = _dashboard(window, qtbot)
    board = view.board
    assert board is not None
    assert view.tiles["open"].count == board.open.count > 0
    assert view.tiles["overdue"].accessibleName() == (
        f"Overdue: {board.overdue.count:,} cases" if board.overdue.count != 1 else "Overdue: 1 case"
    )
    assert view.tiles["new"].note.endswith(f"on {view.tiles['new_last_month'].caption[7:]}")
    for key, tile in view.tiles.items():
        count = tile.count
        assert count is not None, key
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        _listed(window, qtbot, count)
        window.show_dashboard()


def test_every_bar_lists_exactly_the_cases_it_counts(demo: AppContext, qtbot: QtBot) -> None:
    window = shown_window(demo, qtbot)
    view = _dashboard(window, qtbot)
    clicked = 0
    for chart in view.charts.values():
        for index in range(len(chart.items())):
            # Where the bar is now: the page settles its scroll bars while the list loads.
            item = chart.items()[index]
            qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=item.rect.center().toPoint())
            _listed(window, qtbot, int(item.value))
            window.show_dashboard()
            clicked += 1
    assert clicked > 40
    assert view.charts["status"].items()[0].text.startswith("New: ")


def test_the_keyboard_reaches_figures_and_bars(demo: AppContext, qtbot: QtBot) -> None:
    window = shown_window(demo, qtbot)
    view = _dashboard(window, qtbot)
    assert view.tiles["open"].hasFocus()
    qtbot.keyClick(view.tiles["open"], Qt.Key.Key_Right)
    overdue = view.tiles["overdue"]
    assert overdue.hasFocus()
    qtbot.keyClick(overdue, Qt.Key.Key_Return)
    _listed(window, qtbot, overdue.count or 0)

    window.show_dashboard()
    status = view.charts["status"]
    for _ in range(len(view.tiles)):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert status.hasFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)
    focused = status.focused_item()
    assert focused is not None and focused.text in status.accessibleDescription()
    qtbot.keyClick(status, Qt.Key.Key_Return)
    _listed(window, qtbot, int(focused.value))


def test_the_dashboard_follows_a_new_case(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Łukasz Wójcik")
    window = shown_window(ctx, qtbot)
    view = _dashboard(window, qtbot)
    assert view.tiles["open"].count == 1
    case = make_case("Anna Wang")
    ctx.hub.announce(Change.to_case(case.id))
    qtbot.waitUntil(lambda: view.tiles["open"].count == 2)
    assert view.tiles["new"].count == 2
    assert view.charts["status"].items()[0].value == 2


def test_a_representative_has_no_dashboard_and_no_reports(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        rep = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    as_rep = AppContext(
        ctx.db, UserInfo(rep.id, rep.username, rep.display_name, Role.REPRESENTATIVE), ChangeHub()
    )
    window = shown_window(as_rep, qtbot)
    assert window.tabs is not None and window.tabs.dashboard is None
    tab_titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tab_titles == ["Cases"]
    for key in ("dashboard", "reports"):
        assert not window.commands[key].isVisible() and not window.commands[key].isEnabled()
    assert not window.findChildren(DashboardView)


def test_a_coordinator_has_the_dashboard_tab_beside_the_list(ctx: AppContext, qtbot: QtBot) -> None:
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Dashboard", "Cases"]
    assert window.tabs.currentWidget() is window.case_list  # the list stays in front
    assert window.commands["dashboard"].shortcut().toString() == "Ctrl+Shift+B"
    assert window.commands["reports"].isEnabled()
    qtbot.keyClick(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tabs.currentWidget() is window.tabs.dashboard
    window.tabs.close_tab(0)  # the close command does not take it away
    assert window.tabs.count() == 2


def _dark(light: QPalette) -> QPalette:
    dark = QPalette(light)
    for role, color in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#2d2e31"),
        (QPalette.ColorRole.AlternateBase, "#3c4043"),
        (QPalette.ColorRole.Mid, "#5f6368"),
    ):
        dark.setColor(role, QColor(color))
    return dark


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_in_light_and_dark(demo: AppContext, qtbot: QtBot, scheme: str) -> None:
    # Dark mode reaches PR Desk as the application's palette (Windows' dark theme).
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    if scheme == "dark":
        app.setPalette(_dark(light))
    try:
        window = shown_window(demo, qtbot)
        window.resize(1280, 900)
        view = _dashboard(window, qtbot)
        SHOTS.mkdir(exist_ok=True)
        shot = view.grab()
        shot.save(str(SHOTS / f"dashboard-{scheme}.png"))
    finally:
        app.setPalette(light)
    # Each figure is written in the palette's text colour on its base colour.
    tile = view.tiles["open"]
    middle = tile.mapTo(view, tile.rect().bottomLeft()) + QPoint(30, -8)
    ground = shot.toImage().pixelColor(middle * shot.devicePixelRatio())
    assert (ground.lightness() < 100) == (scheme == "dark")


# Bringing the open window forward asks the platform to raise it; offscreen cannot.
@pytest.mark.qt_log_ignore("does not support raise")
def test_the_reports_window_lists_the_cases_behind_its_figures(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Łukasz Wójcik")
    make_case("Anna Wang")
    window = shown_window(ctx, qtbot)
    qtbot.keyClick(
        window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    reports = window.reports_window
    assert reports is not None and reports.isVisible()
    wait_idle(qtbot)
    assert window.show_reports() is reports  # asked again: the same window, in front
    reports.filter_requested.emit(CaseFilter(open_only=True))
    _listed(window, qtbot, 2)
    reports.close()
    wait_idle(qtbot)


@pytest.mark.qt_log_ignore("does not support raise")
def test_the_dashboard_prints_and_saves_through_its_report(demo: AppContext, qtbot: QtBot) -> None:
    window = shown_window(demo, qtbot)
    view = _dashboard(window, qtbot)

    view.report_button.click()

    reports = window.reports_window
    assert reports is not None and reports.isVisible()
    with qtbot.waitSignal(reports.shown, timeout=10_000) as shown:
        pass
    assert reports.spec().name == "dashboard"
    assert shown.args is not None and shown.args[0].title == "Where the department stands"
    assert all(button.isEnabled() for button in reports.output.buttons)
    reports.close()
    wait_idle(qtbot)
