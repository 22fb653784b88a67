"""Writing, correcting and deleting timeline entries from the keyboard, with undo, redo and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.models import AuditEvent, TimelineEntry
from prdesk.domain.readmodels import TimelineEntryInfo, UserInfo
from prdesk.domain.services import timeline
from prdesk.domain.services.timeline import EntryChanges, NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_timeline, entry_info
from prdesk.ui import timeline_undo
from prdesk.ui.context import AppContext
from prdesk.ui.entry_conflict_dialog import Choice, EntryConflictDialog
from prdesk.ui.entry_edit_dialog import EntryEditDialog
from prdesk.ui.people_field import PeopleField, case_people
from prdesk.ui.rich_text_edit import RichTextEdit
from prdesk.ui.theme import current_stylesheet
from prdesk.ui.timeline_entry_form import TimelineEntryForm
from prdesk.ui.timeline_undo import TimelineUndo
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import colleague, departments

EARLIER = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)


def _form(ctx: AppContext, qtbot: QtBot, case_id: int) -> TimelineEntryForm:
    """The add form, as wide as the timeline column, in the active window."""
    form = TimelineEntryForm(ctx)
    form.setStyleSheet(current_stylesheet())
    qtbot.addWidget(form)
    form.set_case(case_id)
    form.resize(760, 240)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    wait_idle(qtbot)
    return form


def _undo(ctx: AppContext, qtbot: QtBot, case_id: int) -> TimelineUndo:
    parent = QWidget()
    qtbot.addWidget(parent)
    undo = TimelineUndo(ctx, parent)
    undo.set_case(case_id)
    return undo


def _entry(ctx: AppContext, case_id: int, summary: str, body: str = "") -> TimelineEntryInfo:
    with ctx.db.transaction() as session:
        return timeline.add_entry(
            session,
            ctx.actor,
            case_id,
            NewTimelineEntry(TimelineKind.PHONE_CALL, summary, body, occurred_at=EARLIER),
        )


def _shown(ctx: AppContext, case_id: int) -> list[str]:
    """The summaries on the case's timeline, as every screen reads it."""
    with ctx.db.transaction(read_only=True) as session:
        return [entry.summary for entry in case_timeline(session, case_id)]


def _saved(ctx: AppContext, entry_id: int) -> TimelineEntryInfo:
    with ctx.db.transaction(read_only=True) as session:
        return entry_info(session, entry_id)


def _deleted_at(ctx: AppContext, entry_id: int) -> datetime | None:
    with ctx.db.transaction(read_only=True) as session:
        return session.scalar(select(TimelineEntry.deleted_at).where(TimelineEntry.id == entry_id))


def _coordinator(ctx: AppContext) -> UserInfo:
    return colleague(ctx.db, "aperez", "Ana Pérez", Role.COORDINATOR)


