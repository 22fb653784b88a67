"""The audit trail the database writes itself: a trigger on every table of case data.

Every insert, update and delete of case data and of the organisation's configuration
is recorded in `audit_log` by the database, whichever program made it: PR Desk, psql
or a modified client. A row says who (PostgreSQL's session user; on SQLite the
workstation's user, `Database.acting_user`), when, from which running PR Desk
(`client`), the table (`entity`), the row's id, its case, and the values in
`details`: {"new": {...}} for an insert, {"old": {...}} for a delete and, for an
update, only the columns that changed, {"old": {...}, "new": {...}}; an update that
changes nothing is not recorded. A table whose key is not a number id adds {"key":
{...}} to an update, so the row stays identifiable. File and image bytes are never
copied: a binary column is recorded as {"sha256": ..., "bytes": n}, or left out
where the table keeps the content's SHA-256 in a column of its own.

The audit log itself is append-only: updating, deleting (and on PostgreSQL
truncating) its rows is refused by triggers, for every login, table owner included.

`install` drops and re-creates everything, so a later migration that adds columns
runs it again. A migration that rebuilds a table on SQLite (batch mode) calls
`uninstall` first: SQLite drops a table's triggers with it and refuses to rename a
table while another trigger names one that is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, LargeBinary, inspect, text

from prdesk.domain.database import AUDIT_LOG_IS_APPEND_ONLY
from prdesk.domain.security.audit_sqlite import install_sqlite, uninstall_sqlite


@dataclass(frozen=True)
class AuditedTable:
    """How the trail names one table's rows.

    Attributes:
        name: the table.
        id_column: the integer key recorded as `entity_id`; None for tables without one.
        case_column: this row's column that holds its case's id.
        case_via: for a row that reaches its case through another table: (that
            table, this row's column holding that table's id); the case is looked up.
        key: the key columns added to an update's details when there is no id.
        omit: binary columns left out because the table keeps their SHA-256 already.
    """

    name: str
    id_column: str | None = "id"
    case_column: str | None = None
    case_via: tuple[str, str] | None = None
    key: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()


# Case data, then the organisation's configuration. Tables with no case_column or
# case_via have no single case: a person may be the patient of one case and the
# complainant of another, a file's content is shared by every attachment of the same
# file, and configuration belongs to no case. Their rows are found by entity and id.
AUDITED_TABLES: tuple[AuditedTable, ...] = (
    AuditedTable("cases", case_column="id"),
    AuditedTable("people"),
    AuditedTable("case_departments", id_column=None, case_column="case_id"),
    AuditedTable("case_categories", id_column=None, case_column="case_id"),
    AuditedTable("timeline_entries", case_column="case_id"),
    AuditedTable(
        "timeline_entry_departments",
        id_column=None,
        case_via=("timeline_entries", "entry_id"),
    ),
    AuditedTable("attachments", case_column="case_id"),
    AuditedTable("blobs", id_column=None, key=("sha256",), omit=("content",)),
    AuditedTable("department_requests", case_column="case_id"),
    AuditedTable("letters", case_column="case_id", omit=("pdf",)),
    AuditedTable("letter_template_versions"),
    AuditedTable("signatures", id_column="user_id"),
    AuditedTable("users"),
    AuditedTable("user_departments", id_column=None),
    AuditedTable("departments"),
    AuditedTable("categories"),
    AuditedTable("settings", id_column=None, key=("key",)),
)

# Not audited: audit_log itself; case_search (derived from audited rows); the case
# number counters (a number shows on its case's insert); notifications, case_presence
# and saved_views (a person's own desk, not case data); alembic_version (the schema).
# Changes to notifications and case_presence are still announced to other
# workstations on PostgreSQL, so their screens follow.
NOTIFIED_TABLES = ("case_presence", "notifications")

# What the audit log answers a login that writes a row of the kind only the
# database's own triggers write.
_ONLY_THE_DATABASE_RECORDS_CHANGES = "Only the database records changes to its tables."

# The channel on which PostgreSQL announces every change (see `install`).
CHANGES_CHANNEL = "prdesk_changes"

_FUNCTIONS = (
    "prdesk_audit_row",
    "prdesk_notify_change",
    "prdesk_audit_log_refuse",
    "prdesk_audit_log_stamp",
)


def install(connection: Connection) -> None:
    """(Re)creates the audit triggers on every audited table, and the log's protection."""
    present = set(inspect(connection).get_table_names())
    tables = [table for table in AUDITED_TABLES if table.name in present]
    if connection.dialect.name == "sqlite":
        install_sqlite(connection, tables, _binary_columns(connection, tables))
    else:
        _install_postgresql(connection, tables, [t for t in NOTIFIED_TABLES if t in present])


def uninstall(connection: Connection) -> None:
    """Drops every trigger and function `install` made (before a downgrade or rebuild)."""
    if connection.dialect.name == "sqlite":
        uninstall_sqlite(connection)
        return
    # CASCADE: with the triggers that call them.
    for name in _FUNCTIONS:
        connection.execute(text(f"DROP FUNCTION IF EXISTS {name}() CASCADE"))


