"""PostgreSQL group roles, grants and row-level security policies for PR Desk's tables.

`install` runs last in every migration that changes tables, as the role that migrates
(the tables' owner). It is safe to run again: it creates the five group roles only
if they are missing, takes every right it manages away from the groups and from
PUBLIC, and grants and creates the policies of access_rules.py afresh.

Row-level security is ENABLED, not FORCED, on purpose. FORCE would hold the tables'
owner to the policies too; but no policy names the owner, since it is no person's
daily login: it is the database administrator's, which migrates the schema, backs
it up and repairs data, and must see every row for that (a migration that fills a
new column would otherwise silently skip the rows it cannot see). The functions
the policies call to look across tables run as that owner for the same reason.
People log in as members of the groups, and the policies hold them whatever client
they use. Superusers bypass row-level security whatever is chosen.

Beyond who sees which rows, the database holds every login to what no policy can
say: a stored file's name is its content's SHA-256, a case number counter only
counts up one at a time, and letters move only along their workflow (letter_guard.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from prdesk.domain.errors import PermissionDenied
from prdesk.domain.security import letter_guard
from prdesk.domain.security.access_conditions import FUNCTIONS
from prdesk.domain.security.access_model import A, Policy, TableRules
from prdesk.domain.security.access_rules import RULES
from prdesk.domain.security.roles import GROUP_ROLES


def install(connection: Connection) -> None:
    """Creates the group roles if missing and (re)applies grants and policies."""
    _create_group_roles(connection)
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    present = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"), {"schema": schema}
        ).scalars()
    )
    groups = ", ".join(_quote(group) for group in GROUP_ROLES.values())
    for signature, body in FUNCTIONS.items():
        search_path = f"SET search_path = pg_catalog, {_quote(schema)}, pg_temp"
        connection.execute(
            text(f"CREATE OR REPLACE FUNCTION {signature} {body.format(search_path=search_path)}")
        )
        connection.execute(text(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"))
        connection.execute(text(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups}"))
    for table in sorted(present):
        # A table no rule names (added by a later migration that forgot this module)
        # is closed to everyone but administrators until it is given its rules.
        rules = next((r for r in RULES if r.table == table), None)
        _apply(connection, table, rules or _administrators_only(table), groups)
    _install_integrity(connection, present)
    letter_guard.install(connection)


def _install_integrity(connection: Connection, present: set[str]) -> None:
    """What the database itself holds every login to, beyond who sees which rows."""
    if "blobs" in present:
        # A file is named by its content's SHA-256: a row whose name is not its
        # content's would plant other bytes under a genuine file's name. Its size is
        # shown beside it in the timeline.
        connection.execute(text(f"ALTER TABLE blobs DROP CONSTRAINT IF EXISTS {_BLOB_NAMED}"))
        connection.execute(
            text(
                f"ALTER TABLE blobs ADD CONSTRAINT {_BLOB_NAMED}"
                " CHECK (sha256 = encode(sha256(content), 'hex')"
                " AND size = octet_length(content))"
            )
        )
    if "case_number_counters" in present:
        connection.execute(text(_COUNTER_FORWARD))
        connection.execute(text(f"REVOKE ALL ON FUNCTION {_COUNTER_FUNCTION}() FROM PUBLIC"))
        connection.execute(
            text(f"DROP TRIGGER IF EXISTS {_COUNTER_FUNCTION} ON case_number_counters")
        )
        connection.execute(
            text(
                f"CREATE TRIGGER {_COUNTER_FUNCTION} BEFORE INSERT OR UPDATE"
                f" ON case_number_counters FOR EACH ROW EXECUTE FUNCTION {_COUNTER_FUNCTION}()"
            )
        )


def _uninstall_integrity(connection: Connection) -> None:
    connection.execute(text(f"DROP FUNCTION IF EXISTS {_COUNTER_FUNCTION}() CASCADE"))
    connection.execute(text(f"ALTER TABLE IF EXISTS blobs DROP CONSTRAINT IF EXISTS {_BLOB_NAMED}"))


_BLOB_NAMED = "ck_blobs_sha256_of_content"
_COUNTER_FUNCTION = "prdesk_counter_forward"
# A group's login only ever takes the next number: starts a year at 0, then counts up
# by one. Setting a counter back (or far ahead, to overflow it) would stop every
# workstation from logging cases. The tables' owner (the database administrator)
# may repair a counter.
_COUNTER_FORWARD = f"""
CREATE OR REPLACE FUNCTION {_COUNTER_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $function$
DECLARE
    owner oid;
BEGIN
    SELECT relowner INTO owner FROM pg_class WHERE oid = TG_RELID;
    IF pg_has_role(session_user, owner, 'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.last_value <> 0
            OR TG_OP = 'UPDATE' AND (NEW.year <> OLD.year
                                     OR NEW.last_value <> OLD.last_value + 1) THEN
        RAISE EXCEPTION 'Case numbers only count up, one at a time.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$function$
"""


def uninstall(connection: Connection) -> None:
    """Removes the policies, the groups' rights and the functions (before a downgrade).

    The group roles stay: they belong to the whole server, and other databases may
    use them.
    """
    groups = ", ".join(_quote(group) for group in GROUP_ROLES.values())
    for table, policy in connection.execute(
        text("SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema()")
    ).all():
        connection.execute(text(f"DROP POLICY {_quote(policy)} ON {_quote(table)}"))
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    for table in tables.all():
        connection.execute(text(f"ALTER TABLE {_quote(table)} DISABLE ROW LEVEL SECURITY"))
        connection.execute(text(f"REVOKE ALL ON {_quote(table)} FROM {groups}"))
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    connection.execute(
        text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_quote(schema)} FROM {groups}")
    )
    for signature in FUNCTIONS:
        connection.execute(text(f"DROP FUNCTION IF EXISTS {signature}"))
    _uninstall_integrity(connection)
    letter_guard.uninstall(connection)


def _create_group_roles(connection: Connection) -> None:
    existing = set(
        connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUP_ROLES.values())},
        ).scalars()
    )
    missing = [group for group in GROUP_ROLES.values() if group not in existing]
    if not missing:
        return
    may_create = connection.execute(
        text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    if not may_create:
        statements = " ".join(f"CREATE ROLE {group} NOLOGIN;" for group in missing)
        raise PermissionDenied(
            "PR Desk's group roles are missing and your database login may not create roles. "
            f"Ask the database administrator to run: {statements} Then upgrade again."
        )
    for group in missing:
        # Roles belong to the whole server: another database being set up at the same
        # moment may create the same group first, and that is as good.
        connection.execute(
            text(
                f"DO $$ BEGIN CREATE ROLE {_quote(group)} NOLOGIN;"
                " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        )


def _present_columns(clause: str, columns: set[str]) -> str | None:
    """A column grant ("UPDATE (status, version)") without the columns the table has not
    got yet: an earlier migration applies today's rules to the schema of its day. None
    when it has none of them yet."""
    verb, parenthesis, listed = clause.partition("(")
    if not parenthesis:
        return clause
    kept = [c.strip() for c in listed.rstrip(") ").split(",") if c.strip() in columns]
    return f"{verb.strip()} ({', '.join(kept)})" if kept else None


def _apply(connection: Connection, table: str, rules: TableRules, groups: str) -> None:
    name = _quote(table)
    connection.execute(text(f"REVOKE ALL ON {name} FROM PUBLIC, {groups}"))
    columns = set(
        connection.execute(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = :table"
            ),
            {"table": table},
        ).scalars()
    )
    for role, clauses in rules.grants.items():
        for clause in clauses:
            present = _present_columns(clause, columns)
            if present is not None:
                connection.execute(
                    text(f"GRANT {present} ON {name} TO {_quote(GROUP_ROLES[role])}")
                )
    _grant_sequences(connection, table, rules, groups)
    for policy in (
        connection.execute(
            text(
                "SELECT policyname FROM pg_policies WHERE tablename = :table"
                " AND schemaname = current_schema()"
            ),
            {"table": table},
        )
        .scalars()
        .all()
    ):
        connection.execute(text(f"DROP POLICY {_quote(policy)} ON {name}"))
    if not rules.row_security:
        connection.execute(text(f"ALTER TABLE {name} DISABLE ROW LEVEL SECURITY"))
        return
    connection.execute(text(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"))
    for policy in rules.policies:
        connection.execute(text(_create_policy(name, policy)))


def _create_policy(table: str, policy: Policy) -> str:
    roles = ", ".join(_quote(GROUP_ROLES[role]) for role in policy.roles)
    statement = f"CREATE POLICY {_quote(policy.name)} ON {table} FOR {policy.command} TO {roles}"
    if policy.using is not None:
        statement += f" USING ({policy.using})"
    if policy.check is not None:
        statement += f" WITH CHECK ({policy.check})"
    return statement


def _grant_sequences(connection: Connection, table: str, rules: TableRules, groups: str) -> None:
    """USAGE on the table's id sequence for the groups that insert into it."""
    sequences = (
        connection.execute(
            text(
                "SELECT s.oid::regclass::text FROM pg_class s"
                " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid"
                " AND d.deptype IN ('a', 'i')"
                " WHERE s.relkind = 'S' AND d.refobjid = CAST(:table AS regclass)"
            ),
            {"table": _quote(table)},
        )
        .scalars()
        .all()
    )
    inserting = [
        _quote(GROUP_ROLES[role])
        for role, clauses in rules.grants.items()
        if any("INSERT" in clause for clause in clauses)
    ]
    for sequence in sequences:
        connection.execute(text(f"REVOKE ALL ON SEQUENCE {sequence} FROM PUBLIC, {groups}"))
        if inserting:
            connection.execute(
                text(f"GRANT USAGE ON SEQUENCE {sequence} TO {', '.join(inserting)}")
            )


def _administrators_only(table: str) -> TableRules:
    return TableRules(
        table,
        {A: ("SELECT, INSERT, UPDATE, DELETE",)},
        (Policy("administrators", "ALL", (A,), "true", "true"),),
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
