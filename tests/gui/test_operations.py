"""The background-operation helper: results and errors come back on the GUI thread."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.errors import DomainError, NotFound
from prdesk.logs import log_path
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.error_dialog import current_dialog
from tests.gui.conftest import wait_idle


def test_work_runs_off_the_gui_thread_and_delivers_on_it(ctx: AppContext, qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    threads: dict[str, threading.Thread] = {}
    results: list[int] = []

    def work(session: object) -> int:
        threads["work"] = threading.current_thread()
        return 42

    def on_success(value: int) -> None:
        threads["delivery"] = threading.current_thread()
        results.append(value)

    ctx.operation(widget, work, read_only=True).success(on_success).run()
    qtbot.waitUntil(lambda: results == [42])
    assert threads["work"] is not threading.main_thread()
    assert threads["delivery"] is threading.main_thread()


def test_domain_errors_go_to_the_failure_callback(ctx: AppContext, qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    errors: list[DomainError] = []

    def work(session: object) -> None:
        raise NotFound("No case numbered PR-2026-999999.")

    ctx.operation(widget, work).failure(errors.append).run()
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert errors[0].message == "No case numbered PR-2026-999999."


def test_a_change_is_announced_after_commit(ctx: AppContext, qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(ctx.hub.changed) as signal:
        ctx.operation(widget, lambda session: 7).changes(
            lambda case_id: Change.to_case(case_id, Change.TIMELINE)
        ).run()
    assert signal.args == [Change(frozenset({7}), frozenset({Change.TIMELINE}))]


def test_results_for_a_destroyed_widget_are_dropped(ctx: AppContext, qtbot: QtBot) -> None:
    widget = QWidget()
    delivered: list[object] = []
    ctx.operation(widget, lambda session: 1).success(delivered.append).run()
    shiboken6.delete(widget)  # the tab was closed before the database answered
    wait_idle(qtbot)
    assert delivered == []


def test_a_bug_is_reported_without_its_message(ctx: AppContext, qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()

    def work(session: object) -> None:
        raise ValueError("parameters: ('Nguyễn Thị Hương', '1958-03-14')")

    ctx.operation(widget, work).run()
    qtbot.waitUntil(lambda: current_dialog() is not None)
    dialog = current_dialog()
    assert dialog is not None and dialog.windowTitle() == "Unexpected error"
    assert "builtins.ValueError" in dialog.report_text()
    assert "Nguyễn" not in dialog.report_text()
    log = log_path().read_text(encoding="utf-8")
    assert "builtins.ValueError" in log
    assert "Nguyễn" not in log
    dialog.close()


def test_a_change_without_a_hub_is_a_programming_error(ctx: AppContext) -> None:
    from prdesk.ui.operations import Operation

    with pytest.raises(ValueError, match="ChangeHub"):
        Operation(None, ctx.db, lambda session: 1).changes(Change.everything())


def test_slow_reading_alongside_does_not_hold_up_the_ordered_queue(
    ctx: AppContext, qtbot: QtBot
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    release = threading.Event()
    arrived: list[str] = []

    def slow_count(session: object) -> str:
        release.wait(10)
        return "count"

    ctx.operation(widget, slow_count, read_only=True).alongside().success(arrived.append).run()
    ctx.operation(widget, lambda session: "page", read_only=True).success(arrived.append).run()
    qtbot.waitUntil(lambda: arrived == ["page"])
    release.set()
    qtbot.waitUntil(lambda: arrived == ["page", "count"])


def test_work_that_changes_data_cannot_go_alongside(ctx: AppContext) -> None:
    operation = ctx.operation(None, lambda session: None).changes(Change.everything())
    with pytest.raises(ValueError, match="ordered queue"):
        operation.alongside()