def _binary_columns(connection: Connection, tables: list[AuditedTable]) -> dict[str, list[str]]:
    inspector = inspect(connection)
    return {
        table.name: [
            column["name"]
            for column in inspector.get_columns(table.name)
            if isinstance(column["type"], LargeBinary)
        ]
        for table in tables
    }


def _install_postgresql(
    connection: Connection, tables: list[AuditedTable], notified: list[str]
) -> None:
    uninstall(connection)
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    # SECURITY DEFINER: the functions run with the rights of the role that migrated
    # (the tables' owner), so an application login needs no right on audit_log to be
    # audited. A fixed search_path keeps such a login from planting its own objects.
    search_path = f'pg_catalog, "{schema}", pg_temp'
    for sql in (
        _AUDIT_ROW,
        _NOTIFY_CHANGE,
        _AUDIT_LOG_REFUSE.replace(":message", AUDIT_LOG_IS_APPEND_ONLY),
        _AUDIT_LOG_STAMP.replace(":refusal", _ONLY_THE_DATABASE_RECORDS_CHANGES),
    ):
        # Straight to the driver, whose only placeholder sign is %: the bodies are
        # full of colons that SQLAlchemy's text() would take for parameters.
        sql = sql.replace(":search_path", search_path).replace(":channel", CHANGES_CHANNEL)
        connection.exec_driver_sql(sql.replace("%", "%%"))
    for name in _FUNCTIONS:
        # Only triggers call them; nobody needs to.
        connection.execute(text(f"REVOKE ALL ON FUNCTION {name}() FROM PUBLIC"))

    binary = _binary_columns(connection, tables)
    for table in tables:
        arguments = _postgresql_arguments(table, binary[table.name])
        connection.execute(
            text(
                f'CREATE TRIGGER prdesk_audit AFTER INSERT OR UPDATE OR DELETE ON "{table.name}" '
                f"FOR EACH ROW EXECUTE FUNCTION prdesk_audit_row({arguments})"
            )
        )
    for name in notified:
        connection.execute(
            text(
                f'CREATE TRIGGER prdesk_notify AFTER INSERT OR UPDATE OR DELETE ON "{name}" '
                "FOR EACH ROW EXECUTE FUNCTION prdesk_notify_change()"
            )
        )
    connection.execute(
        text(
            "CREATE TRIGGER prdesk_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION prdesk_audit_log_refuse()"
        )
    )
    connection.execute(
        text(
            "CREATE TRIGGER prdesk_append_only_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION prdesk_audit_log_refuse()"
        )
    )
    connection.execute(
        text(
            "CREATE TRIGGER prdesk_stamp BEFORE INSERT ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION prdesk_audit_log_stamp()"
        )
    )


def _postgresql_arguments(table: AuditedTable, binary: list[str]) -> str:
    """The trigger's arguments: how prdesk_audit_row names this table's rows.

    In order: the id column, the case column, the table and column the case is
    looked up through, then comma-separated lists of the key columns, the binary
    columns left out and those recorded by their digest; "" for none. Built from the
    fixed table list above, never from input, and only identifiers, so they are safe
    inside quoted literals.
    """
    arguments = (
        table.id_column or "",
        table.case_column or "",
        table.case_via[0] if table.case_via else "",
        table.case_via[1] if table.case_via else "",
        ",".join(table.key),
        ",".join(c for c in binary if c in table.omit),
        ",".join(c for c in binary if c not in table.omit),
    )
    return ", ".join(f"'{argument}'" for argument in arguments)


