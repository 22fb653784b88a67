"""Opening the database and running units of work against it."""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from prdesk.domain.errors import (
    ConflictError,
    DatabaseUnavailable,
    LoginRequired,
    PermissionDenied,
)


def parse_url(text: str) -> URL:
    """A database URL, or DatabaseUnavailable with a message naming what is wrong."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseUnavailable(
            "Not a database URL: expected sqlite:///path/to/file.db or "
            "postgresql+psycopg://user@host/database."
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(
            f"Unsupported database '{url.get_backend_name()}': PR Desk runs on SQLite or PostgreSQL."
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() not in ("psycopg", ""):
        raise DatabaseUnavailable(
            "Use the psycopg driver: postgresql+psycopg://user@host/database."
        )
    if url.get_backend_name() == "postgresql" and not url.get_driver_name():
        url = url.set(drivername="postgresql+psycopg")
    return url


# libpq reads these from a URL's query as well: the login's password, the client key's
# passphrase, and the file of passwords.
SECRET_QUERY_KEYS = ("password", "sslpassword", "passfile")


def without_password(url: URL) -> URL:
    """The URL with no password in it, as a profile, a command line or a log may hold it:
    neither the user's password nor one given in the query (?password=...)."""
    # URL.set() ignores None, so it cannot remove a password.
    return url._replace(password=None).difference_update_query(SECRET_QUERY_KEYS)


def describe(url: URL) -> str:
    """The URL as it may be shown or logged: never with its password."""
    return url.difference_update_query(SECRET_QUERY_KEYS).render_as_string(hide_password=True)


