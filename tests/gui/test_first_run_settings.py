"""The assistant's pages as Settings shows them later: the database, and the deadlines' detail."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

import keyring
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.deadline_policy import Preset
from prdesk.ui import practice
from prdesk.ui.context import AppContext
from prdesk.ui.first_run.detection import needs_assistant
from prdesk.ui.policy_dialog import PolicyDialog
from prdesk.ui.settings_pages.database import DatabasePage
from prdesk.ui.settings_pages.deadlines import DeadlinePresetPage
from tests.gui.conftest import wait_idle

SHARED = make_url("postgresql+psycopg://mgarcia@db.hospital.example:5432/prdesk")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The arguments of each PR Desk started again (none really is)."""
    runs: list[list[str]] = []

    def start_process(_program: str, arguments: Sequence[str]) -> bool:
        runs.append(list(arguments))
        return False  # this PR Desk goes on, as when the new one cannot start

    monkeypatch.setattr(practice, "start_process", start_process)
    return runs


@pytest.fixture
def keyring_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each password removed from the credential store: whether on the GUI thread."""
    store = keyring.get_keyring()
    on_gui_thread: list[bool] = []
    remove = store.delete_password

    def delete_password(service: str, username: str) -> None:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        remove(service, username)

    monkeypatch.setattr(store, "delete_password", delete_password)
    return on_gui_thread


def shown_database_page(ctx: AppContext, qtbot: QtBot) -> DatabasePage:
    page = DatabasePage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.load()
    wait_idle(qtbot)
    return page


def test_going_back_to_this_computer_forgets_the_shared_connection_and_offers_a_restart(
    ctx: AppContext, qtbot: QtBot, started: list[list[str]], keyring_threads: list[bool]
) -> None:
    config.save_profile(SHARED, "kept secret")
    page = shown_database_page(ctx, qtbot)
    assert page.where.is_shared() and page.fields.server.text() == "db.hospital.example"
    assert page.fields.password.text() == "kept secret" and page.fields.remember.isChecked()
    assert not page.is_modified()
    assert page.banner.isHidden()  # the database in use is the one chosen here
    asked: list[bool] = []
    page.ask_restart = lambda: asked.append(True) or True  # type: ignore[method-assign]
    page.where.embedded.click()
    assert page.is_modified() and page.fields.isHidden()
    with qtbot.waitSignal(page.saved):
        page.save()
    wait_idle(qtbot)
    assert config.load_profile() is None
    assert config.saved_password(SHARED) is None
    # The credential store can be slow or ask questions: never on the GUI thread.
    assert keyring_threads == [False]
    assert asked == [True] and len(started) == 1 and "--practice" not in started[0]
    # The next start opens this computer's database, made now, not the first-run assistant.
    choice = config.choose_database()
    assert choice.embedded and not needs_assistant(choice)
    made = Database(choice.url)
    assert schema.schema_state(made).up_to_date
    made.dispose()


def test_a_database_named_at_start_is_said_and_starting_again_opens_the_one_saved(
    ctx: AppContext, qtbot: QtBot, started: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["prdesk", "--database", "sqlite:////srv/other.db"])
    page = shown_database_page(ctx, qtbot)
    assert page.banner.isVisible()
    assert page.banner.text().startswith(
        "This PR Desk was opened on a database named when it was started (--database)"
    )
    page.ask_restart = lambda: True  # type: ignore[method-assign]
    page.where.embedded.click()
    with qtbot.waitSignal(page.saved):
        page.save()
    wait_idle(qtbot)
    assert page.banner.isVisible()  # still true after saving
    assert len(started) == 1
    assert not any(argument.startswith("--database") for argument in started[0])


def test_a_database_the_computer_names_is_said_and_no_restart_is_offered(
    ctx: AppContext, qtbot: QtBot, started: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.ENV_DATABASE_URL, str(ctx.db.url))
    page = shown_database_page(ctx, qtbot)
    assert "the PRDESK_DATABASE_URL setting" in page.banner.text()
    assert "used only once IT removes that setting" in page.banner.text()
    asked: list[bool] = []
    page.ask_restart = lambda: asked.append(True) or True  # type: ignore[method-assign]
    page.where.embedded.click()
    with qtbot.waitSignal(page.saved):
        page.save()
    wait_idle(qtbot)
    # Started again, it would open the same database: it is not offered.
    assert asked == [] and started == []
    page.grab().save("/tmp/shots/f3-settings-database-named.png")


def test_the_deadlines_page_saves_a_preset_and_opens_the_detail(
    ctx: AppContext, qtbot: QtBot
) -> None:
    page = DeadlinePresetPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.load()
    wait_idle(qtbot)
    assert page.chosen() is Preset.CMS and not page.is_modified()
    page.choose(Preset.NHS)
    page.holidays.set_region("GB", "WLS")
    with qtbot.waitSignal(page.saved):
        page.save()
    dialog = page.open_detail()
    assert isinstance(dialog, PolicyDialog)
    wait_idle(qtbot)
    assert dialog.acknowledge.length.value() == 3
    assert dialog.subdivision.currentData() == "WLS"
    dialog.close()
