"""File ▸ Settings…: an administrator changes the organisation's settings; others only read them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import Role
from prdesk.domain.models import AuditEvent
from prdesk.domain.services import (
    attachments,
    intake_settings,
    organisation,
    users,
    workstation_settings,
)
from prdesk.domain.services.intake_settings import MrnFormat
from prdesk.ui import settings
from prdesk.ui.context import AppContext
from prdesk.ui.settings_dialog import READ_ONLY_NOTE, SettingsDialog, open_settings
from prdesk.ui.settings_page import Scope
from prdesk.ui.settings_pages.intake import IntakePage
from prdesk.ui.settings_pages.organisation import OrganisationPage
from prdesk.ui.settings_pages.security import SecurityPage
from prdesk.ui.settings_pages.workstation import WorkstationPage
from tests.gui.conftest import shown_window, wait_idle
from tests.support.dialogs import shown_message_box
from tests.support.palettes import dark_palette
from tests.support.screenshots import save_screenshot


@pytest.fixture
def representative(ctx: AppContext) -> AppContext:
    with ctx.db.transaction() as session:
        actor = users.resolve_actor(session, "jlee", "Jordan Lee")
    assert actor.role is Role.REPRESENTATIVE
    return AppContext(ctx.db, actor, ctx.hub)


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[list[SettingsDialog]]:
    """Settings dialogs opened by a test, closed after it."""
    opened: list[SettingsDialog] = []
    yield opened
    for dialog in opened:
        if shiboken6.isValid(dialog) and dialog.isVisible():
            dialog._close(dialog.DialogCode.Rejected)
    wait_idle(qtbot)


def opened(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog], page: str | None = None
) -> SettingsDialog:
    """File ▸ Settings…, with every page's settings read."""
    dialog = open_settings(ctx, None, page)
    assert isinstance(dialog, SettingsDialog)
    dialogs.append(dialog)
    wait_idle(qtbot)
    return dialog


