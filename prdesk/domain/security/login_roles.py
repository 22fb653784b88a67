"""PostgreSQL login roles for the people of PR Desk: creating, adopting, regrouping, disabling.

Everything runs on the connection of the caller's unit of work. PostgreSQL's
role statements are transactional, so a failure rolls back the login together
with the `users` row written beside it: neither is left half made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import stringprep
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import errors as pg_errors
from psycopg import sql
from sqlalchemy.orm import Session

from prdesk.domain.enums import Role
from prdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from prdesk.domain.security.roles import GROUP_ROLES, group_role

# What PostgreSQL accepts unquoted, lower-cased as it folds them, and what every
# client and pg_hba.conf line can name without quoting: 63 bytes is its identifier limit.
LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
SCRAM_ITERATIONS = 4096  # PostgreSQL's own default (scram_iterations)
SALT_BYTES = 16


def check_login_name(username: str) -> None:
    """Raises ValidationError unless `username` can be a PostgreSQL login everyone can type."""
    if LOGIN_NAME.fullmatch(username) is None:
        raise ValidationError.from_fields(
            {
                "username": (
                    f"'{username}' cannot be a database login: use lower-case letters, digits, "
                    "'_', '.' or '-', starting with a letter or '_', at most 63 characters."
                )
            }
        )


def scram_verifier(
    password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS
) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802, RFC 7677).

    Sent instead of the password, so the password itself never reaches the server or
    its logs; the server recognises the format and stores it as it is.
    """
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", _saslprep(password), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    return f"SCRAM-SHA-256${iterations}:{_b64(salt)}${_b64(stored_key)}:{_b64(server_key)}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _saslprep(password: str) -> bytes:
    """The password as PostgreSQL hashes it: SASLprep (RFC 4013) where it applies.

    Like PostgreSQL, a password SASLprep refuses (prohibited or badly ordered
    characters) is used exactly as typed rather than rejected.
    """
    if password.isascii():
        # Printable ASCII is unchanged by SASLprep; PostgreSQL skips it too.
        return password.encode("utf-8")
    mapped = "".join(
        " " if stringprep.in_table_c12(ch) else ch
        for ch in password
        if not stringprep.in_table_b1(ch)
    )
    normal = unicodedata.normalize("NFKC", mapped)
    prohibited = (
        stringprep.in_table_c12,
        stringprep.in_table_c21,
        stringprep.in_table_c22,
        stringprep.in_table_c3,
        stringprep.in_table_c4,
        stringprep.in_table_c5,
        stringprep.in_table_c6,
        stringprep.in_table_c7,
        stringprep.in_table_c8,
        stringprep.in_table_c9,
        stringprep.in_table_a1,
    )
    if not normal or any(test(ch) for ch in normal for test in prohibited):
        return password.encode("utf-8")
    if any(stringprep.in_table_d1(ch) for ch in normal):
        right_to_left_only = stringprep.in_table_d1(normal[0]) and stringprep.in_table_d1(
            normal[-1]
        )
        if not right_to_left_only or any(stringprep.in_table_d2(ch) for ch in normal):
            return password.encode("utf-8")
    return normal.encode("utf-8")


def login_exists(session: Session, username: str) -> bool:
    with _cursor(session) as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (username,))
        return cursor.fetchone() is not None


def managed_login(session: Session, username: str) -> bool:
    """Whether `username` is a login PR Desk regroups and locks: one that exists and is
    not a superuser (the database administrator is left exactly as the DBA made them)."""
    with _cursor(session) as cursor:
        cursor.execute("SELECT NOT rolsuper FROM pg_roles WHERE rolname = %s", (username,))
        row = cursor.fetchone()
        return bool(row and row[0])


