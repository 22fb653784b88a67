"""The committee summary and the outcome, from an open case: what the coordinator gets and sees."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, timeline
from prdesk.domain.services.case_outcome import OUTCOME_LIMIT, record_outcome
from prdesk.domain.services.case_summary import SummaryOptions
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.case_summary_export import SummaryExportDialog, export_case_summary
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.outcome_dialog import OutcomeDialog
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import colleague
from tests.support.dialogs import shown_message_box

SHOTS = Path("/tmp/shots")
FOUND = "Triage was delayed by a surge of ambulance arrivals."
DONE = "All emergency staff were re-briefed on updating families."


def _parent(qtbot: QtBot) -> QWidget:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(800, 500)
    parent.show()
    return parent


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _with_entries(ctx: AppContext, make_case: CaseMaker) -> CaseDetail:
    case = make_case("Nguyễn Thị Hương", complainant="Nguyễn Thị Mai")
    with ctx.db.transaction() as session:
        for summary, internal in (("Met the family", False), ("Rota was short", True)):
            entry = NewTimelineEntry(TimelineKind.MEETING, summary, internal=internal)
            timeline.add_entry(session, ctx.actor, case.id, entry)
        return cases.view_case(session, ctx.actor, case.id, record_view=False)


def test_the_summary_is_saved_where_asked_and_offered_to_open(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = _with_entries(ctx, make_case)
    parent = _parent(qtbot)
    asked: list[tuple[str, Path]] = []
    opened: list[Path] = []

    def ask(number: str, suggested: Path, _parent: QWidget | None) -> tuple[Path, SummaryOptions]:
        asked.append((number, suggested))
        return tmp_path / "committee.pdf", SummaryOptions(include_internal=False)

    operation = export_case_summary(ctx, parent, case, ask=ask, open_file=opened.append)
    assert operation is not None
    wait_idle(qtbot, timeout=30_000)
    box = shown_message_box(qtbot)
    assert box.windowTitle() == "Case summary saved"
    assert box.text() == f"The summary of {case.number} was saved as committee.pdf\nin {tmp_path}."
    SHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SHOTS / "summary-saved.png"))
    assert asked[0][0] == case.number
    assert asked[0][1].name == f"{case.number} Case summary.pdf"

    open_button = next(b for b in box.buttons() if b.text() == "&Open PDF")
    open_button.click()
    assert opened == [tmp_path / "committee.pdf"]
    text = _pdf_text(tmp_path / "committee.pdf")
    assert case.number in text and "Nguyễn Thị Hương" in text
    assert "Met the family" in text and "Rota was short" not in text
    with ctx.db.transaction(read_only=True) as session:
        exported = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "export")
        ).all()
    assert exported == [{"what": "committee summary", "internal": False}]

    # The next one proposes the folder used this time.
    export_case_summary(ctx, parent, case, ask=lambda *a: ask(*a) and None, open_file=opened.append)
    assert asked[1][1] == tmp_path / f"{case.number} Case summary.pdf"


def test_a_folder_that_is_gone_is_explained_and_cancelling_writes_nothing(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    parent = _parent(qtbot)
    assert export_case_summary(ctx, parent, case, ask=lambda *_: None) is None
    gone = tmp_path / "usb-stick" / "summary.pdf"
    before = set(tmp_path.iterdir())
    export_case_summary(ctx, parent, case, ask=lambda *_: (gone, SummaryOptions()))
    wait_idle(qtbot)
    box = shown_message_box(qtbot)
    assert box.windowTitle() == "Case summary not saved"
    assert box.text() == (
        f"The summary could not be saved as {gone}: the folder {gone.parent} does not exist."
    )
    box.close()
    assert set(tmp_path.iterdir()) == before


def test_the_dialog_names_a_pdf_and_asks_about_internal_entries(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = SummaryExportDialog("PR-2026-000123", tmp_path / "PR-2026-000123 Case summary.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "summary-dialog.png"))
    assert dialog.value() == (tmp_path / "PR-2026-000123 Case summary.pdf", SummaryOptions())
    assert not dialog.include_internal.isChecked()

    dialog.choose_path = lambda _parent, current: current.with_name("for the committee")
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.include_internal, Qt.Key.Key_Space)
    assert dialog.value() == (
        tmp_path / "for the committee.pdf",
        SummaryOptions(include_internal=True),
    )
    dialog.path.clear()
    assert not dialog.make_button.isEnabled() and dialog.value() is None


def _outcome_dialog(ctx: AppContext, qtbot: QtBot, detail: CaseDetail) -> OutcomeDialog:
    dialog = OutcomeDialog(ctx, detail)
    # Closing at the end of a test must not stop on the question about typed text.
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _saved_outcome(ctx: AppContext, case_id: int) -> tuple[str, str]:
    with ctx.db.transaction(read_only=True) as session:
        case = cases.view_case(session, ctx.actor, case_id, record_view=False)
    return case.findings, case.actions_taken


def test_the_outcome_is_typed_saved_and_announced(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _outcome_dialog(ctx, qtbot, case)
    assert dialog.findings.toPlainText() == "" and dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.findings, FOUND)
    dialog.actions_taken.setPlainText(f"{DONE}\nA volunteer now sits in the waiting room.")
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "outcome-dialog.png"))
    changes: list[Change] = []
    ctx.hub.changed.connect(changes.append)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.keyClick(dialog.findings, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved.args is not None and saved.args[0].findings == FOUND
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _saved_outcome(ctx, case.id) == (
        FOUND,
        f"{DONE}\nA volunteer now sits in the waiting room.",
    )
    assert any(change.touches_case(case.id) for change in changes)


def test_a_save_after_someone_else_changed_the_case_keeps_both_changes(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _outcome_dialog(ctx, qtbot, case)
    with ctx.db.transaction() as session:  # someone else assigns the case meanwhile
        cases.assign_case(session, ctx.actor, case.id, case.version, ctx.actor.id)
    dialog.findings.setPlainText(FOUND)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert _saved_outcome(ctx, case.id) == (FOUND, "")
    with ctx.db.transaction(read_only=True) as session:
        assert cases.view_case(session, ctx.actor, case.id).assignee is not None


def test_when_someone_else_wrote_the_outcome_the_coordinator_chooses(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _outcome_dialog(ctx, qtbot, case)
    with ctx.db.transaction() as session:
        record_outcome(session, ctx.actor, case.id, case.version, "Their findings", "Their actions")
    dialog.findings.setPlainText(FOUND)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.banner.isVisible())
    wait_idle(qtbot)
    assert "Someone else changed the outcome" in dialog.banner.text()
    assert dialog.banner.action_labels() == ["&Keep mine", "Show &theirs"]
    assert dialog.findings.toPlainText() == FOUND  # nothing typed is lost
    dialog.grab().save(str(SHOTS / "outcome-conflict.png"))

    dialog.banner.trigger("Show &theirs")
    assert dialog.findings.toPlainText() == "Their findings"
    dialog.findings.setPlainText(FOUND)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert _saved_outcome(ctx, case.id) == (FOUND, "Their actions")


def test_an_outcome_too_long_is_marked_on_its_field_and_kept(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _outcome_dialog(ctx, qtbot, case)
    pasted = "a" * (OUTCOME_LIMIT + 5)
    dialog.findings.setPlainText(pasted)
    dialog.save()
    wait_idle(qtbot)
    assert dialog.errors.message("findings") == (
        f"Keep the findings to {OUTCOME_LIMIT:,} characters (they have 20,005)."
    )
    assert dialog.isVisible() and dialog.findings.toPlainText() == pasted
    assert dialog.save_button.isEnabled()
    assert _saved_outcome(ctx, case.id) == ("", "")


def test_cancelling_typed_text_asks_first(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    dialog = _outcome_dialog(ctx, qtbot, make_case())
    answers = [False]
    dialog.confirm_discard = lambda: answers.pop()  # type: ignore[method-assign]
    dialog.findings.setPlainText(FOUND)
    dialog.reject()
    assert dialog.isVisible()
    dialog.findings.clear()
    dialog.reject()
    assert not dialog.isVisible()


def test_an_auditor_reads_the_outcome_but_cannot_change_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    with ctx.db.transaction() as session:
        case = record_outcome(session, ctx.actor, case.id, case.version, FOUND, DONE)
    auditor = colleague(ctx.db, "audit", "Sam Auditor", Role.AUDITOR)
    dialog = _outcome_dialog(AppContext(ctx.db, auditor, ctx.hub), qtbot, case)
    assert dialog.findings.toPlainText() == FOUND and dialog.findings.isReadOnly()
    assert not dialog.save_button.isEnabled()
    assert dialog.banner.text() == "Your role may read the outcome but not change it."


def test_keeping_mine_after_a_conflict_saves_over_theirs(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    dialog = _outcome_dialog(ctx, qtbot, case)
    with ctx.db.transaction() as session:
        record_outcome(session, ctx.actor, case.id, case.version, "Their findings", "")
    dialog.findings.setPlainText(FOUND)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.banner.isVisible())
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.banner.trigger("&Keep mine")
    assert _saved_outcome(ctx, case.id) == (FOUND, "")
