"""An administrator manages who works in PR Desk: people, roles, departments, logins."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, User
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.security import login_roles
from prdesk.domain.security.roles import RepresentativeScope
from prdesk.domain.services import organisation, user_admin, users
from prdesk.domain.services.user_admin import NewUser, UserEdit
from tests.support.pg_roles import login_as


class Logins:
    """Unique PostgreSQL login names for one test, dropped afterwards (roles are cluster-wide)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.names: list[str] = []
        self.databases: list[Database] = []

    def name(self) -> str:
        name = f"prdesk_t_{uuid.uuid4().hex[:12]}"
        self.names.append(name)
        return name

    def connect(self, name: str) -> Database:
        """The test database, as that login (not a superuser: its grants and policies apply)."""
        database = Database(self.db.url.set(username=name))
        self.databases.append(database)
        return database

    def drop(self) -> None:
        for database in self.databases:
            database.dispose()
        with self.db.engine.connect() as connection:
            connection.execute(text("COMMIT"))
            for name in self.names:
                if connection.scalar(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}
                ):
                    connection.exec_driver_sql(f'DROP OWNED BY "{name}"')
                    connection.exec_driver_sql(f'DROP ROLE "{name}"')
            connection.commit()


@pytest.fixture
def logins(db: Database) -> Iterator[Logins]:
    created = Logins(db)
    yield created
    if db.dialect == "postgresql":
        created.drop()


@pytest.fixture
def pg_logins(postgres_db: Database) -> Iterator[Logins]:
    created = Logins(postgres_db)
    yield created
    created.drop()


@pytest.fixture
def admin(db: Database) -> UserInfo:
    """The person who set the database up: its first user, so its administrator."""
    with db.transaction() as session:
        organisation.ensure_department(session, "Cardiology")
        organisation.ensure_department(session, "Emergency Department")
        return users.resolve_actor(session, "postgres", "Dana Whitfield")


def _username(db: Database, logins: Logins) -> str:
    return logins.name() if db.dialect == "postgresql" else "apatel"


def _groups(db: Database, name: str) -> set[str]:
    with db.engine.connect() as connection:
        return set(
            connection.scalars(
                text(
                    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                    "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :n"
                ),
                {"n": name},
            )
        )


def _login(db: Database, name: str) -> tuple[bool, bool, str | None]:
    """(can log in, may create roles, the stored password verifier)."""
    with db.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT rolcanlogin, rolcreaterole, rolpassword FROM pg_authid WHERE rolname = :n"
            ),
            {"n": name},
        ).one()
        return bool(row[0]), bool(row[1]), row[2]


def test_an_administrator_adds_a_coordinator_who_can_then_sign_in_as_one(
    db: Database, admin: UserInfo, logins: Logins
) -> None:
    name = _username(db, logins)
    with db.transaction() as session:
        cardiology = user_admin.department_ids(session, ["cardiology"])
        added = user_admin.add_user(
            session,
            admin,
            NewUser(
                name,
                "Anita Patel",
                Role.COORDINATOR,
                email="anita.patel@example.org",
                job_title="Patient Relations Coordinator",
                department_ids=cardiology,
                password="correct horse battery staple",
            ),
        )
    with db.transaction(read_only=True) as session:
        listed = {account.username: account for account in user_admin.list_users(session)}
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == added.id)
        ).all()
    anita = listed[name]
    assert (anita.display_name, anita.role, anita.active) == ("Anita Patel", Role.COORDINATOR, True)
    assert anita.department_names == "Cardiology"
    assert anita.job_title == "Patient Relations Coordinator"
    assert [(event.action, event.username) for event in events] == [("create", "postgres")]
    if db.dialect == "postgresql":
        assert _groups(db, name) == {"prdesk_coordinator"}
        can_login, creates_roles, verifier = _login(db, name)
        assert can_login and not creates_roles
        # What the server keeps is the verifier PR Desk sent, never the password.
        assert verifier is not None and verifier.startswith("SCRAM-SHA-256$4096:")
        salt = base64.b64decode(verifier.split("$")[1].split(":")[1])
        assert login_roles.scram_verifier("correct horse battery staple", salt=salt) == verifier
        with logins.connect(name).transaction() as session:
            me = users.resolve_actor(session, name)
        assert (me.display_name, me.role) == ("Anita Patel", Role.COORDINATOR)


