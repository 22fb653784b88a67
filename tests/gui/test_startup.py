"""Starting PR Desk: schema check and sign-in in the background, then the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.services import users
from prdesk.ui import operations
from prdesk.ui.app import run_gui
from prdesk.ui.changes import ChangeHub
from prdesk.ui.main_window import MainWindow
from prdesk.ui.startup import Startup
from prdesk.ui.startup_window import StartupWindow
from prdesk.ui.status_bar import StatusBar
from tests.gui.conftest import wait_idle


def _startup(qtbot: QtBot, db: Database) -> tuple[Startup, StartupWindow]:
    window = StartupWindow(db.display_name)
    qtbot.addWidget(window)
    window.show()
    return Startup(db, "mgarcia", "María García", ChangeHub(), window), window


def test_a_new_database_is_created_and_its_first_user_administers_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    startup, window = _startup(qtbot, db)
    assert window.message.text().startswith("Connecting to sqlite:///")
    with qtbot.waitSignal(startup.ready, timeout=20_000) as ready:
        startup.start()
    ctx = ready.args[0]
    assert (ctx.actor.display_name, ctx.actor.role) == ("María García", Role.ADMINISTRATOR)
    wait_idle(qtbot)
    db.dispose()


def test_an_unreachable_database_offers_retry_then_quits(qtbot: QtBot) -> None:
    db = Database("postgresql+psycopg://prdesk:secret@127.0.0.1:1/prdesk")
    startup, window = _startup(qtbot, db)
    assert "secret" not in window.message.text()
    asked: list[str] = []

    def ask_retry(message: str) -> bool:
        asked.append(message)
        return len(asked) < 2  # retry once, then give up

    startup.ask_retry = ask_retry  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.gave_up, timeout=30_000) as gave_up:
        startup.start()
    assert gave_up.args == [1]
    assert len(asked) == 2
    assert asked[0].startswith("Cannot reach the database")
    assert "secret" not in asked[0]
    wait_idle(qtbot)
    db.dispose()


def test_run_gui_opens_the_main_window_and_returns_the_exit_code(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    seen: list[MainWindow] = []
    # A window an earlier test left behind is not the one run_gui opens.
    earlier = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]

    def close_when_shown() -> None:
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and not any(w is old for old in earlier)
        ]
        if windows and windows[0].isVisible():
            seen.append(windows[0])
            # PR Desk quits when its last window closes: windows other tests left open
            # (the guide, About) would keep it running.
            for other in QApplication.topLevelWidgets():
                if other is not windows[0] and other.isVisible():
                    other.close()
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_shown)

    QTimer.singleShot(0, close_when_shown)
    assert run_gui(sqlite_db, "mgarcia", "María García") == 0
    window = seen[0]
    assert window.windowTitle() == "PR Desk"
    assert QApplication.applicationName() == "PR Desk"
    status = window.statusBar()
    assert isinstance(status, StatusBar)
    assert status.user.text() == "María García (Administrator)"
    assert status.database.text() == sqlite_db.display_name
    window.deleteLater()


def _record_bugs(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """The operation's bug box, recorded instead of shown (it must not outlive the test)."""
    bugs: list[BaseException] = []
    monkeypatch.setattr(operations, "show_unexpected_error", lambda _parent, e: bugs.append(e))
    return bugs


def test_a_bug_in_the_schema_check_ends_start_up_instead_of_connecting_for_ever(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_db: Database, **_options: bool) -> None:
        raise RuntimeError("a bug, not a database problem")

    monkeypatch.setattr(schema, "ensure_ready", broken)
    bugs = _record_bugs(monkeypatch)
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    startup, _window = _startup(qtbot, db)
    asked: list[str] = []

    def ask_retry(message: str) -> bool:
        asked.append(message)
        return False  # Quit

    startup.ask_retry = ask_retry  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.gave_up, timeout=10_000) as gave_up:
        startup.start()
    assert gave_up.args == [1]
    assert [type(bug) for bug in bugs] == [RuntimeError]
    assert len(asked) == 1 and "unexpected error" in asked[0]
    wait_idle(qtbot)
    db.dispose()


def test_a_bug_while_signing_in_offers_retry_then_quits(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug, not a database problem")

    monkeypatch.setattr(users, "resolve_actor", broken)
    bugs = _record_bugs(monkeypatch)
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    startup, window = _startup(qtbot, db)
    answers = [True, False]  # retry once, then quit
    asked: list[str] = []

    def ask_retry(message: str) -> bool:
        asked.append(window.message.text())
        return answers.pop(0)

    startup.ask_retry = ask_retry  # type: ignore[method-assign]
    ready: list[object] = []
    startup.ready.connect(ready.append)
    with qtbot.waitSignal(startup.gave_up, timeout=20_000) as gave_up:
        startup.start()
    assert gave_up.args == [1]
    assert asked == ["Signing in…", "Signing in…"]
    assert len(bugs) == 2 and ready == []
    wait_idle(qtbot)
    db.dispose()


def test_an_empty_shared_database_gets_its_tables_only_when_the_user_agrees(
    qtbot: QtBot, tmp_path: Path
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'shared.db'}")
    window = StartupWindow(db.display_name)
    qtbot.addWidget(window)
    startup = Startup(db, "mgarcia", None, ChangeHub(), window, create_if_empty=False)
    asked: list[str] = []
    startup.ask_upgrade = lambda message: asked.append(message) or False  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.gave_up, timeout=20_000):
        startup.start()
    assert "is empty" in asked[0]
    assert schema.schema_state(db).empty

    startup.ask_upgrade = lambda message: True  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    assert schema.schema_state(db).up_to_date
    wait_idle(qtbot)
    db.dispose()
