"""Logging a new case through the dialog: saving, field errors, the live classification."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship
from prdesk.domain.models import Case
from prdesk.domain.services import organisation
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import shown_new_case_dialog as _dialog
from tests.gui.conftest import wait_idle


def _case_count(ctx: AppContext) -> int:
    with ctx.db.transaction(read_only=True) as session:
        return session.scalar(select(func.count(Case.id))) or 0


def test_coordinator_logs_a_case_and_it_appears_in_the_list(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        cardiology = organisation.ensure_department(session, "Cardiology")
        organisation.ensure_department(session, "Emergency Department")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)

    dialog = window.new_case()
    wait_idle(qtbot)
    form = dialog.form
    assert form.departments.names() == ["Cardiology", "Emergency Department"]
    form.patient.full_name.setText("Nguyễn Thị Hương")
    qtbot.keyClicks(form.patient.date_of_birth, "1958-03-14")
    qtbot.keyClicks(form.patient.phone, "(217) 555-0142")
    form.patient.language.setCurrentIndex(form.patient.language.findData("vi"))
    form.raised_by_other.setChecked(True)
    form.complainant.full_name.setText("Trần Văn Minh")
    form.relationship.set_value(Relationship.CHILD)
    form.disclosure.set_value(DisclosureBasis.PATIENT_AUTHORIZATION)
    form.description.setPlainText("Mẹ tôi đã chờ bốn tiếng ở phòng cấp cứu.")
    form.departments.set_checked_ids([cardiology])
    form.safety_concern.setChecked(True)

    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    detail = saved.args[0]
    assert not dialog.isVisible()

    # The new case opens in its own tab, and the list shows it.
    assert window.tabs.currentWidget() is window.tabs.view_of(detail.id)
    assert window.tabs.tabText(window.tabs.currentIndex()) == detail.number
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1)
    row = window.case_list.model.row_at(window.case_list.model.index(0, 0))
    assert row is not None
    assert (row.number, row.patient_name, row.complainant_name) == (
        detail.number,
        "Nguyễn Thị Hương",
        "Trần Văn Minh",
    )
    assert row.safety_concern

    with ctx.db.transaction(read_only=True) as session:
        case = session.scalar(select(Case).where(Case.number == detail.number))
        assert case is not None
        assert case.patient.full_name == "Nguyễn Thị Hương"
        assert case.patient.preferred_language == "vi"
        assert str(case.patient.date_of_birth) == "1958-03-14"
        assert case.complainant is not None and case.complainant.full_name == "Trần Văn Minh"
        assert [d.name for d in case.departments] == ["Cardiology"]
        assert case.is_grievance  # a verbal complaint not resolved at the time


def test_bad_input_keeps_the_dialog_open_with_messages_and_text(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = _dialog(ctx, qtbot)
    form = dialog.form
    form.patient.full_name.setText("Nguyễn Thị Hương")
    qtbot.keyClicks(form.patient.date_of_birth, "2999-01-01")
    form.desired_outcome.setPlainText("An apology.")

    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_for("description") != "")
    wait_idle(qtbot)

    assert dialog.isVisible()
    assert dialog.error_for("patient.date_of_birth") == "The date of birth cannot be in the future."
    assert dialog.error_for("description").startswith("Describe what happened")
    assert dialog.banner.isVisible() and "2 fields" in dialog.banner.text()
    # What was typed is all still there, and the first bad field has the focus.
    assert form.patient.full_name.text() == "Nguyễn Thị Hương"
    assert form.patient.date_of_birth.text() == "2999-01-01"
    assert form.desired_outcome.toPlainText() == "An apology."
    assert QApplication.focusWidget() is form.patient.date_of_birth
    assert _case_count(ctx) == 0

    # Editing a field clears its message.
    qtbot.keyClicks(form.description, "Rude receptionist.")
    assert dialog.error_for("description") == ""


def test_a_date_that_is_not_a_date_is_caught_before_saving(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.form.patient.full_name.setText("Ana Souza")
    qtbot.keyClicks(dialog.form.patient.date_of_birth, "31/31/1980")
    dialog.form.description.setPlainText("Lost glasses.")
    dialog.save()
    assert "Type the date as" in dialog.error_for("patient.date_of_birth")
    wait_idle(qtbot)
    assert _case_count(ctx) == 0


def test_classification_follows_the_channel(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    box = dialog.form.classification
    dialog.form.channel.set_value(Channel.PHONE)
    box.resolved_at_once.setChecked(True)
    assert box.result_text().startswith("Complaint — ")

    dialog.form.channel.set_value(Channel.LETTER)
    assert box.result_text() == ("Grievance — A written complaint (letter) is always a grievance.")
    assert "Grievance" in box.result.text()

    dialog.form.kind.set_value(CaseKind.COMPLIMENT)
    assert box.result_text().startswith("Not a grievance — ")


def test_override_needs_a_reason(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    form = dialog.form
    assert form.classification.override.isEnabled()  # the first user is an administrator
    form.patient.full_name.setText("Ana Souza")
    form.description.setPlainText("Billing dispute about a parking charge.")
    form.channel.set_value(Channel.EMAIL)
    form.classification.override.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_for("override_reason") != "")
    assert form.classification.override_reason.isEnabled()
    assert _case_count(ctx) == 0


def test_tab_goes_through_the_form_in_reading_order(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    form = dialog.form
    wanted: list[QWidget] = [
        form.kind,
        form.channel,
        form.received,
        form.severity,
        form.safety_concern,
        form.behavioural_alert,
        form.patient.full_name,
        form.patient.date_of_birth,
    ]
    order: list[QWidget] = [form.kind]
    widget = form.kind.nextInFocusChain()
    while widget is not None and widget is not form.kind and len(order) < 400:
        order.append(widget)
        widget = widget.nextInFocusChain()
    positions = [order.index(w) for w in wanted]
    assert positions == sorted(positions)
    assert order.index(form.description) > positions[-1]


def test_escape_asks_before_discarding_typed_text(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.form.patient.full_name.setText("Ana Souza")
    answers = [False, True]
    dialog.confirm_discard = lambda: answers.pop(0)  # type: ignore[method-assign]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.form.patient.full_name.text() == "Ana Souza"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_keyboard_tab_moves_on_and_ctrl_enter_saves(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    form = dialog.form
    form.description.setFocus()
    qtbot.keyClicks(form.description, "Rude receptionist")
    qtbot.keyClick(form.description, Qt.Key.Key_Tab)
    assert form.description.toPlainText() == "Rude receptionist"
    assert QApplication.focusWidget() is form.desired_outcome

    qtbot.keyClick(form.desired_outcome, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # The patient's name is missing: the save was tried, and the field is marked.
    qtbot.waitUntil(lambda: dialog.error_for("patient.full_name") != "")
    assert form.desired_outcome.toPlainText() == ""
    assert QApplication.focusWidget() is form.patient.full_name
