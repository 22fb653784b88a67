"""Writing a letter in the composer: fields, formatting, steps taken, checks and the printed pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import Channel, LetterStatus, Role, TimelineKind
from prdesk.domain.readmodels import LetterInfo, TimelineEntryInfo
from prdesk.domain.services import letter_workflow, letters, timeline
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_timeline
from prdesk.export import letter_files
from prdesk.ui import letter_autosave
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.letter_composer import LetterComposer
from prdesk.ui.letter_editor import LetterEditor
from prdesk.ui.letter_steps_dialog import LetterStepsDialog
from prdesk.ui.markdown_document import LETTER_FEATURES, read_markdown, to_markdown
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import colleague


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves a moment after typing stops, instead of two seconds, so the tests run quickly."""
    monkeypatch.setattr(letter_autosave, "IDLE_MS", 200)
    monkeypatch.setattr(letter_autosave, "RETRY_MS", 300)


def draft(
    ctx: AppContext, case_id: int, key: str = "acknowledgement", language: str | None = None
) -> LetterInfo:
    with ctx.db.transaction() as session:
        return letters.draft_letter(session, ctx.actor, case_id, key, language=language)


def words(markdown: str) -> str:
    """Markdown with its lines joined: Qt writes paragraphs wrapped at 80 columns."""
    return " ".join(markdown.split())


def stored(ctx: AppContext, letter_id: int) -> LetterInfo:
    with ctx.db.transaction(read_only=True) as session:
        return letter_workflow.letter_detail(session, ctx.actor, letter_id)


def open_composer(ctx: AppContext, qtbot: QtBot, letter_id: int) -> LetterComposer:
    """The composer on screen with the letter loaded and its pages shown."""
    composer = LetterComposer(ctx, letter_id)
    qtbot.addWidget(composer)
    composer.show()
    composer.activateWindow()
    qtbot.waitUntil(lambda: composer.letter() is not None)
    wait_for_pages(qtbot, composer)
    return composer


def wait_for_pages(qtbot: QtBot, composer: LetterComposer) -> None:
    qtbot.waitUntil(
        lambda: composer.preview.is_current() and composer.preview.page_count() > 0,
        timeout=20_000,
    )
    wait_idle(qtbot)


def wait_saved(qtbot: QtBot, composer: LetterComposer) -> None:
    qtbot.waitUntil(
        lambda: not composer.autosave.is_dirty() and not composer.autosave.is_saving(),
        timeout=10_000,
    )
    wait_idle(qtbot)


def type_at_end(qtbot: QtBot, composer: LetterComposer, text: str) -> None:
    editor = composer.editor.body.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(editor, text)


def select_text(composer: LetterComposer, text: str) -> None:
    editor = composer.editor.body.editor
    found = editor.document().find(text)
    assert not found.isNull(), text
    editor.setTextCursor(found)


def add_step(
    ctx: AppContext,
    case_id: int,
    summary: str,
    days_ago: int,
    *,
    patient_facing: bool = False,
    internal: bool = False,
) -> None:
    with ctx.db.transaction() as session:
        timeline.add_entry(
            session,
            ctx.actor,
            case_id,
            NewTimelineEntry(
                TimelineKind.PHONE_CALL,
                summary,
                occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
                patient_facing=patient_facing,
                internal=internal,
            ),
        )