def test_an_entry_typed_with_the_keyboard_is_saved_as_markdown_and_undo_and_redo_take_it_back(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    form = _form(ctx, qtbot, case.id)
    form.summary.setFocus()
    qtbot.keyClicks(form.summary, "Called the daughter back")
    for _ in range(3):  # People, Departments, then the details
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    editor = form.body.editor
    assert QApplication.focusWidget() is editor
    qtbot.keyClicks(editor, "She wants a ")
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert form.body.bold.isChecked()
    qtbot.keyClicks(editor, "written reply")
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " by Friday.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: form.summary.text() == "")
    wait_idle(qtbot)
    (entry,) = [e for e in _entries(ctx, case.id) if e.summary == "Called the daughter back"]
    assert entry.body == "She wants a **written reply** by Friday."
    assert form.body.toPlainText() == ""
    assert form.undo.stack.undoText() == "Add “Called the daughter back”"

    undo_action = form.undo.stack.createUndoAction(form)
    redo_action = form.undo.stack.createRedoAction(form)
    undo_action.trigger()
    wait_idle(qtbot)
    assert "Called the daughter back" not in _shown(ctx, case.id)
    assert _deleted_at(ctx, entry.id) is not None

    redo_action.trigger()
    wait_idle(qtbot)
    assert "Called the daughter back" in _shown(ctx, case.id)
    assert _deleted_at(ctx, entry.id) is None
    assert _saved(ctx, entry.id).body == "She wants a **written reply** by Friday."


def test_the_form_stays_short_until_details_are_typed(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    form = _form(ctx, qtbot, make_case().id)
    editor = form.body.editor
    line = editor.fontMetrics().lineSpacing()
    # Empty, the details take two lines, and the audience and the button ride on the
    # format bar's line, so the entries below keep the height.
    assert editor.height() < 3 * line
    bar_line = form.body.bold.associatedObjects()[-1]
    assert isinstance(bar_line, QWidget)
    for widget in (form.patient_facing, form.add_button):
        top = widget.mapTo(form, widget.rect().topLeft()).y()
        assert abs(top - bar_line.mapTo(form, bar_line.rect().topLeft()).y()) < line
    empty_height = form.sizeHint().height()

    form.body.setPlainText("\n".join(f"Line {n}" for n in range(1, 6)))
    qtbot.waitUntil(lambda: form.sizeHint().height() > empty_height)
    assert editor.height() >= 5 * line
    form.body.setPlainText("\n".join(f"Line {n}" for n in range(1, 40)))
    wait_idle(qtbot)
    assert editor.height() < 9 * line  # then it scrolls


def _entries(ctx: AppContext, case_id: int) -> tuple[TimelineEntryInfo, ...]:
    with ctx.db.transaction(read_only=True) as session:
        return case_timeline(session, case_id)


# The offscreen platform cannot raise the suggestion list or grab the keyboard for it.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_people_and_departments_are_saved_with_the_entry_and_a_missing_summary_is_marked(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    ids = departments(ctx.db, "Emergency Department", "Radiology")
    case = make_case()
    form = _form(ctx, qtbot, case.id)
    qtbot.waitUntil(lambda: "Radiology" in form.departments.names())
    form.people.set_suggestions(case_people(replace(case, staff_involved="Mr Kowalczyk")))
    qtbot.keyClicks(form.people, "Mai; kow")
    popup = form.people.name_completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert form.people.text() == "Mai; Mr Kowalczyk; "
    form.departments.toggle(form.departments.names().index("Radiology"))
    assert form.departments.summary() == "Radiology"
    form.body.setPlainText("Asked about the x-ray report.")
    form.add()
    qtbot.waitUntil(lambda: form.error_for("summary") != "")

    # Nothing was added, nothing is on the undo list, and everything typed is still there.
    assert form.error_for("summary") == "Write a one-line summary of the step."
    assert _shown(ctx, case.id) == [] and form.undo.stack.count() == 0
    assert form.people.people() == ("Mai", "Mr Kowalczyk")
    assert form.body.toPlainText() == "Asked about the x-ray report."

    qtbot.keyClicks(form.summary, "Radiology asked for the images")
    form.add()
    qtbot.waitUntil(lambda: form.summary.text() == "")
    wait_idle(qtbot)
    (entry,) = _entries(ctx, case.id)
    assert entry.people == ("Mai", "Mr Kowalczyk")
    assert [ref.id for ref in entry.departments] == [ids["Radiology"]]
    assert form.people.text() == "" and form.departments.summary() == "No department"


def test_undo_and_redo_asked_quickly_wait_their_turn(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    undo = _undo(ctx, qtbot, case.id)
    busy: list[bool] = []
    undo.busy_changed.connect(busy.append)
    undo.add(NewTimelineEntry(TimelineKind.NOTE, "First call"))
    undo.add(NewTimelineEntry(TimelineKind.NOTE, "Second call"))
    undo.stack.undo()
    undo.stack.undo()
    undo.stack.redo()
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == ["First call"]
    assert undo.stack.index() == 1 and undo.stack.count() == 2
    assert busy == [True, False]


def test_an_edit_from_the_dialog_is_saved_and_undo_puts_the_old_text_back(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    ids = departments(ctx.db, "Pharmacy")
    case = make_case()
    entry = _entry(ctx, case.id, "Called the ward", "Spoke to the *charge nurse*.")
    dialog = EntryEditDialog(ctx, entry, ("Mr Kowalczyk",))
    qtbot.addWidget(dialog)
    wait_idle(qtbot)
    assert dialog.recorded.text().startswith("Recorded ")
    assert dialog.recorded.text().endswith(" by María García")
    assert dialog.body.markdown() == "Spoke to the *charge nurse*."
    dialog.summary.setText("Called the ward manager")
    dialog.body.set_markdown("Spoke to **Mr Kowalczyk**, the ward manager.")
    dialog.people.set_people(["Mr Kowalczyk"])
    dialog.departments.set_checked_ids([ids["Pharmacy"]])
    changes = dialog.changes()
    assert changes.occurred_at == entry.occurred_at  # an untouched time is not a change

    undo = _undo(ctx, qtbot, case.id)
    undo.edit(entry, changes)
    wait_idle(qtbot)
    saved = _saved(ctx, entry.id)
    assert (saved.summary, saved.body) == (
        "Called the ward manager",
        "Spoke to **Mr Kowalczyk**, the ward manager.",
    )
    assert saved.people == ("Mr Kowalczyk",) and saved.departments[0].name == "Pharmacy"
    assert saved.edited_by_name == "María García"
    assert undo.stack.undoText() == "Edit “Called the ward manager”"

    undo.stack.undo()
    wait_idle(qtbot)
    restored = _saved(ctx, entry.id)
    assert (restored.summary, restored.body) == ("Called the ward", "Spoke to the *charge nurse*.")
    assert restored.people == () and restored.departments == ()
    undo.stack.redo()
    wait_idle(qtbot)
    assert _saved(ctx, entry.id).summary == "Called the ward manager"


def test_a_refused_correction_reopens_with_the_field_marked_and_the_text_kept(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Called pharmacy", "About the *dose*.")
    undo = _undo(ctx, qtbot, case.id)
    first = undo.open_editor(entry)
    first.summary.clear()
    first.body.set_markdown("About the **second** dose.")
    first.accept()
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryEditDialog) and undo.dialog is not first)
    again = undo.dialog
    assert isinstance(again, EntryEditDialog)
    assert again.errors.message("summary") == "Write a one-line summary of the step."
    assert again.body.markdown() == "About the **second** dose."
    again.summary.setText("Called pharmacy about the second dose")
    again.accept()
    wait_idle(qtbot)
    assert _saved(ctx, entry.id).body == "About the **second** dose."
    assert undo.stack.count() == 1
    undo.stack.undo()
    wait_idle(qtbot)
    assert (_saved(ctx, entry.id).summary, _saved(ctx, entry.id).body) == (
        "Called pharmacy",
        "About the *dose*.",
    )


def test_deleting_asks_first_stays_in_the_audit_log_and_undo_brings_it_back(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Left a voicemail", "Asked her to call back.")
    undo = _undo(ctx, qtbot, case.id)
    answers = [False, True]
    asked: list[str] = []

    def confirm(_parent: QWidget | None, shown: TimelineEntryInfo) -> bool:
        asked.append(shown.summary)
        return answers.pop(0)

    monkeypatch.setattr(timeline_undo, "confirm_delete", confirm)
    assert not undo.delete_asking(None, entry)
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == ["Left a voicemail"] and undo.stack.count() == 0

    assert undo.delete_asking(None, entry)
    wait_idle(qtbot)
    assert asked == ["Left a voicemail", "Left a voicemail"]
    assert _shown(ctx, case.id) == []
    with ctx.db.transaction(read_only=True) as session:
        logged = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "timeline_entry", AuditEvent.action == "delete"
            )
        ).one()
        assert "Asked her to call back." in str(logged.details)

    undo.stack.undo()
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == ["Left a voicemail"]
    undo.stack.redo()
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == []


@pytest.mark.parametrize(
    ("choice", "saved_summary", "undo_left"),
    [
        (Choice.KEEP_MINE, "Called the daughter: she will write in", True),
        (Choice.KEEP_THEIRS, "Called the daughter (no answer)", False),
    ],
)
def test_two_people_editing_the_same_entry_choose_whose_version_stays(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    choice: Choice,
    saved_summary: str,
    undo_left: bool,
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Called the daughter")
    ana = _coordinator(ctx)
    # Ana corrects it at her desk while María has it open.
    with ctx.db.transaction() as session:
        theirs = timeline.edit_entry(
            session,
            ana,
            entry.id,
            entry.version,
            replace(EntryChanges.of(entry), summary="Called the daughter (no answer)"),
        )

    undo = _undo(ctx, qtbot, case.id)
    mine = replace(EntryChanges.of(entry), summary="Called the daughter: she will write in")
    undo.edit(entry, mine)
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryConflictDialog))
    dialog = undo.dialog
    assert isinstance(dialog, EntryConflictDialog)
    assert dialog.shown("summary") == (mine.summary, theirs.summary)
    assert dialog.theirs_title.text().startswith("Saved by Ana Pérez at ")
    assert undo.is_busy()
    dialog.choose(choice)
    wait_idle(qtbot)

    assert _saved(ctx, entry.id).summary == saved_summary
    assert not undo.is_busy() and undo.dialog is None
    assert undo.stack.canUndo() == undo_left
    if undo_left:
        # Undo goes back to what Ana saved, never to the version she replaced.
        undo.stack.undo()
        wait_idle(qtbot)
        assert _saved(ctx, entry.id).summary == "Called the daughter (no answer)"


def test_an_entry_deleted_meanwhile_can_be_restored_with_my_changes(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Met the family")
    with ctx.db.transaction() as session:
        timeline.delete_entry(session, _coordinator(ctx), entry.id, entry.version)
    undo = _undo(ctx, qtbot, case.id)
    undo.edit(entry, replace(EntryChanges.of(entry), summary="Met the family and the surgeon"))
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryConflictDialog))
    dialog = undo.dialog
    assert isinstance(dialog, EntryConflictDialog)
    assert set(dialog.choice_buttons) == {Choice.RESTORE_MINE, Choice.LEAVE_DELETED}
    dialog.choose(Choice.RESTORE_MINE)
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == ["Met the family and the surgeon"]