def test_a_role_change_moves_the_login_to_the_new_group_only(
    db: Database, admin: UserInfo, logins: Logins
) -> None:
    name = _username(db, logins)
    with db.transaction() as session:
        added = user_admin.add_user(session, admin, NewUser(name, "Anita Patel", Role.COORDINATOR))
    with db.transaction() as session:
        promoted = user_admin.set_role(session, admin, added.id, Role.ADMINISTRATOR)
    assert promoted.role is Role.ADMINISTRATOR and promoted.version > added.version
    if db.dialect == "postgresql":
        assert _groups(db, name) == {"prdesk_administrator"}
        assert not _login(db, name)[1], "PR Desk never gives a login CREATEROLE"
    with db.transaction() as session:
        user_admin.set_role(session, admin, added.id, Role.CLERK)
    with db.transaction(read_only=True) as session:
        assert session.get(User, added.id).role is Role.CLERK  # type: ignore[union-attr]
    if db.dialect == "postgresql":
        assert _groups(db, name) == {"prdesk_clerk"}
        assert not _login(db, name)[1]


def test_a_disabled_person_cannot_sign_in_until_enabled_again(
    db: Database, admin: UserInfo, logins: Logins
) -> None:
    name = _username(db, logins)
    with db.transaction() as session:
        added = user_admin.add_user(session, admin, NewUser(name, "Anita Patel", Role.CLERK))
    with db.transaction() as session:
        disabled = user_admin.disable_user(session, admin, added.id)
    assert not disabled.active
    if db.dialect == "postgresql":
        assert not _login(db, name)[0]
    with pytest.raises(PermissionDenied, match="disabled"), db.transaction() as session:
        users.resolve_actor(session, name)
    with db.transaction() as session:
        user_admin.enable_user(session, admin, added.id)
    with db.transaction() as session:
        assert users.resolve_actor(session, name).role is Role.CLERK
    if db.dialect == "postgresql":
        assert _login(db, name)[0]


def test_nobody_disables_themselves_or_the_last_administrator(
    db: Database, admin: UserInfo, logins: Logins
) -> None:
    with pytest.raises(ValidationError, match="cannot disable yourself"), db.transaction() as s:
        user_admin.disable_user(s, admin, admin.id)
    name = _username(db, logins)
    with db.transaction() as session:
        other = user_admin.add_user(session, admin, NewUser(name, "Anita Patel", Role.COORDINATOR))
    with pytest.raises(ValidationError, match="last active administrator"), db.transaction() as s:
        user_admin.set_role(s, admin, admin.id, Role.COORDINATOR)
    with db.transaction() as session:
        user_admin.set_role(session, admin, other.id, Role.ADMINISTRATOR)
    with db.transaction() as session:
        user_admin.set_role(session, admin, admin.id, Role.COORDINATOR)
    with db.transaction(read_only=True) as session:
        roles = {a.username: a.role for a in user_admin.list_users(session)}
    assert roles == {"postgres": Role.COORDINATOR, name: Role.ADMINISTRATOR}
    if db.dialect == "postgresql":
        # The database administrator's own superuser login is never regrouped or weakened.
        assert _groups(db, "postgres") == set()
        assert _login(db, "postgres")[1]


def test_only_an_administrator_manages_people(db: Database, admin: UserInfo) -> None:
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "jokafor", "James Okafor")
    with pytest.raises(PermissionDenied, match="representative"), db.transaction() as session:
        user_admin.add_user(session, coordinator, NewUser("x_y", "X Y", Role.ADMINISTRATOR))
    with pytest.raises(PermissionDenied), db.transaction() as session:
        user_admin.set_representative_scope(session, coordinator, RepresentativeScope.DEPARTMENTS)


