"""A coordinator's morning with the keyboard alone: log a complaint, work it, find it again."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import Channel, Role, TimelineKind
from prdesk.domain.models import Case, TimelineEntry
from prdesk.domain.services import organisation
from prdesk.ui import case_tabs
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.dashboard_view import DashboardView
from prdesk.ui.figure_tile import FigureTile
from prdesk.ui.main_window import MainWindow
from prdesk.ui.new_case_dialog import NewCaseDialog
from tests.gui.conftest import shown_window, wait_idle
from tests.support.builders import colleague

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def admin(ctx: AppContext) -> AppContext:
    """The administrator who set the department up (the database's first user)."""
    return ctx


@pytest.fixture(autouse=True)
def closing_discards(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that stops halfway leaves typed text behind: closing must not wait on a question."""
    monkeypatch.setattr(case_tabs, "ask_discard", lambda *_args: True)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def name_of(widget: QWidget) -> str:
    """What a screen reader says the focused control is."""
    if widget.accessibleName():
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as on a real keyboard."""
    QApplication.processEvents()
    QTest.keyClick(focused(), key, modifiers)


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def tab_to(name: str, most: int = 40) -> None:
    """Presses Tab until the control of that name has the focus."""
    passed = []
    for _ in range(most):
        if name_of(focused()) == name:
            return
        passed.append(name_of(focused()))
        press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r}; it went through {passed}")


@dataclass(frozen=True)
class Stored:
    """The case as the database holds it."""

    id: int
    number: str
    channel: Channel
    description: str
    categories: list[str]
    assignee_id: int | None
    notes: list[str]


def stored_case(ctx: AppContext, patient: str) -> Stored:
    with ctx.db.transaction(read_only=True) as session:
        case = next(c for c in session.scalars(select(Case)) if c.patient.full_name == patient)
        notes = session.scalars(
            select(TimelineEntry.summary).where(
                TimelineEntry.case_id == case.id, TimelineEntry.kind == TimelineKind.NOTE
            )
        )
        return Stored(
            case.id,
            case.number,
            case.channel,
            case.description,
            [category.name for category in case.categories],
            case.assignee_id,
            list(notes),
        )


def visible_cell_texts(window: MainWindow) -> list[str]:
    """The text of every cell of the case list, as it is shown."""
    assert window.case_list is not None
    model = window.case_list.model
    return [
        str(model.index(row, column).data())
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]


def test_a_morning_from_the_keyboard_alone(admin: AppContext, qtbot: QtBot) -> None:
    with admin.db.transaction() as session:
        organisation.ensure_category(session, "Communication")
        organisation.ensure_category(session, "Waiting times")
    becker = colleague(admin.db, "tbecker", "Tom Becker", Role.REPRESENTATIVE)
    lee = colleague(admin.db, "jlee", "Jordan Lee", Role.COORDINATOR)
    admin.db.acting_user = "jlee"
    ctx = AppContext(admin.db, lee, ChangeHub())
    window = shown_window(ctx, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.tabs is not None and window.case_list is not None
    case_list = window.case_list

    # An email comes in: Ctrl+N, and the complaint typed field after field.
    press(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), NewCaseDialog))
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, NewCaseDialog)
    wait_idle(qtbot)
    tab_to("Received by")
    type_text("Email")
    tab_to("Patient: full name")
    type_text("Ana Souza")
    tab_to("What happened")
    type_text("Waited three hours for a scan; nobody explained the delay.")
    tab_to("Categories")
    type_text("Wait")  # the list jumps to the first category of those letters
    press(Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        press(Qt.Key.Key_Return, CTRL)
    wait_idle(qtbot)

    case = stored_case(ctx, "Ana Souza")
    assert case.channel == Channel.EMAIL
    assert case.description == "Waited three hours for a scan; nobody explained the delay."
    assert case.categories == ["Waiting times"]
    # The case opens in its own tab, its number as the title.
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseView)
    assert window.tabs.tabText(window.tabs.currentIndex()) == case.number
    qtbot.waitUntil(lambda: view.detail is not None)
    # A desktop gives the window back its focus when the dialog closes; offscreen does not.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # A note on the timeline: Alt+S to its summary, Ctrl+Enter adds it.
    press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert name_of(focused()) == "Summary"
    type_text("Called the patient back and apologised for the wait")
    press(Qt.Key.Key_Return, CTRL)
    wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: (
            "Called the patient back and apologised for the wait"
            in stored_case(ctx, "Ana Souza").notes
        )
    )
    qtbot.waitUntil(
        lambda: (
            "Called the patient back and apologised for the wait"
            in [entry.summary for entry in view.timeline.model.visible_entries()]
        )
    )

    # Assigned to Tom Becker: Alt+T to the list of caseworkers, then Assign.
    press(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert name_of(focused()) == "Assign to"
    type_text("Tom")
    assert view.assign_bar.combo.currentText() == "Tom Becker"
    press(Qt.Key.Key_Tab)
    assert name_of(focused()) == "Assign"
    press(Qt.Key.Key_Space)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: stored_case(ctx, "Ana Souza").assignee_id == becker.id)

    # Ctrl+W closes the case; Ctrl+F finds it in the list; Enter opens it again.
    press(Qt.Key.Key_W, CTRL)
    assert window.tabs.currentWidget() is case_list
    press(Qt.Key.Key_F, CTRL)
    assert focused() is case_list.search
    type_text("souza")
    qtbot.waitUntil(lambda: case_list.model.rowCount() == 1, timeout=10_000)
    press(Qt.Key.Key_Tab)
    assert name_of(focused()) == "Cases"
    press(Qt.Key.Key_Return)
    wait_idle(qtbot)
    reopened = window.tabs.currentWidget()
    assert isinstance(reopened, CaseView) and reopened.case_id == case.id
    qtbot.waitUntil(lambda: reopened.detail is not None)
    assert reopened.assign_bar.combo.currentText() == "Tom Becker"
    assert {case.number, "Ana Souza", "Tom Becker"} <= set(visible_cell_texts(window))

    # The department's figures: Ctrl+Shift+B.
    press(Qt.Key.Key_B, CTRL | SHIFT)
    wait_idle(qtbot)
    assert isinstance(window.tabs.currentWidget(), DashboardView)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dashboard"
    tiles = [name_of(tile) for tile in window.tabs.currentWidget().findChildren(FigureTile)]
    assert "Open cases: 1 case" in tiles
