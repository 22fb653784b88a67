"""The timeline as a coordinator reads it: cards by day, filters, the chosen entry in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import TimelineKind
from prdesk.domain.readmodels import (
    AttachmentInfo,
    DepartmentRequestInfo,
    Reference,
    TimelineEntryInfo,
)
from prdesk.domain.services import timeline
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.case_view import CaseView
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_date
from prdesk.ui.timeline_model import IS_DAY_ROLE, TimelineModel, long_date
from prdesk.ui.timeline_panel import TimelinePanel
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import colleague

GARCIA = Reference(1, "María García")
KIM = Reference(2, "Ji-woo Kim")
OKAFOR = Reference(3, "Chidi Okafor")
EMERGENCY = Reference(11, "Emergency Department")
PHARMACY = Reference(12, "Pharmacy")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 on this workstation's clock, stored in UTC."""
    return datetime(2026, 11, day, hour, minute).astimezone().astimezone(UTC)


def entry(
    entry_id: int,
    kind: TimelineKind,
    when: datetime,
    summary: str,
    body: str = "",
    author: Reference = GARCIA,
    **fields: object,
) -> TimelineEntryInfo:
    made = TimelineEntryInfo(
        id=entry_id,
        kind=kind,
        occurred_at=when,
        recorded_at=when + timedelta(minutes=20),
        author_name=author.name,
        summary=summary,
        body=body,
        patient_facing=False,
        internal=False,
        version=1,
        author_id=author.id,
    )
    return replace(made, **fields)  # type: ignore[arg-type]


def attachment(attachment_id: int, entry_id: int, filename: str, size: int) -> AttachmentInfo:
    return AttachmentInfo(
        id=attachment_id,
        case_id=1,
        entry_id=entry_id,
        filename=filename,
        media_type="application/pdf",
        size=size,
        sha256=f"{attachment_id:064x}",
        added_at=at(24, 16),
    )


def investigation() -> list[TimelineEntryInfo]:
    """A fortnight of a complaint about a missed medication, as the team recorded it."""
    return [
        entry(1, TimelineKind.STATUS_CHANGE, at(12, 9, 5), "Status changed from New to Assigned"),
        entry(
            2,
            TimelineKind.PHONE_CALL,
            at(12, 10, 42),
            "Called Ms Nguyễn's daughter back",
            "She says her mother missed **two doses** of her heart medication on ward 7B.\n\n"
            "- asked for a meeting\n- wants a written reply",
            people=("Mai Nguyễn",),
            patient_facing=True,
        ),
        entry(
            3,
            TimelineKind.EMAIL_RECEIVED,
            at(12, 14, 3),
            "Photos of the medication chart",
            "Attached are the photos I took of the chart on Sunday.",
            sender="mai.nguyen@example.org",
            recipients="patient.relations@springfield-hospital.example",
            attachments=(
                attachment(1, 3, "chart-sunday.jpg", 1_450_000),
                attachment(2, 3, "chart-monday.jpg", 1_210_000),
            ),
        ),
        entry(
            4,
            TimelineKind.DEPARTMENT_REQUEST,
            at(13, 9, 30),
            "Asked the pharmacy for the dispensing record",
            "Please send the dispensing log for bed 14, 8–10 November.",
            departments=(PHARMACY,),
            request_id=1,
        ),
        entry(
            5,
            TimelineKind.STAFF_INTERVIEW,
            at(13, 15, 0),
            "Spoke with the charge nurse on 7B",
            "Mr Kowalczyk confirmed the evening round was short-staffed on 8 November.",
            author=KIM,
            people=("Tomasz Kowalczyk",),
            departments=(EMERGENCY,),
            internal=True,
        ),
        entry(
            6,
            TimelineKind.RECORD_REVIEW,
            at(16, 11, 20),
            "Reviewed the medication administration record",
            "Two doses of bisoprolol are marked *not given* without a reason.",
            author=KIM,
        ),
        entry(
            7,
            TimelineKind.DEPARTMENT_RESPONSE,
            at(17, 16, 45),
            "Pharmacy sent the dispensing log",
            "Dispensed on time; the ward held the doses.",
            departments=(PHARMACY,),
            request_id=1,
            attachments=(attachment(3, 7, "dispensing-log-bed14.pdf", 88_000),),
        ),
        entry(
            8,
            TimelineKind.MEETING,
            at(19, 14, 0),
            "Met Mai Nguyễn and her brother",
            "Explained what we have found so far and apologised for the missed doses.",
            people=("Mai Nguyễn", "Bảo Nguyễn", "Łukasz Wójcik"),
            patient_facing=True,
            author=OKAFOR,
            edited_at=at(19, 17),
            edited_by_name="Chidi Okafor",
        ),
        entry(
            9,
            TimelineKind.NOTE,
            at(19, 16, 30),
            "Learning points for the ward",
            "# Actions\n\n1. Add a reason code to every held dose\n2. Brief the evening staff",
            internal=True,
        ),
        entry(
            10,
            TimelineKind.EMAIL_SENT,
            at(20, 10, 15),
            "Sent the meeting notes to the family",
            sender="patient.relations@springfield-hospital.example",
            recipients="mai.nguyen@example.org",
            patient_facing=True,
        ),
    ]