def create_login(session: Session, username: str, role: Role, password: str | None) -> None:
    """A new login in `role`'s group; without a password for sign-on through LDAP or Kerberos."""
    statement = sql.SQL("CREATE ROLE {name} LOGIN IN ROLE {group}").format(
        name=sql.Identifier(username), group=sql.Identifier(group_role(role))
    )
    if password is not None:
        statement = sql.SQL("{} PASSWORD {}").format(
            statement, sql.Literal(scram_verifier(password))
        )
    # Never CREATEROLE, even for an administrator: before PostgreSQL 16 it lets a login
    # grant itself any role short of superuser (pg_execute_server_program among them,
    # so commands on the server). Managing logins is a right the DBA gives deliberately.
    _run(session, statement)


def adopt_login(session: Session, username: str, role: Role) -> None:
    """Joins a login someone else made (IT, for LDAP or Kerberos) to `role`'s group.

    Its password, way of signing on and attributes are left as they are.
    """
    _join_group_only(session, username, role)


def set_login_role(session: Session, username: str, role: Role) -> None:
    """Makes the login a member of `role`'s group and of no other PR Desk group.

    Someone who stops being an administrator also loses CREATEROLE if the database
    administrator had given it to them for managing logins; nobody gains it here.
    """
    _join_group_only(session, username, role)
    if role is not Role.ADMINISTRATOR and _creates_roles(session, username):
        _run(session, sql.SQL("ALTER ROLE {} NOCREATEROLE").format(sql.Identifier(username)))


def _join_group_only(session: Session, username: str, role: Role) -> None:
    name = sql.Identifier(username)
    for group in _groups_of(session, username) - {group_role(role)}:
        _run(session, sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), name))
    if group_role(role) not in _groups_of(session, username):
        _run(session, sql.SQL("GRANT {} TO {}").format(sql.Identifier(group_role(role)), name))


def set_login_enabled(session: Session, username: str, enabled: bool) -> None:
    """LOGIN or NOLOGIN: a disabled person cannot connect at all, with any client."""
    attribute = sql.SQL("LOGIN" if enabled else "NOLOGIN")
    _run(session, sql.SQL("ALTER ROLE {} {}").format(sql.Identifier(username), attribute))


def _creates_roles(session: Session, username: str) -> bool:
    with _cursor(session) as cursor:
        cursor.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = %s", (username,))
        row = cursor.fetchone()
        return bool(row and row[0])


def _groups_of(session: Session, username: str) -> set[str]:
    with _cursor(session) as cursor:
        cursor.execute(
            "SELECT g.rolname FROM pg_auth_members m"
            " JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member"
            " WHERE u.rolname = %s AND g.rolname = ANY(%s)",
            (username, list(GROUP_ROLES.values())),
        )
        return {row[0] for row in cursor.fetchall()}


def _run(session: Session, statement: sql.Composable) -> None:
    with _cursor(session) as cursor:
        cursor.execute(statement)


@contextmanager
def _cursor(session: Session) -> Iterator[Any]:
    """A driver cursor on the unit of work's own connection, inside its transaction.

    The driver's cursor, because role statements take identifiers, which only
    psycopg's `sql` module quotes safely.
    """
    connection = session.connection().connection.driver_connection
    assert connection is not None, "a unit of work always holds a connection"
    try:
        with connection.cursor() as cursor:
            yield cursor
    except pg_errors.InsufficientPrivilege:
        acting = _acting_login(session)
        raise PermissionDenied(
            f"Your database login ({acting}) may not manage other logins, and PR Desk never "
            "gives that right itself. Manage people while signed in as a login the database "
            "administrator has deliberately allowed to (usually the database's owner), or ask "
            f"them to run: ALTER ROLE {acting} CREATEROLE; and, on PostgreSQL 16 or newer, "
            "GRANT each prdesk_ group TO it WITH ADMIN OPTION."
        ) from None
    except pg_errors.UndefinedObject as exc:
        # A login IT dropped, or group roles never installed ('prdesk db upgrade').
        raise NotFound(f"The database says: {str(exc).strip().splitlines()[0]}.") from None


def _acting_login(session: Session) -> str:
    connection = session.connection().connection.driver_connection
    assert connection is not None
    # The failed statement aborted the transaction; ask outside it.
    return str(connection.info.user)
