"""The network to PostgreSQL drops while a letter is being typed: PR Desk says so and recovers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from prdesk.domain.database import Database
from prdesk.domain.services import letter_workflow, letters, users
from prdesk.ui import letter_autosave
from prdesk.ui.changes import ChangeHub
from prdesk.ui.connection_monitor import BACKOFF_SECONDS, CONNECTED, LOST, retry_delay
from prdesk.ui.context import AppContext
from prdesk.ui.letter_composer import LetterComposer
from tests.gui.conftest import shown_window, wait_idle
from tests.support.builders import log_case
from tests.support.tcp_relay import TcpRelay
from tests.support.windows import close_windows


@pytest.fixture
def relay(postgres_db: Database) -> Iterator[TcpRelay]:
    """The hospital network between this workstation and the database server."""
    url = postgres_db.url
    between = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
    yield between
    between.close()


@pytest.fixture
def desk(postgres_db: Database, relay: TcpRelay, qtbot: QtBot) -> Iterator[AppContext]:
    station = Database(postgres_db.url.set(host="127.0.0.1", port=relay.port))
    with station.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
    yield AppContext(station, actor, ChangeHub())
    close_windows(qtbot)
    station.dispose()


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letter_autosave, "IDLE_MS", 200)
    monkeypatch.setattr(letter_autosave, "RETRY_MS", 300)


def test_the_pause_between_attempts_grows_to_half_a_minute_and_varies() -> None:
    assert [round(retry_delay(n, jitter=0)) for n in range(8)] == [1, 2, 4, 8, 15, 30, 30, 30]
    pauses = {retry_delay(5) for _ in range(20)}
    assert len(pauses) > 1  # workstations cut off together do not all call back together
    assert all(0.8 * BACKOFF_SECONDS[-1] <= pause <= 1.2 * BACKOFF_SECONDS[-1] for pause in pauses)


def test_a_dropped_connection_is_reported_the_letter_stays_and_saves_once_back(
    desk: AppContext, relay: TcpRelay, qtbot: QtBot
) -> None:
    case = log_case(desk.db, desk.actor)
    with desk.db.transaction() as session:
        letter = letters.draft_letter(session, desk.actor, case.id, "acknowledgement")
    window = shown_window(desk, qtbot)
    qtbot.waitUntil(window.listener.listening, timeout=5_000)
    composer = LetterComposer(desk, letter.id)
    qtbot.addWidget(composer)
    composer.show()
    qtbot.waitUntil(lambda: composer.letter() is not None and composer.editable())
    wait_idle(qtbot)

    relay.cut()
    editor = composer.editor.body.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(editor, " We will call you on Monday.")
    composer.save_now(lambda: None)

    qtbot.waitUntil(lambda: window.connection.state == LOST, timeout=15_000)
    banner = window.connection_banner
    assert banner.isVisible()
    assert banner.text().startswith("The connection to the database was lost. Reconnecting")
    assert "Retry now" in banner.action_labels()
    assert window.status.connection.text() == "Connection lost: reconnecting"
    assert composer.status_label.text().startswith("Not saved:")
    assert "We will call you on Monday." in composer.editor.body.toPlainText()

    relay.restore()
    banner.trigger("Retry now")

    qtbot.waitUntil(lambda: window.connection.state == CONNECTED, timeout=15_000)
    assert banner.text() == "Reconnected to the database."
    assert window.status.connection.isHidden()
    assert window.status.currentMessage() == "Reconnected to the database"
    qtbot.waitUntil(
        lambda: not composer.autosave.is_dirty() and not composer.autosave.is_saving(),
        timeout=10_000,
    )
    with desk.db.transaction(read_only=True) as session:
        stored = letter_workflow.letter_detail(session, desk.actor, letter.id)
    assert "We will call you on Monday." in " ".join(stored.body.split())
    # Colleagues' changes are heard again.
    qtbot.waitUntil(window.listener.listening, timeout=10_000)
    composer.close()


def test_a_timeline_step_typed_while_the_server_is_away_is_kept_and_added_once_back(
    desk: AppContext, relay: TcpRelay, qtbot: QtBot
) -> None:
    case = log_case(desk.db, desk.actor)
    window = shown_window(desk, qtbot)
    assert window.tabs is not None
    view = window.tabs.open_case(case.id)
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    form = view.timeline.form

    relay.cut()
    form.summary.setText("Spoke to the charge nurse about the wait")
    form.add()

    qtbot.waitUntil(lambda: window.connection.state == LOST, timeout=15_000)
    assert form.summary.text() == "Spoke to the charge nurse about the wait"
    assert view.info.isVisible()  # the step was not added, and the case says why

    relay.restore()
    window.commands["refresh"].trigger()  # F5 tries at once too
    qtbot.waitUntil(lambda: window.connection.state == CONNECTED, timeout=15_000)
    form.add()

    qtbot.waitUntil(
        lambda: (
            "Spoke to the charge nurse about the wait"
            in [e.summary for e in view.timeline.model.visible_entries()]
        ),
        timeout=10_000,
    )
    assert form.summary.text() == ""
