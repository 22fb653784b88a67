"""Connecting to a PostgreSQL test database as an ordinary person: a login in a PR Desk group.

Superusers and table owners bypass row-level security, so a test of who may do what
must connect as a login like the ones an administrator makes. Usage:

    with login_as(postgres_db, Role.REPRESENTATIVE) as rep_db:
        actor = signed_in(rep_db, "Ji-woo Kim")
        with rep_db.transaction() as session:
            ...  # everything here runs as that login

Logins are server-wide, so each gets a random name and is dropped afterwards, with
anything it came to own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from prdesk.domain.database import Database, without_password
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.security.roles import group_role
from prdesk.domain.services import users


@contextmanager
def login_as(db: Database, role: Role | None) -> Iterator[Database]:
    """A new login in `role`'s group (None: in no group) on `db`'s database.

    Yields a Database connected as that login (127.0.0.1 trusts it, so no password);
    its name is the yielded database's `url.username`. `db` must be connected as a
    superuser, as the test fixtures are.
    """
    name = f"prdesk_t_{uuid.uuid4().hex[:12]}"
    membership = f' IN ROLE "{group_role(role)}"' if role is not None else ""
    with db.engine.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN{membership}'))
    person = Database(without_password(db.url).set(username=name))
    try:
        yield person
    finally:
        person.dispose()
        with db.engine.begin() as connection:
            connection.execute(text(f'REASSIGN OWNED BY "{name}" TO CURRENT_USER'))
            connection.execute(text(f'DROP OWNED BY "{name}"'))
            connection.execute(text(f'DROP ROLE "{name}"'))


def signed_in(person: Database, display_name: str | None = None) -> UserInfo:
    """The PR Desk user of the login, as starting PR Desk on it makes them."""
    with person.transaction() as session:
        return users.resolve_actor(session, person.url.username or "", display_name)


@contextmanager
def running_as(db: Database, role: Role) -> Iterator[Database]:
    """The database as someone in `role` reaches it when they run `prdesk`.

    On PostgreSQL that is a login in the role's group (the database administrator
    is always an administrator); on the embedded database, the operating-system
    user, whose record is given the role.
    """
    if db.dialect == "postgresql":
        with login_as(db, role) as person:
            yield person
        return
    import getpass

    from prdesk.domain.models import User

    with db.transaction() as session:
        me = users.resolve_actor(session, getpass.getuser(), workstation_owner=True)
        user = session.get(User, me.id)
        assert user is not None
        user.role = role
    yield db
