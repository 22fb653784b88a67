"""Logging an email or a letter: dropped .eml files and pasted text fill the new-case dialog."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from prdesk.domain.enums import Channel, DisclosureBasis, Relationship
from prdesk.domain.models import Case
from prdesk.ui.context import AppContext
from prdesk.ui.new_case_dialog import NewCaseDialog
from prdesk.ui.paste_dialog import PasteDialog
from tests.gui.conftest import shown_new_case_dialog as _dialog
from tests.gui.conftest import shown_window as _window
from tests.gui.conftest import wait_idle

EMAIL = (
    "From: =?utf-8?q?Tr=E1=BA=A7n_V=C4=83n_Minh?= <minh.tran@example.com>\n"
    "To: Patient Relations <pr@hospital.example>\n"
    "Subject: My mother's wait in the emergency department\n"
    "Date: Tue, 24 Nov 2026 15:15:00 -0500\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "My mother waited six hours without an update.\n"
)


def _drop(target: QWidget, path: Path) -> None:
    """Drags the file over the widget and lets go, as from the desktop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(20, 20)
    with warnings.catch_warnings():
        # PySide marks the only constructor there is as deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            where.toPoint(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)


def test_an_email_dropped_on_the_window_opens_a_filled_new_case(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(ctx, qtbot)
    eml = tmp_path / "complaint.eml"
    eml.write_bytes(EMAIL.encode())
    dialogs: list[NewCaseDialog] = []
    original = window.new_case
    window.new_case = lambda: dialogs.append(original()) or dialogs[-1]  # type: ignore[method-assign]
    _drop(window, eml)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    wait_idle(qtbot)
    form = dialog.form

    assert form.channel.value() is Channel.EMAIL
    assert form.received.value() == datetime(2026, 11, 24, 20, 15, tzinfo=UTC)
    assert form.raised_by_other.isChecked()
    assert form.complainant.full_name.text() == "Trần Văn Minh"
    assert form.complainant.email.text() == "minh.tran@example.com"
    assert form.description.toPlainText() == (
        "Subject: My mother's wait in the emergency department\n\n"
        "My mother waited six hours without an update."
    )
    assert form.classification.result_text().startswith("Grievance — A written complaint (email)")
    assert "Trần Văn Minh" in dialog.banner.text()

    # The coordinator adds the patient and saves: an email grievance with the sender on it.
    form.patient.full_name.setText("Trần Thị Lan")
    form.relationship.set_value(Relationship.CHILD)
    form.disclosure.set_value(DisclosureBasis.PATIENT_AUTHORIZATION)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    detail = saved.args[0]
    assert detail.channel is Channel.EMAIL and detail.is_grievance
    assert detail.received_at == datetime(2026, 11, 24, 20, 15, tzinfo=UTC)
    assert detail.complainant is not None
    assert detail.complainant.email == "minh.tran@example.com"
    assert detail.patient.full_name == "Trần Thị Lan"


def test_the_coordinator_can_say_the_sender_is_the_patient(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.fill_from_eml(EMAIL.encode())
    assert dialog.banner.action_labels() == ["Sender is the patient"]
    dialog.banner.trigger("Sender is the patient")
    form = dialog.form
    assert form.patient.full_name.text() == "Trần Văn Minh"
    assert form.patient.email.text() == "minh.tran@example.com"
    assert not form.raised_by_other.isChecked()
    assert form.complainant.full_name.text() == ""


def test_a_file_that_is_not_an_email_is_refused_and_nothing_typed_is_lost(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.form.patient.full_name.setText("Ana Souza")
    broken = tmp_path / "scan.eml"
    broken.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    _drop(dialog, broken)
    assert dialog.banner.isVisible()
    assert dialog.banner.text().startswith("scan.eml: This is not an email message")
    assert dialog.form.patient.full_name.text() == "Ana Souza"
    assert dialog.form.channel.value() is Channel.PHONE


def test_an_email_over_typed_text_asks_first(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.form.description.setPlainText("Notes from the call so far.")
    dialog.confirm_replace = lambda: False  # type: ignore[method-assign]
    dialog.fill_from_eml(EMAIL.encode())
    assert dialog.form.description.toPlainText() == "Notes from the call so far."


def test_a_pasted_letter_is_logged_as_a_letter(ctx: AppContext, qtbot: QtBot) -> None:
    paste = PasteDialog()
    qtbot.addWidget(paste)
    paste.load(
        "Dear Patient Relations,\n\nThe billing office charged me twice for one visit.\n\n"
        "Yours sincerely,\nRobert O'Brien\n"
    )
    assert paste.as_letter.isChecked()
    draft = paste.draft()
    dialog = _dialog(ctx, qtbot)
    dialog.fill_from_draft(draft)
    form = dialog.form
    assert form.channel.value() is Channel.LETTER
    assert form.complainant.full_name.text() == "Robert O'Brien"
    assert form.description.toPlainText().startswith("Dear Patient Relations,")
    assert form.received.value() is None  # received today, as it is logged


def test_pasting_nothing_says_so_and_keeps_the_paste_dialog_open(qtbot: QtBot) -> None:
    paste = PasteDialog()
    qtbot.addWidget(paste)
    paste.show()
    paste.load("   ")
    paste.accept()
    assert paste.isVisible()
    assert paste.banner.text() == "Paste the text of the email or letter first."


def test_no_case_was_saved_by_merely_filling(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _dialog(ctx, qtbot)
    dialog.fill_from_eml(EMAIL.encode())
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Case.id))) == 0