def closed(dialog: SettingsDialog) -> bool:
    """Closed (and perhaps deleted already)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def shown_labels(dialog: SettingsDialog) -> list[QLabel]:
    """The labels of the page in front, its title and summary included."""
    panel = dialog.stack.currentWidget()
    return panel.findChildren(QLabel) if panel is not None else []


def page_of(dialog: SettingsDialog, kind: type) -> object:
    return next(page for page in dialog.pages if isinstance(page, kind))


def listed(dialog: SettingsDialog) -> list[str]:
    return [dialog.page_list.item(row).text().strip() for row in range(dialog.page_list.count())]


def test_an_administrator_changes_the_record_number_format_and_the_idle_lock(
    ctx: AppContext, qtbot: QtBot
) -> None:
    window = shown_window(ctx, qtbot)
    window.commands["settings"].trigger()
    wait_idle(qtbot)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    assert dialog.windowTitle() == "Settings — PR Desk"
    assert listed(dialog)[:2] == ["This computer", "Preferences"]
    assert "Everyone in the organisation" in listed(dialog)
    dialog.show_page("intake")
    intake = page_of(dialog, IntakePage)
    assert isinstance(intake, IntakePage) and dialog.current_page() is intake
    assert intake.mrn.verdict.text() == "Any record number is accepted."
    intake.mrn.pattern.setText(r"\d{7,8}")
    intake.mrn.example.setText("01234567")
    dialog.show_page("security")
    security = page_of(dialog, SecurityPage)
    assert isinstance(security, SecurityPage)
    assert security.idle_lock.number.value() == 15
    security.idle_lock.number.setValue(5)
    assert set(dialog.modified_pages()) == {intake, security}
    save_screenshot(dialog, "settings-security-admin")

    dialog.ok_button.click()
    wait_idle(qtbot)
    assert not any(isinstance(w, SettingsDialog) for w in QApplication.topLevelWidgets())
    with ctx.db.transaction(read_only=True) as session:
        assert intake_settings.mrn_format(session) == MrnFormat(r"\d{7,8}", "01234567")
        assert workstation_settings.idle_lock_minutes(session) == 5
        # Only what changed is written: the attachment limit is untouched.
        assert attachments.attachment_limit_mb(session) == attachments.DEFAULT_LIMIT_MB
        recorded = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "setting").order_by(AuditEvent.id)
        ).all()
    assert [(event.username, event.details["key"]) for event in recorded] == [
        ("mgarcia", "intake.mrn_format"),
        ("mgarcia", "workstation.idle_lock_minutes"),
    ]
    assert recorded[1].details["after"] == 5
    # This workstation's lock follows at once.
    assert window.idle_lock.timeout_seconds == 5 * 60


def test_the_administration_menu_opens_settings_at_the_page(ctx: AppContext, qtbot: QtBot) -> None:
    window = shown_window(ctx, qtbot)
    window.commands["attachment_limit"].trigger()
    wait_idle(qtbot)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    intake = dialog.current_page()
    assert isinstance(intake, IntakePage)
    assert intake.attachment_limit.number.value() == 25
    intake.attachment_limit.number.setValue(40)
    dialog.apply_button.click()
    wait_idle(qtbot)
    assert dialog.isVisible() and not dialog.modified_pages()
    with ctx.db.transaction(read_only=True) as session:
        assert attachments.attachment_limit_mb(session) == 40
    dialog._close(dialog.DialogCode.Accepted)


def test_a_representative_reads_the_organisations_settings_but_cannot_change_them(
    representative: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(representative, qtbot, dialogs, "security")
    security = page_of(dialog, SecurityPage)
    assert isinstance(security, SecurityPage)
    notes = [label for label in shown_labels(dialog) if label.text() == READ_ONLY_NOTE]
    assert notes and notes[0].isVisible()
    assert security.idle_lock.number.value() == 15  # read, and shown
    assert not security.idle_lock.number.isEnabled()
    assert not security.scope_radios[next(iter(security.scope_radios))].isEnabled()
    save_screenshot(dialog, "settings-read-only")
    # This computer's preferences are anyone's.
    dialog.show_page("workstation")
    workstation = dialog.current_page()
    assert isinstance(workstation, WorkstationPage)
    assert workstation.isEnabled()
    assert all(label.text() != READ_ONLY_NOTE for label in shown_labels(dialog))


def test_a_pattern_that_is_no_pattern_keeps_the_dialog_open_and_saves_nothing(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs)
    intake = page_of(dialog, IntakePage)
    assert isinstance(intake, IntakePage)
    intake.mrn.pattern.setText("MRN(\\d+")
    intake.mrn.example.setText("MRN123")
    dialog.ok_button.click()
    wait_idle(qtbot)
    assert dialog.isVisible()
    assert dialog.current_page() is intake  # it went to the page with the problem
    message = intake.errors.message("pattern")
    assert message.startswith("This is not a regular expression")
    assert intake.mrn.pattern.text() == "MRN(\\d+"  # nothing typed is lost
    with ctx.db.transaction(read_only=True) as session:
        assert intake_settings.mrn_format(session) == MrnFormat()
        assert session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")).all() == []
    save_screenshot(dialog, "settings-bad-pattern")

    intake.mrn.pattern.setText("MRN\\d+")
    dialog.ok_button.click()
    wait_idle(qtbot)
    assert closed(dialog)
    with ctx.db.transaction(read_only=True) as session:
        assert intake_settings.mrn_format(session) == MrnFormat("MRN\\d+", "MRN123")


def test_closing_with_unsaved_changes_asks_save_discard_or_cancel(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs, "security")
    security = dialog.current_page()
    assert isinstance(security, SecurityPage)
    # Unchanged: Escape simply closes.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    wait_idle(qtbot)
    assert closed(dialog)

    dialog = opened(ctx, qtbot, dialogs, "security")
    security = dialog.current_page()
    assert isinstance(security, SecurityPage)
    security.idle_lock.number.setValue(20)
    dialog.buttons.rejected.emit()  # Cancel
    box = shown_message_box(qtbot)
    assert box.text() == "Save your changes to Security?"
    box.button(QMessageBox.StandardButton.Cancel).click()
    wait_idle(qtbot)
    assert dialog.isVisible() and security.idle_lock.number.value() == 20

    dialog.close()  # the window's close button
    shown_message_box(qtbot).button(QMessageBox.StandardButton.Discard).click()
    wait_idle(qtbot)
    assert closed(dialog)
    with ctx.db.transaction(read_only=True) as session:
        assert workstation_settings.idle_lock_minutes(session) == 15

    dialog = opened(ctx, qtbot, dialogs, "security")
    security = dialog.current_page()
    assert isinstance(security, SecurityPage)
    assert security.idle_lock.number.value() == 15
    security.idle_lock.number.setValue(20)
    dialog.close()
    shown_message_box(qtbot).button(QMessageBox.StandardButton.Save).click()
    wait_idle(qtbot)
    assert closed(dialog)
    with ctx.db.transaction(read_only=True) as session:
        assert workstation_settings.idle_lock_minutes(session) == 20


def test_preferences_round_trip_through_this_computers_settings_file(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs)
    page = dialog.current_page()
    assert isinstance(page, WorkstationPage)  # the first page
    reopen = page.editors[settings.REOPEN_CASES.key]
    assert isinstance(reopen, QCheckBox) and reopen.isChecked()
    reopen.click()
    dialog.ok_button.click()
    assert closed(dialog)
    ini = Path(settings.ui_settings().fileName())
    assert "reopen_cases=false" in ini.read_text(encoding="utf-8")
    assert settings.REOPEN_CASES.get() is False

    dialog = opened(ctx, qtbot, dialogs)
    page = dialog.current_page()
    assert isinstance(page, WorkstationPage)
    reopen = page.editors[settings.REOPEN_CASES.key]
    assert isinstance(reopen, QCheckBox) and not reopen.isChecked()


def test_every_page_is_reached_from_the_keyboard(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs)
    dialog.activateWindow()
    dialog.page_list.setFocus()
    assert dialog.page_list.accessibleName() == "Settings pages"
    seen = [dialog.current_page()]
    for _ in range(len(dialog.pages) - 1):
        qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)
        seen.append(dialog.current_page())
    assert seen == dialog.pages  # the group headings are passed over
    # Ctrl+Tab and Ctrl+PgDown go round from the last page to the first, wherever the focus is.
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.current_page() is dialog.pages[0]
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert dialog.current_page() is dialog.pages[1]
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert dialog.current_page() is dialog.pages[0]

    # Tab moves from the list into the page in front.
    dialog.show_page("intake")
    intake = dialog.current_page()
    assert isinstance(intake, IntakePage)
    dialog.page_list.setFocus()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is intake.mrn.pattern
    assert intake.mrn.pattern.accessibleName() == "Pattern (regular expression)"
    qtbot.keyClick(intake.mrn.pattern, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is intake.mrn.example
    # Each page's panel is named after it for screen readers.
    panels = [dialog.stack.widget(i) for i in range(dialog.stack.count())]
    names = [panel.accessibleName() for panel in panels if panel is not None]
    assert names == [page.title for page in dialog.pages]


def test_one_settings_dialog_at_a_time_and_its_size_is_remembered(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs)
    dialog.resize(760, 540)  # within the test screen: restoring keeps a window on it
    dialog.ok_button.click()
    assert closed(dialog)
    again = opened(ctx, qtbot, dialogs, "security")
    assert again is not dialog
    assert (again.width(), again.height()) == (760, 540)
    assert isinstance(again.current_page(), SecurityPage)


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_asked_again_the_open_dialog_comes_to_the_front(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    first = opened(ctx, qtbot, dialogs)
    second = opened(ctx, qtbot, dialogs, "intake")
    assert second is first
    assert isinstance(first.current_page(), IntakePage)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog)]
    assert [w for w in shown if w.isVisible()] == [first]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dialog_looks_right_in_light_and_dark(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog], scheme: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    if scheme == "dark":
        app.setPalette(dark_palette())
    try:
        dialog = opened(ctx, qtbot, dialogs, "intake")
        panel = dialog.stack.currentWidget()
        assert panel is not None
        title = next(label for label in panel.findChildren(QLabel) if label.text() == "Case intake")
        text = title.palette().color(QPalette.ColorRole.WindowText)
        ground = dialog.palette().color(QPalette.ColorRole.Window)
        assert abs(text.lightness() - ground.lightness()) > 120
        save_screenshot(dialog, f"settings-{scheme}")
    finally:
        app.setPalette(before)


def test_every_organisation_page_is_read_only_to_a_representative(
    representative: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(representative, qtbot, dialogs)
    organisation_pages = [page for page in dialog.pages if page.scope is Scope.ORGANISATION]
    assert {page.title for page in organisation_pages} >= {
        "Organisation",
        "Case intake",
        "Security",
    }
    for page in organisation_pages:
        dialog.show_page(page.title)
        assert any(label.text() == READ_ONLY_NOTE for label in shown_labels(dialog)), page.title
        assert not page.isEnabled(), page.title
    assert not dialog.modified_pages()


def test_the_letterhead_is_changed_in_settings_too(
    ctx: AppContext, qtbot: QtBot, dialogs: list[SettingsDialog]
) -> None:
    dialog = opened(ctx, qtbot, dialogs, "organisation")
    page = dialog.current_page()
    assert isinstance(page, OrganisationPage)
    # The page's own summary (for the first-run assistant) is not shown twice.
    summaries = [label for label in shown_labels(dialog) if label.text() == page.summary]
    assert [label.isVisible() for label in summaries].count(True) == 1
    page.form.organisation.setText("Riverside General Hospital")
    dialog.ok_button.click()
    wait_idle(qtbot)
    assert closed(dialog)
    with ctx.db.transaction(read_only=True) as session:
        assert organisation.letterhead(session).organisation == "Riverside General Hospital"
