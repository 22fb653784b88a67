"""Saved views, chosen columns kept across restarts, and assigning cases from the list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import Role
from prdesk.domain.models import Case
from prdesk.domain.queries import CaseFilter, SortKey
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, users
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_list_assign import CaseAssigner
from prdesk.ui.case_list_cells import PATIENT
from prdesk.ui.context import AppContext
from prdesk.ui.settings import ui_settings
from tests.gui.conftest import CaseMaker, wait_idle


def _list(ctx: AppContext, qtbot: QtBot) -> CaseListWidget:
    widget = CaseListWidget(ctx)
    qtbot.addWidget(widget)
    ctx.hub.changed.connect(widget.on_changed)  # as the main window wires it
    widget.resize(1280, 600)
    widget.show()
    wait_idle(qtbot)
    return widget


def _settle(widget: CaseListWidget, qtbot: QtBot) -> None:
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: widget.model.idle)
    wait_idle(qtbot)


def _patients(widget: CaseListWidget, qtbot: QtBot) -> list[str]:
    _settle(widget, qtbot)
    model = widget.model
    return sorted(model.index(row, PATIENT).data() for row in range(model.rowCount()))


def _column(widget: CaseListWidget, title: str) -> int:
    model = widget.model
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )


def _colleague(ctx: AppContext, username: str, name: str) -> UserInfo:
    with ctx.db.transaction() as session:
        return users.resolve_actor(session, username, name)


def test_built_in_views_show_their_cases(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    anna = make_case("Anna Bell")
    make_case("Ben Chu")
    with ctx.db.transaction() as session:
        cases.assign_case(session, ctx.actor, anna.id, anna.version, ctx.actor.id)
    widget = _list(ctx, qtbot)
    names = [widget.views.combo.itemText(i) for i in range(widget.views.combo.count())]
    assert names[:3] == ["All cases", "Open cases", "My open cases"]
    widget.views.choose("My open cases")
    assert _patients(widget, qtbot) == ["Anna Bell"]
    assert widget.chips.labels() == ["Open cases", "Assigned to: me"]
    widget.views.choose("Unassigned")
    assert _patients(widget, qtbot) == ["Ben Chu"]
    widget.views.choose("Waiting on a department")
    assert _patients(widget, qtbot) == []
    assert "No cases match these filters" in widget.empty_state.text()


def test_save_rename_and_delete_a_view(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    make_case("Anna Bell")
    widget = _list(ctx, qtbot)
    widget.set_criteria(CaseFilter(grievance=True, open_only=True))
    assert widget.views.combo.currentText() == ""  # "Custom filter"
    assert widget.views.save_action.isEnabled()
    widget.views.save_as("Open grievances")
    qtbot.waitUntil(lambda: widget.views.combo.currentText() == "Open grievances")
    assert widget.views.rename_action.isEnabled() and widget.views.delete_action.isEnabled()

    # The view is there for the same person in a new window, and brings its filters back.
    again = _list(ctx, qtbot)
    again.views.choose("Open grievances")
    assert again.chips.labels() == ["Open cases", "Grievances only"]
    assert again.current_filter() == CaseFilter(grievance=True, open_only=True)

    widget.views.rename("Grievances still open")
    qtbot.waitUntil(lambda: widget.views.combo.currentText() == "Grievances still open")
    widget.views.delete()
    qtbot.waitUntil(lambda: widget.views.combo.findText("Grievances still open") < 0)
    assert widget.views.combo.currentText() == ""
    assert widget.chips.labels() == ["Open cases", "Grievances only"]  # the filters stay


def test_a_refused_view_name_is_explained(ctx: AppContext, qtbot: QtBot) -> None:
    widget = _list(ctx, qtbot)
    widget.set_criteria(CaseFilter(open_only=True, unassigned=True, grievance=True))
    widget.views.save_as("Overdue")
    qtbot.waitUntil(lambda: widget.info.isVisible())
    assert widget.info.text() == "There is already a view named “Overdue”."
    assert widget.chips.labels() == ["Open cases", "Grievances only", "Assigned to: nobody"]


def test_columns_chosen_moved_and_sized_are_kept(ctx: AppContext, qtbot: QtBot) -> None:
    widget = _list(ctx, qtbot)
    header = widget.header
    menu = header.column_menu()
    titles = [action.text() for action in menu.actions() if action.isCheckable()]
    assert "Channel" in titles and "Raised by" in titles
    next(a for a in menu.actions() if a.text() == "Channel").trigger()  # show it
    next(a for a in menu.actions() if a.text() == "Severity").trigger()  # hide it
    patient = _column(widget, "Patient")
    header.moveSection(header.visualIndex(patient), 0)
    header.resizeSection(patient, 321)
    widget.table.sortByColumn(patient, Qt.SortOrder.AscendingOrder)
    shown = widget.visible_columns()
    assert shown[0] == ("Patient", "patient")
    assert ("Channel", "channel") in shown and ("Severity", "severity") not in shown
    widget.save_state(ui_settings())

    restarted = CaseListWidget(ctx)
    qtbot.addWidget(restarted)
    restarted.restore_state(ui_settings())
    assert restarted.visible_columns() == shown
    assert restarted.header.sectionSize(patient) == 321
    assert restarted.current_sort() == (SortKey.PATIENT, False)
    wait_idle(qtbot)


def test_the_last_column_cannot_be_hidden(ctx: AppContext, qtbot: QtBot) -> None:
    widget = _list(ctx, qtbot)
    for logical in range(1, widget.model.columnCount()):
        widget.header.setSectionHidden(logical, True)
    menu = widget.header.column_menu()
    number = next(a for a in menu.actions() if a.text() == "Number")
    assert number.isChecked() and not number.isEnabled()
    next(a for a in menu.actions() if a.text() == "&Reset columns").trigger()
    assert ("Patient", "patient") in widget.visible_columns()


def test_assign_selected_cases_from_the_list(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Anna Bell")
    make_case("Ben Chu")
    make_case("Carla Diaz")
    samuel = _colleague(ctx, "sokafor", "Samuel Okafor")
    widget = _list(ctx, qtbot)
    widget.table.sortByColumn(_column(widget, "Patient"), Qt.SortOrder.AscendingOrder)
    _settle(widget, qtbot)
    widget.table.selectRow(0)
    widget.table.selectionModel().select(
        widget.model.index(2, 0),
        widget.table.selectionModel().SelectionFlag.Select
        | widget.table.selectionModel().SelectionFlag.Rows,
    )
    assert [row.patient_name for row in widget.selected_rows()] == ["Anna Bell", "Carla Diaz"]

    menu = widget.row_menu()
    assign = next(a.menu() for a in menu.actions() if a.text().startswith("&Assign to"))
    assert isinstance(assign, QMenu)
    assert "Samuel Okafor" in [action.text() for action in assign.actions()]
    next(a for a in assign.actions() if a.text() == "Samuel Okafor").trigger()
    _settle(widget, qtbot)
    assignee = _column(widget, "Assigned to")
    shown = {
        widget.model.index(r, PATIENT).data(): widget.model.index(r, assignee).data()
        for r in range(3)
    }
    assert shown == {"Anna Bell": "Samuel Okafor", "Ben Chu": "", "Carla Diaz": "Samuel Okafor"}
    with ctx.db.transaction(read_only=True) as session:
        assigned = session.query(Case).filter(Case.assignee_id == samuel.id).count()
    assert assigned == 2


def test_assigning_a_case_someone_else_just_changed_is_refused(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    anna = make_case("Anna Bell")
    samuel = _colleague(ctx, "sokafor", "Samuel Okafor")
    olena = _colleague(ctx, "opetrenko", "Olena Petrenko")
    widget = _list(ctx, qtbot)
    widget.table.selectRow(0)
    with ctx.db.transaction() as session:  # another coordinator, a moment earlier
        cases.assign_case(session, ctx.actor, anna.id, anna.version, olena.id)
    widget.assign_selected(samuel.id)
    qtbot.waitUntil(lambda: widget.info.isVisible())
    assert "changed by someone else" in widget.info.text()
    assert anna.number in widget.info.text()
    _settle(widget, qtbot)
    assignee = _column(widget, "Assigned to")
    qtbot.waitUntil(lambda: widget.model.index(0, assignee).data() == "Olena Petrenko")


def test_only_coordinators_assign(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    make_case("Anna Bell")
    representative = replace(ctx, actor=replace(ctx.actor, role=Role.REPRESENTATIVE))
    widget = _list(representative, qtbot)
    widget.table.selectRow(0)
    menu = widget.row_menu()
    assign = next(a for a in menu.actions() if a.text().startswith("&Assign to"))
    assert not assign.isEnabled()


def test_two_assignments_in_quick_succession_each_report_their_own_outcome(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Anna Bell"), make_case("Ben Chu")
    carla = make_case("Carla Diaz")
    samuel = _colleague(ctx, "sokafor", "Samuel Okafor")
    widget = _list(ctx, qtbot)
    loaded = (widget.model.row_at(widget.model.index(number, 0)) for number in range(3))
    rows = {row.patient_name: row for row in loaded if row is not None}
    with ctx.db.transaction() as session:  # Carla's case changes before the second batch
        cases.assign_case(session, ctx.actor, carla.id, carla.version, ctx.actor.id)
    outcomes: list[tuple[int, list[str]]] = []
    assigner = CaseAssigner(ctx, widget)
    assigner.finished.connect(lambda done, problems: outcomes.append((done, problems)))
    assigner.assign([rows["Anna Bell"], rows["Ben Chu"]], samuel.id)
    assigner.assign([rows["Carla Diaz"]], samuel.id)
    qtbot.waitUntil(lambda: len(outcomes) == 2)
    wait_idle(qtbot)
    assert outcomes[0] == (2, [])
    assert outcomes[1][0] == 0 and carla.number in outcomes[1][1][0]