def test_the_composer_shows_the_drafted_letter_and_its_pages(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    case = make_case()
    letter = draft(ctx, case.id)
    composer = open_composer(ctx, qtbot, letter.id)

    assert composer.windowTitle().startswith(f"{case.number} — Acknowledgement — Draft")
    assert composer.editor.recipient_name.text() == "Nguyễn Thị Hương"
    assert composer.editor.address.toPlainText() == "1200 Harbor Blvd\nSpringfield, IL 62704"
    assert composer.editor.subject.text() == letter.subject
    assert case.number in composer.editor.body.toPlainText()
    assert composer.editable() and not composer.banner.isVisible()
    count = composer.preview.page_count()
    assert composer.preview.page_label.text() == ("1 page" if count == 1 else f"{count} pages")
    assert not composer.preview._labels[0].pixmap().isNull()
    assert composer.preview.images()[0].width() > 500


def test_typing_in_the_body_is_saved_by_itself(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    saved: list[LetterInfo] = []
    composer.saved.connect(saved.append)
    changes: list[object] = []
    ctx.hub.changed.connect(changes.append)

    type_at_end(qtbot, composer, " We will call you on Monday.")
    assert composer.autosave.is_dirty()
    wait_saved(qtbot, composer)

    row = stored(ctx, letter.id)
    assert "We will call you on Monday." in words(row.body)
    assert row.version == letter.version + 1 == composer.letter().version  # type: ignore[union-attr]
    assert saved and saved[-1].version == row.version
    assert composer.status_label.text().startswith("Saved ")
    assert any(change.touches_case(letter.case_id) for change in changes)  # type: ignore[attr-defined]
    assert not letter_autosave.recovery_path(ctx.db, letter.id).exists()


def test_bold_underline_and_italic_are_kept_as_markdown(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    type_at_end(qtbot, composer, " Please call us today or write soon.")
    editor = composer.editor.body.editor
    control = Qt.KeyboardModifier.ControlModifier
    select_text(composer, "call us")
    QTest.keyClick(editor, Qt.Key.Key_B, control)
    select_text(composer, "today")
    QTest.keyClick(editor, Qt.Key.Key_U, control)
    select_text(composer, "soon")
    QTest.keyClick(editor, Qt.Key.Key_I, control)
    assert composer.editor.body.italic.isChecked()
    wait_saved(qtbot, composer)

    body = words(stored(ctx, letter.id).body)
    assert "Please **call us** _today_ or write *soon*." in body

    composer.close()
    again = open_composer(ctx, qtbot, letter.id)
    select_text(again, "today")
    assert again.editor.body.editor.fontUnderline()
    assert again.editor.body.underline is not None and again.editor.body.underline.isChecked()
    select_text(again, "soon")
    assert again.editor.body.editor.fontItalic() and not again.editor.body.editor.fontUnderline()
    select_text(again, "call us")
    assert again.editor.body.bold.isChecked()


def test_a_patients_words_that_look_like_html_stay_words(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    type_at_end(qtbot, composer, ' She wrote "<b>help</b>" on the form.')
    wait_saved(qtbot, composer)
    composer.close()

    again = open_composer(ctx, qtbot, letter.id)
    assert 'She wrote "<b>help</b>" on the form.' in again.editor.body.toPlainText()
    select_text(again, "help")
    assert not again.editor.body.bold.isChecked()


def test_steps_taken_offers_patient_facing_entries_only_and_inserts_the_chosen_ones(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    case = make_case()
    add_step(ctx, case.id, "Called Ms Nguyen to hear her concerns", 6, patient_facing=True)
    add_step(ctx, case.id, "Charge nurse disputes the timeline", 5, internal=True)
    add_step(
        ctx, case.id, "Reviewed the triage records with the ED manager", 4, patient_facing=True
    )
    add_step(ctx, case.id, "Left a voicemail for the ward clerk", 3)
    letter = draft(ctx, case.id, "determination")
    composer = open_composer(ctx, qtbot, letter.id)
    offered: list[str] = []

    def choose_second(entries: Sequence[TimelineEntryInfo], language: str) -> str | None:
        dialog = LetterStepsDialog(entries, language, composer)
        qtbot.addWidget(dialog)
        offered.extend(dialog.list.item(row).text() for row in range(dialog.list.count()))
        dialog.set_chosen([dialog.offered()[1].id])
        return dialog.markdown()

    composer.ask_steps = choose_second
    body = composer.editor.body.editor
    body.setFocus()
    select_text(composer, "Called Ms Nguyen to hear her concerns")
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)  # the two steps the template listed
    QTest.keyClick(
        body, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: bool(offered))

    assert len(offered) == 2
    assert "Called Ms Nguyen to hear her concerns" in offered[0]
    assert "Reviewed the triage records" in offered[1]
    assert not any("disputes" in line or "voicemail" in line for line in offered)
    wait_saved(qtbot, composer)
    saved = words(stored(ctx, letter.id).body)
    assert "Reviewed the triage records with the ED manager" in saved
    assert "Called Ms Nguyen" not in saved
    assert "disputes" not in saved


def test_the_steps_dialog_never_lists_an_internal_entry(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    case = make_case()
    add_step(ctx, case.id, "Told the patient what we would do", 2, patient_facing=True)
    add_step(ctx, case.id, "Internal: staff member on a warning", 1, internal=True)
    with ctx.db.transaction(read_only=True) as session:
        every_entry = case_timeline(session, case.id)
    dialog = LetterStepsDialog(every_entry, "en")
    qtbot.addWidget(dialog)
    lines = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert len(lines) == 1 and "Told the patient what we would do" in lines[0]
    assert dialog.markdown().startswith("- ") and "warning" not in dialog.markdown()


def test_an_unfilled_field_is_listed_and_clicking_it_selects_the_mark(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id, "determination")
    composer = open_composer(ctx, qtbot, letter.id)
    lines = composer.checks.lines()
    assert any("[[investigation.findings]]" in line and line.startswith("✗") for line in lines)
    assert "Date of completion — present" in " ".join(lines)

    composer.checks.choose("investigation.findings")
    assert composer.editor.body.editor.textCursor().selectedText() == "[[investigation.findings]]"
    assert composer.editor.body.editor.hasFocus()

    QTest.keyClicks(composer.editor.body.editor, "We found the waiting room was not updated.")
    qtbot.waitUntil(
        lambda: not any("investigation.findings" in line for line in composer.checks.lines())
    )


def test_a_missing_contact_is_a_plain_sentence_in_the_checks(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case(channel=Channel.LETTER).id, "determination")
    composer = open_composer(ctx, qtbot, letter.id)
    composer.editor.body.set_markdown("Thank you for your letter.")
    composer.editor.changed.emit()
    qtbot.waitUntil(
        lambda: "✗ Contact person and how to reach them — missing" in composer.checks.lines()
    )
    wait_saved(qtbot, composer)


def test_a_finalised_letter_cannot_be_typed_into_and_shows_its_stored_pages(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    with ctx.db.transaction() as session:
        approved = letter_workflow.approve_letter(session, ctx.actor, letter.id, letter.version)
    final = letter_files.finalise(ctx.db, ctx.actor, letter.id, approved.version)
    composer = open_composer(ctx, qtbot, letter.id)

    assert composer.banner.isVisible()
    banner = composer.banner.text()
    assert banner.startswith("Finalised on ") and final.pdf_sha256 is not None
    assert f"SHA-256 {final.pdf_sha256[:8]}…" in banner and "correction is a new letter" in banner
    assert composer.windowTitle().endswith("— Finalised — PR Desk")
    before = composer.editor.body.toPlainText()
    type_at_end(qtbot, composer, "changed")
    QTest.keyClicks(composer.editor.subject, "changed")
    assert composer.editor.body.toPlainText() == before
    assert "changed" not in composer.editor.subject.text()
    assert not composer.save_action.isEnabled() and not composer.steps_action.isEnabled()
    assert not composer.autosave.is_dirty()
    assert composer.preview.page_count() >= 1
    assert stored(ctx, letter.id).status is LetterStatus.FINALISED


def test_a_clerk_reads_an_approved_letter_without_changing_it(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    written = draft(ctx, make_case().id)
    with ctx.db.transaction() as session:
        letter = letter_workflow.approve_letter(session, ctx.actor, written.id, written.version)
    clerk = colleague(ctx.db, "pclerk", "Pat Clerk", Role.CLERK)
    clerk_ctx = AppContext(ctx.db, clerk, ChangeHub())
    composer = open_composer(clerk_ctx, qtbot, letter.id)
    assert composer.banner.text().startswith("Approved by")
    assert composer.editor.body.isReadOnly() and composer.editor.recipient_name.isReadOnly()


def test_the_composer_with_a_long_spanish_letter(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot, tmp_path: Path
) -> None:
    case = make_case("Trần Văn Đức", complainant="Nguyễn Thị Minh Khai")
    add_step(ctx, case.id, "Hablamos con la enfermera jefe de urgencias", 8, patient_facing=True)
    add_step(ctx, case.id, "Revisamos los registros de la sala de espera", 5, patient_facing=True)
    letter = draft(ctx, case.id, "determination", language="es")
    composer = open_composer(ctx, qtbot, letter.id)
    composer.editor.body.set_markdown(
        stored(ctx, letter.id).body
        + "\n\n"
        + "\n\n".join(
            f"Párrafo {n}: lamentamos mucho la espera que usted y su familia vivieron "
            "aquella noche, y agradecemos que nos lo haya contado con tanto detalle."
            for n in range(1, 9)
        )
    )
    composer.editor.changed.emit()
    qtbot.waitUntil(lambda: composer.preview.page_count() >= 2, timeout=20_000)
    wait_for_pages(qtbot, composer)
    wait_saved(qtbot, composer)
    qtbot.wait(100)  # the pages' layout settles
    assert composer.preview.page_label.text() == f"{composer.preview.page_count()} pages"
    assert composer.editor.recipient_name.text() == "Nguyễn Thị Minh Khai"
    assert composer.grab().save(str(tmp_path / "composer.png"))


def test_chosen_steps_replace_the_steps_mark_the_cursor_is_in(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    case = make_case()
    letter = draft(ctx, case.id, "determination")  # no patient-facing step yet: a mark
    add_step(ctx, case.id, "Met Ms Nguyen and her daughter", 1, patient_facing=True)
    composer = open_composer(ctx, qtbot, letter.id)
    composer.ask_steps = lambda entries, language: LetterStepsDialog(entries, language).markdown()
    select_text(composer, "[[investigation.steps_taken]]")
    cursor = composer.editor.body.editor.textCursor()
    cursor.clearSelection()  # the cursor stands in the mark, nothing selected
    composer.editor.body.editor.setTextCursor(cursor)

    composer.steps_action.trigger()
    qtbot.waitUntil(lambda: "Met Ms Nguyen" in composer.editor.body.toPlainText())
    assert "[[investigation.steps_taken]]" not in composer.editor.body.toPlainText()
    qtbot.waitUntil(lambda: not any("steps_taken" in line for line in composer.checks.lines()))
    wait_saved(qtbot, composer)
    assert "Met Ms Nguyen and her daughter" in words(stored(ctx, letter.id).body)


def test_after_a_workflow_step_the_composer_follows_the_letter(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    approve = QAction("&Approve", composer)
    composer.add_workflow_actions([approve])
    assert approve in composer.toolbar.actions()

    with ctx.db.transaction() as session:
        approved = letter_workflow.approve_letter(session, ctx.actor, letter.id, letter.version)
    composer.set_letter(approved)
    wait_for_pages(qtbot, composer)
    assert composer.letter() == approved
    assert composer.windowTitle().endswith("— Approved — PR Desk")
    assert composer.banner.text().startswith("Approved by María García on ")
    assert composer.editor.body.isReadOnly() and not composer.steps_action.isEnabled()


def test_bold_words_at_the_end_of_a_line_are_kept_as_typed(qtbot: QtBot) -> None:
    editor = LetterEditor()
    qtbot.addWidget(editor)
    garbled_by_qt = 0
    for words_before in range(30):
        editor.body.set_markdown(
            "Dear friend, "
            + "we " * words_before
            + "thank you. Your case reference is **PR-2026-000123**. We met on **3 March "
            "2026** with the ward manager (**Ward 4B**) and the nurse."
        )
        on_screen = editor.body.toPlainText()
        written_by_qt = to_markdown(editor.body.editor.document())
        garbled_by_qt += read_markdown(written_by_qt, LETTER_FEATURES).toPlainText() != on_screen
        saved = editor.changes().body
        assert read_markdown(saved, LETTER_FEATURES).toPlainText() == on_screen, saved
    assert garbled_by_qt  # Qt's own 80-column wrapping breaks some of these


def test_opening_a_letter_is_in_the_audit_log(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    from sqlalchemy import select

    from prdesk.domain.models import AuditEvent

    letter = draft(ctx, make_case().id)
    open_composer(ctx, qtbot, letter.id)
    with ctx.db.transaction(read_only=True) as session:
        opened = session.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.action == "view", AuditEvent.entity == "letter"
            )
        ).all()
    assert opened == [letter.id]
