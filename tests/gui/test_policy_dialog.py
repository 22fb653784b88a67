"""An administrator sets the deadline policy; cases opened afterwards follow it."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from prdesk.domain.deadline_policy import AppliesTo, Preset, Unit
from prdesk.domain.services import cases, policy, users
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from prdesk.ui.policy_dialog import PolicyDialog
from tests.gui.conftest import wait_idle
from tests.support.builders import phone_complaint


def _dialog(ctx: AppContext, qtbot: QtBot) -> PolicyDialog:
    dialog = PolicyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def test_the_dialog_shows_the_cms_policy_until_another_is_saved(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = _dialog(ctx, qtbot)
    assert dialog.preset.currentText() == "US CMS"
    assert dialog.acknowledge.length.value() == 7
    assert dialog.acknowledge.unit.currentText() == "Calendar days"
    assert dialog.acknowledge.applies_to.value() is AppliesTo.GRIEVANCES
    assert dialog.respond.length.value() == 30
    assert dialog.respond.pauses.isChecked()
    assert dialog.country.currentData() == "US"
    dialog.grab().save("/tmp/shots/policy-dialog.png")


def test_choosing_the_nhs_preset_and_a_closure_day_is_saved_for_new_cases(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.preset.setCurrentIndex(dialog.preset.findData(Preset.NHS.value))
    assert dialog.acknowledge.length.value() == 3
    assert dialog.acknowledge.unit.currentText() == "Working days"
    assert dialog.respond.unit.currentText() == "Months"
    assert dialog.subdivision.currentText() == "England (ENG)"
    # Closed on Monday 2 Nov 2026 for a staff training day.
    dialog.closure_date.setDate(QDate(2026, 11, 2))
    dialog.add_closure.click()
    dialog.add_closure.click()  # the same day twice is one day
    assert dialog.closures.count() == 1
    assert dialog.preset.currentText() == "UK NHS"  # closure days are not part of a preset
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    wait_idle(qtbot)

    with ctx.db.transaction() as session:
        stored = policy.deadline_policy(session)
        received = datetime(2026, 10, 30, 10).astimezone()  # a Friday
        case = cases.open_case(session, ctx.actor, phone_complaint(received_at=received))
    assert stored.preset is Preset.NHS and stored.closure_days == (date(2026, 11, 2),)
    # 3 working days from Friday, skipping the weekend and the closure day: Thursday.
    assert case.acknowledge_due_on == date(2026, 11, 5)


def test_changing_a_clock_makes_the_policy_custom(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.respond.length.setValue(20)
    dialog.respond.unit.setCurrentIndex(dialog.respond.unit.findData(Unit.WORKING_DAYS.value))
    assert dialog.preset.currentText() == "Custom"
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    with ctx.db.transaction(read_only=True) as session:
        respond = policy.deadline_policy(session).respond
    assert (respond.length, respond.unit, respond.applies_to) == (
        20,
        Unit.WORKING_DAYS,
        AppliesTo.ALL_CASES,
    )


def test_a_policy_changed_meanwhile_elsewhere_is_not_overwritten(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = _dialog(ctx, qtbot)
    with ctx.db.transaction() as session:
        stored = policy.load_policy(session)
        policy.save_policy(session, ctx.actor, stored.policy, stored.version)
    dialog.acknowledge.length.setValue(5)
    dialog.save()
    wait_idle(qtbot)
    assert "changed the deadline policy" in dialog.error.text()
    assert dialog.isVisible()


def test_only_administrators_find_the_policy_in_the_menu(ctx: AppContext, qtbot: QtBot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    action = window.commands["deadline_policy"]
    assert action.isEnabled()
    menus = {entry.text(): entry.menu() for entry in window.menuBar().actions()}
    assert action in menus["Adm&inistration"].actions()
    with qtbot.waitSignal(action.triggered):
        action.trigger()
    opened = window.findChild(PolicyDialog)
    assert opened is not None
    qtbot.waitUntil(opened.save_button.isEnabled)
    opened.reject()
    with ctx.db.transaction() as session:
        representative = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    other = MainWindow(AppContext(ctx.db, representative, ctx.hub))
    qtbot.addWidget(other)
    assert not other.commands["deadline_policy"].isEnabled()
    wait_idle(qtbot)
