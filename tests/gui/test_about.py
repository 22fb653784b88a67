"""Help ▸ About PR Desk: the versions for an IT ticket, the database, and the licences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

import prdesk
from prdesk.domain.database import Database
from prdesk.domain.services import users
from prdesk.ui import about
from prdesk.ui.about import AboutDialog
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from tests.gui.conftest import CaseMaker, shown_window, wait_idle


def test_about_shows_the_qt_running_and_copies_versions_without_patient_data(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case("Nguyễn Thị Hương")
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    window.tabs.open_case(case.id)  # a case on screen, whose details must not be copied
    wait_idle(qtbot)

    window.commands["about"].trigger()

    (dialog,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog)]
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.value("Qt").startswith(qVersion())
    assert dialog._values["Qt"].text().startswith(qVersion())
    assert dialog.value("Database").startswith("SQLite (embedded)")

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    copied = QApplication.clipboard().text()
    assert "PR Desk:" in copied and prdesk.__version__ in copied
    assert qVersion() in copied and "SQLAlchemy" in copied and "Operating system" in copied
    for private in ("Nguyễn", "Hương", case.number, "emergency"):
        assert private not in copied


def test_the_licences_name_pr_desk_qt_the_fonts_and_the_outlook_reader(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(about, "outlook_reader_version", lambda: "0.55.0")
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)

    licences = dialog.licences.toPlainText()

    assert "MIT License" in licences and "Permission is hereby granted" in licences
    assert "LGPL-3.0" in licences
    assert "SIL Open Font License" in licences and "Apache License" in licences
    assert "extract-msg 0.55.0" in licences and "GPL-3.0" in licences
    assert dialog.value("Outlook reader") == "extract-msg 0.55.0"

    monkeypatch.setattr(about, "outlook_reader_version", lambda: None)
    without = AboutDialog(ctx)
    qtbot.addWidget(without)
    assert "extract-msg" not in without.licences.toPlainText()
    assert without.value("Outlook reader") == "not installed"


@pytest.mark.postgresql
def test_on_postgresql_the_server_version_is_read_in_the_background(
    postgres_db: Database, qtbot: QtBot
) -> None:
    with postgres_db.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
        expected = session.execute(text("SHOW server_version")).scalar_one()
    ctx = AppContext(postgres_db, actor, ChangeHub())
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.value("Database server") == "reading…"
    assert dialog.value("Database").startswith("PostgreSQL")

    dialog.load()

    qtbot.waitUntil(lambda: dialog.value("Database server") != "reading…")
    assert dialog.value("Database server") == f"PostgreSQL {expected}"
    assert f"PostgreSQL {expected}" in dialog.text()
    wait_idle(qtbot)
