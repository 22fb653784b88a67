"""Filtering the case list from the Filter menu, and taking filters off again with their chips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.models import Case
from prdesk.domain.queries import CaseFilter
from prdesk.domain.services import organisation, users
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_list_cells import PATIENT
from prdesk.ui.context import AppContext
from prdesk.ui.received_range_dialog import ReceivedRangeDialog
from tests.gui.conftest import wait_idle
from tests.support.builders import log_case, phone_complaint

EVERYONE = ["Anna Bell", "Ben Chu", "Carla Diaz"]


@dataclass(frozen=True)
class Desk:
    widget: CaseListWidget


@pytest.fixture
def desk(ctx: AppContext, qtbot: QtBot) -> Desk:
    """Three cases: Anna's (mine, Cardiology, a safety concern), Ben's letter (a grievance,
    nobody's, behavioural alert, received in January) and Carla's (Samuel's, overdue)."""
    with ctx.db.transaction() as session:
        samuel = users.resolve_actor(session, "sokafor", "Samuel Okafor")
        cardiology = organisation.ensure_department(session, "Cardiology")
        rudeness = organisation.ensure_category(session, "Communication", "Rudeness")
    log_case(
        ctx.db,
        ctx.actor,
        phone_complaint(
            "Anna Bell",
            resolved_at_once=True,
            safety_concern=True,
            department_ids=(cardiology,),
            category_ids=(rudeness,),
            assignee_id=ctx.actor.id,
        ),
    )
    log_case(
        ctx.db,
        ctx.actor,
        phone_complaint(
            "Ben Chu",
            channel=Channel.LETTER,
            behavioural_alert=True,
            received_at=datetime(2026, 1, 15, 15, tzinfo=UTC),
        ),
    )
    carla = log_case(
        ctx.db,
        ctx.actor,
        phone_complaint(
            "Carla Diaz",
            kind=CaseKind.INFORMATION_REQUEST,
            channel=Channel.EMAIL,
            assignee_id=samuel.id,
        ),
    )
    with ctx.db.transaction() as session:
        overdue = date.today() - timedelta(days=2)
        session.execute(update(Case).where(Case.id == carla.id).values(due_on=overdue))
        session.execute(update(Case).where(Case.id != carla.id).values(due_on=None))
    widget = CaseListWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 600)
    widget.show()
    wait_idle(qtbot)
    return Desk(widget)


def _patients(widget: CaseListWidget, qtbot: QtBot) -> list[str]:
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: widget.model.idle)
    wait_idle(qtbot)
    model = widget.model
    return sorted(model.index(row, PATIENT).data() for row in range(model.rowCount()))


MENU_CHOICES = [
    ("Status", "Assigned", "Status: Assigned", ["Anna Bell", "Carla Diaz"]),
    ("Status", "Open cases (not finished)", "Open cases", EVERYONE),
    ("Kind", "Information request", "Kind: Information request", ["Carla Diaz"]),
    ("Grievance", "Grievances only", "Grievances only", ["Ben Chu"]),
    ("Grievance", "Not grievances", "Not grievances", ["Anna Bell", "Carla Diaz"]),
    ("Assigned to", "Me", "Assigned to: me", ["Anna Bell"]),
    ("Assigned to", "Nobody (unassigned)", "Assigned to: nobody", ["Ben Chu"]),
    ("Assigned to", "Samuel Okafor", "Assigned to: Samuel Okafor", ["Carla Diaz"]),
    ("Department", "Cardiology", "Department: Cardiology", ["Anna Bell"]),
    ("Category", "Communication > Rudeness", "Category: Communication > Rudeness", ["Anna Bell"]),
    ("Channel", "Letter", "Channel: Letter", ["Ben Chu"]),
    ("Due", "Overdue", "Overdue", ["Carla Diaz"]),
    ("Due", "Due soon", "Due soon", []),
    ("Flags", "Safety concern", "Safety concern", ["Anna Bell"]),
    ("Flags", "Behavioural alert", "Behavioural alert", ["Ben Chu"]),
    ("Open longer than", "7 days", "Open more than 7 days", ["Ben Chu"]),
]


