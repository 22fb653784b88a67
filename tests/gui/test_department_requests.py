"""A coordinator asks departments for statements, records their answers and chases late ones."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import DepartmentRequest
from prdesk.domain.readmodels import CaseDetail, DepartmentRequestInfo
from prdesk.domain.services import cases, organisation
from prdesk.domain.services.department_requests import (
    NewRequest,
    record_response,
    request_statement,
)
from prdesk.domain.services.organisation import DepartmentContacts
from prdesk.domain.services.timeline_reading import requests_where
from prdesk.ui.case_requests_panel import CaseRequestsPanel
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.department_contacts_dialog import DepartmentContactsDialog
from prdesk.ui.department_request_dialog import DepartmentRequestDialog
from prdesk.ui.formatting import local_date
from prdesk.ui.request_response_dialog import RequestResponseDialog
from prdesk.ui.waiting_on_departments import WaitingOnDepartments
from prdesk.ui.waiting_on_departments_model import DUE_SOON_COLOR, OVERDUE_COLOR
from tests.gui.conftest import CaseMaker, wait_idle

CONTACTS = {
    "Cardiology": ("Dr. Amara Okafor", "amara.okafor@riverside.example", "Ewa Kowalczyk", ""),
    "Emergency Department": ("Dr. Samuel Osei", "", "Trần Thị Lan", ""),
    "Pharmacy": ("", "", "", ""),
}


def _departments(ctx: AppContext) -> dict[str, DepartmentContacts]:
    found = {}
    with ctx.db.transaction() as session:
        for name, contacts in CONTACTS.items():
            department_id = organisation.ensure_department(session, name)
            version = organisation.contacts_of(session, department_id).version
            found[name] = organisation.set_department_contacts(
                session, ctx.actor, department_id, version, *contacts
            )
    return found


def _ask(
    ctx: AppContext, case: CaseDetail, department: DepartmentContacts, summary: str, due: int
) -> DepartmentRequestInfo:
    """A request made as another workstation would, due in `due` days (overdue when < 0)."""
    with ctx.db.transaction() as session:
        made = request_statement(
            session, ctx.actor, case.id, NewRequest(department.id, summary, date.today())
        )
        row = session.get(DepartmentRequest, made.id)
        assert row is not None
        row.due_on = date.today() + timedelta(days=due)  # as if asked some days ago
        session.flush()
        return requests_where(session, DepartmentRequest.id == made.id)[0]


def _answer(ctx: AppContext, request: DepartmentRequestInfo) -> None:
    with ctx.db.transaction() as session:
        record_response(session, ctx.actor, request.id, request.version, "Statement received")


def _reloaded(ctx: AppContext, case_id: int) -> CaseDetail:
    with ctx.db.transaction(read_only=True) as session:
        return cases.view_case(session, ctx.actor, case_id, record_view=False)


def _panel(ctx: AppContext, qtbot: QtBot, case: CaseDetail) -> CaseRequestsPanel:
    panel = CaseRequestsPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_case(_reloaded(ctx, case.id))
    panel.show()
    return panel


def _rows(panel: CaseRequestsPanel) -> list[list[str]]:
    model = panel.model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_a_request_goes_to_the_chosen_departments_manager(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    _departments(ctx)
    case = make_case()
    panel = _panel(ctx, qtbot, case)
    assert panel.empty_label.isVisible() and not panel.table.isVisible()
    dialog = panel.request_statement()
    assert dialog is not None
    wait_idle(qtbot)
    assert dialog.department.currentText() == "Cardiology"
    assert dialog.addressed_to.text() == "Dr. Amara Okafor"
    assert dialog.backup_reviewer.text() == "Ewa Kowalczyk"
    dialog.department.setCurrentIndex(dialog.department.findText("Emergency Department"))
    assert dialog.addressed_to.text() == "Dr. Samuel Osei"
    assert dialog.addressed_email.text() == ""
    dialog.backup_reviewer.setText("Nurse Jamal Haddad")  # typed: stays when changing back
    dialog.department.setCurrentIndex(dialog.department.findText("Cardiology"))
    assert dialog.addressed_to.text() == "Dr. Amara Okafor"
    assert dialog.backup_reviewer.text() == "Nurse Jamal Haddad"
    qtbot.keyClicks(dialog.summary, "Statement from the triage nurse on 3 March")
    dialog.body.setPlainText("Include *all* triage times.")
    due = dialog.due_on.date().toPython()
    assert isinstance(due, date) and due > date.today()
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    made: DepartmentRequestInfo = saved.args[0]
    assert (made.addressed_to, made.backup_reviewer) == ("Dr. Amara Okafor", "Nurse Jamal Haddad")
    assert made.due_on == due
    wait_idle(qtbot)

    panel.set_case(_reloaded(ctx, case.id))
    days = (due - date.today()).days
    assert _rows(panel) == [
        ["Cardiology", "Dr. Amara Okafor", local_date(due), f"Due in {days} days"],
    ]
    entry = next(e for e in _reloaded(ctx, case.id).timeline if e.id == made.request_entry_id)
    assert entry.kind is TimelineKind.DEPARTMENT_REQUEST
    assert entry.body == r"Include \*all\* triage times."


def test_a_request_nobody_can_receive_keeps_what_was_typed(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    departments = _departments(ctx)
    case = make_case()
    dialog = DepartmentRequestDialog(ctx, case.id, [departments["Pharmacy"].reference])
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    assert dialog.department.currentText() == "Pharmacy"  # the case's own department first
    dialog.summary.setText("Dispensing record for 3 March")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors.message("addressed_to") != "", timeout=10_000)
    assert dialog.errors.message("addressed_to") == (
        "Pharmacy has no manager on record: name the person the request goes to."
    )
    assert dialog.summary.text() == "Dispensing record for 3 March" and dialog.isVisible()
    dialog.addressed_to.setText("Rajesh Iyer")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    assert saved.args[0].addressed_to == "Rajesh Iyer"
    assert not dialog.isVisible()


def test_overdue_requests_are_red_and_the_response_is_recorded(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    departments = _departments(ctx)
    case = make_case()
    _ask(ctx, case, departments["Emergency Department"], "Triage times", due=5)
    late = _ask(ctx, case, departments["Cardiology"], "ECG timing", due=-3)
    _ask(ctx, case, departments["Emergency Department"], "Nurse's statement", due=1)
    panel = _panel(ctx, qtbot, case)
    assert [row[3] for row in _rows(panel)] == [
        "Overdue by 3 days",
        "Due tomorrow",
        "Due in 5 days",
    ]
    assert panel.model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert panel.model.index(1, 3).data(Qt.ItemDataRole.ForegroundRole) == DUE_SOON_COLOR
    assert panel.model.index(2, 3).data(Qt.ItemDataRole.ForegroundRole) is None
    assert not panel.response_button.isEnabled()

    panel.table.selectRow(0)
    assert panel.response_button.isEnabled() and panel.escalate_button.isEnabled()
    dialog = panel.record_response()
    assert dialog is not None
    dialog.summary.setText("ECG was read 40 minutes after arrival")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    wait_idle(qtbot)
    panel.set_case(_reloaded(ctx, case.id))
    rows = _rows(panel)
    assert [row[0] for row in rows] == [
        "Emergency Department",
        "Emergency Department",
        "Cardiology",
    ]
    assert rows[2][3].startswith("Answered ")
    response = _reloaded(ctx, case.id).timeline[-1]
    assert response.kind is TimelineKind.DEPARTMENT_RESPONSE and response.request_id == late.id


def test_a_late_request_is_escalated_and_a_stale_one_reports_a_conflict(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    departments = _departments(ctx)
    case = make_case()
    _ask(ctx, case, departments["Cardiology"], "ECG timing", due=-4)
    panel = _panel(ctx, qtbot, case)
    notes: list[str] = []
    panel.ask_note = lambda _parent, request: notes.append(request.summary) or "Phoned twice."
    panel.table.selectRow(0)
    with qtbot.waitSignal(ctx.hub.changed, timeout=10_000):
        panel.escalate()
    assert notes == ["ECG timing"]
    escalation = _reloaded(ctx, case.id).timeline[-1]
    assert escalation.kind is TimelineKind.ESCALATION
    assert escalation.summary.startswith("Escalated to Ewa Kowalczyk — Cardiology has not")
    assert escalation.body == "Phoned twice."
    # The panel still shows the request as loaded before the escalation.
    with qtbot.waitSignal(panel.conflicted, timeout=10_000) as conflict:
        panel.escalate()
    assert "changed by someone else" in conflict.args[0]
    panel.set_case(_reloaded(ctx, case.id))
    panel.table.selectRow(0)
    assert _rows(panel)[0][3] == "Overdue by 4 days; escalated to Ewa Kowalczyk"
    assert not panel.escalate_button.isEnabled()


def test_a_response_recorded_elsewhere_first_is_a_conflict_that_keeps_the_text(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    departments = _departments(ctx)
    asked = _ask(ctx, make_case(), departments["Cardiology"], "ECG timing", due=2)
    first, second = RequestResponseDialog(ctx, asked), RequestResponseDialog(ctx, asked)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    first.summary.setText("Statement received by email")
    with qtbot.waitSignal(first.saved, timeout=10_000):
        first.save()
    second.summary.setText("Statement received by post")
    with qtbot.waitSignal(second.conflicted, timeout=10_000) as conflict:
        second.save()
    assert conflict.args[0].startswith("María García already recorded Cardiology's response")
    assert second.banner.text() == conflict.args[0]
    assert second.isVisible() and second.summary.text() == "Statement received by post"


def test_waiting_on_departments_lists_every_case_and_opens_one(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    departments = _departments(ctx)
    first, second = make_case(), make_case("Łukasz Nowak")
    _ask(ctx, first, departments["Cardiology"], "ECG timing", due=-2)
    _ask(ctx, second, departments["Emergency Department"], "Triage times", due=3)
    answered = _ask(ctx, second, departments["Cardiology"], "Discharge note", due=4)
    _answer(ctx, answered)
    view = WaitingOnDepartments(ctx)
    qtbot.addWidget(view)
    ctx.hub.changed.connect(view.on_changed)
    view.show()
    wait_idle(qtbot)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    model = view.model
    cells = [[model.index(r, c).data() for c in (0, 1, 2, 5)] for r in range(model.rowCount())]
    assert cells == [
        [first.number, "Cardiology", "Dr. Amara Okafor", "Overdue by 2 days"],
        [second.number, "Emergency Department", "Dr. Samuel Osei", ""],
    ]
    assert model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert view.caption.text().startswith("2 requests waiting on departments, 1 overdue")

    view.overdue_only.setChecked(True)
    assert model.rowCount() == 1
    view.overdue_only.setChecked(False)
    view.department.setCurrentIndex(view.department.findText("Emergency Department"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [second.number]
    view.department.setCurrentIndex(0)

    # A request made on another case shows after the change is announced.
    _ask(ctx, first, departments["Cardiology"], "X-ray report", due=9)
    ctx.hub.announce(Change.to_case(first.id, Change.TIMELINE))
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=10_000)

    view.table.setFocus()
    view.table.setCurrentIndex(model.index(1, 0))
    with qtbot.waitSignal(view.open_case, timeout=5_000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [second.id]
    first_row = view.table.visualRect(model.index(0, 1)).center()
    with qtbot.waitSignal(view.open_case, timeout=5_000) as opened:
        # A double click is a press and release, then a second press (QTest sends only that).
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=first_row)
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=first_row)
    assert opened.args == [first.id]


def test_escalating_from_the_waiting_view_marks_the_row(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    departments = _departments(ctx)
    case = make_case()
    _ask(ctx, case, departments["Cardiology"], "ECG timing", due=-6)
    _ask(ctx, case, departments["Emergency Department"], "Triage times", due=-1)
    view = WaitingOnDepartments(ctx)
    qtbot.addWidget(view)
    ctx.hub.changed.connect(view.on_changed)
    view.ask_note = lambda _parent, _request: ""
    view.show()
    wait_idle(qtbot)
    view.table.selectRow(0)
    assert view.escalate_button.isEnabled()
    view.escalate()
    qtbot.waitUntil(lambda: view.model.index(0, 6).data() != "", timeout=10_000)
    assert view.model.index(0, 6).data().startswith("To Ewa Kowalczyk, ")
    assert view.info.text() == f"{case.number}: escalated to Ewa Kowalczyk."
    view.table.selectRow(0)
    assert not view.escalate_button.isEnabled()  # once is enough
    view.table.selectRow(1)
    assert view.escalate_button.isEnabled()


def test_an_administrator_records_a_departments_contacts(ctx: AppContext, qtbot: QtBot) -> None:
    departments = _departments(ctx)
    dialog = DepartmentContactsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    dialog.choose("Pharmacy")
    assert dialog.manager_name.text() == "" and not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.manager_name, "Rajesh Iyer")
    qtbot.keyClicks(dialog.manager_email, "rajesh.iyer")
    dialog.choose("Cardiology")
    qtbot.keyClicks(dialog.backup_email, "ewa.kowalczyk@riverside.example")
    assert dialog.departments.item(2).text() == "Pharmacy (changed)"
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors.message("manager_email") != "", timeout=10_000)
    assert dialog.departments.currentItem().text() == "Pharmacy (changed)"
    assert dialog.errors.message("manager_email").startswith("'rajesh.iyer' is not an email")
    dialog.manager_email.setText("rajesh.iyer@riverside.example")
    dialog.manager_email.textEdited.emit(dialog.manager_email.text())
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    with ctx.db.transaction(read_only=True) as session:
        saved = {c.name: c for c in organisation.department_contacts(session)}
    pharmacy = saved["Pharmacy"]
    assert (pharmacy.manager_name, pharmacy.manager_email) == (
        "Rajesh Iyer",
        "rajesh.iyer@riverside.example",
    )
    assert saved["Cardiology"].backup_email == "ewa.kowalczyk@riverside.example"
    assert saved["Emergency Department"] == departments["Emergency Department"]


def test_asking_from_anywhere_returns_the_request_made(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    _departments(ctx)
    case = make_case()

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DepartmentRequestDialog)
        qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
        dialog.summary.setText("Review of the discharge letter")
        dialog.save()

    QTimer.singleShot(0, fill_in)
    made = DepartmentRequestDialog.ask(None, ctx, case.id)
    assert made is not None and made.summary == "Review of the discharge letter"
    assert made.department.name == "Cardiology"
