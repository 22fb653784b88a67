"""The case list: its windowed model, scrolling, searching, sorting, deadlines and the empty state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from prdesk.domain import queries
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import Channel
from prdesk.domain.models import Case
from prdesk.domain.queries import CaseFilter
from prdesk.ui import case_list_model, operations
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_list_cells import (
    CASE_ID_ROLE,
    DUE,
    GRIEVANCE,
    NUMBER,
    OVERDUE_COLOR,
    PATIENT,
    PLACEHOLDER,
)
from prdesk.ui.case_list_model import CaseListModel
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, wait_idle


def _patients(model: CaseListModel) -> list[str]:
    return [model.index(row, PATIENT).data() for row in range(model.rowCount())]


def _list(ctx: AppContext, qtbot: QtBot) -> CaseListWidget:
    widget = CaseListWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    wait_idle(qtbot)
    return widget


def _settled(model: CaseListModel, qtbot: QtBot) -> None:
    """Until the model has nothing left to fetch."""
    qtbot.waitUntil(lambda: model.idle and operations.pending() == 0, timeout=10_000)


def test_windowed_model_passes_the_model_tester(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    make_case("Nguyễn Thị Hương", channel=Channel.LETTER)
    for number in range(6):
        make_case(f"Patient {number}")
    model = CaseListModel(ctx, block_size=3, max_blocks=2)
    model.reload()
    qtbot.waitUntil(lambda: model.count_is_exact and model.rowCount() == 7)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    # Reading every row fetches the blocks in turn, holding no more than allowed.
    patients: list[str] = []
    for row in range(7):
        index = model.index(row, PATIENT)

        def arrived(index: QModelIndex = index) -> bool:
            return bool(index.data())

        qtbot.waitUntil(arrived)
        patients.append(index.data())
        assert model.blocks_held <= 2
        if index.data().startswith("Ng"):
            assert model.index(row, GRIEVANCE).data() == "Yes"
    assert sorted(patients) == sorted(["Nguyễn Thị Hương", *(f"Patient {n}" for n in range(6))])
    _settled(model, qtbot)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_scrolling_to_the_end_of_thousands_shows_the_last_case(
    ctx: AppContext, qtbot: QtBot
) -> None:
    generate_demo_data(ctx.db, 2500, seed=3)
    with ctx.db.transaction(read_only=True) as session:
        oldest = session.scalar(select(Case.number).order_by(Case.received_at, Case.id).limit(1))
    widget = CaseListWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    arrivals: list[tuple[int, bool]] = []
    widget.model.loaded.connect(lambda rows, exact: arrivals.append((rows, exact)))
    widget.show()
    wait_idle(qtbot)
    # The first screen of rows comes before the count, then the list grows to every case.
    assert arrivals == [(case_list_model.BLOCK_SIZE, False), (2500, True)]
    assert widget.count_label.text() == "2,500 cases"
    assert widget.model.rowCount() == 2500

    widget.table.scrollToBottom()
    last = widget.model.index(2499, NUMBER)
    qtbot.waitUntil(lambda: last.data() == oldest)
    assert widget.model.blocks_held <= case_list_model.MAX_BLOCKS
    # Back to the top: the newest case again.
    widget.table.scrollToTop()
    qtbot.waitUntil(lambda: widget.model.index(0, NUMBER).data() != PLACEHOLDER)


def test_fast_typing_runs_the_first_query_at_once_and_then_only_the_newest(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case("Nguyễn Thị Hương")
    make_case("Robert O'Brien")
    widget = _list(ctx, qtbot)
    asked: list[str] = []
    real = queries.list_cases

    def recording(session: object, case_filter: CaseFilter, **kwargs: object) -> object:
        asked.append(case_filter.search)
        return real(session, case_filter, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(case_list_model, "list_cases", recording)
    for text in ("o", "ob", "obr", "obri", "obrie", "obrien"):
        widget.model.set_filter(CaseFilter(search=text))
    _settled(widget.model, qtbot)
    # "o" went at once; what was typed while it ran was replaced by the newest text.
    assert asked == ["o", "obrien"]
    assert _patients(widget.model) == ["Robert O'Brien"]


def test_empty_database_shows_how_to_start(ctx: AppContext, qtbot: QtBot) -> None:
    widget = _list(ctx, qtbot)
    assert widget.empty_state.isVisible()
    assert "press Ctrl+N to log the first one" in widget.empty_state.text()
    assert widget.count_label.text() == "0 cases"


def test_search_is_accent_insensitive(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    make_case("Nguyễn Thị Hương")
    make_case("Robert O'Brien")
    widget = _list(ctx, qtbot)
    assert widget.count_label.text() == "2 cases"

    qtbot.keyClicks(widget.search, "nguyen")
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1)
    assert _patients(widget.model) == ["Nguyễn Thị Hương"]
    assert widget.count_label.text() == "1 case"

    qtbot.keyClick(widget.search, Qt.Key.Key_Escape)
    assert widget.search.text() == ""
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2)


def test_search_with_query_syntax_shows_no_error_and_no_rows(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Nguyễn Thị Hương")
    widget = _list(ctx, qtbot)
    widget.search.setText("'\" OR 1=1 -- %_*")
    qtbot.waitUntil(lambda: widget.model.total == 0)
    assert widget.model.rowCount() == 0
    assert "No cases match" in widget.empty_state.text()
    assert widget.count_label.text() == "0 cases"


def test_sorting_by_a_column_queries_the_database(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    for name in ("Carla Diaz", "anna Bell", "Ben Chu"):
        make_case(name)
    widget = _list(ctx, qtbot)
    widget.table.sortByColumn(PATIENT, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: _patients(widget.model) == ["anna Bell", "Ben Chu", "Carla Diaz"])
    widget.table.sortByColumn(PATIENT, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: _patients(widget.model) == ["Carla Diaz", "Ben Chu", "anna Bell"])
    assert widget.current_sort()[1] is True


def test_overdue_and_due_soon_cases_stand_out(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    today = date.today()
    late = make_case("Anna Bell")
    soon = make_case("Ben Chu")
    paused = make_case("Carla Diaz")
    with ctx.db.transaction() as session:
        for case_id, values in (
            (late.id, {"due_on": today - timedelta(days=3), "acknowledged_on": today}),
            (soon.id, {"due_on": today + timedelta(days=1), "acknowledged_on": None}),
            (paused.id, {"due_on": None, "clock_paused_on": today}),
        ):
            session.execute(update(Case).where(Case.id == case_id).values(**values))
        session.execute(
            update(Case).where(Case.id == soon.id).values(acknowledge_due_on=today + timedelta(1))
        )
    widget = _list(ctx, qtbot)
    model = widget.model
    cells = {model.index(r, PATIENT).data(): model.index(r, DUE) for r in range(3)}
    assert cells["Anna Bell"].data().startswith("Overdue")
    assert cells["Anna Bell"].data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert "response was due" in cells["Anna Bell"].data(Qt.ItemDataRole.ToolTipRole)
    assert cells["Ben Chu"].data().startswith("Soon")
    assert cells["Ben Chu"].data(Qt.ItemDataRole.ToolTipRole).startswith("Acknowledgement due")
    assert cells["Carla Diaz"].data() == "Paused"
    assert "paused" in cells["Carla Diaz"].data(Qt.ItemDataRole.ToolTipRole)


def test_a_change_refreshes_the_list(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    detail = make_case("Nguyễn Thị Hương")  # saved by "another workstation"
    ctx.hub.announce(Change.to_case(detail.id))
    # The rows come first and the count of matches after them, then the table shows.
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1)
    qtbot.waitUntil(window.case_list.table.isVisible)
    assert window.case_list.model.index(0, PATIENT).data() == "Nguyễn Thị Hương"


def test_refresh_reloads_the_rows_in_view(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    first = make_case("Anna Bell")
    widget = _list(ctx, qtbot)
    with ctx.db.transaction() as session:
        session.execute(update(Case).where(Case.id == first.id).values(number="PR-2026-777777"))
    widget.on_changed(Change.to_case(first.id))
    qtbot.waitUntil(lambda: widget.model.index(0, NUMBER).data() == "PR-2026-777777")


def test_enter_opens_the_selected_case(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    detail = make_case("Nguyễn Thị Hương")
    widget = _list(ctx, qtbot)
    widget.table.setFocus()
    widget.table.setCurrentIndex(widget.model.index(0, 0))
    with qtbot.waitSignal(widget.case_activated) as signal:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert signal.args == [detail.id]
    assert widget.model.index(0, 0).data(CASE_ID_ROLE) == detail.id


def test_a_change_while_a_search_loads_still_shows_the_search_from_the_top(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Robert O'Brien")
    for number in range(24):
        make_case(f"Patient {number}")
    model = CaseListModel(ctx, block_size=4, max_blocks=3)
    model.reload()
    _settled(model, qtbot)
    qtbot.waitUntil(lambda: model.rowCount() == 25)
    last = model.index(24, PATIENT)
    last.data()  # the view paints the end of the list: its block is fetched
    qtbot.waitUntil(lambda: model.index(24, PATIENT).data() == "Robert O'Brien")
    # Someone saves a change just as the coordinator searches.
    model.set_filter(CaseFilter(search="obrien"))
    model.refresh()
    _settled(model, qtbot)
    assert _patients(model) == ["Robert O'Brien"]


def test_a_new_search_shows_its_newest_matches_at_the_top(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    for number in range(40):
        make_case(f"Patient {number}")
    widget = _list(ctx, qtbot)
    widget.table.scrollToBottom()
    qtbot.waitUntil(lambda: widget.table.verticalScrollBar().value() > 0)
    widget.search.setText("patient 3")
    qtbot.waitUntil(lambda: widget.model.case_filter.search == "patient 3")
    _settled(widget.model, qtbot)
    assert widget.table.verticalScrollBar().value() == 0
    assert widget.model.index(0, PATIENT).data().startswith("Patient 3")
