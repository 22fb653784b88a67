"""An administrator sets the record number format, and intake holds typed numbers to it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from prdesk.domain.services import intake_settings
from prdesk.domain.services.intake_settings import MrnFormat
from prdesk.ui.context import AppContext
from prdesk.ui.mrn_format_dialog import MrnFormatDialog
from prdesk.ui.new_case_dialog import NewCaseDialog
from tests.gui.conftest import wait_idle


def test_the_format_set_by_the_administrator_is_enforced_at_intake(
    ctx: AppContext, qtbot: QtBot
) -> None:
    settings = MrnFormatDialog(ctx)
    qtbot.addWidget(settings)
    settings.show()
    wait_idle(qtbot)
    assert settings.verdict.text() == "Any record number is accepted."
    settings.pattern.setText(r"\d{7,8}")
    settings.example.setText("0123-4567")
    assert settings.verdict.text() == "The example does not fit the pattern."
    settings.save()
    assert settings.errors.message("example") == "The example does not fit the pattern."
    settings.example.setText("01234567")
    with qtbot.waitSignal(settings.saved, timeout=10_000):
        settings.save()
    with ctx.db.transaction(read_only=True) as session:
        assert intake_settings.mrn_format(session) == MrnFormat(r"\d{7,8}", "01234567")

    dialog = NewCaseDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    form = dialog.form
    form.patient.full_name.setText("Ana Souza")
    assert form.patient.mrn is not None
    form.patient.mrn.setText("AB-12")
    form.description.setPlainText("Lost glasses.")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_for("patient.medical_record_number") != "")
    assert dialog.error_for("patient.medical_record_number") == (
        "'AB-12' is not a medical record number here: they look like 01234567."
    )
    assert form.patient.mrn.text() == "AB-12"
    # Closed unsaved when the test ends: no question on the way out.
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
