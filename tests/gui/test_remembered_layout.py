"""What PR Desk remembers between sessions: the cases open in tabs, dividers and window sizes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from prdesk.config import config_dir
from prdesk.domain.database import Database
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import users
from prdesk.ui.attachment_window import AttachmentWindow
from prdesk.ui.audit_log_view import open_audit_trail
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from prdesk.ui.open_cases import settings_key
from prdesk.ui.settings import REOPEN_CASES
from tests.gui.conftest import CaseMaker, shown_new_case_dialog, shown_window, wait_idle


def _three_cases(make_case: CaseMaker) -> list[CaseDetail]:
    return [
        make_case("Nguyễn Thị Hương"),
        make_case("Łukasz Kowalski"),
        make_case("Amara Okafor"),
    ]


def _quit_with_open(ctx: AppContext, qtbot: QtBot, opened: list[CaseDetail], front: int) -> None:
    """Opens these cases in tabs, brings one to the front and closes the window."""
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    for detail in opened:
        window.tabs.open_case(detail.id)
    wait_idle(qtbot)
    in_front = window.tabs.view_of(opened[front].id)
    assert in_front is not None
    window.tabs.setCurrentWidget(in_front)
    assert window.close()
    wait_idle(qtbot)


def _tab_titles(window: MainWindow) -> list[str]:
    tabs = window.tabs
    assert tabs is not None
    return [tabs.tabText(tabs.indexOf(view)) for view in tabs.case_views()]


def _front_title(window: MainWindow) -> str:
    assert window.tabs is not None
    return window.tabs.tabText(window.tabs.currentIndex())


def _settled(window: MainWindow, count: int) -> bool:
    """All `count` reopened cases are on screen, loaded."""
    assert window.tabs is not None
    views = window.tabs.case_views()
    return len(views) == count and all(view.detail is not None for view in views)


def test_the_cases_open_at_quit_open_again_in_their_tabs(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    opened = _three_cases(make_case)
    _quit_with_open(ctx, qtbot, opened, front=1)
    window = shown_window(ctx, qtbot)
    qtbot.waitUntil(lambda: _settled(window, 3), timeout=10_000)
    assert _tab_titles(window) == [detail.number for detail in opened]
    assert _front_title(window) == opened[1].number
    assert window.status.currentMessage() == ""
    window.close()


def test_with_the_list_in_front_the_list_stays_in_front(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    opened = _three_cases(make_case)
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    for detail in opened:
        window.tabs.open_case(detail.id)
    window.tabs.show_list()
    window.close()
    again = shown_window(ctx, qtbot)
    qtbot.waitUntil(lambda: _settled(again, 3), timeout=10_000)
    assert _front_title(again) == "Cases"
    again.close()


def test_nothing_opens_again_when_the_preference_is_off(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    _quit_with_open(ctx, qtbot, _three_cases(make_case), front=1)
    REOPEN_CASES.set(False)
    window = shown_window(ctx, qtbot)
    wait_idle(qtbot)
    assert window.tabs is not None and window.tabs.case_views() == []
    assert _front_title(window) == "Cases"
    window.close()


def test_another_database_does_not_open_the_cases_of_this_one(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    opened = _three_cases(make_case)
    # A copy: the same case ids, in another database.
    ctx.db.dispose()
    other_path = tmp_path / "other.db"
    shutil.copyfile(str(ctx.db.url.database), other_path)
    _quit_with_open(ctx, qtbot, opened, front=1)
    other = Database(f"sqlite:///{other_path}")
    try:
        with other.transaction() as session:
            actor = users.resolve_actor(session, "mgarcia", "María García")
        window = shown_window(AppContext(other, actor, ChangeHub()), qtbot)
        wait_idle(qtbot)
        assert window.tabs is not None and window.tabs.case_views() == []
        window.close()
        wait_idle(qtbot)
    finally:
        other.dispose()


def test_a_case_deleted_since_is_skipped_with_a_word_in_the_status_bar(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    opened = _three_cases(make_case)
    _quit_with_open(ctx, qtbot, opened, front=2)
    with ctx.db.transaction() as session:
        session.execute(text("DELETE FROM cases WHERE id = :id"), {"id": opened[0].id})
    window = shown_window(ctx, qtbot)
    qtbot.waitUntil(
        lambda: window.status.currentMessage() == "1 case you had open is no longer available.",
        timeout=10_000,
    )
    assert _settled(window, 2)
    assert _tab_titles(window) == [opened[1].number, opened[2].number]
    assert _front_title(window) == opened[2].number
    window.close()


def test_only_case_ids_are_kept(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> None:
    opened = _three_cases(make_case)
    _quit_with_open(ctx, qtbot, opened, front=0)
    kept = (config_dir() / "window.ini").read_text(encoding="utf-8", errors="replace")
    for detail in opened:
        assert detail.number not in kept
        assert detail.patient.full_name.split()[0] not in kept
    assert str(ctx.db.url.database) not in kept


@pytest.fixture
def garbage_settings(ctx: AppContext) -> Iterator[None]:
    path = config_dir() / "window.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = (
        "main_window/geometry",
        "main_window/state",
        "case_list/header",
        "case_list/columns",
        "case_list/filter",
        "case_view/splitter",
        "timeline/formSplitter",
        "timeline/detailSplitter",
        "preferences/reopen_cases",
        "new_case_dialog/size",
        "audit_trail/geometry",
        "audit_trail/splitters",
    )
    lines = ["[General]", *(f"{key}=@ByteArray(\\x1\\xff nonsense {{[" for key in keys)]
    opened = settings_key(ctx.db).removeprefix("open_cases/")
    lines += ["[open_cases]", f"{opened}=[not json", "\x00\x07ÿ=="]
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\xff\xfe\n[[[")
    yield


def test_a_broken_settings_file_starts_with_the_defaults(
    garbage_settings: None, ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case()
    window = shown_window(ctx, qtbot)
    assert window.size() == QSize(1280, 800)
    assert window.tabs is not None and window.tabs.case_views() == []
    case_list = window.case_list
    assert case_list is not None
    qtbot.waitUntil(lambda: case_list.count_label.text() == "1 case", timeout=10_000)
    window.close()


def test_the_divider_between_a_cases_details_and_its_work_is_kept(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    detail = make_case()
    first = CaseView(ctx, detail.id)
    qtbot.addWidget(first)
    first.resize(1200, 700)
    first.show()
    wait_idle(qtbot)
    first.splitter.moveSplitter(300, 1)
    moved = first.splitter.sizes()
    second = CaseView(ctx, detail.id)
    qtbot.addWidget(second)
    second.resize(1200, 700)
    second.show()
    wait_idle(qtbot)
    assert second.splitter.sizes() == moved
    assert moved[0] == 300


def test_the_new_case_dialog_opens_at_the_size_it_was_left(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = shown_new_case_dialog(ctx, qtbot)
    dialog.resize(1000, 640)
    dialog.reject()
    again = shown_new_case_dialog(ctx, qtbot)
    assert again.size() == QSize(1000, 640)
    again.reject()


def test_the_audit_trail_window_opens_where_it_was_left(ctx: AppContext, qtbot: QtBot) -> None:
    # Each window deletes itself when closed: closed here, not by qtbot.
    window = open_audit_trail(ctx, None)
    wait_idle(qtbot)
    window.resize(window.width(), 560)
    window.close()
    again = open_audit_trail(ctx, None)
    wait_idle(qtbot)
    assert again.height() == 560
    again.close()
    wait_idle(qtbot)


def test_the_attachment_window_opens_where_it_was_left(ctx: AppContext, qtbot: QtBot) -> None:
    window = AttachmentWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(window.width(), 540)
    window.close()
    again = AttachmentWindow(ctx)
    qtbot.addWidget(again)
    assert again.height() == 540
