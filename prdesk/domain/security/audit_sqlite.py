"""The audit triggers on the embedded SQLite database, generated from each table's columns.

SQLite has no row-to-JSON function and no procedural language, so each audited table
gets three triggers written out column by column from the live table. Who acts and
from where come from `prdesk_user()` and `prdesk_client()`, which PR Desk registers on
every connection (database.py): another program writing case data into the file
fails on them rather than going unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from prdesk.domain.database import AUDIT_LOG_IS_APPEND_ONLY

if TYPE_CHECKING:
    from prdesk.domain.security.audit_triggers import AuditedTable

# SQLite allows 127 arguments per function call: long rows are built in pieces.
_PAIRS_PER_CALL = 60
# Stored as SQLAlchemy stores a DateTime on SQLite, with six digits of fraction.
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"
# A path json_remove finds nothing at: the place of a column that did not change.
_NOWHERE = "'$.prdesk_unchanged'"


def install_sqlite(
    connection: Connection, tables: Iterable[AuditedTable], binary: dict[str, list[str]]
) -> None:
    uninstall_sqlite(connection)
    for table in tables:
        columns = _columns(connection, table, binary[table.name])
        for sql in _table_triggers(table, columns):
            connection.exec_driver_sql(sql)
    for event in ("update", "delete"):
        connection.exec_driver_sql(
            f"CREATE TRIGGER prdesk_append_only_{event} BEFORE {event.upper()} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{AUDIT_LOG_IS_APPEND_ONLY}'); END"
        )


def uninstall_sqlite(connection: Connection) -> None:
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
        "AND (name LIKE 'prdesk\\_audit\\_%' ESCAPE '\\' "
        "OR name LIKE 'prdesk\\_append\\_only\\_%' ESCAPE '\\')"
    ).scalars()
    for name in list(names):
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')


class _Column:
    """One column and how its value is written into the trail."""

    def __init__(self, name: str, declared: str, digest: bool) -> None:
        self.name = name
        self.declared = declared.upper()
        self.digest = digest

    def value(self, row: str) -> str:
        ref = f'{row}."{self.name}"'
        if self.digest:
            return (
                f"CASE WHEN {ref} IS NULL THEN NULL ELSE json_object("
                f"'sha256', prdesk_sha256({ref}), 'bytes', length({ref})) END"
            )
        if self.declared == "BOOLEAN":
            # As true and false, the way PostgreSQL's trail writes them.
            return f"CASE {ref} WHEN 1 THEN json('true') WHEN 0 THEN json('false') ELSE {ref} END"
        if self.declared == "JSON":
            return f"CASE WHEN json_valid({ref}) THEN json({ref}) ELSE {ref} END"
        return ref


def _columns(connection: Connection, table: AuditedTable, binary: list[str]) -> list[_Column]:
    rows = connection.exec_driver_sql(f'PRAGMA table_info("{table.name}")').all()
    return [
        _Column(row[1], str(row[2] or ""), digest=row[1] in binary)
        for row in rows
        if row[1] not in table.omit
    ]


def _table_triggers(table: AuditedTable, columns: list[_Column]) -> list[str]:
    name = table.name

    def insert_row(action: str, row: str, details: str) -> str:
        entity_id = f'{row}."{table.id_column}"' if table.id_column else "NULL"
        return (
            "INSERT INTO audit_log (at, username, action, entity, entity_id, case_id, details, "
            f"client) VALUES ({_NOW}, prdesk_user(), '{action}', '{name}', {entity_id}, "
            f"{_case(table, row)}, {details}, prdesk_client());"
        )

    changed = " OR ".join(f'NEW."{c.name}" IS NOT OLD."{c.name}"' for c in columns)
    paths = [
        f'CASE WHEN NEW."{c.name}" IS OLD."{c.name}" THEN \'$.{c.name}\' ELSE {_NOWHERE} END'
        for c in columns
    ]
    update_pairs = [
        ("'old'", _remove(_object(columns, "OLD"), paths)),
        ("'new'", _remove(_object(columns, "NEW"), paths)),
    ]
    if table.key:
        key = "json_object(" + ", ".join(f"'{k}', NEW.\"{k}\"" for k in table.key) + ")"
        update_pairs.append(("'key'", key))
    update_details = "json_object(" + ", ".join(f"{k}, {v}" for k, v in update_pairs) + ")"
    return [
        f'CREATE TRIGGER "prdesk_audit_{name}_insert" AFTER INSERT ON "{name}" BEGIN '
        + insert_row("insert", "NEW", f"json_object('new', {_object(columns, 'NEW')})")
        + " END",
        f'CREATE TRIGGER "prdesk_audit_{name}_update" AFTER UPDATE ON "{name}" '
        f"WHEN {changed} BEGIN " + insert_row("update", "NEW", update_details) + " END",
        f'CREATE TRIGGER "prdesk_audit_{name}_delete" AFTER DELETE ON "{name}" BEGIN '
        + insert_row("delete", "OLD", f"json_object('old', {_object(columns, 'OLD')})")
        + " END",
    ]


def _case(table: AuditedTable, row: str) -> str:
    if table.case_column:
        return f'{row}."{table.case_column}"'
    if table.case_via:
        other, column = table.case_via
        return f'(SELECT case_id FROM "{other}" WHERE id = {row}."{column}")'
    return "NULL"


def _object(columns: Sequence[_Column], row: str) -> str:
    """json_object of the row's columns, continued with json_insert past the argument limit."""
    pairs = [f"'{c.name}', {c.value(row)}" for c in columns]
    sql = "json_object(" + ", ".join(pairs[:_PAIRS_PER_CALL]) + ")"
    rest = [f"'$.{c.name}', {c.value(row)}" for c in columns[_PAIRS_PER_CALL:]]
    for start in range(0, len(rest), _PAIRS_PER_CALL):
        sql = f"json_insert({sql}, " + ", ".join(rest[start : start + _PAIRS_PER_CALL]) + ")"
    return sql


def _remove(sql: str, paths: list[str]) -> str:
    for start in range(0, len(paths), 2 * _PAIRS_PER_CALL):
        sql = f"json_remove({sql}, " + ", ".join(paths[start : start + 2 * _PAIRS_PER_CALL]) + ")"
    return sql
