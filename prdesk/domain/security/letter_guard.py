"""The database's own hold on a letter's way from draft to envelope, on PostgreSQL.

Row policies see only the new row, so they cannot say "finalised only from approved"
or "a finalised letter's text never changes". A row trigger on `letters` compares the
old row with the new one and lets through only what PR Desk itself does, whatever
client a person's login uses (A administrator, C coordinator, R representative,
K clerk):

| change                         | who     | what may change with it                        |
|--------------------------------|---------|------------------------------------------------|
| insert a draft                 | A C R   | a draft as written, by the login's own user    |
| edit a draft or submitted one  | A C R   | its text (subject, recipient, greeting, body,  |
|                                |         | copies to), status unchanged                   |
| draft -> submitted             | A C R   | submitted_* (by the login's own user)          |
| draft/submitted -> approved    | A C     | approved_* (its own user), compliance override |
| submitted -> draft             | A C R   | approval cleared                               |
| approved -> draft              | A C     | approval cleared                               |
| approved -> finalised          | A C R K | pdf, pdf_sha256 (its SHA-256), page_count,     |
|                                |         | finalised_* (its own user)                     |
| mark a finalised one printed   | A C R K | printed_at, printed_by_id (its own user)       |
| finalised -> sent              | A C R K | sent_* (recorded by its own user)              |
| finalised -> withdrawn         | A C R   | nothing else (a correction replaces it)        |
| delete                         | A C R   | drafts only                                    |

Nothing else changes, in any status: a letter's case, template, language, signatory
and author are fixed when it is drafted, and an approved, finalised, sent or withdrawn
letter's text, PDF and approval stay as they are. `version` (the optimistic lock) may
move with any allowed change. Auditors and logins in no group change nothing. A
refusal is SQLSTATE 42501 (insufficient_privilege), which PR Desk shows as a
permission the login lacks.

The tables' owner (the role that migrates, a database administrator repairing data)
and superusers are not held, as with the audit log's stamp: they may disable triggers
anyway. SQLite has no logins of its own: there the app is the only writer.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from prdesk.domain.enums import LetterStatus, Role
from prdesk.domain.security.roles import GROUP_ROLES

_FUNCTION = "prdesk_letter_guard"
_TRIGGER = "prdesk_letter_guard"

# The columns, by the step of the letter's way that writes them, named as a refusal
# names them. `version` is in none: every change moves it.
IDENTITY = "case, template, signatory or author"
TEXT = "text"
SUBMISSION = "submission"
APPROVAL = "approval"
FINAL = "finalised PDF"
SENDING = "record of sending"
PRINTING = "print mark"
_COLUMNS: dict[str, tuple[str, ...]] = {
    IDENTITY: (
        "id",
        "case_id",
        "template_key",
        "template_version",
        "language",
        "signatory_id",
        "signatory_name",
        "signatory_title",
        "created_by_id",
        "created_at",
        "corrects_letter_id",
    ),
    TEXT: (
        "subject",
        "recipient_name",
        "recipient_address",
        "salutation",
        "body",
        "copies_to",
        "updated_at",
    ),
    SUBMISSION: ("submitted_at", "submitted_by_id"),
    APPROVAL: ("approved_at", "approved_by_id", "compliance_override"),
    FINAL: ("pdf", "pdf_sha256", "page_count", "finalised_at", "finalised_by_id"),
    SENDING: ("sent_on", "sent_via", "sent_by_name", "sent_at", "sent_recorded_by_id"),
    PRINTING: ("printed_at", "printed_by_id"),
}


def install(connection: Connection) -> None:
    """(Re)creates the guard's function and its trigger on `letters` (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    search_path = f'pg_catalog, "{schema}", pg_temp'
    # Straight to the driver: the body's colons and percent signs are PL/pgSQL's.
    connection.exec_driver_sql(_function_sql(search_path).replace("%", "%%"))
    connection.execute(text(f"REVOKE ALL ON FUNCTION {_FUNCTION}() FROM PUBLIC"))
    connection.execute(text(f"DROP TRIGGER IF EXISTS {_TRIGGER} ON letters"))
    # AFTER, not BEFORE, though it only checks: it then sees the row exactly as
    # written, after every BEFORE trigger and after the row policies, whose own
    # refusal comes first where they refuse already. Raising still undoes the change.
    connection.execute(
        text(
            f"CREATE TRIGGER {_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON letters "
            f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
        )
    )


