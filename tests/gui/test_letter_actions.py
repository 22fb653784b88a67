"""A letter's way to the envelope from the Letters tab and the composer: submit, approve,
finalise, send, correct, save, discard."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import LetterStatus, Role, SendMethod, TimelineKind
from prdesk.domain.models import Letter, TimelineEntry
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import letter_sending, letter_workflow, letters
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_date
from prdesk.ui.letter_approval_dialog import FinaliseQuestion, LetterApprovalDialog
from prdesk.ui.letter_send_dialog import LetterSendDialog, Sending
from prdesk.ui.letters_panel import composer_of
from tests.gui.conftest import CaseMaker, wait_idle
from tests.gui.test_letters_panel import open_letters_tab, table_text
from tests.support.builders import colleague

FILLED = {
    "[[investigation.steps_taken]]": "- We read your mother's records.\n- We spoke with the charge nurse.",
    "[[investigation.findings]]": "The waiting room was not told about the delay.",
    "[[investigation.actions_taken]]": "Nurses now update the waiting room every hour.",
    "[[contact.phone]]": "(555) 010-3000",
}


def draft(ctx: AppContext, case_id: int, key: str = "determination") -> LetterInfo:
    with ctx.db.transaction() as session:
        return letters.draft_letter(session, ctx.actor, case_id, key)


def write(ctx: AppContext, letter: LetterInfo, body: str) -> LetterInfo:
    """The writer's text, as the composer saves it."""
    changes = LetterChanges(
        letter.subject,
        letter.salutation,
        letter.recipient_name,
        letter.recipient_address,
        body,
        letter.copies_to,
    )
    with ctx.db.transaction() as session:
        return letter_workflow.save_draft(session, ctx.actor, letter.id, letter.version, changes)


def filled(body: str, *, without: str = "") -> str:
    """The writer's answers in place of the marks; `without` deletes a section, heading and all."""
    for mark, text in FILLED.items():
        body = body.replace(mark, text)
    if without:
        start = body.index(f"## {without}")
        end = body.find("\n## ", start + 1)
        body = body[:start] + (body[end + 1 :] if end >= 0 else "")
    return body


def stored(ctx: AppContext, letter_id: int) -> Letter:
    with ctx.db.transaction(read_only=True) as session:
        letter = session.get(Letter, letter_id)
        assert letter is not None
        session.expunge(letter)
        return letter


def choose_letter(view: CaseView, letter_id: int) -> None:
    view.letters.select_letter(letter_id)
    assert view.letters.selected_letter() is not None


def trigger(qtbot: QtBot, view: CaseView, action_name: str) -> None:
    action = getattr(view.letters.letter_actions, action_name)
    assert action.isEnabled(), f"{action.text()} is disabled"
    with qtbot.waitSignal(view.letters.letter_actions.changed, timeout=20_000):
        action.trigger()
    wait_idle(qtbot)


