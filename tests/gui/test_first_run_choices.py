"""The assistant keeps only what was set up: a change of mind, a stop while it works, its questions."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.ui.changes import ChangeHub
from prdesk.ui.connection_fields import Login
from prdesk.ui.first_run.detection import needs_assistant
from prdesk.ui.first_run.wizard import FirstRunWizard, Step
from prdesk.ui.settings_pages.organisation import OrganisationPage
from prdesk.ui.startup import Startup
from tests.gui.conftest import wait_idle
from tests.gui.test_first_run import answering_stop, save_shot, shown_wizard, wait_for_step
from tests.support.dialogs import answer_message_box

# Nothing answers there: the database cannot be prepared, whatever the connection test said.
SHARED = make_url("postgresql+psycopg://mgarcia@127.0.0.1:1/prdesk")
PASSWORD = "typed in the assistant"


def shared_tried_then_back_to_the_start(qtbot: QtBot) -> FirstRunWizard:
    """The shared database chosen and its connection typed; the test passes (as when the
    server answers a moment), then preparing it fails, and the coordinator goes Back to
    the first page."""
    wizard = shown_wizard(qtbot)
    checked: list[Login] = []
    wizard.connection.database.set_check(checked.append)
    wizard.where.where.shared.click()
    wizard.next()
    wait_for_step(qtbot, wizard, Step.CONNECTION)
    fields = wizard.connection.fields
    fields.load(SHARED, PASSWORD)
    fields.remember.setChecked(True)
    wizard.next()
    wait_for_step(qtbot, wizard, Step.PREPARE)
    qtbot.waitUntil(wizard.prepare.retry.isVisible, timeout=30_000)
    wait_idle(qtbot)
    assert len(checked) == 1
    # Nothing is kept before the database is ready.
    assert config.load_profile() is None
    assert config.saved_password(SHARED) is None
    wizard.back()
    wizard.back()
    assert wizard.currentId() == Step.WHERE
    return wizard


def test_changing_to_this_computer_after_trying_the_shared_database_keeps_no_connection(
    qtbot: QtBot,
) -> None:
    wizard = shared_tried_then_back_to_the_start(qtbot)
    wizard.where.where.embedded.click()
    wizard.next()
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    page = wizard.organisation.page
    assert isinstance(page, OrganisationPage)
    page.form.organisation.setText("Riverside General Hospital")
    for step in (Step.SIGNATURE, Step.DEADLINES, Step.TRY, Step.DONE):
        wizard.next()
        wait_for_step(qtbot, wizard, step)
    assert "only on this computer" in wizard.done_page.summary.text()
    with qtbot.waitSignal(wizard.completed):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    ctx = wizard.ctx
    assert ctx is not None
    wait_idle(qtbot)
    ctx.db.dispose()

    # The next start opens what the Done page said.
    assert config.choose_database().embedded
    assert config.load_profile() is None
    assert config.saved_password(SHARED) is None


def test_back_to_the_first_page_then_cancel_keeps_no_connection_or_password(
    qtbot: QtBot,
) -> None:
    wizard = shared_tried_then_back_to_the_start(qtbot)
    with qtbot.waitSignal(wizard.rejected):
        wizard.reject()
    wait_idle(qtbot)
    assert config.load_profile() is None
    assert config.saved_password(SHARED) is None
    assert needs_assistant(config.choose_database())


@pytest.fixture
def slow_preparation(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Preparing a database waits until the event is set (as a slow disk or network would)."""
    go_on = threading.Event()
    real = schema.ensure_ready

    def ensure_ready(db: Database, *, create_if_empty: bool = True) -> schema.SchemaState:
        go_on.wait(timeout=20)
        return real(db, create_if_empty=create_if_empty)

    monkeypatch.setattr(schema, "ensure_ready", ensure_ready)
    yield go_on
    go_on.set()


def test_cancel_waits_for_a_preparation_gone_back_from_and_then_leaves_nothing(
    qtbot: QtBot, slow_preparation: threading.Event
) -> None:
    wizard = shown_wizard(qtbot)
    asked = answering_stop(wizard)
    wizard.where.where.embedded.click()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.prepare.running)
    wizard.back()
    assert wizard.currentId() == Step.WHERE
    wizard.reject()
    # The embedded database is still being made: PR Desk says it is stopping, and waits.
    qtbot.waitUntil(lambda: not wizard.isEnabled())
    assert wizard.isVisible()
    assert wizard.buttonText(QWizard.WizardButton.CancelButton) == "Stopping…"
    save_shot(wizard, "stopping")
    with qtbot.waitSignal(wizard.rejected, timeout=20_000):
        slow_preparation.set()
    wait_idle(qtbot)
    assert asked == []  # nothing was set up to ask about
    path = config.embedded_database_path()
    assert not path.exists()
    assert not path.with_name(path.name + "-wal").exists()
    assert needs_assistant(config.choose_database())


def test_cancel_while_preparing_waits_for_it_then_leaves_nothing(
    qtbot: QtBot, slow_preparation: threading.Event
) -> None:
    wizard = shown_wizard(qtbot)
    asked = answering_stop(wizard)
    wizard.where.where.embedded.click()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.prepare.running)
    wizard.reject()
    qtbot.waitUntil(lambda: not wizard.isEnabled())
    with qtbot.waitSignal(wizard.rejected, timeout=20_000):
        slow_preparation.set()
    wait_idle(qtbot)
    assert asked == [
        "Nothing is saved: no database is made and no connection is kept. The next time "
        "PR Desk starts, this assistant opens again."
    ]
    assert not config.embedded_database_path().exists()
    assert needs_assistant(config.choose_database())


def test_the_assistant_asks_before_preparing_a_database_as_every_start_does(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    wizard = FirstRunWizard("mgarcia", ChangeHub())
    qtbot.addWidget(wizard)
    parent = QWidget()
    qtbot.addWidget(parent)
    at_start = Startup(sqlite_db, "mgarcia", None, ChangeHub(), parent)
    message = "The database was made by an older PR Desk and needs upgrading."
    seen: list[tuple[str, QMessageBox.StandardButton]] = []
    for ask in (wizard.prepare.ask_upgrade, at_start.ask_upgrade):
        answered = answer_message_box(QMessageBox.StandardButton.No)
        assert ask(message) is False
        seen += answered
    assert len(seen) == 2 and seen[0] == seen[1]
    text, default = seen[0]
    # Enter does not upgrade a shared database by mistake.
    assert default == QMessageBox.StandardButton.No
    assert text == (
        f"{message}\n\nMake sure the database has been backed up, and that nobody is using "
        "an older PR Desk on it. Prepare this database for PR Desk now?"
    )
