"""An administrator adds a coordinator, changes a role and disables someone in Administration ▸ Users."""

from __future__ import annotations

import base64
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.models import User
from prdesk.domain.security import login_roles
from prdesk.domain.security.roles import RepresentativeScope
from prdesk.domain.services import organisation, user_admin, users
from prdesk.domain.services.user_admin import NewUser
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.users_dialog import UsersDialog
from prdesk.ui.users_model import ACTIVE, DEPARTMENTS, LOGIN, NAME, ROLE
from tests.gui.conftest import shown_window, wait_idle


@pytest.fixture
def departments(ctx: AppContext) -> None:
    with ctx.db.transaction() as session:
        organisation.ensure_department(session, "Cardiology")
        organisation.ensure_department(session, "Emergency Department")


def shown_users(ctx: AppContext, qtbot: QtBot) -> UsersDialog:
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    return dialog


def table_text(dialog: UsersDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [model.index(row, column).data() for column in (NAME, LOGIN, ROLE, DEPARTMENTS, ACTIVE)]
        for row in range(model.rowCount())
    ]


def row_named(dialog: UsersDialog, name: str) -> int:
    return next(row for row, line in enumerate(table_text(dialog)) if line[0] == name)


def stored(ctx: AppContext, username: str) -> User:
    with ctx.db.transaction(read_only=True) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def test_an_administrator_adds_a_coordinator_with_her_department(
    ctx: AppContext, departments: None, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    dialog = shown_users(ctx, qtbot)
    assert table_text(dialog) == [["María García", "mgarcia", "Administrator", "", "Yes"]]
    qtmodeltester.check(dialog.model)  # type: ignore[no-untyped-call]
    # The embedded database has no logins, so no password is asked for.
    editor = dialog.add_person()
    assert not editor.password.isVisibleTo(editor)
    editor.username.setText("apatel")
    editor.display_name.setText("Anita Patel")
    editor.role.set_value(Role.COORDINATOR)
    editor.email.setText("anita.patel@example.org")
    editor.job_title.setText("Patient Relations Coordinator")
    assert editor.departments.names() == ["Cardiology", "Emergency Department"]
    editor.departments.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    wait_idle(qtbot)
    assert table_text(dialog)[row_named(dialog, "Anita Patel")] == [
        "Anita Patel",
        "apatel",
        "Coordinator",
        "Cardiology",
        "Yes",
    ]
    assert dialog.banner.text() == "Anita Patel added."
    anita = stored(ctx, "apatel")
    assert (anita.role, anita.job_title) == (Role.COORDINATOR, "Patient Relations Coordinator")


def test_a_mistake_is_shown_on_its_field_and_nothing_typed_is_lost(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = shown_users(ctx, qtbot)
    editor = dialog.add_person()
    editor.username.setText("mgarcia")
    editor.display_name.setText("Another María")
    editor.email.setText("not an address")
    editor.save_button.click()
    wait_idle(qtbot)
    assert editor.isVisible()
    assert (
        editor.errors.message("username") == "'mgarcia' is already in PR Desk; edit them instead."
    )
    assert editor.errors.message("email").startswith("'not an address' is not an email address")
    assert editor.display_name.text() == "Another María"


def test_changing_a_role_and_disabling_someone(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        user_admin.add_user(
            session, ctx.actor, NewUser("jokafor", "James Okafor", Role.REPRESENTATIVE)
        )
    dialog = shown_users(ctx, qtbot)
    dialog.select_row(row_named(dialog, "James Okafor"))
    editor = dialog.edit_selected()
    assert editor is not None
    assert editor.username.isReadOnly() and editor.display_name.text() == "James Okafor"
    editor.role.set_value(Role.COORDINATOR)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    wait_idle(qtbot)
    assert table_text(dialog)[row_named(dialog, "James Okafor")][2] == "Coordinator"

    assert dialog.active_button.text() == "&Disable"
    dialog.active_button.click()
    wait_idle(qtbot)
    assert table_text(dialog)[row_named(dialog, "James Okafor")][4] == "No (disabled)"
    assert dialog.active_button.text() == "E&nable"
    james = stored(ctx, "jokafor")
    assert (james.role, james.active) == (Role.COORDINATOR, False)

    dialog.select_row(row_named(dialog, "María García"))
    dialog.active_button.click()
    wait_idle(qtbot)
    assert dialog.banner.text() == "You cannot disable yourself; ask another administrator."
    assert stored(ctx, "mgarcia").active


def test_a_stale_edit_is_refused_and_the_list_reloaded(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        user_admin.add_user(session, ctx.actor, NewUser("jokafor", "James Okafor", Role.CLERK))
    dialog = shown_users(ctx, qtbot)
    dialog.select_row(row_named(dialog, "James Okafor"))
    editor = dialog.edit_selected()
    assert editor is not None
    # Another administrator makes him an auditor meanwhile.
    with ctx.db.transaction() as session:
        user_id = user_admin.user_id_of(session, "jokafor")
        user_admin.set_role(session, ctx.actor, user_id, Role.AUDITOR)
    editor.display_name.setText("James A. Okafor")
    editor.save()
    wait_idle(qtbot)
    assert editor.banner.text().startswith("Someone else changed James Okafor")
    assert editor.display_name.text() == "James A. Okafor"
    assert stored(ctx, "jokafor").display_name == "James Okafor"


def test_the_representatives_scope_is_chosen_with_a_radio_button(
    ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = shown_users(ctx, qtbot)
    radios = dialog.scope_radios
    assert radios[RepresentativeScope.ASSIGNED_AND_UNASSIGNED].isChecked()
    assert radios[RepresentativeScope.DEPARTMENTS].text() == (
        "Cases of their de&partments, and those assigned to them"
    )
    radios[RepresentativeScope.DEPARTMENTS].click()
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        assert user_admin.representative_scope(session) is RepresentativeScope.DEPARTMENTS


def test_someone_who_is_not_an_administrator_is_refused(ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.transaction() as session:
        clerk = users.resolve_actor(session, "sbrooks", "Sam Brooks")
        user_admin.set_role(session, ctx.actor, clerk.id, Role.CLERK)
        clerk = users.resolve_actor(session, "sbrooks")
    dialog = shown_users(AppContext(ctx.db, clerk, ctx.hub), qtbot)
    dialog.select_row(row_named(dialog, "María García"))
    dialog.active_button.click()
    wait_idle(qtbot)
    assert (
        dialog.banner.text()
        == "Your role (clerk) may not manage who works in PR Desk and their roles."
    )
    assert stored(ctx, "mgarcia").active


def test_administration_users_is_offered_to_administrators_only(
    ctx: AppContext, qtbot: QtBot
) -> None:
    window = shown_window(ctx, qtbot)
    window.commands["users"].trigger()
    wait_idle(qtbot)
    dialog = window.findChild(UsersDialog)
    assert dialog is not None and dialog.isVisible()
    assert table_text(dialog)[0][:3] == ["María García", "mgarcia", "Administrator"]
    dialog.close()

    with ctx.db.transaction() as session:
        james = users.resolve_actor(session, "jokafor", "James Okafor")
    representative_window = shown_window(AppContext(ctx.db, james, ctx.hub), qtbot)
    assert not representative_window.commands["users"].isEnabled()


@pytest.mark.postgresql
def test_on_a_shared_database_a_new_person_gets_a_login_with_the_typed_password(
    postgres_db: Database, qtbot: QtBot
) -> None:
    with postgres_db.transaction() as session:
        owner = users.resolve_actor(session, "postgres", "Dana Whitfield")
    ctx = AppContext(postgres_db, owner, ChangeHub())
    login = f"prdesk_t_{uuid.uuid4().hex[:12]}"
    try:
        dialog = shown_users(ctx, qtbot)
        editor = dialog.add_person()
        assert editor.password.isVisibleTo(editor)
        assert editor.password.echoMode() == QLineEdit.EchoMode.Password
        editor.username.setText(login)
        editor.display_name.setText("Anita Patel")
        editor.role.set_value(Role.COORDINATOR)
        editor.password.setText("s3cret-Passw0rd")
        editor.password_again.setText("s3cret-Passw0rd!")
        editor.save()
        assert editor.errors.message("password_again") == "The two passwords differ."
        editor.password_again.setText("s3cret-Passw0rd")
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            editor.save()
        wait_idle(qtbot)
        assert table_text(dialog)[row_named(dialog, "Anita Patel")][1:3] == [login, "Coordinator"]
        with postgres_db.engine.connect() as connection:
            verifier, group = connection.execute(
                text(
                    "SELECT a.rolpassword, g.rolname FROM pg_authid a"
                    " JOIN pg_auth_members m ON m.member = a.oid"
                    " JOIN pg_roles g ON g.oid = m.roleid WHERE a.rolname = :n"
                ),
                {"n": login},
            ).one()
        assert group == "prdesk_coordinator"
        salt = base64.b64decode(verifier.split("$")[1].split(":")[1])
        assert verifier == login_roles.scram_verifier("s3cret-Passw0rd", salt=salt)
    finally:
        wait_idle(qtbot)
        with postgres_db.engine.connect() as connection:
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
            connection.commit()