@pytest.mark.parametrize(
    ("submenu", "choice", "chip", "expected"), MENU_CHOICES, ids=[c[2] for c in MENU_CHOICES]
)
def test_a_filter_from_the_menu_shows_a_chip_that_takes_it_off(
    desk: Desk, qtbot: QtBot, submenu: str, choice: str, chip: str, expected: list[str]
) -> None:
    widget = desk.widget
    wait_idle(qtbot)  # the menu lists the departments and people once they have loaded
    widget.filter_button.find_action(submenu, choice).trigger()
    assert _patients(widget, qtbot) == expected
    assert widget.chips.labels() == [chip]
    count = len(expected)
    assert widget.count_label.text() == ("1 case" if count == 1 else f"{count} cases")
    # Shown as the built-in view these filters are, else as "Custom filter" (no view).
    built_in = chip if chip in ("Open cases", "Overdue") else ""
    assert widget.views.combo.currentText() == built_in

    button = widget.chips.buttons()[0]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Delete)
    assert _patients(widget, qtbot) == EVERYONE
    assert widget.chips.labels() == []
    assert widget.views.combo.currentText() == "All cases"


def test_filters_combine_and_come_off_one_at_a_time(desk: Desk, qtbot: QtBot) -> None:
    widget = desk.widget
    wait_idle(qtbot)
    widget.filter_button.find_action("Status", "Open cases (not finished)").trigger()
    widget.filter_button.find_action("Grievance", "Not grievances").trigger()
    widget.filter_button.find_action("Assigned to", "Me").trigger()
    assert _patients(widget, qtbot) == ["Anna Bell"]
    assert widget.chips.labels() == ["Open cases", "Not grievances", "Assigned to: me"]
    # Ticking a choice again takes it off.
    widget.filter_button.find_action("Assigned to", "Me").trigger()
    assert _patients(widget, qtbot) == ["Anna Bell", "Carla Diaz"]

    chips = widget.chips.buttons()
    chips[1].setFocus()
    qtbot.keyClick(chips[1], Qt.Key.Key_Backspace)
    assert widget.chips.labels() == ["Open cases"]
    assert widget.focusWidget() is widget.chips.buttons()[0]  # the keyboard stays in the chips
    widget.chips.buttons()[0].click()
    assert _patients(widget, qtbot) == EVERYONE
    assert not widget.chips.isVisible()


def test_search_narrows_the_filter(desk: Desk, qtbot: QtBot) -> None:
    widget = desk.widget
    widget.filter_button.find_action("Status", "Open cases (not finished)").trigger()
    widget.search.setText("carla")
    qtbot.waitUntil(lambda: widget.model.total == 1)
    assert widget.current_filter() == CaseFilter(open_only=True, search="carla")
    assert widget.chips.labels() == ["Open cases"]


def test_clear_all_filters(desk: Desk, qtbot: QtBot) -> None:
    widget = desk.widget
    widget.set_criteria(CaseFilter(open_only=True, grievance=True))
    assert _patients(widget, qtbot) == ["Ben Chu"]
    widget.filter_button.find_action("", "Clear all filters").trigger()
    assert _patients(widget, qtbot) == EVERYONE


def test_received_between_two_dates(desk: Desk, qtbot: QtBot) -> None:
    widget = desk.widget
    dialog = ReceivedRangeDialog()
    qtbot.addWidget(dialog)
    dialog.from_field.setText("2026-01-01")
    dialog.to_field.setText("2026-01-31")
    chosen = dialog.save()
    assert chosen == (date(2026, 1, 1), date(2026, 1, 31))
    widget.set_criteria(CaseFilter(received_from=chosen[0], received_to=chosen[1]))
    assert _patients(widget, qtbot) == ["Ben Chu"]
    assert widget.chips.labels()[0].startswith("Received ")


def test_a_date_range_that_is_not_one_is_refused_with_a_message(qtbot: QtBot) -> None:
    dialog = ReceivedRangeDialog()
    qtbot.addWidget(dialog)
    dialog.from_field.setText("2026-02-01")
    dialog.to_field.setText("2026-01-01")
    assert dialog.save() is None
    assert dialog.errors.message("to") == "This date is before the first one."
    dialog.from_field.setText("next tuesday")
    assert dialog.save() is None
    assert "Type the date as" in dialog.errors.message("from")
    assert dialog.from_field.text() == "next tuesday"  # nothing typed is lost