def test_editing_again_after_a_conflict_starts_from_my_version(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Reviewed the notes", "Nothing about the fall.")
    with ctx.db.transaction() as session:
        timeline.edit_entry(
            session,
            _coordinator(ctx),
            entry.id,
            entry.version,
            replace(EntryChanges.of(entry), body="The fall is in the night notes."),
        )
    undo = _undo(ctx, qtbot, case.id)
    undo.edit(
        entry, replace(EntryChanges.of(entry), body="Nothing about the fall, or the bed rails.")
    )
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryConflictDialog))
    assert isinstance(undo.dialog, EntryConflictDialog)
    undo.dialog.choose(Choice.EDIT_AGAIN)
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryEditDialog))
    editor = undo.dialog
    assert isinstance(editor, EntryEditDialog)
    assert editor.body.markdown() == "Nothing about the fall, or the bed rails."
    editor.body.set_markdown("The fall is in the night notes; nothing about the bed rails.")
    editor.accept()
    wait_idle(qtbot)
    assert (
        _saved(ctx, entry.id).body == "The fall is in the night notes; nothing about the bed rails."
    )


def test_undoing_an_add_that_someone_has_since_changed_says_so_and_leaves_their_text(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    undo = _undo(ctx, qtbot, case.id)
    messages: list[str] = []
    undo.failed.connect(messages.append)
    undo.add(NewTimelineEntry(TimelineKind.NOTE, "Draft note"))
    wait_idle(qtbot)
    (added,) = _entries(ctx, case.id)
    with ctx.db.transaction() as session:
        timeline.edit_entry(
            session,
            _coordinator(ctx),
            added.id,
            added.version,
            replace(EntryChanges.of(added), summary="Note about the complaint's scope"),
        )
    undo.stack.undo()
    # Typed while that undo is still on its way; it is saved all the same.
    added: list[TimelineEntryInfo] = []
    undo.add(NewTimelineEntry(TimelineKind.NOTE, "Called back"), on_added=added.append)
    wait_idle(qtbot)
    assert _shown(ctx, case.id) == ["Note about the complaint's scope", "Called back"]
    assert [entry.summary for entry in added] == ["Called back"]
    assert undo.stack.count() == 1 and undo.stack.undoText() == "Add “Called back”"
    assert messages == [
        "Not done: Undo Add “Draft note”. Ana Pérez changed the entry meanwhile; it stays as "
        "they left it, and your earlier steps on it were taken off the undo list."
    ]


def test_pr_desks_own_records_open_greyed_with_the_reason(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    with ctx.db.transaction() as session:
        entry = timeline.record_entry(
            session,
            ctx.actor,
            case.id,
            NewTimelineEntry(TimelineKind.STATUS_CHANGE, "Status: New → Investigating"),
            system=True,
        )
        info = entry_info(session, entry.id)
    dialog = EntryEditDialog(ctx, info)
    qtbot.addWidget(dialog)
    assert not dialog.may_save() and not dialog.summary.isEnabled()
    assert "cannot be changed" in dialog.refusal.text()


def test_the_body_keeps_bold_italic_lists_and_headings_as_markdown(qtbot: QtBot) -> None:
    body = RichTextEdit("Details")
    qtbot.addWidget(body)
    markdown = (
        "# Findings\n\n"
        "The **triage nurse** saw her at *08:40*.\n\n"
        "## Actions\n\n"
        "- apology given\n"
        "- review booked\n"
        "1.  call back\n"
        "2.  write"
    )
    body.set_markdown(markdown)
    assert body.markdown() == markdown
    body.set_markdown("")
    assert body.markdown() == ""
    body.setPlainText("   \n ")
    assert body.markdown() == ""


def test_format_shortcuts_make_lists_and_headings(qtbot: QtBot) -> None:
    body = RichTextEdit("Details")
    qtbot.addWidget(body)
    body.show()
    body.activateWindow()
    qtbot.waitUntil(body.isActiveWindow)
    editor = body.editor
    editor.setFocus()
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_1, ctrl_alt)
    qtbot.keyClicks(editor, "Findings")
    assert body.heading1.isChecked()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert not body.heading1.isChecked()
    qtbot.keyClick(editor, Qt.Key.Key_8, ctrl_shift)
    qtbot.keyClicks(editor, "apology given")
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " twice")
    assert body.bullets.isChecked() and body.italic.isChecked()
    assert body.markdown() == "# Findings\n\n- apology given *twice*"
    body.clear_formatting()
    assert body.markdown() == "# Findings\n\napology given twice"