def uninstall(connection: Connection) -> None:
    """Drops the trigger and its function (before a downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    # CASCADE: with the trigger that calls it.
    connection.execute(text(f"DROP FUNCTION IF EXISTS {_FUNCTION}() CASCADE"))


def _changed(group: str) -> str:
    columns = _COLUMNS[group]
    old = ", ".join(f"OLD.{column}" for column in columns)
    new = ", ".join(f"NEW.{column}" for column in columns)
    return (
        f"IF ROW({old}) IS DISTINCT FROM ROW({new}) THEN\n"
        f"        changed := array_append(changed, '{group}');\n"
        "    END IF;"
    )


def _function_sql(search_path: str) -> str:
    s = {status.name.lower(): f"'{status.value}'" for status in LetterStatus}
    g = {role: f"'{GROUP_ROLES[role]}'" for role in Role}
    member = "pg_has_role(session_user, {}, 'MEMBER')".format
    changes = "\n    ".join(_changed(group) for group in _COLUMNS)
    return f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET search_path = {search_path} AS $function$
DECLARE
    owner oid;
    approver boolean;
    writer boolean;
    printer boolean;
    me bigint;
    changed text[] := '{{}}';
    allowed text[];
    refusal text;
BEGIN
    SELECT relowner INTO owner FROM pg_class WHERE oid = TG_RELID;
    -- Superusers count as members of every role.
    IF pg_has_role(session_user, owner, 'MEMBER') THEN
        RETURN NULL;
    END IF;
    approver := {member(g[Role.ADMINISTRATOR])} OR {member(g[Role.COORDINATOR])};
    writer := approver OR {member(g[Role.REPRESENTATIVE])};
    printer := writer OR {member(g[Role.CLERK])};
    SELECT u.id INTO me FROM users u WHERE u.username = session_user;

    IF TG_OP = 'DELETE' THEN
        IF writer AND OLD.status = {s["draft"]} THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'Letter % is %: only a draft letter can be discarded.',
            OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
    END IF;

    IF TG_OP = 'INSERT' THEN
        IF writer AND NEW.status = {s["draft"]} AND NEW.created_by_id = me
           AND ROW(NEW.submitted_at, NEW.submitted_by_id, NEW.approved_at,
                   NEW.approved_by_id, NEW.pdf, NEW.pdf_sha256, NEW.page_count,
                   NEW.finalised_at, NEW.finalised_by_id, NEW.sent_on, NEW.sent_at,
                   NEW.sent_recorded_by_id, NEW.printed_at, NEW.printed_by_id) IS NULL
           AND coalesce(NEW.compliance_override, '') = ''
           AND coalesce(NEW.sent_via, '') = '' AND coalesce(NEW.sent_by_name, '') = '' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'A new letter starts as a draft written by your own login.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    {changes}

    IF OLD.status = NEW.status THEN
        IF OLD.status IN ({s["draft"]}, {s["submitted"]}) AND writer THEN
            allowed := ARRAY['{TEXT}'];
        ELSIF OLD.status = {s["finalised"]} AND printer
              AND NEW.printed_at IS NOT NULL AND NEW.printed_by_id = me THEN
            allowed := ARRAY['{PRINTING}'];
        ELSE
            allowed := '{{}}';
        END IF;
    ELSIF OLD.status = {s["draft"]} AND NEW.status = {s["submitted"]} AND writer
          AND NEW.submitted_at IS NOT NULL AND NEW.submitted_by_id = me THEN
        allowed := ARRAY['{SUBMISSION}'];
    ELSIF OLD.status IN ({s["draft"]}, {s["submitted"]}) AND NEW.status = {s["approved"]}
          AND approver AND NEW.approved_at IS NOT NULL AND NEW.approved_by_id = me THEN
        allowed := ARRAY['{APPROVAL}'];
    ELSIF NEW.status = {s["draft"]}
          AND (OLD.status = {s["submitted"]} AND writer OR OLD.status = {s["approved"]} AND approver)
          AND NEW.approved_at IS NULL AND NEW.approved_by_id IS NULL
          AND coalesce(NEW.compliance_override, '') = '' THEN
        allowed := ARRAY['{APPROVAL}'];
    ELSIF OLD.status = {s["approved"]} AND NEW.status = {s["finalised"]} AND printer
          AND NEW.pdf IS NOT NULL AND NEW.pdf_sha256 = encode(sha256(NEW.pdf), 'hex')
          AND NEW.finalised_at IS NOT NULL AND NEW.finalised_by_id = me THEN
        allowed := ARRAY['{FINAL}'];
    ELSIF OLD.status = {s["finalised"]} AND NEW.status = {s["sent"]} AND printer
          AND NEW.sent_on IS NOT NULL AND NEW.sent_at IS NOT NULL
          AND coalesce(NEW.sent_via, '') <> '' AND coalesce(NEW.sent_by_name, '') <> ''
          AND NEW.sent_recorded_by_id = me THEN
        allowed := ARRAY['{SENDING}'];
    ELSIF OLD.status = {s["finalised"]} AND NEW.status = {s["withdrawn"]} AND writer THEN
        allowed := '{{}}';
    ELSE
        RAISE EXCEPTION 'Letter % cannot go from % to % this way.',
            OLD.id, OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
    END IF;

    IF changed <@ allowed THEN
        RETURN NULL;
    END IF;
    SELECT string_agg(part, ', ') INTO refusal
    FROM unnest(changed) AS part WHERE part <> ALL (allowed);
    RAISE EXCEPTION 'Letter % is %: its % may not change this way.',
        OLD.id, NEW.status, refusal USING ERRCODE = 'insufficient_privilege';
END
$function$
"""
