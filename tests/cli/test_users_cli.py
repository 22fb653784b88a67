"""An administrator manages people from the command line: `prdesk users ...`."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from prdesk.cli import main
from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.services import organisation, user_admin, users
from tests.support.pg_roles import running_as


def run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> tuple[int, str, str]:
    code = main(["--database", db.url.render_as_string(hide_password=False), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def login_name(db: Database) -> Iterator[str]:
    """A login name no other test uses (roles are cluster-wide), dropped afterwards."""
    name = f"prdesk_t_{uuid.uuid4().hex[:12]}" if db.dialect == "postgresql" else "apatel"
    yield name
    if db.dialect == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
            connection.commit()


@pytest.fixture
def departments(db: Database) -> None:
    with db.transaction() as session:
        organisation.ensure_department(session, "Cardiology")
        organisation.ensure_department(session, "Emergency Department")


def test_an_administrator_adds_lists_regroups_and_disables_a_person(
    db: Database,
    departments: None,
    login_name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-Passw0rd\n"))
    password = ["--password-stdin"] if db.dialect == "postgresql" else []
    code, out, err = run(
        capsys, db, "users", "add", login_name, "--name", "Anita Patel", "--role", "coordinator",
        "--email", "anita.patel@example.org", "--department", "cardiology", *password,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith(f"Added Anita Patel ({login_name}) as coordinator")

    code, out, _ = run(capsys, db, "users", "list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(login_name))
    assert line.split()[1:] == ["Anita", "Patel", "Coordinator", "yes", "Cardiology"]

    code, out, _ = run(capsys, db, "users", "set-role", login_name, "Representative")
    assert (code, out) == (0, f"Anita Patel ({login_name}) is now representative.\n")
    code, out, _ = run(
        capsys, db, "users", "departments", login_name, "Cardiology", "Emergency Department"
    )
    assert out == f"Anita Patel ({login_name}) works for: Cardiology, Emergency Department.\n"
    code, out, _ = run(capsys, db, "users", "disable", login_name)
    assert code == 0 and "can no longer sign in" in out

    code, out, _ = run(capsys, db, "users", "list", "--json")
    listed = {row["username"]: row for row in json.loads(out)}
    assert listed[login_name]["role"] == "representative"
    assert listed[login_name]["active"] is False
    assert [d["name"] for d in listed[login_name]["departments"]] == [
        "Cardiology",
        "Emergency Department",
    ]
    if db.dialect == "postgresql":
        with db.engine.connect() as connection:
            can_login = connection.scalar(
                text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": login_name}
            )
        assert can_login is False


def test_mistakes_are_one_line_and_change_nothing(
    db: Database, departments: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, db, "users", "add", "ana lopez", "--name", "Ana López", "--role", "clerk"
    )
    assert code == 1
    assert err.startswith("prdesk: error: ") and err.count("\n") == 1
    code, _, err = run(
        capsys, db, "users", "add", "alopez", "--name", "Ana López", "--role", "clerk",
        "--department", "Radiology",
    )  # fmt: skip
    assert (code, err) == (1, "prdesk: error: There is no department called 'Radiology'.\n")
    code, _, err = run(capsys, db, "users", "set-role", "nobody", "clerk")
    assert (code, err) == (1, "prdesk: error: Nobody with the login 'nobody' works in PR Desk.\n")
    with pytest.raises(SystemExit) as usage:
        run(capsys, db, "users", "set-role", "alopez", "boss")
    assert usage.value.code == 2
    assert "unknown role 'boss'" in capsys.readouterr().err
    with db.transaction(read_only=True) as session:
        assert "alopez" not in {a.username for a in user_admin.list_users(session)}


def test_only_an_administrator_may_change_people(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        users.resolve_actor(session, "dwhitfield", "Dana Whitfield")
    with running_as(db, Role.COORDINATOR) as coordinator:
        code, _, err = run(capsys, coordinator, "users", "disable", "dwhitfield")
    assert (code, err) == (
        1,
        "prdesk: error: Your role (coordinator) may not manage who works in PR Desk and their "
        "roles.\n",
    )
    with db.transaction(read_only=True) as session:
        account = user_admin.user_account(session, user_admin.user_id_of(session, "dwhitfield"))
    assert account.active and account.role is Role.ADMINISTRATOR


def test_the_representatives_scope_is_shown_and_set(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db, "users", "scope") == (
        0,
        "Representatives see: cases assigned to them, and cases nobody has taken yet.\n",
        "",
    )
    assert run(capsys, db, "users", "scope", "departments") == (
        0,
        "Representatives now see: cases of their departments, and those assigned to them.\n",
        "",
    )
    _, out, _ = run(capsys, db, "users", "scope")
    assert out.startswith("Representatives see: cases of their departments")
