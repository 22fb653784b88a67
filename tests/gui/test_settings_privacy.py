"""What PR Desk remembers on this computer between sessions holds no patient's name, and only
its user can read it."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from prdesk import config
from prdesk.domain.database import parse_url
from prdesk.domain.queries import CaseFilter
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.context import AppContext
from prdesk.ui.settings import ui_settings
from tests.gui.conftest import CaseMaker, wait_idle

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps no mode bits")


def _list(ctx: AppContext, qtbot: QtBot) -> CaseListWidget:
    widget = CaseListWidget(ctx)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot)
    return widget


def _settings_file() -> str:
    ui_settings().sync()
    return (config.config_dir() / "window.ini").read_text(encoding="utf-8", errors="replace")


def test_the_filter_is_remembered_but_not_what_was_searched_for(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    make_case("Nguyễn Thị Hương")
    widget = _list(ctx, qtbot)
    widget.set_criteria(CaseFilter(open_only=True, grievance=True))
    widget.search.setText("Nguyen Thi Huong")
    qtbot.waitUntil(lambda: widget.current_filter().search == "Nguyen Thi Huong")

    widget.save_state(ui_settings())

    kept = _settings_file()
    assert "Nguyen" not in kept and "Huong" not in kept
    restarted = _list(ctx, qtbot)
    restarted.restore_state(ui_settings())
    assert restarted.chips.labels() == ["Open cases", "Grievances only"]
    assert restarted.search.text() == ""


def test_a_search_kept_by_an_earlier_version_is_dropped(ctx: AppContext, qtbot: QtBot) -> None:
    settings = ui_settings()
    settings.setValue("case_list/filter", json.dumps({"search": "Nguyễn", "open_only": True}))
    settings.sync()

    widget = _list(ctx, qtbot)
    widget.restore_state(ui_settings())
    assert widget.chips.labels() == ["Open cases"]
    assert widget.search.text() == "" and widget.current_filter().search == ""
    widget.save_state(ui_settings())

    assert "Nguy" not in _settings_file()
    wait_idle(qtbot)


@posix_only
def test_the_settings_folder_made_for_the_window_is_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(config.ENV_HOME, str(tmp_path / "first start"))

    ui_settings().setValue("main_window/geometry", b"1")
    ui_settings().sync()

    assert (config.config_dir() / "window.ini").exists()
    assert stat.S_IMODE(config.config_dir().stat().st_mode) == 0o700


@posix_only
def test_the_settings_folder_made_for_a_connection_is_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(config.ENV_HOME, str(tmp_path / "first start"))

    config.save_profile(parse_url("postgresql+psycopg://mgarcia@dbhost/prdesk"))

    assert (config.config_dir() / "connection.json").exists()
    assert stat.S_IMODE(config.config_dir().stat().st_mode) == 0o700