def test_pasted_rich_text_keeps_only_what_markdown_holds(qtbot: QtBot) -> None:
    body = RichTextEdit("Details")
    qtbot.addWidget(body)
    pasted = QMimeData()
    pasted.setHtml(
        "<table border=1><tr><td>Ward</td><td><b>4B</b></td></tr></table>"
        '<p style="color:#c00; font-family:Comic Sans MS">Seen at <u>night</u>, '
        '<span style="background:yellow"><i>twice</i></span>'
        '<img src="file:///etc/passwd"> <a href="https://example.invalid">see notes</a></p>'
        "<h2>Next</h2><ul><li>call back</li></ul>"
    )
    pasted.setText("Ward 4B Seen at night, twice")
    body.editor.insertFromMimeData(pasted)
    assert body.markdown() == (
        "Ward\n\n**4B**\n\nSeen at night, *twice* see notes\n\n## Next\n\n- call back"
    )
    html = body.editor.toHtml()
    assert "#cc0000" not in html and "Comic" not in html and "<img" not in html
    assert "<table" not in html and "underline" not in html


def test_people_on_the_case_are_offered_once_each(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case("Ana Souza", complainant="Mai Nguyen")
    case = replace(case, staff_involved="Dr Okafor, Mr Kowalczyk\nDr Okafor")
    field = PeopleField()
    qtbot.addWidget(field)
    field.set_suggestions(case_people(case))
    assert field.suggestions() == ("Ana Souza", "Mai Nguyen", "Dr Okafor", "Mr Kowalczyk")
    field.setText(" Dr Okafor ,mai nguyen;; Mai Nguyen ")
    assert field.people() == ("Dr Okafor", "mai nguyen")


def test_undoing_an_edit_someone_changed_since_offers_the_same_choice(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    entry = _entry(ctx, case.id, "Called the ward")
    undo = _undo(ctx, qtbot, case.id)
    undo.edit(entry, replace(EntryChanges.of(entry), summary="Called the ward twice"))
    wait_idle(qtbot)
    mine = _saved(ctx, entry.id)
    with ctx.db.transaction() as session:
        timeline.edit_entry(
            session,
            _coordinator(ctx),
            entry.id,
            mine.version,
            replace(EntryChanges.of(mine), summary="Called the ward three times"),
        )
    undo.stack.undo()
    qtbot.waitUntil(lambda: isinstance(undo.dialog, EntryConflictDialog))
    dialog = undo.dialog
    assert isinstance(dialog, EntryConflictDialog)
    # "Yours" is what the undo would have put back.
    assert dialog.shown("summary") == ("Called the ward", "Called the ward three times")
    dialog.choose(Choice.KEEP_MINE)
    wait_idle(qtbot)
    assert _saved(ctx, entry.id).summary == "Called the ward"
    assert undo.stack.count() == 0
