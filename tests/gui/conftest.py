"""Fixtures for the GUI tests: an application context on a fresh SQLite file, and cases in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, users
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.ui import operations
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.error_dialog import ErrorDialog
from prdesk.ui.garbage import collect_on_gui_thread
from prdesk.ui.main_window import MainWindow
from prdesk.ui.new_case_dialog import NewCaseDialog


def shown_window(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    """The main window on screen, with its first lists delivered."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    return window


def shown_new_case_dialog(ctx: AppContext, qtbot: QtBot) -> NewCaseDialog:
    """The new case dialog on screen, with its reference lists delivered."""
    dialog = NewCaseDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    return dialog


def wait_idle(qtbot: QtBot, timeout: int = 10_000) -> None:
    """Until every background operation has been delivered on the GUI thread."""
    qtbot.waitUntil(lambda: operations.pending() == 0, timeout=timeout)


@pytest.fixture(autouse=True, scope="session")
def garbage_on_gui_thread(qapp: QApplication) -> None:
    """As in PR Desk itself: cycles holding widgets are never freed on a worker thread."""
    collect_on_gui_thread(qapp)


@pytest.fixture(autouse=True)
def no_unexpected_error(qapp: QApplication) -> Iterator[None]:
    """A bug reported to the person during a test fails it, whether or not the test looked:
    the dialog says "Unexpected error" and the window goes on, so nothing else would."""
    yield
    shown = [w for w in qapp.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    for dialog in shown:
        dialog.close()
    if shown:
        first = next(
            (line for line in shown[0].report_text().splitlines() if line.startswith("Error (")),
            "",
        )
        pytest.fail(f"PR Desk reported an unexpected error: {first}")


@pytest.fixture
def ctx(sqlite_db: Database, qtbot: QtBot) -> Iterator[AppContext]:
    """The first user of a new database (its administrator) working on it."""
    with sqlite_db.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
    yield AppContext(sqlite_db, actor, ChangeHub())
    # Finish the worker's transactions before the database file is disposed of.
    wait_idle(qtbot)


CaseMaker = Callable[..., CaseDetail]


@pytest.fixture
def make_case(ctx: AppContext) -> CaseMaker:
    """Opens a case through the domain service, as another workstation would."""

    def make(
        patient: str = "Nguyễn Thị Hương",
        *,
        channel: Channel = Channel.PHONE,
        description: str = "Waited four hours in the emergency department without an update.",
        complainant: str | None = None,
        address: tuple[str, str, str, str] = ("1200 Harbor Blvd", "Springfield", "IL", "62704"),
    ) -> CaseDetail:
        """A complaint about `patient`, raised by the patient unless `complainant` is named
        (then by their daughter, who was involved in the care)."""
        street, city, region, postal_code = address
        raised_by = (
            PersonInput(
                full_name=complainant,
                address_line1="4 Oak Avenue",
                city="Springfield",
                region="IL",
                postal_code="62701",
            )
            if complainant is not None
            else None
        )
        new = NewCase(
            kind=CaseKind.COMPLAINT,
            channel=channel,
            patient=PersonInput(
                full_name=patient,
                date_of_birth=date(1958, 3, 14),
                address_line1=street,
                city=city,
                region=region,
                postal_code=postal_code,
            ),
            description=description,
            complainant=raised_by,
            complainant_relationship=Relationship.CHILD if raised_by else None,
            disclosure_basis=DisclosureBasis.INVOLVED_IN_CARE if raised_by else None,
        )
        with ctx.db.transaction() as session:
            return cases.open_case(session, ctx.actor, new)

    return make
