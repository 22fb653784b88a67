"""Fixtures shared by every test: an isolated home, databases on both backends, a user."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

# Headless Qt for every GUI test; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import users
from tests.support.keyring_backend import MemoryKeyring

# The server CI starts; PRDESK_TEST_POSTGRES_URL points the tests elsewhere.
POSTGRES_ADMIN_URL = os.environ.get(
    "PRDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
_postgres_available: bool | None = None


def postgres_available() -> bool:
    global _postgres_available
    if _postgres_available is None:
        try:
            engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
            _postgres_available = True
        except Exception:
            _postgres_available = False
    return _postgres_available


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Settings, the embedded database and the credential store of a throwaway user."""
    home = tmp_path_factory.mktemp("prdesk-home")
    monkeypatch.setenv("PRDESK_HOME", str(home))
    monkeypatch.delenv("PRDESK_DATABASE_URL", raising=False)
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: _KEYRING)
    keyring.set_keyring(_KEYRING)
    _KEYRING.passwords.clear()
    return home


_KEYRING = MemoryKeyring()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded database migrated once; each test gets a copy, not a fresh migration
    (half a second each, over a thousand tests)."""
    path = tmp_path_factory.mktemp("template") / "prdesk.db"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    # Closing the last connection moves the write-ahead log into the main file.
    db.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """An embedded database file with the current schema (a file, since workers use threads)."""
    path = tmp_path / "prdesk.db"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _require_postgres() -> None:
    if not postgres_available():
        where = make_url(POSTGRES_ADMIN_URL).render_as_string()
        if os.environ.get("PRDESK_REQUIRE_POSTGRES"):
            pytest.fail(
                f"PRDESK_REQUIRE_POSTGRES is set but no PostgreSQL server answers at {where}"
            )
        pytest.skip(f"no PostgreSQL server at {where}")


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once, which each test's database is copied from."""
    _require_postgres()
    name = f"prdesk_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        db = Database(make_url(POSTGRES_ADMIN_URL).set(database=name))
        schema.upgrade(db)
        # A template may have no open connections while it is copied.
        db.dispose()
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_db(postgres_template: str) -> Iterator[Database]:
    """A new PostgreSQL database with the current schema, dropped afterwards."""
    name = f"prdesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    db = Database(make_url(POSTGRES_ADMIN_URL).set(database=name))
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on the embedded SQLite database and on PostgreSQL."""
    fixture = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
def coordinator(db: Database) -> UserInfo:
    """The first user of a new database: its administrator, who coordinates."""
    # On SQLite the workstation's user is the one the audit trail names.
    db.acting_user = "mgarcia"
    with db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def pytest_report_header(config: pytest.Config) -> str:
    if postgres_available():
        return f"PostgreSQL tests: on {make_url(POSTGRES_ADMIN_URL).render_as_string()}"
    return (
        "PostgreSQL tests: SKIPPED, no server at "
        f"{make_url(POSTGRES_ADMIN_URL).render_as_string()} (start one or set PRDESK_TEST_POSTGRES_URL)"
    )