def test_a_coordinator_takes_a_response_from_draft_to_sent(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = make_case("Nguyễn Thị Hương", complainant="Trần Minh Anh")
    letter = draft(ctx, detail.id)
    letter = write(ctx, letter, filled(letter.body, without="Steps we took"))
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)

    trigger(qtbot, view, "submit")
    assert stored(ctx, letter.id).status == LetterStatus.SUBMITTED
    assert table_text(view)[0][3] == "Submitted for approval"

    shown: list[list[str]] = []

    def give_reason(parent: object, letter: LetterInfo, missing: list[str]) -> str:
        shown.append(missing)
        return "Steps were explained at the family meeting on 3 March."

    monkeypatch.setattr(LetterApprovalDialog, "ask", give_reason)
    trigger(qtbot, view, "approve")
    assert shown == [["steps taken to investigate"]]
    approved = stored(ctx, letter.id)
    assert approved.status == LetterStatus.APPROVED
    assert approved.compliance_override == "Steps were explained at the family meeting on 3 March."
    assert "approved without a required element" in view.letters.detail_label.text()

    monkeypatch.setattr(FinaliseQuestion, "ask", lambda parent, letter: True)
    trigger(qtbot, view, "finalise")
    final = stored(ctx, letter.id)
    with ctx.db.transaction(read_only=True) as session:
        pdf = letter_sending.stored_pdf(session, ctx.actor, letter.id, purpose="save")
    assert final.status == LetterStatus.FINALISED
    assert final.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert "The waiting room was not told" in "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    assert not view.letters.letter_actions.approve.isEnabled()
    assert view.letters.letter_actions.mark_sent.isEnabled()

    offered: list[str] = []

    def sent(parent: object, letter: LetterInfo, sender: str) -> Sending:
        offered.append(sender)
        return Sending(SendMethod.MAIL, date.today(), sender)

    monkeypatch.setattr(LetterSendDialog, "ask", sent)
    trigger(qtbot, view, "mark_sent")
    assert offered == ["María García"]
    posted = stored(ctx, letter.id)
    assert (posted.status, posted.sent_on, posted.sent_by_name) == (
        LetterStatus.SENT,
        date.today(),
        "María García",
    )
    assert table_text(view)[0][3] == "Sent (mail)"
    with ctx.db.transaction(read_only=True) as session:
        summaries = session.scalars(
            select(TimelineEntry.summary).where(TimelineEntry.kind == TimelineKind.LETTER_SENT)
        ).all()
    assert len(summaries) == 1 and "Trần Minh Anh" in summaries[0]
    qtbot.waitUntil(
        lambda: any(
            entry.kind == TimelineKind.LETTER_SENT
            for entry in (view.detail.timeline if view.detail else ())
        )
    )
    assert TimelineKind.LETTER_SENT.label == "Letter sent"


def test_unfilled_merge_fields_block_approval_with_a_message(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = make_case()
    letter = draft(ctx, detail.id)  # steps, findings and the phone number are still marks
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)
    monkeypatch.setattr(
        LetterApprovalDialog, "ask", lambda *args: pytest.fail("nothing to override")
    )
    view.letters.letter_actions.approve.trigger()
    qtbot.waitUntil(lambda: view.letters.info.isVisible())
    wait_idle(qtbot)
    assert "[[investigation.steps_taken]]" in view.letters.info.text()
    assert "[[contact.phone]]" in view.letters.info.text()
    assert stored(ctx, letter.id).status == LetterStatus.DRAFT


def test_a_sent_letter_is_corrected_by_a_new_letter_that_names_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prdesk.export.letter_files import finalise

    detail = make_case()
    letter = draft(ctx, detail.id, "acknowledgement")
    with ctx.db.transaction() as session:
        letter = letter_workflow.approve_letter(session, ctx.actor, letter.id, letter.version)
    letter = finalise(ctx.db, ctx.actor, letter.id, letter.version)
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)
    assert view.letters.letter_actions.correct.isEnabled()
    assert not view.letters.letter_actions.discard.isEnabled()

    with qtbot.waitSignal(view.letters.opened, timeout=20_000) as opened:
        view.letters.letter_actions.correct.trigger()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: view.letters.model.rowCount() == 2)
    correction = stored(ctx, opened.args[0])
    assert correction.corrects_letter_id == letter.id
    assert correction.status == LetterStatus.DRAFT
    subjects = [row[0] for row in table_text(view)]
    assert subjects[0].endswith(f"(Corrects letter of {local_date(date.today())})")
    composer = composer_of(correction.id)
    assert composer is not None
    composer.close()
    wait_idle(qtbot)


def test_save_as_pdf_and_discarding_a_draft(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detail = make_case("Nguyễn Thị Hương")
    letter = draft(ctx, detail.id, "acknowledgement")
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)
    actions = view.letters.letter_actions
    asked: list[Path] = []
    target = tmp_path / "letters" / "ack.pdf"
    target.parent.mkdir()

    def choose(parent: object, suggested: Path, file_filter: str) -> Path:
        asked.append(suggested)
        return target

    actions.ask_save_path = choose
    with qtbot.waitSignal(view.letters.saved, timeout=20_000):
        actions.save_pdf.trigger()
    wait_idle(qtbot)
    assert asked[0].name == f"{detail.number} Acknowledgement {letter.id}.pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "Nguyễn Thị Hương" in text
    assert [p.name for p in target.parent.iterdir()] == ["ack.pdf"]  # no partial file left
    assert view.letters.info.action_labels() == ["&Open file"]

    monkeypatch.setattr(actions, "confirm_discard", lambda letter: True)
    with qtbot.waitSignal(actions.discarded, timeout=20_000):
        actions.discard.trigger()
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalars(select(Letter)).all() == []
    qtbot.waitUntil(lambda: view.letters.model.rowCount() == 0)
    assert view.work.tabText(view.work.indexOf(view.letters)) == "Letters"