class Database:
    """One database, with a session factory for units of work.

    Attributes:
        url: where it is (may hold a password: show it only through `describe`).
        engine: the SQLAlchemy engine.
        client: which running PR Desk this is ("PR Desk WS-0412 5120"), written with
            every audit row; PostgreSQL's application_name.
        acting_user: on SQLite, the name the audit trail records for every change
            (the operating-system user unless set); PostgreSQL records its login role.
    """

    def __init__(self, url: URL | str, *, password: str | None = None) -> None:
        url = parse_url(url) if isinstance(url, str) else url
        if password is not None and url.password is None:
            url = url.set(password=password)
        self.url = url
        self.client = client_name()
        self.acting_user = _operating_system_user()
        self.engine = _create_engine(url, self)
        # Rows PR Desk writes to the audit log itself carry the client too (audit.record).
        self._sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={"client": self.client}
        )
        reading = self.engine.execution_options(prdesk_read_only=True)
        if url.get_backend_name() == "postgresql":
            # Under READ COMMITTED every statement takes its own snapshot anyway, so a
            # reading unit loses nothing without BEGIN and COMMIT, and saves their two
            # round trips: on a slow hospital network that is most of a page's wait.
            reading = reading.execution_options(isolation_level="AUTOCOMMIT")
        self._read_sessions = sessionmaker(
            reading, expire_on_commit=False, info={"client": self.client}
        )
        snapshot = self.engine.execution_options(prdesk_read_only=True)
        if url.get_backend_name() == "postgresql":
            # One snapshot for the whole unit: an export reading page after page must not
            # skip a case whose place in the order changed meanwhile. (SQLite's reading
            # transaction already sees one snapshot from its first read.)
            snapshot = snapshot.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        self._snapshot_sessions = sessionmaker(
            snapshot, expire_on_commit=False, info={"client": self.client}
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_name(self) -> str:
        return describe(self.url)

    @contextmanager
    def transaction(self, *, read_only: bool = False, snapshot: bool = False) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back if it raises.

        `read_only` units do not take SQLite's write lock, so lists and searches
        never wait behind another workstation's save; on PostgreSQL each of their
        statements reads what is committed when it runs. A `snapshot` unit reads
        everything as of its first statement (for reading many pages as one).
        Database failures come out as domain errors the user can act on.
        """
        if snapshot:
            factory = self._snapshot_sessions
        else:
            factory = self._read_sessions if read_only else self._sessions
        session = factory()
        try:
            with translate_errors():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def check_connection(self) -> None:
        with translate_errors(), self.engine.connect():
            pass

    def refresh_statistics(self) -> None:
        """Tells the query planner how the data is spread, after a bulk load.

        Without statistics SQLite sorts the whole case list to find a page by name
        instead of walking the name index.
        """
        with self.engine.begin() as connection:
            connection.execute(text("ANALYZE"))

    def dispose(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # SQLite's advice for long-lived connections: refresh the planner's
            # statistics on the way out, sampling so that it stays quick.
            with suppress(DBAPIError), self.engine.connect() as connection:
                connection.execute(text("PRAGMA analysis_limit=1000"))
                connection.execute(text("PRAGMA optimize"))
        self.engine.dispose()


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turns driver failures into messages fit to show, without leaking the password."""
    try:
        yield
    except StaleDataError:
        raise ConflictError(
            "Someone else changed this record since you opened it. Reload it and try again."
        ) from None
    except NoSuchModuleError as exc:
        raise DatabaseUnavailable(f"Database driver missing: {exc}") from None
    except OperationalError as exc:
        refusal = login_refusal(exc)
        if refusal is not None:
            raise LoginRequired(refusal) from None
        raise DatabaseUnavailable(_operational_message(exc)) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise DatabaseUnavailable("The connection to the database was lost.") from exc
        # The database's own refusal to change the audit log (a trigger on both
        # backends) is a rule the person meets, not a fault.
        if AUDIT_LOG_IS_APPEND_ONLY in str(exc.orig):
            raise PermissionDenied(AUDIT_LOG_IS_APPEND_ONLY) from None
        if getattr(exc.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            raise PermissionDenied(
                "Your database login is not allowed to do this; ask the administrator to grant "
                "it PR Desk's rights (see 'A shared database' in the README)."
            ) from None
        raise


_INSUFFICIENT_PRIVILEGE = "42501"
PING_AFTER_IDLE_SECONDS = 10.0

# What the audit log's triggers answer to any update or delete of its rows, on both
# backends (prdesk/domain/security/audit_triggers.py).
AUDIT_LOG_IS_APPEND_ONLY = "The audit log cannot be changed or deleted."

# PostgreSQL keeps application_name to 63 bytes.
_CLIENT_NAME_LIMIT = 63


def client_name() -> str:
    """This running PR Desk as the audit trail and other workstations name it.

    "PR Desk <computer> <process>": the computer's name tells two workstations of one
    person apart, the process id two windows on one computer. Never anything a
    person typed, so no health information.
    """
    process = str(os.getpid())
    room = _CLIENT_NAME_LIMIT - len("PR Desk  ") - len(process)
    host = socket.gethostname().split(".")[0] or "workstation"
    host = host.encode("ascii", "replace").decode("ascii")[:room]
    return f"PR Desk {host} {process}"


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "unknown"


# SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification.
_LOGIN_REFUSED = frozenset({"28P01", "28000"})


def login_refusal(exc: DBAPIError) -> str | None:
    """What to tell someone whose login the server refused, or None for any other failure.

    A refusal during connection often carries no SQLSTATE in psycopg, only the
    server's text, so both are looked at.
    """
    text = str(exc.orig) if exc.orig else str(exc)
    if "pg_hba.conf" in text:
        # The server lets nobody in from this computer: no password would help.
        return None
    if "no password supplied" in text:
        return "The database needs your password to sign you in."
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _LOGIN_REFUSED or "password authentication failed" in text:
        return "The database refused the user name or password."
    return None


def _operational_message(exc: OperationalError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "database is locked" in text:
        return "The database is busy (another PR Desk is writing); try again in a moment."
    return f"Cannot reach the database: {text}"


def _create_engine(url: URL, owner: Database) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url, owner)
    engine = create_engine(
        url,
        # Statement parameters hold health information: keep them out of every error.
        hide_parameters=True,
        # A dropped server must not hang the window: fail fast and let the user retry.
        # The application name goes into every audit row the triggers write. Keepalives
        # notice a network that fails silently (no reset reaches us) within about 25 s,
        # where the operating system's own TCP timeout would leave a query waiting minutes.
        connect_args={
            "connect_timeout": 10,
            "application_name": owner.client,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        },
    )

    # A connection that sat idle may have been cut (server restart, network): test it
    # before use. Only then, unlike pool_pre_ping: a round trip before every page of
    # the case list would double what a user on a slow network waits for.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:  # any failure here means "this connection is gone"
            # The pool discards the connection and checks out a fresh one.
            raise DisconnectionError() from exc

    return engine


def _create_sqlite_engine(url: URL, owner: Database) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        _prepare_sqlite_file(Path(database))
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (below) instead of the driver's lazy one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
        # The audit triggers ask who acts and from where (audit_triggers.py); read at
        # each call, so a changed acting_user applies to connections already open.
        dbapi_connection.create_function(
            "prdesk_user", 0, lambda: owner.acting_user, deterministic=False
        )
        dbapi_connection.create_function(
            "prdesk_client", 0, lambda: owner.client, deterministic=False
        )
        dbapi_connection.create_function("prdesk_sha256", 1, _sha256, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front; a deferred transaction that reads
        # and then writes can fail with "database is locked" instead of waiting.
        if connection.get_execution_options().get("prdesk_read_only"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _sha256(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


def _prepare_sqlite_file(path: Path) -> None:
    """Creates the folder and an empty file readable by its owner only (it holds PHI).

    A file that an earlier version, a copy or a restore left readable by others is
    tightened, with its write-ahead log and shared-memory files. On Windows the
    per-user data folder is private already and POSIX modes mean little.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
        os.close(fd)
    if sys.platform == "win32":
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError, PermissionError):
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                file.chmod(mode & ~(stat.S_IRWXG | stat.S_IRWXO))
