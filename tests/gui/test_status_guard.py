"""Deadlines on the case screen, recording the acknowledgement, and the guard on closing grievances."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.domain.enums import CaseStatus
from prdesk.domain.models import Case
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, users
from prdesk.ui import classification_control, status_control
from prdesk.ui.case_view import CaseView
from prdesk.ui.closure_override_dialog import ClosureOverrideDialog
from prdesk.ui.context import AppContext
from prdesk.ui.deadline_text import DUE_SOON_COLOR, OVERDUE_COLOR
from prdesk.ui.formatting import local_date
from prdesk.ui.reclassify_dialog import ReclassifyDialog
from prdesk.ui.theme import current_stylesheet
from tests.gui.conftest import wait_idle
from tests.support.builders import phone_complaint


def _grievance(ctx: AppContext, days_ago: int, *statuses: CaseStatus) -> CaseDetail:
    """A phone grievance received `days_ago`, assigned, then moved through `statuses`."""
    received = (datetime.now() - timedelta(days=days_ago)).astimezone()
    with ctx.db.transaction() as session:
        case = cases.open_case(session, ctx.actor, phone_complaint(received_at=received))
        case = cases.assign_case(session, ctx.actor, case.id, case.version, ctx.actor.id)
        for status in statuses:
            case = cases.change_status(session, ctx.actor, case.id, case.version, status)
    return case


def _open(ctx: AppContext, qtbot: QtBot, case: CaseDetail) -> CaseView:
    view = CaseView(ctx, case.id)
    view.setStyleSheet(current_stylesheet())
    qtbot.addWidget(view)
    ctx.hub.changed.connect(view.on_changed)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    return view


def _stored(ctx: AppContext, case_id: int) -> Case:
    with ctx.db.transaction(read_only=True) as session:
        case = session.scalars(select(Case).where(Case.id == case_id)).one()
        session.expunge(case)
        return case


def test_an_overdue_acknowledgement_stands_out_in_red(ctx: AppContext, qtbot: QtBot) -> None:
    case = _grievance(ctx, 12)
    view = _open(ctx, qtbot, case)
    assert case.acknowledge_due_on is not None
    due = local_date(case.acknowledge_due_on)
    assert view.header.deadline.isVisibleTo(view)
    assert view.header.deadline.text().startswith(f"Overdue: acknowledge by {due}")
    assert OVERDUE_COLOR in view.header.deadline.styleSheet()
    deadlines = view.details.deadlines
    assert deadlines.value("Acknowledge by") == due
    assert OVERDUE_COLOR in deadlines.color("Acknowledge by")
    assert deadlines.value("Acknowledged") == "Not yet"
    assert deadlines.value("Respond by") == local_date(case.response_due_on)
    view.grab().save("/tmp/shots/case-overdue.png")


def test_recording_the_acknowledgement_moves_the_case_on_to_its_response_date(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _grievance(ctx, 27, CaseStatus.INVESTIGATING)
    view = _open(ctx, qtbot, case)
    control = view.status_control
    assert control.acknowledge_button.isVisibleTo(view)
    on = date.today() - timedelta(days=25)
    monkeypatch.setattr(
        status_control.AcknowledgementDialog,
        "ask",
        classmethod(lambda cls, *args: (on, AcknowledgementMethod.LETTER)),
    )
    qtbot.mouseClick(control.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.acknowledged_on == on)
    wait_idle(qtbot)

    assert view.details.deadlines.value("Acknowledged") == local_date(on)
    assert not control.acknowledge_button.isVisibleTo(view)
    # Received 27 days ago: 30 days to respond leaves at most 3 (a weekend may add more).
    header = view.header.deadline.text()
    assert "respond by" in header.lower()
    if header.startswith("Due soon"):
        assert DUE_SOON_COLOR in view.header.deadline.styleSheet()
    top = view.timeline.model.visible_entries()[0].summary
    assert top.startswith(f"Acknowledged by letter on {on.day} ")
    assert _stored(ctx, case.id).acknowledged_on == on


def test_a_representative_is_told_a_grievance_needs_its_response_before_resolving(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _grievance(ctx, 3, CaseStatus.INVESTIGATING)
    with ctx.db.transaction() as session:
        representative = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    asked: list[str] = []
    monkeypatch.setattr(
        status_control.ClosureOverrideDialog,
        "ask",
        classmethod(lambda cls, number, parent=None: asked.append(number)),
    )
    view = _open(ctx, qtbot, case)
    view.status_control._ctx = AppContext(ctx.db, representative, ctx.hub)
    view.status_control.select(CaseStatus.RESOLVED)
    qtbot.mouseClick(view.status_control.move_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)

    assert "cannot be resolved or closed until its written response letter" in view.info.text()
    assert asked == []
    assert _stored(ctx, case.id).status is CaseStatus.INVESTIGATING


def test_a_coordinator_resolves_an_unanswered_grievance_with_a_reason(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _grievance(ctx, 3, CaseStatus.INVESTIGATING)
    reason = "Resolved in a family meeting; they asked for no letter."
    answers: list[str | None] = [None, reason]
    monkeypatch.setattr(
        status_control.ClosureOverrideDialog,
        "ask",
        classmethod(lambda cls, number, parent=None: answers.pop(0)),
    )
    view = _open(ctx, qtbot, case)
    control = view.status_control
    control.select(CaseStatus.RESOLVED)
    qtbot.mouseClick(control.move_button, Qt.MouseButton.LeftButton)  # asked, then cancelled
    wait_idle(qtbot)
    assert _stored(ctx, case.id).status is CaseStatus.INVESTIGATING

    control.select(CaseStatus.RESOLVED)
    qtbot.mouseClick(control.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.status is CaseStatus.RESOLVED)
    wait_idle(qtbot)
    assert view.details.deadlines.value("Closed without response") == reason
    assert view.timeline.model.visible_entries()[0].summary == (
        "Status changed from Investigating to Resolved without a sent response letter"
    )
    assert not view.header.deadline.isVisibleTo(view)
    # Closing it afterwards does not ask again: the decision is on record.
    control.select(CaseStatus.CLOSED)
    qtbot.mouseClick(control.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.status is CaseStatus.CLOSED)
    wait_idle(qtbot)
    assert answers == []
    stored = _stored(ctx, case.id)
    assert (stored.status, stored.closure_override_reason) == (CaseStatus.CLOSED, reason)


def test_the_override_dialog_needs_a_reason_before_it_closes(qtbot: QtBot) -> None:
    dialog = ClosureOverrideDialog("PR-2026-000042")
    qtbot.addWidget(dialog)
    assert not dialog.close_button.isEnabled()
    dialog.reason.setPlainText("   ")
    assert not dialog.close_button.isEnabled()
    dialog.reason.setPlainText("Patient declined a written response.")
    assert dialog.close_button.isEnabled()
    assert dialog.reason_text() == "Patient declined a written response."
    dialog.reason.setPlainText("x" * 501)
    assert not dialog.close_button.isEnabled()


def test_a_coordinator_reclassifies_a_grievance_as_a_complaint_with_a_reason(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _grievance(ctx, 2, CaseStatus.INVESTIGATING)
    assert case.is_grievance and case.acknowledge_due_on is not None
    view = _open(ctx, qtbot, case)
    button = view.classification.button
    assert button.isVisibleTo(view)
    assert button.text().replace("&", "") == "Reclassify as complaint…"
    asked: list[bool] = []

    def answer(cls: object, number: str, to_grievance: bool, parent: object = None) -> str:
        asked.append(to_grievance)
        return "Resolved on the spot by the charge nurse; no formal response wanted."

    monkeypatch.setattr(classification_control.ReclassifyDialog, "ask", classmethod(answer))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and not view.detail.is_grievance)
    wait_idle(qtbot)

    assert asked == [False]
    assert "Not a grievance (overridden by a coordinator)" in view.details.case.value(
        "Classification"
    )
    assert view.details.deadlines.value("Acknowledge by") == "Not required for this case"
    summaries = [e.summary for e in view.timeline.model.visible_entries()[:3]]
    assert "Classification changed: handled as a complaint, not a grievance" in summaries
    stored = _stored(ctx, case.id)
    assert not stored.is_grievance and stored.grievance_overridden
    assert button.text().replace("&", "") == "Reclassify as grievance…"


def test_representatives_do_not_get_to_reclassify(ctx: AppContext, qtbot: QtBot) -> None:
    case = _grievance(ctx, 2, CaseStatus.INVESTIGATING)
    with ctx.db.transaction() as session:
        representative = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    view = _open(ctx.__class__(ctx.db, representative, ctx.hub), qtbot, case)
    assert not view.classification.isVisibleTo(view)


def test_the_reclassify_dialog_needs_a_reason_too(qtbot: QtBot) -> None:
    dialog = ReclassifyDialog("PR-2026-000042", to_grievance=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Handle PR-2026-000042 as a grievance"
    assert not dialog.accept_button.isEnabled()
    dialog.reason.setPlainText("The patient asked for a formal written response.")
    assert dialog.accept_button.isEnabled()
    dialog.reason.setPlainText("x" * 501)
    assert not dialog.accept_button.isEnabled()
