"""Recording whether a complaint was upheld: chosen in the outcome, shown on the case and printed."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import CaseKind, Determination, Role
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import case_summary, cases
from prdesk.domain.services.case_outcome import record_outcome
from prdesk.export.case_summary_pdf import render_case_summary
from prdesk.ui.case_details import CaseDetails
from prdesk.ui.context import AppContext
from prdesk.ui.outcome_dialog import OutcomeDialog
from tests.gui.conftest import CaseMaker
from tests.support.builders import colleague, phone_complaint
from tests.support.screenshots import save_screenshot

FOUND = "Triage was delayed by a surge of ambulance arrivals."


def _dialog(ctx: AppContext, qtbot: QtBot, detail: CaseDetail) -> OutcomeDialog:
    dialog = OutcomeDialog(ctx, detail)
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _saved(ctx: AppContext, case_id: int) -> CaseDetail:
    with ctx.db.transaction(read_only=True) as session:
        return cases.view_case(session, ctx.actor, case_id, record_view=False)


def _details(qtbot: QtBot, detail: CaseDetail) -> CaseDetails:
    shown = CaseDetails()
    qtbot.addWidget(shown)
    shown.show_case(detail)
    shown.show()
    return shown


def _summary_text(ctx: AppContext, case_id: int) -> str:
    with ctx.db.transaction() as session:
        summary = case_summary.case_summary(session, ctx.actor, case_id)
    pages = PdfReader(io.BytesIO(render_case_summary(summary))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_coordinator_records_a_complaint_as_partly_upheld(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _dialog(ctx, qtbot, case)
    assert dialog.determination.isVisible()
    assert [dialog.determination.itemText(i) for i in range(dialog.determination.count())] == [
        "Upheld",
        "Partly upheld",
        "Not upheld",
        "Not decided",
    ]
    assert dialog.determination.currentText() == "Not decided"
    assert not dialog.has_changes()

    dialog.findings.setPlainText(FOUND)
    dialog.determination.setCurrentText("Partly upheld")
    save_screenshot(dialog, "outcome-dialog")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    assert saved.args is not None
    assert saved.args[0].determination is Determination.PARTLY_UPHELD
    stored = _saved(ctx, case.id)
    assert (stored.findings, stored.determination) == (FOUND, Determination.PARTLY_UPHELD)

    details = _details(qtbot, stored)
    assert details.case.row_visible("Determination")
    assert details.case.value("Determination") == "Partly upheld"
    assert "Not finished yet Determination Partly upheld" in _summary_text(ctx, case.id)


def test_reopening_the_outcome_shows_the_recorded_choice_and_changing_it_back(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    with ctx.db.transaction() as session:
        case = record_outcome(
            session, ctx.actor, case.id, case.version, FOUND, "", determination=Determination.UPHELD
        )
    dialog = _dialog(ctx, qtbot, case)
    assert dialog.determination.currentText() == "Upheld"
    dialog.determination.setCurrentText("Not decided")
    assert dialog.has_changes()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    stored = _saved(ctx, case.id)
    assert (stored.findings, stored.determination) == (FOUND, None)
    assert _details(qtbot, stored).case.value("Determination") == "Not decided"
    assert "Determination Not decided" in _summary_text(ctx, case.id)


def test_a_compliment_is_not_asked_whether_it_was_upheld(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        praise = cases.open_case(session, ctx.actor, phone_complaint(kind=CaseKind.COMPLIMENT))
    dialog = _dialog(ctx, qtbot, praise)
    assert not dialog.determination.isVisible()
    assert not dialog.determination_label.isVisible()
    dialog.findings.setPlainText("The nurse went out of her way for the family.")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    stored = _saved(ctx, praise.id)
    assert stored.findings == "The nurse went out of her way for the family."
    assert stored.determination is None
    assert not _details(qtbot, stored).case.row_visible("Determination")
    assert "Determination" not in _summary_text(ctx, praise.id)


def test_an_auditor_sees_the_determination_but_cannot_change_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    with ctx.db.transaction() as session:
        case = record_outcome(
            session, ctx.actor, case.id, case.version, FOUND, "", determination=Determination.UPHELD
        )
    auditor = colleague(ctx.db, "audit", "Sam Auditor", Role.AUDITOR)
    dialog = _dialog(AppContext(ctx.db, auditor, ctx.hub), qtbot, case)
    assert dialog.determination.currentText() == "Upheld"
    assert not dialog.determination.isEnabled()