def requests() -> list[DepartmentRequestInfo]:
    return [
        DepartmentRequestInfo(
            id=1,
            case_id=1,
            case_number="PR-2026-000123",
            department=PHARMACY,
            addressed_to="Dr Priya Raman",
            addressed_email="p.raman@springfield-hospital.example",
            backup_reviewer="",
            backup_email="",
            requested_at=at(13, 9, 30),
            requested_by=GARCIA.name,
            due_on=date(2026, 11, 20),
            summary="Asked the pharmacy for the dispensing record",
            request_entry_id=4,
            response_entry_id=7,
            answered_at=at(17, 16, 45),
            escalation_entry_id=None,
            escalated_at=None,
            version=1,
        )
    ]


def _panel(ctx: AppContext, qtbot: QtBot) -> TimelinePanel:
    panel = TimelinePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    # Shortcuts reach only the active window.
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.set_case(1, investigation(), requests())
    return panel


def _summaries(panel: TimelinePanel) -> list[str]:
    return [entry.summary for entry in panel.model.visible_entries()]


def _row_texts(model: TimelineModel) -> list[str]:
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_entries_are_shown_newest_first_under_a_heading_for_each_day(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    rows = _row_texts(panel.model)
    assert rows[:4] == [
        long_date(date(2026, 11, 20)),
        "Sent the meeting notes to the family",
        long_date(date(2026, 11, 19)),
        "Learning points for the ward",
    ]
    assert rows[-1] == "Status changed from New to Assigned"
    headings = [
        r for r in range(panel.model.rowCount()) if panel.model.index(r, 0).data(IS_DAY_ROLE)
    ]
    assert len(headings) == 6  # the 12th, 13th, 16th, 17th, 19th and 20th
    assert long_date(date(2026, 11, 26)) == "Thursday, November 26, 2026"
    assert panel.filter_bar.count_label.text() == "10 entries"
    assert panel.list_view.accessibleName() == "Timeline entries"


def test_oldest_first_turns_the_timeline_around(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    qtbot.mouseClick(panel.filter_bar.order_button, Qt.MouseButton.LeftButton)
    assert panel.filter_bar.order_button.text() == "Oldest first"
    rows = _row_texts(panel.model)
    assert rows[:3] == [
        long_date(date(2026, 11, 12)),
        "Status changed from New to Assigned",
        "Called Ms Nguyễn's daughter back",
    ]
    assert rows[-1] == "Sent the meeting notes to the family"
    qtbot.mouseClick(panel.filter_bar.order_button, Qt.MouseButton.LeftButton)
    assert _summaries(panel)[0] == "Sent the meeting notes to the family"


def test_filtering_by_kind_author_and_text_narrows_the_list_and_the_count(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    bar = panel.filter_bar

    # Kinds: ticking one shows only it, ticking another adds it; "All kinds" undoes both.
    bar._kind_actions[TimelineKind.PHONE_CALL].trigger()
    assert _summaries(panel) == ["Called Ms Nguyễn's daughter back"]
    assert bar.kind_button.text() == "Phone call"
    bar._kind_actions[TimelineKind.MEETING].trigger()
    assert _summaries(panel) == [
        "Met Mai Nguyễn and her brother",
        "Called Ms Nguyễn's daughter back",
    ]
    assert bar.count_label.text() == "2 of 10 entries"
    assert _row_texts(panel.model)[0] == long_date(date(2026, 11, 19))
    bar._all_action.trigger()
    assert panel.model.visible_count() == 10

    # Author: only the people who wrote entries are offered.
    names = [bar.author.itemText(i) for i in range(bar.author.count())]
    assert names == ["Anyone", "Chidi Okafor", "Ji-woo Kim", "María García"]
    bar.author.setCurrentIndex(names.index("Ji-woo Kim"))
    assert _summaries(panel) == [
        "Reviewed the medication administration record",
        "Spoke with the charge nurse on 7B",
    ]
    assert bar.count_label.text() == "2 of 10 entries"

    # Text, together with the author: words of the body count, in any order.
    qtbot.keyClicks(bar.search, "night shift")
    assert _summaries(panel) == []
    assert panel.empty.isVisibleTo(panel)
    assert "No entries match" in panel.empty.text()
    bar.search.clear()
    qtbot.keyClicks(bar.search, "evening round")
    assert _summaries(panel) == ["Spoke with the charge nurse on 7B"]
    bar.set_author(None)
    assert bar.count_label.text() == "1 of 10 entries"
    assert not panel.empty.isVisibleTo(panel)


def test_search_ignores_accents_case_and_markup(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    search = panel.filter_bar.search

    def found(text: str) -> list[int]:
        search.setText(text)
        return [entry.id for entry in panel.model.visible_entries()]

    # Nguyễn in summaries and people, nguyen in the family's email address.
    assert found("NGUYEN") == [10, 8, 3, 2]
    assert found("lukasz wojcik") == [8]  # a person present at the meeting
    assert found("wójcik") == [8]
    assert found("doses heart") == [2]  # "**two doses** of her heart" in Markdown
    assert found("chart-monday") == [3]  # an attachment's file name
    assert found("mai.nguyen@example") == [10, 3]  # sender and recipients
    assert found("pharmacy dispensing") == [7, 4]  # a department and the summary
    assert found("kowalczyk's") == []
    assert found("kowalczyk") == [5]
    assert found("bảo") == [8]
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    assert panel.model.visible_count() == 10


def test_the_chosen_entry_is_shown_in_full_with_its_files(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    view = panel.list_view
    assert panel.detail.entry is None
    assert panel.detail.empty.isVisibleTo(panel)

    # Into the list from the keyboard: the first entry is chosen, not the day's heading.
    view.setFocus(Qt.FocusReason.TabFocusReason)
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 10
    # Down from the last entry of a day steps over the next day's heading.
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    selected = panel.selected_entry()
    assert selected is not None and selected.summary == "Met Mai Nguyễn and her brother"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # already at the top: stays on the first entry
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 10
    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 1

    panel.select_entry(8)
    detail = panel.detail
    assert detail.summary.text() == "Met Mai Nguyễn and her brother"
    assert detail.fact("People") == "Mai Nguyễn; Bảo Nguyễn; Łukasz Wójcik"
    assert detail.fact("Audience") == "Patient-facing"
    assert detail.fact("From") == ""
    assert detail.edited.text().startswith("Edited ") and "by Chidi Okafor" in detail.edited.text()
    assert "apologised for the missed doses" in detail.body_text()

    panel.select_entry(3)
    assert detail.fact("From") == "mai.nguyen@example.org"
    items = [detail.attachments.item(i).text() for i in range(detail.attachments.count())]
    assert items == ["chart-sunday.jpg  (1.4 MB)", "chart-monday.jpg  (1.2 MB)"]
    with qtbot.waitSignal(panel.attachment_activated) as opened:
        detail.attachments.itemActivated.emit(detail.attachments.item(1))
    assert opened.args is not None and opened.args[0].filename == "chart-monday.jpg"

    # Markdown is shown formatted: the words without their asterisks or list marks.
    panel.select_entry(2)
    assert "two doses" in detail.body_text() and "**" not in detail.body_text()
    assert "wants a written reply" in detail.body_text()
    panel.select_entry(4)
    assert detail.fact("Request") == f"Answered {_local(at(17, 16, 45))}"
    assert detail.fact("Departments") == "Pharmacy"


def _local(moment: datetime) -> str:
    return local_date(moment.astimezone().date())


def test_enter_and_delete_ask_for_an_edit_or_a_delete_of_people_s_entries_only(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    view = panel.list_view
    view.setFocus()
    panel.select_entry(6)
    assert panel.detail.edit_button.isVisibleTo(panel)
    assert panel.detail.delete_button.isVisibleTo(panel)
    with qtbot.waitSignal(panel.edit_requested) as edit:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert edit.args is not None and edit.args[0].id == 6
    with qtbot.waitSignal(panel.delete_requested) as delete:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert delete.args is not None and delete.args[0].id == 6
    with qtbot.waitSignal(panel.edit_requested) as edit:
        qtbot.mouseClick(panel.detail.edit_button, Qt.MouseButton.LeftButton)
    assert edit.args is not None and edit.args[0].id == 6

    # PR Desk's own record of a status change is not for anyone to change.
    panel.select_entry(1)
    assert not panel.detail.edit_button.isVisibleTo(panel)
    assert not panel.detail.delete_button.isVisibleTo(panel)
    asked: list[object] = []
    panel.edit_requested.connect(asked.append)
    panel.delete_requested.connect(asked.append)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert asked == []


def test_a_short_entry_in_full_keeps_its_badge_small_and_its_facts_level(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    moved = entry(30, TimelineKind.STATUS_CHANGE, at(25, 9), "Status changed", internal=True)
    panel.set_case(1, [*investigation(), moved], requests())
    panel.select_entry(30)  # no details, one fact
    detail = panel.detail
    title, value = detail.fact_labels("Audience")
    qtbot.waitUntil(lambda: value.isVisible() and value.x() > title.x())
    assert detail.kind.height() <= detail.kind.sizeHint().height()
    assert value.y() == title.y()
    assert value.x() > title.geometry().right()
    # What the text does not fill stays below it, not between its lines.
    assert detail.summary.geometry().top() - detail.kind.geometry().bottom() < 20


def test_a_file_attached_by_mistake_may_be_deleted_but_not_edited(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    scan = entry(
        20,
        TimelineKind.ATTACHMENT,
        at(24, 16),
        "Attached another patient's letter.pdf",
        attachments=(attachment(7, 20, "another patient's letter.pdf", 48_000),),
    )
    panel.set_case(1, [*investigation(), scan], requests())
    view = panel.list_view
    view.setFocus()
    panel.select_entry(20)
    assert panel.detail.delete_button.isVisibleTo(panel)
    assert not panel.detail.edit_button.isVisibleTo(panel)
    asked: list[object] = []
    panel.edit_requested.connect(asked.append)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert asked == []
    with qtbot.waitSignal(panel.delete_requested) as delete:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert delete.args is not None and delete.args[0].id == 20
    with qtbot.waitSignal(panel.delete_requested) as delete:
        qtbot.mouseClick(panel.detail.delete_button, Qt.MouseButton.LeftButton)
    assert delete.args is not None and delete.args[0].id == 20


def test_the_form_folds_away_for_reading_and_comes_back_for_typing(
    ctx: AppContext, qtbot: QtBot
) -> None:
    panel = _panel(ctx, qtbot)
    splitter = panel.form_splitter
    total = sum(splitter.sizes())
    splitter.setSizes([0, total])
    assert not panel.form_shown()
    assert splitter.sizes()[1] == total
    # Alt+S (the Summary field's letter) reaches the folded form: it unfolds for typing.
    panel.form.summary.setFocus(Qt.FocusReason.ShortcutFocusReason)
    assert panel.form_shown()
    assert splitter.sizes()[0] >= panel.form.minimumSizeHint().height()


def test_a_representative_may_change_only_their_own_entries(ctx: AppContext, qtbot: QtBot) -> None:
    kim = colleague(ctx.db, "jkim", "Ji-woo Kim")
    panel = TimelinePanel(AppContext(ctx.db, kim, ctx.hub))
    qtbot.addWidget(panel)
    own = entry(
        5, TimelineKind.NOTE, at(13, 15), "My note", author=Reference(kim.id, kim.display_name)
    )
    other = entry(6, TimelineKind.NOTE, at(13, 16), "Someone else's note")
    panel.set_case(1, [own, other])
    panel.select_entry(5)
    assert not panel.detail.edit_button.isHidden()
    panel.select_entry(6)
    assert panel.detail.edit_button.isHidden() and panel.detail.delete_button.isHidden()


def test_reloading_the_same_case_keeps_the_chosen_entry_and_the_place(
    ctx: AppContext, qtbot: QtBot
) -> None:
    many = [
        entry(n, TimelineKind.NOTE, at(1 + n % 20, 8 + n % 9, n % 60), f"Step {n}", "A note. " * 30)
        for n in range(1, 121)
    ]
    panel = TimelinePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.set_case(1, many)
    panel.select_entry(40)
    bar = panel.list_view.verticalScrollBar()
    assert bar.value() > 0
    row = panel.model.row_of(40)
    assert row is not None
    top_before = panel.list_view.visualRect(panel.model.index(row, 0)).top()

    # Someone adds an entry (newest, at the top) and another is corrected meanwhile.
    added = entry(500, TimelineKind.PHONE_CALL, at(28, 9), "A new call")
    corrected = replace(many[100], summary="Step 101, corrected", version=2)
    panel.set_case(1, [added, *many[:100], corrected, *many[101:]])
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 40
    row = panel.model.row_of(40)
    assert row is not None
    assert panel.list_view.visualRect(panel.model.index(row, 0)).top() == top_before
    assert panel.detail.summary.text() == "Step 40"

    # Another case starts at its top with nothing chosen.
    panel.set_case(2, investigation())
    assert panel.selected_entry() is None and bar.value() == 0


def test_a_filter_keeps_the_chosen_entry_while_it_matches(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    panel.select_entry(8)
    panel.filter_bar.search.setText("nguyen")
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 8
    panel.filter_bar.search.setText("pharmacy")
    assert panel.selected_entry() is None
    assert panel.detail.entry is None
    panel.filter_bar.search.clear()
    selected = panel.selected_entry()
    assert selected is not None and selected.id == 8


def test_ctrl_f_in_the_timeline_goes_to_its_search(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is panel.filter_bar.search


def test_cards_make_room_for_at_most_three_lines_of_the_body(ctx: AppContext, qtbot: QtBot) -> None:
    panel = _panel(ctx, qtbot)
    delegate, view = panel.delegate, panel.list_view

    def height(body: str) -> int:
        made = entry(900 + len(body), TimelineKind.NOTE, at(20, 9), "Heights", body)
        panel.set_case(1, [made])
        option = QStyleOptionViewItem()
        option.font = view.font()
        return delegate.sizeHint(option, panel.model.index(1, 0)).height()

    none, one = height(""), height("Short.")
    three = height("Many words here. " * 40)
    assert none < one < three
    assert height("Many more words. " * 400) == three  # clipped, not grown


def test_the_model_passes_the_model_tester(ctx: AppContext, qtmodeltester: object) -> None:
    model = TimelineModel()
    model.set_entries(investigation(), requests())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter(frozenset({TimelineKind.NOTE, TimelineKind.MEETING}), None, "")
    model.set_newest_first(False)
    assert [entry.id for entry in model.visible_entries()] == [8, 9]
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter(None, None, "nothing matches this")
    assert model.rowCount() == 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]


@pytest.mark.parametrize("newest_first", [True, False])
def test_an_opened_case_shows_its_entries_files_and_people(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, newest_first: bool
) -> None:
    detail = make_case("Nguyễn Thị Hương")
    with ctx.db.transaction() as session:
        timeline.add_entries(
            session,
            ctx.actor,
            detail.id,
            [
                NewTimelineEntry(
                    kind=TimelineKind.PHONE_CALL,
                    summary="Called the daughter back",
                    body="She asked for **a written reply**.",
                    occurred_at=datetime.now(UTC) - timedelta(days=2),
                    people=("Mai Nguyễn",),
                    patient_facing=True,
                ),
                NewTimelineEntry(
                    kind=TimelineKind.ATTACHMENT,
                    summary="Photos of the medication chart",
                    occurred_at=datetime.now(UTC) - timedelta(days=1),
                    attachments=(NewAttachment("chart.png", b"\x89PNG not really"),),
                ),
            ],
        )
    view = CaseView(ctx, detail.id)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    panel = view.timeline
    panel.filter_bar.set_newest_first(newest_first)
    summaries = _summaries(panel)
    expected = ["Photos of the medication chart", "Called the daughter back"]
    assert summaries == (expected if newest_first else expected[::-1])
    assert panel.select_entry(panel.model.visible_entries()[0].id)
    shown = panel.detail
    if newest_first:
        assert shown.attachments.item(0).text().startswith("chart.png")
        assert shown.edit_button.isHidden()  # the files dropped are PR Desk's record
    else:
        assert shown.fact("People") == "Mai Nguyễn"
        assert "a written reply" in shown.body_text()
        assert not shown.edit_button.isHidden()
