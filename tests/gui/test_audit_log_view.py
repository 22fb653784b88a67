"""The audit trail window: an auditor filters, reads one entry's old and new values, exports."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import CaseStatus, Role
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.audit_trail import AuditFilter, AuditKind
from prdesk.ui.audit_log_model import AuditLogModel
from prdesk.ui.audit_log_view import AuditLogWindow
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from tests.gui.conftest import CaseMaker, shown_window, wait_idle
from tests.support.builders import colleague


def auditor_context(ctx: AppContext) -> AppContext:
    auditor = colleague(ctx.db, "qaudit", "Quinn Auditor", Role.AUDITOR)
    return AppContext(
        ctx.db,
        UserInfo(auditor.id, auditor.username, auditor.display_name, Role.AUDITOR),
        ChangeHub(),
    )


def worked(ctx: AppContext, make_case: CaseMaker, patient: str = "Ana Souza") -> CaseDetail:
    """A case opened, assigned and moved to investigating by the coordinator."""
    case = make_case(patient)
    with ctx.db.transaction() as session:
        detail = cases.view_case(session, ctx.actor, case.id)
        detail = cases.assign_case(session, ctx.actor, case.id, detail.version, ctx.actor.id)
        return cases.change_status(
            session, ctx.actor, case.id, detail.version, CaseStatus.INVESTIGATING
        )


def shown(ctx: AppContext, qtbot: QtBot, wanted: AuditFilter | None = None) -> AuditLogWindow:
    window = AuditLogWindow(ctx, None, wanted)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    return window


def column(model: AuditLogModel, title: str) -> list[str]:
    number = model.headers.index(title)
    return [str(model.index(row, number).data()) for row in range(model.rowCount())]


def pick(window: AuditLogWindow, description: str) -> None:
    row = column(window.model, "Description").index(description)
    window.table.selectRow(row)


def test_an_auditor_reads_a_change_with_its_old_and_new_values(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    case = worked(ctx, make_case)
    window = shown(auditor_context(ctx), qtbot)

    qtmodeltester.check(window.model)  # type: ignore[attr-defined]
    said = column(window.model, "Description")
    assert "Opened the case" in said
    assert "Changed status: Assigned → Investigating" in said
    assert window.caption.text() == f"{window.model.rowCount()} entries"
    pick(window, "Changed status: Assigned → Investigating")
    detail = window.detail
    fields = {
        detail.values.item(row, 0).text(): (
            detail.values.item(row, 1).text(),
            detail.values.item(row, 2).text(),
        )
        for row in range(detail.values.rowCount())
    }
    assert fields["status"] == ("Assigned", "Investigating")
    assert "Changed status: Assigned → Investigating" in detail.heading.text()
    assert case.number in detail.heading.text()


def test_filters_narrow_the_entries_and_the_count(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    worked(ctx, make_case)
    window = shown(auditor_context(ctx), qtbot)

    window.filters.kind.setCurrentIndex(window.filters.kind.findData(AuditKind.VIEWS.value))
    wait_idle(qtbot)

    # Reading the trail is itself an opening, recorded with what was asked for.
    assert column(window.model, "Description") == [
        "Read the audit trail (kind: views)",
        "Read the audit trail",
        "Opened the case",
    ]
    assert column(window.model, "Who") == ["Quinn Auditor (qaudit)"] * 2 + [
        "María García (mgarcia)"
    ]
    assert window.caption.text() == "3 entries"

    window.filters.case.setText("PR-1999-000001")
    window.filters.case.editingFinished.emit()
    wait_idle(qtbot)
    assert window.model.rowCount() == 0
    assert window.caption.text() == "There is no case PR-1999-000001."


def test_long_trails_arrive_page_by_page(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    for patient in ("Ana Souza", "Robert O'Brien", "Anna Wang"):
        worked(ctx, make_case, patient)
    model = AuditLogModel(auditor_context(ctx), None, page_size=5)
    model.set_filter(AuditFilter())
    wait_idle(qtbot)
    assert model.rowCount() == 5
    assert model.total is not None and model.total > 10

    while model.canFetchMore():
        model.fetchMore()
        wait_idle(qtbot)

    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == model.total
    ids = [model.row_at(row).id for row in range(model.rowCount())]  # type: ignore[union-attr]
    assert ids == sorted(set(ids), reverse=True)


def test_the_case_in_front_opens_its_own_trail(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    first = worked(ctx, make_case, "Ana Souza")
    second = worked(ctx, make_case, "Anna Wang")
    auditor = auditor_context(ctx)
    main = shown_window(auditor, qtbot)
    assert main.commands["audit_trail"].isEnabled()
    assert main.tabs is not None
    main.tabs.open_case(second.id)
    wait_idle(qtbot)
    assert isinstance(main.tabs.currentWidget(), CaseView)

    main.commands["case_audit_trail"].trigger()
    wait_idle(qtbot)

    window = next(w for w in main.findChildren(QWidget) if isinstance(w, AuditLogWindow))
    assert window.filters.case.text() == second.number
    numbers = set(column(window.model, "Case"))
    assert numbers == {second.number}
    assert first.number not in numbers
    # The auditor's opening of the case is in its trail too.
    assert "Quinn Auditor (qaudit)" in column(window.model, "Who")

    # Another number typed over it shows that case's trail instead.
    window.filters.case.selectAll()
    qtbot.keyClicks(window.filters.case, first.number)
    qtbot.keyClick(window.filters.case, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert set(column(window.model, "Case")) == {first.number}


def test_a_representative_is_not_offered_the_trail(ctx: AppContext, qtbot: QtBot) -> None:
    rep = colleague(ctx.db, "rrep", "Rita Rep", Role.REPRESENTATIVE)
    main = shown_window(AppContext(ctx.db, rep, ChangeHub()), qtbot)

    assert not main.commands["audit_trail"].isEnabled()
    assert not main.commands["case_audit_trail"].isEnabled()


def test_export_writes_the_entries_shown(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = worked(ctx, make_case)
    window = shown(auditor_context(ctx), qtbot, AuditFilter(case_number=case.number))
    target = tmp_path / "trail.csv"
    window.choose_path = lambda parent, suggested: target

    qtbot.keyClick(window.export_button, Qt.Key.Key_Space)
    wait_idle(qtbot)

    with target.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert [line[7] for line in lines[1:]] == column(window.model, "Description")
    assert window.export_button.isEnabled()
