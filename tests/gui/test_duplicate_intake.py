"""While a call is taken, the same patient's open case is shown, and the call can go on it."""

from __future__ import annotations

from datetime import date

import shiboken6
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import Case, TimelineEntry
from prdesk.domain.services import cases
from prdesk.domain.services.case_input import PersonInput
from prdesk.ui.context import AppContext
from tests.gui.conftest import shown_window as _window
from tests.gui.conftest import wait_idle
from tests.support.builders import phone_complaint


def _open_case_for_huong(ctx: AppContext) -> str:
    patient = PersonInput(
        "Nguyễn Thị Hương", date_of_birth=date(1958, 3, 14), medical_record_number="00123456"
    )
    with ctx.db.transaction() as session:
        return cases.open_case(session, ctx.actor, phone_complaint(patient=patient)).number


def test_a_repeat_caller_is_recognised_and_the_call_is_added_to_the_open_case(
    ctx: AppContext, qtbot: QtBot
) -> None:
    number = _open_case_for_huong(ctx)
    window = _window(ctx, qtbot)
    dialog = window.new_case()
    wait_idle(qtbot)
    form = dialog.form
    form.patient.full_name.setText("nguyen thi huong")  # typed without accents
    qtbot.keyClicks(form.patient.date_of_birth, "1958-03-14")
    panel = dialog.duplicates
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    assert number in panel.text() and "New" in panel.text()
    assert "Waited six hours" in panel.text()
    assert "same name and date of birth" in panel.text()

    form.description.setPlainText("Called again: nobody has rung her back.")
    with qtbot.waitSignal(dialog.contact_added, timeout=10_000):
        panel.buttons[f"add {number}"].click()
    wait_idle(qtbot)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed, no new case
    assert window.tabs.tabText(window.tabs.currentIndex()) == number
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Case.id))) == 1
        entry = session.scalars(select(TimelineEntry).order_by(TimelineEntry.id.desc())).first()
        assert entry is not None and entry.kind is TimelineKind.PHONE_CALL
        assert entry.body.startswith("Called again: nobody has rung her back.\n\nRaised by:")


def test_a_new_case_can_be_linked_to_the_open_one_instead(ctx: AppContext, qtbot: QtBot) -> None:
    number = _open_case_for_huong(ctx)
    window = _window(ctx, qtbot)
    dialog = window.new_case()
    wait_idle(qtbot)
    form = dialog.form
    qtbot.keyClicks(form.patient.mrn, "00123456")
    panel = dialog.duplicates
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    assert "same record number" in panel.text()
    panel.buttons[f"link {number}"].click()
    assert f"The new case will be linked to {number}." in panel.text()

    form.patient.full_name.setText("Nguyễn Thị Hương")
    form.description.setPlainText("A different matter: her hearing aid went missing.")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    detail = saved.args[0]
    assert detail.linked_case is not None and detail.linked_case.name == number
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Case.id))) == 2


def test_nothing_is_shown_for_a_new_patient(ctx: AppContext, qtbot: QtBot) -> None:
    _open_case_for_huong(ctx)
    window = _window(ctx, qtbot)
    dialog = window.new_case()
    wait_idle(qtbot)
    dialog.form.patient.full_name.setText("Ana Souza")
    qtbot.keyClicks(dialog.form.patient.date_of_birth, "1958-03-14")
    qtbot.wait(600)
    wait_idle(qtbot)
    assert not dialog.duplicates.isVisible()