def test_each_role_gets_only_its_steps(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    detail = make_case()
    letter = draft(ctx, detail.id, "acknowledgement")
    with ctx.db.transaction() as session:
        letter = letter_workflow.submit_letter(session, ctx.actor, letter.id, letter.version)
    lee = colleague(ctx.db, "jlee", "Jamie Lee", Role.REPRESENTATIVE)
    as_rep = AppContext(
        ctx.db, UserInfo(lee.id, lee.username, lee.display_name, lee.role), ChangeHub()
    )
    view = open_letters_tab(as_rep, qtbot, detail)
    choose_letter(view, letter.id)
    actions = view.letters.letter_actions
    assert not actions.approve.isEnabled()  # approving is the coordinator's
    assert actions.return_to_draft.isEnabled()
    assert not actions.submit.isEnabled()

    coordinator_view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(coordinator_view, letter.id)
    assert coordinator_view.letters.letter_actions.approve.isEnabled()
    wait_idle(qtbot)


def test_the_composer_gets_the_workflow_and_shows_each_step(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = make_case()
    letter = draft(ctx, detail.id, "acknowledgement")
    view = open_letters_tab(ctx, qtbot, detail)
    composer = view.letters.open_letter(letter.id)
    qtbot.waitUntil(lambda: composer.letter() is not None)
    wait_idle(qtbot)
    texts = {action.text(): action for action in composer.toolbar.actions()}
    assert "&Approve…" in texts and "&Mark sent…" in texts
    with qtbot.waitSignal(view.letters.model.modelReset, timeout=20_000):
        texts["&Approve…"].trigger()
    wait_idle(qtbot)
    shown = composer.letter()
    assert shown is not None and shown.status == LetterStatus.APPROVED
    assert composer.banner.text().startswith("Approved by María García")
    assert stored(ctx, letter.id).status == LetterStatus.APPROVED
    qtbot.waitUntil(lambda: table_text(view)[0][3] == "Approved")
    assert texts["Fi&nalise…"].isEnabled() and not texts["&Approve…"].isEnabled()
    composer.close()
    wait_idle(qtbot)


def test_a_stale_letter_reports_the_conflict(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    detail = make_case()
    letter = draft(ctx, detail.id, "acknowledgement")
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)
    # Another workstation submits it meanwhile; this tab still shows the draft.
    with ctx.db.transaction() as session:
        letter_workflow.submit_letter(session, ctx.actor, letter.id, letter.version)
    view.letters.letter_actions.submit.trigger()
    qtbot.waitUntil(lambda: view.letters.info.isVisible())
    wait_idle(qtbot)
    assert "Someone else changed this letter" in view.letters.info.text()


def test_export_to_word_gives_an_editable_copy(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    pytest.importorskip("prdesk.export.letter_docx")
    import docx

    detail = make_case("Nguyễn Thị Hương", complainant="Trần Minh Anh")
    letter = draft(ctx, detail.id, "acknowledgement")
    view = open_letters_tab(ctx, qtbot, detail)
    choose_letter(view, letter.id)
    actions = view.letters.letter_actions
    asked: list[tuple[Path, str]] = []

    def choose(parent: object, suggested: Path, file_filter: str) -> Path:
        asked.append((suggested, file_filter))
        return tmp_path / "letter.docx"

    actions.ask_save_path = choose
    with qtbot.waitSignal(view.letters.saved, timeout=20_000):
        actions.export_word.trigger()
    wait_idle(qtbot)
    assert asked[0][0].name == f"{detail.number} Acknowledgement {letter.id}.docx"
    assert "docx" in asked[0][1]
    text = "\n".join(
        paragraph.text for paragraph in docx.Document(tmp_path / "letter.docx").paragraphs
    )
    assert "Trần Minh Anh" in text
    assert letter.subject in text