def test_an_edit_made_on_an_older_version_is_refused(
    db: Database, admin: UserInfo, logins: Logins
) -> None:
    name = _username(db, logins)
    with db.transaction() as session:
        added = user_admin.add_user(session, admin, NewUser(name, "Anita Patel", Role.COORDINATOR))
        cardiology, emergency = user_admin.department_ids(
            session, ["Cardiology", "Emergency Department"]
        )
    # One administrator gives her Cardiology; another, with the form opened before, tries
    # to rename her: the second is told rather than undoing the first.
    with db.transaction() as session:
        user_admin.set_departments(session, admin, added.id, [cardiology], version=added.version)
    stale = UserEdit(added.id, added.version, "Anita R. Patel", Role.COORDINATOR)
    with pytest.raises(ConflictError, match="Someone else changed"), db.transaction() as s:
        user_admin.edit_user(s, admin, stale)
    with db.transaction(read_only=True) as session:
        current = user_admin.user_account(session, added.id)
    with db.transaction() as session:
        edited = user_admin.edit_user(
            session,
            admin,
            UserEdit(
                added.id,
                current.version,
                "Anita R. Patel",
                Role.COORDINATOR,
                email="apatel@example.org",
                department_ids=(cardiology, emergency),
            ),
        )
    assert edited.display_name == "Anita R. Patel"
    assert edited.department_names == "Cardiology, Emergency Department"


def test_a_login_name_must_be_one_everyone_can_type(db: Database, admin: UserInfo) -> None:
    bad = "Anita Patel" if db.dialect == "sqlite" else "APatel"
    with pytest.raises(ValidationError) as raised, db.transaction() as session:
        user_admin.add_user(session, admin, NewUser(bad, "", Role.COORDINATOR, email="nope"))
    assert set(raised.value.fields) == {"username", "display_name", "email"}
    with db.transaction(read_only=True) as session:
        assert [a.username for a in user_admin.list_users(session)] == ["postgres"]


def test_the_representatives_scope_is_one_shared_setting(db: Database, admin: UserInfo) -> None:
    with db.transaction(read_only=True) as session:
        assert (
            user_admin.representative_scope(session) is RepresentativeScope.ASSIGNED_AND_UNASSIGNED
        )
    with db.transaction() as session:
        user_admin.set_representative_scope(session, admin, RepresentativeScope.DEPARTMENTS)
    with db.transaction(read_only=True) as session:
        assert user_admin.representative_scope(session) is RepresentativeScope.DEPARTMENTS


@pytest.mark.postgresql
def test_a_login_made_by_it_is_adopted_with_its_own_sign_on(
    postgres_db: Database, pg_logins: Logins
) -> None:
    db = postgres_db
    with db.transaction() as session:
        admin = users.resolve_actor(session, "postgres", "Dana Whitfield")
    name = pg_logins.name()
    with db.engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN')
        connection.commit()
    with pytest.raises(ValidationError, match="already exists"), db.transaction() as session:
        user_admin.add_user(
            session, admin, NewUser(name, "Omar Haddad", Role.AUDITOR, password="x")
        )
    with db.transaction() as session:
        user_admin.add_user(
            session, admin, NewUser(name, "Omar Haddad", Role.AUDITOR, existing_login=True)
        )
    assert _groups(db, name) == {"prdesk_auditor"}
    assert _login(db, name) == (True, False, None)


