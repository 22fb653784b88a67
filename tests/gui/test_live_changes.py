"""Two workstations on one database: what one saves shows on the other within two seconds."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from prdesk.domain import database as database_module
from prdesk.domain.database import Database
from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.services import cases, letters, timeline, users
from prdesk.domain.services.case_input import CaseUpdate
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.letter_composer import LetterComposer
from prdesk.ui.main_window import MainWindow
from tests.support.pg_roles import login_as, signed_in
from tests.support.windows import close_windows, wait_idle
from tests.support.workstations import (
    WITHIN_MS,
    Desks,
    new_case,
    open_case,
    two_desks,
    window_of,
    workstation,
)


@pytest.fixture
def desks(db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desks]:
    yield from two_desks(db, qtbot, monkeypatch)


def test_a_case_logged_at_one_desk_appears_in_the_others_list(desks: Desks, qtbot: QtBot) -> None:
    window = window_of(desks.maria, qtbot)
    assert window.case_list is not None
    model = window.case_list.model
    qtbot.waitUntil(lambda: model.idle)
    before = model.rowCount()

    logged = new_case(desks.ana, "Olusegun Adeyemi")
    saved_at = time.monotonic()

    qtbot.waitUntil(lambda: model.row_of_case(logged.id) >= 0, timeout=WITHIN_MS)
    assert time.monotonic() - saved_at < WITHIN_MS / 1000
    assert model.rowCount() == before + 1


def test_an_open_case_shows_a_colleagues_step_and_assignment_without_refreshing(
    desks: Desks, qtbot: QtBot
) -> None:
    case = new_case(desks.maria, "Nguyễn Thị Hương")
    view = open_case(window_of(desks.maria, qtbot), qtbot, case.id)

    with desks.ana.db.transaction() as session:
        timeline.add_entry(
            session, desks.ana.actor, case.id,
            NewTimelineEntry(TimelineKind.PHONE_CALL, "Called the daughter back"),
        )  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            "Called the daughter back" in [e.summary for e in view.timeline.model.visible_entries()]
        ),
        timeout=WITHIN_MS,
    )

    with desks.ana.db.transaction() as session:
        current = cases.view_case(session, desks.ana.actor, case.id, record_view=False)
        cases.assign_case(session, desks.ana.actor, case.id, current.version, desks.ana.actor.id)
    qtbot.waitUntil(
        lambda: view.details.case.value("Assigned to") == "Ana López", timeout=WITHIN_MS
    )


def test_a_desk_does_not_reload_for_its_own_saves_twice(desks: Desks, qtbot: QtBot) -> None:
    case = new_case(desks.maria, "Robert O'Brien")
    window = window_of(desks.maria, qtbot)
    view = open_case(window, qtbot, case.id)
    loads: list[object] = []
    view.loaded.connect(loads.append)

    # Saved at this desk without going through its window: only the listener could tell.
    with desks.maria.db.transaction() as session:
        timeline.add_entry(
            session, desks.maria.actor, case.id,
            NewTimelineEntry(TimelineKind.NOTE, "Typed at this desk"),
        )  # fmt: skip
    qtbot.wait(1_500)
    wait_idle(qtbot)

    assert loads == []  # this desk's own saves are announced by the save itself


def test_colleagues_in_the_same_case_see_each_other_viewing_and_editing(
    desks: Desks, qtbot: QtBot
) -> None:
    case = new_case(desks.maria, "Tomasz Wiśniewski")
    maria_view = open_case(window_of(desks.maria, qtbot), qtbot, case.id)
    ana_view = open_case(window_of(desks.ana, qtbot), qtbot, case.id)

    qtbot.waitUntil(
        lambda: ana_view.presence.text() == "Also viewing: María García", timeout=WITHIN_MS
    )
    qtbot.waitUntil(
        lambda: maria_view.presence.text() == "Also viewing: Ana López", timeout=WITHIN_MS
    )

    maria_view.timeline.form.summary.setText("Spoke to the charge nurse")
    qtbot.waitUntil(
        lambda: ana_view.presence.text().startswith(
            "María García is also editing this case (a timeline entry, since "
        ),
        timeout=WITHIN_MS,
    )

    maria_view.timeline.form.summary.clear()
    qtbot.waitUntil(
        lambda: ana_view.presence.text() == "Also viewing: María García", timeout=WITHIN_MS
    )

    maria_window = maria_view.window()
    assert isinstance(maria_window, MainWindow) and maria_window.tabs is not None
    maria_window.tabs.close_tab(maria_window.tabs.indexOf(maria_view))
    qtbot.waitUntil(lambda: ana_view.presence.text() == "", timeout=WITHIN_MS)
    assert ana_view.presence.isHidden()


def test_a_colleague_writing_a_letter_in_the_case_is_shown_until_the_letter_closes(
    desks: Desks, qtbot: QtBot
) -> None:
    case = new_case(desks.maria, "Olusegun Adeyemi")
    maria_view = open_case(window_of(desks.maria, qtbot), qtbot, case.id)
    with desks.ana.db.transaction() as session:
        letter = letters.draft_letter(session, desks.ana.actor, case.id, "acknowledgement")

    composer = LetterComposer(desks.ana, letter.id)
    qtbot.addWidget(composer)
    composer.show()
    qtbot.waitUntil(lambda: composer.letter() is not None and composer.editable())

    qtbot.waitUntil(
        lambda: maria_view.presence.text().startswith(
            "Ana López is also editing this case (a letter, since "
        ),
        timeout=WITHIN_MS,
    )
    composer.close()
    qtbot.waitUntil(lambda: maria_view.presence.text() == "", timeout=WITHIN_MS)


@pytest.mark.postgresql
def test_two_coordinators_signed_in_with_their_own_logins_hear_each_other(
    postgres_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with postgres_db.transaction() as session:
        users.resolve_actor(session, "mgarcia", "María García")  # the administrator
    with contextlib.ExitStack() as logins:
        desks = []
        for computer, name in (("WS-0412", "Li Chen"), ("WS-0977", "Ji-woo Kim")):
            with monkeypatch.context() as patch:
                patch.setattr(database_module, "client_name", lambda c=computer: f"PR Desk {c} 1")
                station = logins.enter_context(login_as(postgres_db, Role.COORDINATOR))
            desks.append(AppContext(station, signed_in(station, name), ChangeHub()))
        chen, kim = desks
        case = new_case(chen, "Olusegun Adeyemi")
        chen_view = open_case(window_of(chen, qtbot), qtbot, case.id)
        kim_window = window_of(kim, qtbot)
        kim_view = open_case(kim_window, qtbot, case.id)

        qtbot.waitUntil(
            lambda: chen_view.presence.text() == "Also viewing: Ji-woo Kim", timeout=WITHIN_MS
        )
        kim_view.timeline.form.summary.setText("Called the son")
        qtbot.waitUntil(
            lambda: chen_view.presence.text().startswith("Ji-woo Kim is also editing this case"),
            timeout=WITHIN_MS,
        )
        kim_view.timeline.form.add()
        qtbot.waitUntil(
            lambda: (
                "Called the son" in [e.summary for e in chen_view.timeline.model.visible_entries()]
            ),
            timeout=WITHIN_MS,
        )
        close_windows(qtbot)


def test_a_safety_concern_flagged_at_another_desk_raises_the_alarm_here_within_seconds(
    desks: Desks, qtbot: QtBot
) -> None:
    case = new_case(desks.ana, "Tomasz Wiśniewski")
    window = window_of(desks.maria, qtbot)
    assert not window.safety_banner.isVisible()

    with desks.ana.db.transaction() as session:
        cases.update_case(
            session, desks.ana.actor, case.id, case.version, CaseUpdate(safety_concern=True)
        )

    qtbot.waitUntil(window.safety_banner.isVisible, timeout=WITHIN_MS)
    assert case.number in window.safety_banner.text()
    assert window.status.notifications.text() == "1 unread"


@pytest.mark.postgresql
def test_the_listener_hears_again_after_the_server_dropped_its_connection(
    postgres_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    maria = workstation(postgres_db, "WS-0412", ("mgarcia", "María García"), monkeypatch)
    ana = workstation(postgres_db, "WS-0977", ("alopez", "Ana López"), monkeypatch)
    window = window_of(maria, qtbot)
    assert window.case_list is not None
    model = window.case_list.model

    # An administrator ends the session (or the server restarts under it).
    with postgres_db.engine.begin() as connection:
        ended = (
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name"
                ),
                {"name": f"{maria.db.client} listener"},
            )
            .scalars()
            .all()
        )
    assert ended == [True]
    qtbot.waitUntil(lambda: not window.listener.listening(), timeout=5_000)
    qtbot.waitUntil(window.listener.listening, timeout=5_000)

    logged = new_case(ana, "Olusegun Adeyemi")
    qtbot.waitUntil(lambda: model.row_of_case(logged.id) >= 0, timeout=WITHIN_MS)
    close_windows(qtbot)
    for station in (maria, ana):
        station.db.dispose()
