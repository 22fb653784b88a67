"""The case list: its model, searching, filtering and the empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import Channel
from prdesk.ui import case_list_model
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_list_model import CASE_ID_ROLE, GRIEVANCE, NUMBER, PATIENT, CaseListModel
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


def test_model_passes_the_model_tester(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    make_case("Nguyễn Thị Hương", channel=Channel.LETTER)
    make_case("Łukasz Wiśniewski")
    model = CaseListModel(ctx)
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, NUMBER).data().startswith("PR-")
    letter_row = next(row for row in range(2) if model.index(row, PATIENT).data().startswith("Ng"))
    assert model.index(letter_row, GRIEVANCE).data() == "Yes"


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


def test_status_filter_and_sorting_query_the_database(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    for name in ("Carla Diaz", "Anna Bell", "Ben Chu"):
        make_case(name)
    widget = _list(ctx, qtbot)
    widget.table.sortByColumn(PATIENT, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: _patients(widget.model) == ["Anna Bell", "Ben Chu", "Carla Diaz"])
    widget.status_filter.setCurrentText("Closed")
    qtbot.waitUntil(lambda: widget.model.total == 0)
    widget.status_filter.setCurrentText("Open cases")
    qtbot.waitUntil(lambda: widget.model.total == 3)


def test_pages_load_as_the_view_scrolls(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(case_list_model, "PAGE_SIZE", 2)
    for number in range(5):
        make_case(f"Patient {number}")
    model = CaseListModel(ctx)
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert model.total == 5
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
        wait_idle(qtbot)
    assert model.rowCount() == 5
    assert len({model.index(row, 0).data(CASE_ID_ROLE) for row in range(5)}) == 5


def test_a_change_refreshes_the_list(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    detail = make_case("Nguyễn Thị Hương")  # saved by "another workstation"
    ctx.hub.announce(Change.to_case(detail.id))
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1)
    assert window.case_list.table.isVisible()


def test_enter_opens_the_selected_case(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    detail = make_case("Nguyễn Thị Hương")
    widget = _list(ctx, qtbot)
    widget.table.setFocus()
    widget.table.setCurrentIndex(widget.model.index(0, 0))
    with qtbot.waitSignal(widget.case_activated) as signal:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert signal.args == [detail.id]