# Plain expressions wherever possible: PL/pgSQL evaluates those without a query, and
# this runs for every row written. Binary columns are nulled before to_jsonb
# (jsonb_populate_record), so file content is never even turned into text.
_AUDIT_ROW = """
CREATE FUNCTION prdesk_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = :search_path AS $function$
DECLARE
    id_column text := TG_ARGV[0];
    case_column text := TG_ARGV[1];
    via_table text := TG_ARGV[2];
    via_column text := TG_ARGV[3];
    key_columns text[] := string_to_array(nullif(TG_ARGV[4], ''), ',');
    omitted text[] := string_to_array(nullif(TG_ARGV[5], ''), ',');
    digested text[] := string_to_array(nullif(TG_ARGV[6], ''), ',');
    digest_query text := 'SELECT CASE WHEN ($1).%1$I IS NOT NULL THEN jsonb_build_object('
        '''sha256'', encode(sha256(($1).%1$I), ''hex''), ''bytes'', octet_length(($1).%1$I)) END';
    hidden jsonb;
    old_row jsonb;
    new_row jsonb;
    old_changed jsonb;
    new_changed jsonb;
    the_row jsonb;
    details jsonb;
    column_name text;
    digest jsonb;
    row_id bigint;
    case_id bigint;
    client text := coalesce(current_setting('application_name', true), '');
BEGIN
    IF omitted IS NULL AND digested IS NULL THEN
        IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
        IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    ELSE
        SELECT jsonb_object_agg(name, NULL) INTO hidden
        FROM unnest(coalesce(omitted, '{}') || coalesce(digested, '{}')) AS name;
        IF TG_OP <> 'INSERT' THEN
            old_row := to_jsonb(jsonb_populate_record(OLD, hidden)) - coalesce(omitted, '{}');
        END IF;
        IF TG_OP <> 'DELETE' THEN
            new_row := to_jsonb(jsonb_populate_record(NEW, hidden)) - coalesce(omitted, '{}');
        END IF;
        FOREACH column_name IN ARRAY coalesce(digested, '{}') LOOP
            IF TG_OP <> 'INSERT' THEN
                EXECUTE format(digest_query, column_name) INTO digest USING OLD;
                old_row := jsonb_set(old_row, ARRAY[column_name], coalesce(digest, 'null'));
            END IF;
            IF TG_OP <> 'DELETE' THEN
                EXECUTE format(digest_query, column_name) INTO digest USING NEW;
                new_row := jsonb_set(new_row, ARRAY[column_name], coalesce(digest, 'null'));
            END IF;
        END LOOP;
    END IF;

    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, n.value)
        INTO old_changed, new_changed
        FROM jsonb_each(old_row) AS o JOIN jsonb_each(new_row) AS n ON n.key = o.key
        WHERE o.value IS DISTINCT FROM n.value;
        IF old_changed IS NULL THEN
            RETURN NULL;  -- nothing changed: nothing to record or announce
        END IF;
        details := jsonb_build_object('old', old_changed, 'new', new_changed);
        IF key_columns IS NOT NULL THEN
            SELECT jsonb_object_agg(name, new_row->name) INTO digest
            FROM unnest(key_columns) AS name;
            details := details || jsonb_build_object('key', digest);
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        details := jsonb_build_object('new', new_row);
    ELSE
        details := jsonb_build_object('old', old_row);
    END IF;

    the_row := coalesce(new_row, old_row);
    IF id_column <> '' THEN
        row_id := (the_row->>id_column)::bigint;
    END IF;
    IF case_column <> '' THEN
        case_id := (the_row->>case_column)::bigint;
    ELSIF via_table <> '' THEN
        EXECUTE format('SELECT case_id FROM %I WHERE id = $1', via_table)
        INTO case_id USING (the_row->>via_column)::bigint;
    END IF;

    INSERT INTO audit_log (at, username, action, entity, entity_id, case_id, details, client)
    VALUES (now(), session_user, lower(TG_OP), TG_TABLE_NAME, row_id, case_id, details::json,
            client);
    PERFORM pg_notify(':channel', json_build_object(
        'table', TG_TABLE_NAME, 'case_id', case_id, 'client', client)::text);
    RETURN NULL;
END
$function$
"""

_NOTIFY_CHANGE = """
CREATE FUNCTION prdesk_notify_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = :search_path AS $function$
DECLARE
    the_row jsonb := to_jsonb(coalesce(NEW, OLD));
BEGIN
    PERFORM pg_notify(':channel', json_build_object(
        'table', TG_TABLE_NAME, 'case_id', (the_row->>'case_id')::bigint,
        'client', coalesce(current_setting('application_name', true), ''))::text);
    RETURN NULL;
END
$function$
"""

_AUDIT_LOG_REFUSE = """
CREATE FUNCTION prdesk_audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = :search_path AS $function$
BEGIN
    RAISE EXCEPTION ':message' USING ERRCODE = 'insufficient_privilege';
END
$function$
"""

# Who wrote a row is the database's to say for an application login: its session
# user, the time now and its application name, whatever the row claimed. Superusers
# and the tables' owner (a DBA, the migrating role) can disable triggers anyway, so
# for them the row is kept as written (imports, tests).
#
# A row that records a change to a table ("insert", "update" or "delete" of a table,
# or with the trigger's "old"/"new" details) is prdesk_audit_row's alone to
# write: a login could otherwise fabricate a change nobody made. This function is
# deliberately NOT security definer, so current_user is whoever runs the INSERT: the
# login itself when it writes to audit_log, and the owner only when the INSERT comes
# from prdesk_audit_row, which runs with the owner's rights. A login cannot become
# the owner, and may not call a trigger function itself. (A setting such as a
# transaction-local marker would not do: any login may set any custom setting.)
_AUDIT_LOG_STAMP = """
CREATE FUNCTION prdesk_audit_log_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = :search_path AS $function$
DECLARE
    owner oid;
    schema oid;
BEGIN
    SELECT relowner, relnamespace INTO owner, schema FROM pg_class WHERE oid = TG_RELID;
    IF pg_has_role(session_user, owner, 'MEMBER') THEN
        RETURN NEW;
    END IF;
    NEW.username := session_user;
    NEW.at := now();
    NEW.client := coalesce(current_setting('application_name', true), '');
    IF NEW.action IN ('insert', 'update', 'delete')
            AND NOT pg_has_role(current_user, owner, 'MEMBER')
            AND (NEW.action = 'insert'
                 OR coalesce(NEW.details::jsonb ?| ARRAY['old', 'new'], false)
                 OR EXISTS (SELECT 1 FROM pg_class c
                            WHERE c.relname = NEW.entity AND c.relnamespace = schema)) THEN
        RAISE EXCEPTION ':refusal' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$function$
"""
