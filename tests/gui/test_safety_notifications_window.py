"""A safety concern flagged on another workstation reaches the coordinator's window."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import Role
from prdesk.domain.models import Notification, User
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, users
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from tests.gui.conftest import shown_window as _window
from tests.gui.conftest import wait_idle
from tests.support.builders import phone_complaint


def _flagged_elsewhere(ctx: AppContext) -> CaseDetail:
    """A representative on another workstation logs a case with a safety concern."""
    with ctx.db.transaction() as session:
        representative = users.resolve_actor(session, "jkim", "Ji-woo Kim")
        return cases.open_case(session, representative, phone_complaint(safety_concern=True))


def test_the_coordinator_sees_the_alert_and_opens_the_case(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    bell, banner = window.status.notifications, window.safety_banner
    assert bell.text() == "No notifications" and not banner.isVisible()

    case = _flagged_elsewhere(ctx)
    window.notifications.poll()  # what the 15-second timer does
    qtbot.waitUntil(banner.isVisible)
    assert banner.text() == f"Safety concern flagged on {case.number} by Ji-woo Kim."
    assert banner.action_labels() == ["Open case", "Mark read"]
    assert bell.text() == "1 unread"
    assert bell.menu_texts()[0].startswith(f"Safety concern flagged on {case.number}")

    banner.trigger("Open case")
    qtbot.waitUntil(lambda: window.tabs.tabText(window.tabs.currentIndex()) == case.number)
    qtbot.waitUntil(lambda: bell.text() == "No notifications")
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        note = session.scalar(select(Notification))
        assert note is not None and note.read_at is not None


def test_mark_read_puts_the_alert_away(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    _flagged_elsewhere(ctx)
    # Any change made at this workstation also looks for news at once.
    ctx.hub.announce(Change.everything())
    banner = window.safety_banner
    qtbot.waitUntil(banner.isVisible)
    banner.trigger("Mark read")
    qtbot.waitUntil(lambda: window.status.notifications.text() == "No notifications")
    assert not banner.isVisible()
    assert window.tabs.case_views() == []  # nothing opened


def test_mark_all_read_from_the_bell(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    _flagged_elsewhere(ctx)
    _flagged_elsewhere(ctx)
    window.notifications.poll()
    bell = window.status.notifications
    qtbot.waitUntil(lambda: bell.text() == "2 unread")
    bell.trigger("Mark all read")
    qtbot.waitUntil(lambda: bell.text() == "No notifications")
    qtbot.waitUntil(lambda: not window.safety_banner.isVisible())


def test_a_representative_is_not_alerted(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        users.resolve_actor(session, "lchen", "Li Chen")
        user = session.scalar(select(User).where(User.username == "lchen"))
        assert user is not None and user.role is Role.REPRESENTATIVE
        representative = users.resolve_actor(session, "lchen")
    other = AppContext(ctx.db, representative, ctx.hub)
    window = _window(other, qtbot)
    _flagged_elsewhere(ctx)
    window.notifications.poll()
    wait_idle(qtbot)
    assert window.status.notifications.text() == "No notifications"
    assert not window.safety_banner.isVisible()
