"""Creating and upgrading the database schema, and refusing schemas this version does not know."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from prdesk.domain.database import Database, translate_errors
from prdesk.domain.errors import SchemaMismatch

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against this version of PR Desk.

    Attributes:
        current: the revision the database is at; None for an empty database.
        head: the newest revision this version knows.
        known: False when the database was migrated by a newer PR Desk.
        empty: True when the database holds no tables at all.
    """

    current: str | None
    head: str
    known: bool
    empty: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_state(db: Database) -> SchemaState:
    script = ScriptDirectory.from_config(_alembic_config())
    with translate_errors(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        empty = current is None and not inspect(connection).get_table_names()
    known = current is None or _revision_known(script, current)
    return SchemaState(current=current, head=head_revision(), known=known, empty=empty)


def _revision_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several types for an unknown id
        return False


def upgrade(db: Database) -> SchemaState:
    """Migrates the database to this version's schema. Refuses a newer schema."""
    state = schema_state(db)
    if not state.known:
        raise _newer_schema(state)
    if not state.empty and state.current is None:
        raise SchemaMismatch(
            "This database holds tables that are not PR Desk's; choose an empty database.",
            needs_upgrade=False,
        )
    with _migrating(db) as config:
        command.upgrade(config, "head")
    return schema_state(db)


def downgrade(db: Database, revision: str) -> None:
    """Undoes migrations down to `revision` (for support, and to test upgrades with data)."""
    with _migrating(db) as config:
        command.downgrade(config, revision)


@contextmanager
def _migrating(db: Database) -> Iterator[Config]:
    """Alembic's configuration on one connection, in one transaction.

    On SQLite, batch mode rebuilds a table by copying it and dropping the old one;
    with foreign keys enforced, dropping `cases` would delete every row that points
    at it with ON DELETE CASCADE: the timeline, the letters, the attachments. So
    they are enforced again only after the migration, which must leave none broken.
    """
    config = _alembic_config()
    with translate_errors(), db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        assert driver is not None
        if sqlite:
            # Outside any transaction: inside one SQLite ignores this pragma.
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                yield config
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise SchemaMismatch(
                        "The upgrade would leave records pointing at missing ones; nothing "
                        "was changed. Keep the database and contact support.",
                        needs_upgrade=True,
                    )
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")


def ensure_ready(db: Database, *, create_if_empty: bool = True) -> SchemaState:
    """Checks the schema before use: creates it in an empty database, refuses a mismatch."""
    state = schema_state(db)
    if state.up_to_date:
        return state
    if state.empty:
        if create_if_empty:
            return upgrade(db)
        raise SchemaMismatch(
            f"The database {db.display_name} is empty: PR Desk's tables must be created in it "
            "(`prdesk db upgrade`).",
            needs_upgrade=True,
        )
    if not state.known:
        raise _newer_schema(state)
    raise SchemaMismatch(
        "The database was made by an older PR Desk and needs upgrading (`prdesk db upgrade`; "
        "back it up first).",
        needs_upgrade=True,
    )


def _newer_schema(state: SchemaState) -> SchemaMismatch:
    return SchemaMismatch(
        f"The database was upgraded by a newer PR Desk (schema {state.current}); "
        "install that version to use it.",
        needs_upgrade=False,
    )
