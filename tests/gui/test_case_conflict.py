"""Saving over a colleague's newer change to a case: both versions shown, and the person chooses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus
from prdesk.domain.services import cases
from prdesk.ui.case_view import CaseView
from tests.support.windows import wait_idle
from tests.support.workstations import Desks, new_case, open_case, two_desks, window_of


@pytest.fixture
def desks(db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desks]:
    yield from two_desks(db, qtbot, monkeypatch)


def both_assign_at_once(desks: Desks, qtbot: QtBot) -> CaseView:
    """Ana gives the case to herself just as María, looking at the old version, takes it."""
    case = new_case(desks.maria, "Fatima Al-Sayed")
    view = open_case(window_of(desks.maria, qtbot), qtbot, case.id)
    with desks.ana.db.transaction() as session:
        cases.assign_case(session, desks.ana.actor, case.id, case.version, desks.ana.actor.id)
    # No event is processed in between: María decides on the version she sees.
    view.assign_bar.select(desks.maria.actor.id)
    view.assign_bar.assign()
    qtbot.waitUntil(lambda: view.conflict_dialog is not None, timeout=5_000)
    return view


def assignee_of(desks: Desks, case_id: int) -> str:
    with desks.ana.db.transaction(read_only=True) as session:
        detail = cases.view_case(session, desks.ana.actor, case_id, record_view=False)
    return detail.assignee.display_name if detail.assignee else "Nobody"


def test_taking_a_case_someone_just_took_shows_both_and_keeping_mine_saves_mine(
    desks: Desks, qtbot: QtBot
) -> None:
    view = both_assign_at_once(desks, qtbot)
    dialog = view.conflict_dialog
    assert dialog is not None
    assert ("Assigned to", "Ana López", "María García") in dialog.rows
    assert assignee_of(desks, view.case_id) == "Ana López"  # nothing overwritten unasked

    dialog.keep_mine.click()

    qtbot.waitUntil(lambda: view.details.case.value("Assigned to") == "María García")
    wait_idle(qtbot)
    assert assignee_of(desks, view.case_id) == "María García"


def test_taking_theirs_shows_their_assignment_and_saves_nothing(desks: Desks, qtbot: QtBot) -> None:
    view = both_assign_at_once(desks, qtbot)
    assert view.conflict_dialog is not None

    view.conflict_dialog.take_theirs.click()

    assert view.details.case.value("Assigned to") == "Ana López"
    assert view.assign_bar.combo.currentText() == "Ana López"
    wait_idle(qtbot)
    assert assignee_of(desks, view.case_id) == "Ana López"


def test_editing_again_shows_theirs_with_my_choice_still_selected(
    desks: Desks, qtbot: QtBot
) -> None:
    view = both_assign_at_once(desks, qtbot)
    assert view.conflict_dialog is not None

    view.conflict_dialog.edit_again.click()

    assert view.details.case.value("Assigned to") == "Ana López"
    assert view.assign_bar.combo.currentText() == "María García"
    assert view.assign_bar.assign_button.isEnabled()
    wait_idle(qtbot)
    assert assignee_of(desks, view.case_id) == "Ana López"


def test_a_change_that_no_longer_fits_their_version_can_only_be_dropped_or_redone(
    desks: Desks, qtbot: QtBot
) -> None:
    case = new_case(desks.maria, "Fatima Al-Sayed")
    ana = desks.ana.actor
    with desks.ana.db.transaction() as session:
        case = cases.assign_case(session, ana, case.id, case.version, ana.id)
    view = open_case(window_of(desks.maria, qtbot), qtbot, case.id)
    with desks.ana.db.transaction() as session:
        cases.change_status(session, ana, case.id, case.version, CaseStatus.INVESTIGATING)
    # María takes the case back from Ana, deciding on the version where it was only assigned.
    view.assign_bar.select(None)
    view.assign_bar.assign()
    qtbot.waitUntil(lambda: view.conflict_dialog is not None, timeout=5_000)
    dialog = view.conflict_dialog
    assert dialog is not None

    assert ("Status", "Investigating", "Investigating") in dialog.rows
    assert not dialog.keep_mine.isEnabled()
    assert dialog.problem.text().startswith("A case that is 'Investigating' needs someone on it")
    dialog.edit_again.click()
    assert view.details.case.value("Assigned to") == "Ana López"
    assert view.assign_bar.combo.currentText() == "Unassigned"  # her choice, to rethink
    wait_idle(qtbot)
    assert assignee_of(desks, case.id) == "Ana López"
