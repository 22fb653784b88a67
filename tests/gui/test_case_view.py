"""A case in its tab: details, the timeline form, the acknowledgement letter, assignment conflicts."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import Case, Letter, TimelineEntry
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, timeline, users
from prdesk.ui import timeline_steps
from prdesk.ui.case_view import CaseView
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from prdesk.ui.timeline_model import ENTRY_ROLE, TimelineModel
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import phone_complaint


def _open_view(ctx: AppContext, qtbot: QtBot, detail: CaseDetail) -> CaseView:
    view = CaseView(ctx, detail.id)
    qtbot.addWidget(view)
    ctx.hub.changed.connect(view.on_changed)
    view.resize(1280, 760)
    view.show()
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    return view


def test_opening_a_case_from_the_list_shows_it_in_a_tab(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    detail = make_case("Nguyễn Thị Hương", complainant=None)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1)

    table = window.case_list.table
    table.setCurrentIndex(window.case_list.model.index(0, 0))
    table.activated.emit(table.currentIndex())
    qtbot.waitUntil(lambda: window.tabs.tabText(window.tabs.currentIndex()) == detail.number)
    view = window.tabs.view_of(detail.id)
    assert view is not None
    assert view.header.number.text() == detail.number
    assert view.details.patient.value("Name") == "Nguyễn Thị Hương"
    assert view.details.patient.value("Date of birth") == "3/14/1958"
    assert "Springfield, IL 62704" in view.details.patient.value("Address")
    assert view.header.grievance.isVisibleTo(view)

    # Asking again focuses the same tab; Ctrl+W closes it.
    window.tabs.show_list()
    window.tabs.open_case(detail.id)
    assert len(window.tabs.case_views()) == 1 and window.tabs.currentWidget() is view
    window.commands["close_tab"].trigger()
    assert window.tabs.case_views() == []


def test_adding_a_timeline_entry_puts_it_on_top(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    view = _open_view(ctx, qtbot, make_case())
    form = view.timeline.form
    form.kind.set_value(TimelineKind.PHONE_CALL)
    qtbot.keyClicks(form.summary, "Called the daughter back")
    form.body.setPlainText("Explained the triage process; she asked for a written reply.")
    form.patient_facing.setChecked(True)
    qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)

    model = view.timeline.model
    qtbot.waitUntil(lambda: model.visible_count() == 1 and form.summary.text() == "")
    wait_idle(qtbot)
    assert model.visible_entries()[0].summary == "Called the daughter back"
    (shown,) = model.visible_entries()
    card = model.index(model.row_of(shown.id) or 0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Phone call" in card and "Patient-facing" in card
    with ctx.db.transaction(read_only=True) as session:
        entry = session.scalar(select(TimelineEntry).where(TimelineEntry.case_id == view.case_id))
        assert entry is not None
        assert (entry.kind, entry.summary, entry.patient_facing) == (
            TimelineKind.PHONE_CALL,
            "Called the daughter back",
            True,
        )


def test_an_empty_summary_is_marked_and_the_details_kept(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    view = _open_view(ctx, qtbot, make_case())
    form = view.timeline.form
    form.body.setPlainText("Spoke with the charge nurse, Mr Kowalczyk.")
    form.add()
    qtbot.waitUntil(lambda: form.error_for("summary") != "")
    assert form.error_for("summary") == "Write a one-line summary of the step."
    assert form.body.toPlainText() == "Spoke with the charge nurse, Mr Kowalczyk."
    assert view.timeline.model.visible_count() == 0


def test_a_step_being_saved_cannot_be_changed_and_the_form_is_cleared_only_after(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _open_view(ctx, qtbot, make_case())
    form = view.timeline.form
    # Hold the save on the worker until the test has tried to type during it.
    release = threading.Event()

    def slow_add_entry(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(10)
        return timeline.add_entry(*args, **kwargs)

    monkeypatch.setattr(timeline_steps, "add_entry", slow_add_entry)
    qtbot.keyClicks(form.summary, "Called the daughter back")
    form.body.setPlainText("She asked for a written reply.")
    form.add()
    try:
        qtbot.keyClicks(form.summary, " and the ward manager")
        qtbot.keyClicks(form.body.editor, " Then she called again.")
        assert form.summary.text() == "Called the daughter back"
        assert form.body.toPlainText() == "She asked for a written reply."
        assert form.summary.isReadOnly() and form.body.isReadOnly()
        assert not form.add_button.isEnabled() and not form.kind.isEnabled()
        form.add()  # Ctrl+Enter again while saving adds nothing more
    finally:
        release.set()
    qtbot.waitUntil(lambda: view.timeline.model.visible_count() == 1)
    wait_idle(qtbot)
    assert (form.summary.text(), form.body.toPlainText()) == ("", "")
    assert not form.summary.isReadOnly() and not form.body.isReadOnly()
    assert form.add_button.isEnabled() and form.kind.isEnabled()
    qtbot.keyClicks(form.summary, "Next step")
    assert form.summary.text() == "Next step"
    with ctx.db.transaction(read_only=True) as session:
        stored = session.execute(
            select(TimelineEntry.summary, TimelineEntry.body).where(
                TimelineEntry.case_id == view.case_id
            )
        ).all()
    assert [tuple(row) for row in stored] == [
        ("Called the daughter back", "She asked for a written reply.")
    ]


def test_closing_a_case_with_a_typed_step_asks_before_discarding_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    typed, untouched = make_case("Ana Souza"), make_case("Robert O'Brien")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    asked: list[str] = []
    answers: list[bool] = []

    def confirm_discard() -> bool:
        asked.append(window.tabs.tabText(window.tabs.currentIndex()))
        return answers.pop(0)

    window.tabs.confirm_discard = confirm_discard  # type: ignore[method-assign]
    typed_view = window.tabs.open_case(typed.id)
    untouched_view = window.tabs.open_case(untouched.id)
    qtbot.waitUntil(lambda: typed_view.detail is not None and untouched_view.detail is not None)
    wait_idle(qtbot)
    qtbot.keyClicks(typed_view.timeline.form.summary, "Left a voicemail")

    # Nothing typed: closes without a question.
    window.tabs.close_tab(window.tabs.indexOf(untouched_view))
    assert window.tabs.view_of(untouched.id) is None and asked == []

    # Typed text: the user keeps it, in the tab shown to them, then quits and keeps it again.
    window.tabs.show_list()
    answers.extend([False, False])
    window.tabs.close_tab(window.tabs.indexOf(typed_view))
    assert window.tabs.view_of(typed.id) is typed_view
    assert window.tabs.currentWidget() is typed_view
    window.close()
    assert window.isVisible()
    assert asked == [typed.number, typed.number]
    assert typed_view.timeline.form.summary.text() == "Left a voicemail"

    # Then lets it go.
    answers.append(True)
    window.close()
    assert not window.isVisible()
    assert len(asked) == 3


def test_timeline_model_passes_the_model_tester(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    detail = make_case()
    with ctx.db.transaction() as session:
        worker = users.resolve_actor(session, "jlee", "Jamie Lee")
        detail = cases.assign_case(session, ctx.actor, detail.id, detail.version, worker.id)
    model = TimelineModel()
    model.set_entries(detail.timeline)
    # The status change and the assignment it wrote, under the day's heading.
    assert (model.visible_count(), model.rowCount()) == (2, 3)
    assert model.index(0, 0).data(ENTRY_ROLE) is None
    newest = model.index(1, 0).data(ENTRY_ROLE)
    assert newest.kind.label == "Status change" and not newest.editable
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_acknowledgement_letter_is_drafted_and_saved_as_a_pdf(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pypdf

    from prdesk.ui.new_letter_dialog import LetterChoice, NewLetterDialog

    detail = make_case("Nguyễn Thị Hương")
    view = _open_view(ctx, qtbot, detail)
    monkeypatch.setattr(
        NewLetterDialog, "ask", lambda parent, case: LetterChoice("acknowledgement", "en")
    )
    with qtbot.waitSignal(view.letters.opened, timeout=20_000) as opened:
        view.new_letter()
    assert view.work.currentWidget() is view.letters
    wait_idle(qtbot)
    view.letters.open_letter(opened.args[0]).close()
    qtbot.waitUntil(lambda: view.letters.model.rowCount() == 1)
    view.letters.select_letter(opened.args[0])

    asked: list[Path] = []
    target = tmp_path / "letters" / "ack.pdf"
    target.parent.mkdir()

    def choose(parent: object, suggested: Path, file_filter: str) -> Path:
        asked.append(suggested)
        return target

    view.letters.letter_actions.ask_save_path = choose
    with qtbot.waitSignal(view.letters.saved, timeout=20_000):
        view.letters.letter_actions.save_pdf.trigger()
    assert asked[0].name == f"{detail.number} Acknowledgement {opened.args[0]}.pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert detail.number in text
    assert "Nguyễn Thị Hương" in text
    assert view.letters.info.action_labels() == ["&Open file"]
    assert [p.name for p in target.parent.iterdir()] == ["ack.pdf"]  # no partial file left
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(Letter.case_id)) == detail.id


def test_assigning_a_stale_case_shows_both_versions_and_keeps_the_newer_change_unless_asked(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    detail = make_case()
    with ctx.db.transaction() as session:
        lee = users.resolve_actor(session, "jlee", "Jamie Lee")
        okafor = users.resolve_actor(session, "cokafor", "Chidi Okafor")
    view = _open_view(ctx, qtbot, detail)
    # Another workstation assigns the case meanwhile; this view still shows the old version.
    with ctx.db.transaction() as session:
        cases.assign_case(session, ctx.actor, detail.id, detail.version, okafor.id)

    view.assign_bar.select(lee.id)
    qtbot.mouseClick(view.assign_bar.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    assert view.conflict_dialog is not None
    assert ("Assigned to", "Chidi Okafor", "Jamie Lee") in view.conflict_dialog.rows
    with ctx.db.transaction(read_only=True) as session:
        assignee = session.scalar(select(Case.assignee_id).where(Case.id == detail.id))
    assert assignee == okafor.id

    view.conflict_dialog.take_theirs.click()
    qtbot.waitUntil(lambda: view.details.case.value("Assigned to") == "Chidi Okafor")
    assert view.assign_bar.combo.currentText() == "Chidi Okafor"


def test_opening_a_case_is_audited_once_and_refreshes_after_changes_are_not(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    from prdesk.domain.models import AuditEvent
    from prdesk.ui.changes import Change

    detail = make_case("Ana Souza", complainant=None)
    view = _open_view(ctx, qtbot, detail)
    ctx.hub.announce(Change.to_case(detail.id, "timeline"))
    qtbot.waitUntil(lambda: not view._loading)
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        views = session.scalars(
            select(AuditEvent.username).where(
                AuditEvent.action == "view", AuditEvent.case_id == detail.id
            )
        ).all()
    assert views == [ctx.actor.username]


def test_a_case_moves_only_along_its_workflow_and_the_move_is_on_the_timeline(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    from prdesk.domain.enums import CaseStatus

    detail = make_case("Ana Souza", complainant=None)
    view = _open_view(ctx, qtbot, detail)
    offered = [
        view.status_control.combo.itemData(i) for i in range(view.status_control.combo.count())
    ]
    # Unassigned: work cannot start yet.
    assert offered == [
        CaseStatus.NEW,
        CaseStatus.ASSIGNED,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
        CaseStatus.WITHDRAWN,
    ]

    view.assign_bar.select(ctx.actor.id)
    view.assign_bar.assign()
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.status is CaseStatus.ASSIGNED)
    wait_idle(qtbot)
    view.status_control.select(CaseStatus.INVESTIGATING)
    qtbot.mouseClick(view.status_control.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.status is CaseStatus.INVESTIGATING
    )
    wait_idle(qtbot)

    assert view.header.status.text() == "Investigating"
    summaries = [e.summary for e in view.timeline.model.visible_entries()[:2]]
    assert summaries[0] == "Status changed from Assigned to Investigating"
    with ctx.db.transaction(read_only=True) as session:
        stored = session.get(Case, detail.id)
        assert stored is not None and stored.status is CaseStatus.INVESTIGATING


def test_a_case_linked_to_an_earlier_one_names_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    earlier = make_case("Robert O'Brien")
    with ctx.db.transaction() as session:
        repeat = cases.open_case(
            session,
            ctx.actor,
            replace(phone_complaint("Robert O'Brien"), linked_case_id=earlier.id),
        )
    view = _open_view(ctx, qtbot, repeat)
    assert view.details.case.value("Linked to") == earlier.number
    unlinked = _open_view(ctx, qtbot, earlier)
    assert view.details.case.row_visible("Linked to")
    assert not unlinked.details.case.row_visible("Linked to")


def test_the_window_has_the_shipped_fonts_for_names_in_any_script(qapp: object) -> None:
    from PySide6.QtGui import QFontDatabase

    from prdesk.ui.app import _add_shipped_fonts

    _add_shipped_fonts()
    families = set(QFontDatabase.families())
    assert {"NanumGothic", "Noto Sans Arabic", "Droid Sans Fallback"} <= families
