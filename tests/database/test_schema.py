"""Creating, checking and upgrading the schema on both backends."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from prdesk.domain import schema, search_index
from prdesk.domain.database import Database
from prdesk.domain.errors import SchemaMismatch
from prdesk.domain.models import Base


def test_the_migrations_build_exactly_the_schema_the_models_describe(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, type_, parents: (
                    not search_index.is_index_object(name, type_, parents)
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_database_from_a_newer_version_is_refused(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaMismatch, match="newer PR Desk") as caught:
        schema.ensure_ready(db)
    assert not caught.value.needs_upgrade
    with pytest.raises(SchemaMismatch, match="newer PR Desk"):
        schema.upgrade(db)


def test_an_older_schema_is_not_used_until_upgraded(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = schema.SchemaState(current="0001", head="0002", known=True, empty=False)
    monkeypatch.setattr(schema, "schema_state", lambda _db: older)
    with pytest.raises(SchemaMismatch, match="prdesk db upgrade") as caught:
        schema.ensure_ready(db)
    assert caught.value.needs_upgrade


def test_an_empty_database_is_created_on_first_use(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new' / 'prdesk.sqlite3'}")
    state = schema.ensure_ready(db)
    assert state.up_to_date and state.current == schema.head_revision()
    db.dispose()


def test_a_database_holding_other_tables_is_not_taken_over(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'other.db'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    with pytest.raises(SchemaMismatch, match="not PR Desk's"):
        schema.upgrade(db)
    db.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_embedded_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "prdesk.sqlite3"
    db = Database(f"sqlite:///{path}")
    schema.ensure_ready(db)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    db.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_embedded_database_s_folder_is_private_when_pr_desk_creates_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "PR Desk"
    db = Database(f"sqlite:///{folder / 'prdesk.sqlite3'}")
    schema.ensure_ready(db)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    db.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_database_file_copied_in_readable_by_others_is_made_private_on_opening(
    tmp_path: Path,
) -> None:
    path = tmp_path / "prdesk.sqlite3"
    db = Database(f"sqlite:///{path}")
    schema.ensure_ready(db)
    db.dispose()
    journal = path.with_name(path.name + "-wal")
    journal.write_bytes(b"")
    for file in (path, journal):
        file.chmod(0o644)

    reopened = Database(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert schema.schema_state(reopened).up_to_date
    reopened.dispose()