@pytest.mark.postgresql
def test_an_administrator_manages_people_through_the_login_the_dba_allowed(
    postgres_db: Database, pg_logins: Logins
) -> None:
    """Not as a superuser: an administrator's login manages people once the DBA has given it
    CREATEROLE; PR Desk never gives it. Without it they are told what to ask for, and
    neither the person nor the login is made."""
    db = postgres_db
    with login_as(db, Role.ADMINISTRATOR) as grace_db:
        grace_login = grace_db.url.username or ""
        with db.transaction() as session:
            owner = users.resolve_actor(session, "postgres", "Dana Whitfield")
            adopted = NewUser(grace_login, "Grace Liu", Role.ADMINISTRATOR, existing_login=True)
            user_admin.add_user(session, owner, adopted)
        assert not _login(db, grace_login)[1], "adopting an administrator gives no CREATEROLE"
        late = pg_logins.name()
        with pytest.raises(PermissionDenied) as refused, grace_db.transaction() as session:
            grace = users.resolve_actor(session, grace_login)
            user_admin.add_user(session, grace, NewUser(late, "Sam Brooks", Role.CLERK))
        assert f"ALTER ROLE {grace_login} CREATEROLE" in refused.value.message
        assert "usually the database's owner" in refused.value.message

        # The database administrator allows Grace's login deliberately.
        with db.engine.connect() as connection:
            connection.exec_driver_sql(f'ALTER ROLE "{grace_login}" CREATEROLE')
            connection.commit()
        with grace_db.transaction() as session:
            grace = users.resolve_actor(session, grace_login)
            newcomer = pg_logins.name()
            user_admin.add_user(
                session, grace, NewUser(newcomer, "Luis Romero", Role.ADMINISTRATOR, password="pw")
            )
        assert _groups(db, newcomer) == {"prdesk_administrator"}
        assert not _login(db, newcomer)[1], "a new administrator's login gets no CREATEROLE"
        with grace_db.transaction() as session:
            user_admin.set_role(
                session, grace, user_admin.user_id_of(session, newcomer), Role.COORDINATOR
            )
            user_admin.disable_user(session, grace, user_admin.user_id_of(session, newcomer))
        assert _groups(db, newcomer) == {"prdesk_coordinator"}
        assert not _login(db, newcomer)[0]

        # Grace stops being an administrator: the right the DBA gave her goes with it.
        with db.transaction() as session:
            user_admin.set_role(
                session, owner, user_admin.user_id_of(session, grace_login), Role.COORDINATOR
            )
        assert _groups(db, grace_login) == {"prdesk_coordinator"}
        assert not _login(db, grace_login)[1]
    with db.engine.connect() as connection:
        made = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM pg_roles WHERE rolname = :n),"
                " (SELECT count(*) FROM users WHERE username = :n)"
            ),
            {"n": late},
        ).one()
    assert tuple(made) == (0, 0)


@pytest.mark.postgresql
def test_an_administrator_pr_desk_made_cannot_give_itself_server_programs(
    postgres_db: Database, pg_logins: Logins
) -> None:
    """Before PostgreSQL 16 CREATEROLE would let a login take pg_execute_server_program and
    run commands on the server; a login PR Desk makes has no such way."""
    db = postgres_db
    name = pg_logins.name()
    with db.transaction() as session:
        admin = users.resolve_actor(session, "postgres", "Dana Whitfield")
        user_admin.add_user(
            session, admin, NewUser(name, "Grace Liu", Role.ADMINISTRATOR, password="pw")
        )
    with (
        pytest.raises(ProgrammingError, match="must have admin option"),
        pg_logins.connect(name).engine.connect() as connection,
    ):
        connection.exec_driver_sql(f'GRANT pg_execute_server_program TO "{name}"')
    assert "pg_execute_server_program" not in _groups(db, name)


@pytest.mark.postgresql
def test_the_verifier_is_the_one_libpq_computes(postgres_db: Database) -> None:
    url = make_url(postgres_db.url.render_as_string(hide_password=False))
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database
    ) as conn:
        for password in ("correct horse battery staple", "Łukasz-Nguyễn 秘密", "ﬁ\u00a0x"):
            theirs = conn.pgconn.encrypt_password(
                password.encode(), b"anyone", b"scram-sha-256"
            ).decode()
            salt = base64.b64decode(theirs.split("$")[1].split(":")[1])
            assert login_roles.scram_verifier(password, salt=salt) == theirs
