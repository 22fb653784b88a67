"""Taking a phone complaint with the keyboard alone: mnemonics, Tab, Ctrl+Enter, tidy numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from prdesk.ui.context import AppContext
from prdesk.ui.new_case_dialog import NewCaseDialog
from tests.gui.conftest import wait_idle


def _dialog(ctx: AppContext, qtbot: QtBot) -> NewCaseDialog:
    dialog = NewCaseDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    wait_idle(qtbot)
    return dialog


def _mnemonic(text: str) -> str | None:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else None


def test_every_alt_key_in_the_dialog_leads_to_one_place(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    seen: dict[str, str] = {}
    widgets = [*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton)]
    for widget in widgets:
        if not widget.isVisibleTo(dialog):
            continue
        key = _mnemonic(widget.text())
        if key is None:
            continue
        assert key not in seen, f"Alt+{key} is both {seen[key]!r} and {widget.text()!r}"
        seen[key] = widget.text()
    assert {"n", "d", "s", "f"} <= set(seen)  # name, description, save, safety concern


def test_a_phone_complaint_filed_from_the_keyboard_alone(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    form = dialog.form
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.patient.full_name
    qtbot.keyClicks(form.patient.full_name, "Ana Souza")
    qtbot.keyClick(form.patient.full_name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.patient.date_of_birth
    qtbot.keyClicks(form.patient.date_of_birth, "1961-07-02")
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(form.patient.phone, "2175550142")
    qtbot.keyClick(form.patient.phone, Qt.Key.Key_Tab)
    # Leaving the field puts the number in the form it will be kept in.
    assert form.patient.phone.text() == "(217) 555-0142"
    qtbot.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.safety_concern
    qtbot.keyClick(form.safety_concern, Qt.Key.Key_Space)
    assert form.safety_concern.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(form.description, "Fell in the corridor; nobody helped her up.")

    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    detail = saved.args[0]
    assert detail.patient.full_name == "Ana Souza"
    assert detail.patient.phone == "(217) 555-0142"
    assert detail.safety_concern
    assert detail.description == "Fell in the corridor; nobody helped her up."


def test_bad_phone_and_email_are_marked_on_their_fields(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    form = dialog.form
    form.patient.full_name.setText("Ana Souza")
    form.patient.phone.setText("555 12")
    form.patient.email.setText("ana@@example.com")
    form.description.setPlainText("Rude receptionist.")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_for("patient.phone") != "")
    assert (
        dialog.error_for("patient.phone")
        == "'555 12' is not a phone number: it has too few digits."
    )
    assert dialog.error_for("patient.email").startswith(
        "'ana@@example.com' is not an email address"
    )
    assert form.patient.phone.text() == "555 12"  # kept as typed, to correct
