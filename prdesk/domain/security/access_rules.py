"""Who may do what on PostgreSQL, table by table: the grants and row policies of each group.

The matrix (A administrator, C coordinator, R representative, K clerk, U auditor;
S select, I insert, U update, D delete; "own" = the login's own rows):

| table                         | A    | C            | R               | K                      | U  |
|-------------------------------|------|--------------|-----------------|------------------------|----|
| cases                         | SIUD | SIU          | SIU its cases   | S number & clock cols, | S  |
|                               |      |              |                 | U clock, of printable  |    |
| people                        | SIUD | SIU          | SIU its cases'  | -                      | S  |
| timeline_entries, attachments | SIUD | SIU          | SIU its cases'  | SI own "letter sent"   | S  |
| department_requests           | SIUD | SIU          | SIU its cases'  | -                      | S  |
| case/entry departments, cats. | SIUD | SID          | SID its cases'  | -                      | S  |
| case_search                   | SIUD | SIUD         | SIUD its cases' | -                      | S  |
| letters                       | SIUD | SIU, D draft | SIU, D draft    | S, U printable letters | S  |
| blobs                         | SIUD | SI           | SI of its files | SI of its files        | S  |
| case_presence                 | SIUD | S, IUD own   | S, IUD own      | -                      | S  |
| notifications                 | SIUD | SU own, I    | SU own, I       | SU own                 | S  |
| saved_views                   | SIUD | own          | own             | own                    | S  |
| users                         | SIUD | S, I own     | S, I own        | S, I own               | SI own |
| signatures                    | SIUD | S, IUD own   | S, IUD own      | S                      | S  |
| settings, departments, categories, user_departments, letter_template_versions
|                               | SIUD | S            | S               | S                      | S  |
| case_number_counters          | SIUD | SIU          | SIU             | -                      | S  |
| audit_log                     | SI   | I            | I               | I                      | SI |

("Its cases": see REPRESENTATIVE_CASES; "printable": approved, finalised or sent.)

Nobody may update, delete or truncate the audit log, and only its own name may be
written as who acted. No group may TRUNCATE any table: a truncate fires no row
trigger, so it would empty case data without a line in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from prdesk.domain.enums import LetterStatus, Role
from prdesk.domain.security.access_conditions import (
    BLOB_VISIBLE,
    CLERK_ATTACHMENT,
    CLERK_CASES,
    CLERK_ENTRY,
    ME,
    OWN_USER_ROW,
    PERSON_VISIBLE,
    PRINTABLE_LETTER,
    REPRESENTATIVE_CASES,
    case_visible,
    own,
)

A, C, R, K, U = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.REPRESENTATIVE,
    Role.CLERK,
    Role.AUDITOR,
)
EVERYONE = (A, C, R, K, U)
CASEWORKERS = (C, R)


@dataclass(frozen=True)
class Policy:
    """One row-level security policy.

    Attributes:
        name: unique on its table.
        command: ALL, SELECT, INSERT, UPDATE or DELETE.
        roles: the groups it applies to.
        using: which existing rows it lets the groups see or change.
        check: which new or changed rows it lets them write.
    """

    name: str
    command: str
    roles: tuple[Role, ...]
    using: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class TableRules:
    """A table's grants per group and, when `policies` is given, its row-level security.

    Attributes:
        grants: per group, GRANT clauses ("SELECT, INSERT", "UPDATE (status, version)").
    """

    table: str
    grants: Mapping[Role, tuple[str, ...]]
    policies: tuple[Policy, ...] = field(default=())
    row_security: bool = True


_FULL = ("SELECT, INSERT, UPDATE, DELETE",)
_READ = ("SELECT",)


def _everyone_reads_admin_writes(table: str) -> TableRules:
    """Configuration: everyone reads it; only an administrator changes it."""
    return TableRules(
        table,
        {A: _FULL, C: _READ, R: _READ, K: _READ, U: _READ},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("everyone reads", "SELECT", (C, R, K, U), "true"),
        ),
    )


def _follows_case(visible: str) -> tuple[Policy, ...]:
    """Case data: coordinators all of it, representatives their cases', auditors read."""
    return (
        Policy("administrators", "ALL", (A,), "true", "true"),
        Policy("coordinators", "ALL", (C,), "true", "true"),
        Policy("auditors read", "SELECT", (U,), "true"),
        Policy("representatives", "ALL", (R,), visible, visible),
    )


def _case_child(table: str, write: str, visible: str) -> TableRules:
    return TableRules(table, {A: _FULL, C: (write,), R: (write,), U: _READ}, _follows_case(visible))


_CLERK_CASE_COLUMNS = (
    "id, number, kind, status, is_grievance, received_at, acknowledge_due_on,"
    " acknowledged_on, response_due_on, due_on, clock_paused_on, updated_at, version"
)
# Sending an acknowledgement letter stops the acknowledgement clock.
_CLERK_CASE_UPDATES = (
    "acknowledge_due_on, acknowledged_on, response_due_on, due_on, clock_paused_on,"
    " updated_at, version"
)
_CLERK_LETTER_UPDATES = (
    "status, pdf, pdf_sha256, page_count, finalised_at, finalised_by_id, sent_on, sent_via,"
    " sent_by_name, sent_at, sent_recorded_by_id, printed_at, printed_by_id, version"
)
RULES: tuple[TableRules, ...] = (
    TableRules(
        "cases",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: (f"SELECT ({_CLERK_CASE_COLUMNS})", f"UPDATE ({_CLERK_CASE_UPDATES})"),
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("coordinators", "ALL", (C,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("representatives read", "SELECT", (R,), REPRESENTATIVE_CASES),
            Policy(
                "representatives log",
                "INSERT",
                (R,),
                check=f"(created_by_id = {ME} AND (assignee_id IS NULL OR assignee_id = {ME}))",
            ),
            Policy(
                "representatives change",
                "UPDATE",
                (R,),
                REPRESENTATIVE_CASES,
                REPRESENTATIVE_CASES,
            ),
            Policy("clerks read", "SELECT", (K,), CLERK_CASES),
            Policy("clerks acknowledge", "UPDATE", (K,), CLERK_CASES, CLERK_CASES),
        ),
    ),
    TableRules(
        "people",
        {A: _FULL, C: ("SELECT, INSERT, UPDATE",), R: ("SELECT, INSERT, UPDATE",), U: _READ},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("coordinators", "ALL", (C,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("representatives read", "SELECT", (R,), PERSON_VISIBLE),
            Policy("representatives log", "INSERT", (R,), check="true"),
            Policy("representatives change", "UPDATE", (R,), PERSON_VISIBLE, PERSON_VISIBLE),
        ),
    ),
    TableRules(
        "timeline_entries",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: ("SELECT, INSERT",),
            U: _READ,
        },
        (
            *_follows_case(case_visible("timeline_entries")),
            Policy("clerks read what they recorded", "SELECT", (K,), CLERK_ENTRY),
            Policy(
                "clerks record sending",
                "INSERT",
                (K,),
                check=f"({CLERK_ENTRY} AND case_id IN (SELECT prdesk_printable_case_ids()))",
            ),
        ),
    ),
    TableRules(
        "attachments",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: ("SELECT, INSERT",),
            U: _READ,
        },
        (
            *_follows_case(case_visible("attachments")),
            Policy("clerks read what they attached", "SELECT", (K,), CLERK_ATTACHMENT),
            Policy("clerks attach the letter sent", "INSERT", (K,), check=CLERK_ATTACHMENT),
        ),
    ),
    _case_child(
        "department_requests", "SELECT, INSERT, UPDATE", case_visible("department_requests")
    ),
    _case_child("case_departments", "SELECT, INSERT, DELETE", case_visible("case_departments")),
    _case_child("case_categories", "SELECT, INSERT, DELETE", case_visible("case_categories")),
    _case_child(
        "timeline_entry_departments",
        "SELECT, INSERT, DELETE",
        "(EXISTS (SELECT 1 FROM timeline_entries t"
        " WHERE t.id = timeline_entry_departments.entry_id))",
    ),
    _case_child("case_search", "SELECT, INSERT, UPDATE, DELETE", case_visible("case_search")),
    TableRules(
        "letters",
        {
            A: _FULL,
            C: _FULL,
            R: _FULL,
            K: ("SELECT", f"UPDATE ({_CLERK_LETTER_UPDATES})"),
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("coordinators read", "SELECT", (C,), "true"),
            Policy("coordinators write", "INSERT", (C,), check="true"),
            Policy("coordinators change", "UPDATE", (C,), "true", "true"),
            Policy("representatives read", "SELECT", (R,), case_visible("letters")),
            # Approving is a coordinator's: a representative starts drafts and may leave
            # no letter approved (finalising one moves it on to finalised).
            Policy(
                "representatives write",
                "INSERT",
                (R,),
                check=f"({case_visible('letters')} AND status = '{LetterStatus.DRAFT.value}')",
            ),
            Policy(
                "representatives change",
                "UPDATE",
                (R,),
                case_visible("letters"),
                f"({case_visible('letters')} AND status <> '{LetterStatus.APPROVED.value}')",
            ),
            # Finalised and sent letters are a legal record: only drafts are discarded.
            Policy(
                "drafts are discarded",
                "DELETE",
                (C, R),
                f"(status = '{LetterStatus.DRAFT.value}' AND {case_visible('letters')})",
            ),
            Policy("clerks read what they print", "SELECT", (K,), PRINTABLE_LETTER),
            Policy(
                "clerks finalise, print and send",
                "UPDATE",
                (K,),
                f"(status IN ('{LetterStatus.APPROVED.value}', '{LetterStatus.FINALISED.value}'))",
                f"(status IN ('{LetterStatus.FINALISED.value}', '{LetterStatus.SENT.value}'))",
            ),
        ),
    ),
    TableRules(
        "blobs",
        {
            A: _FULL,
            C: ("SELECT, INSERT",),
            R: ("SELECT, INSERT",),
            K: ("SELECT, INSERT",),
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("coordinators read", "SELECT", (C,), "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("files of visible attachments", "SELECT", (R, K), BLOB_VISIBLE),
            # Content is named by its SHA-256: storing it reveals nothing of other files.
            Policy("caseworkers store files", "INSERT", (C, R, K), check="true"),
        ),
    ),
    TableRules(
        "case_presence",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE, DELETE",),
            R: ("SELECT, INSERT, UPDATE, DELETE",),
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("where the case is", "SELECT", (C, R), case_visible("case_presence")),
            Policy(
                "own presence",
                "ALL",
                (C, R),
                own("user_id"),
                f"({own('user_id')} AND {case_visible('case_presence')})",
            ),
        ),
    ),
    TableRules(
        "notifications",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: ("SELECT, UPDATE",),
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("own notifications", "SELECT", (C, R, K), own("recipient_id")),
            Policy(
                "marked read by their reader",
                "UPDATE",
                (C, R, K),
                own("recipient_id"),
                own("recipient_id"),
            ),
            # A safety concern notifies every coordinator, about a case its author sees.
            Policy(
                "caseworkers notify",
                "INSERT",
                CASEWORKERS,
                check=f"(case_id IS NULL OR {case_visible('notifications')})",
            ),
        ),
    ),
    TableRules(
        "saved_views",
        {A: _FULL, C: _FULL, R: _FULL, K: _FULL, U: _READ},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy(
                "own views",
                "ALL",
                (C, R, K),
                own("owner_id"),
                own("owner_id"),
            ),
        ),
    ),
    TableRules(
        "users",
        {A: _FULL} | {role: ("SELECT, INSERT",) for role in (C, R, K, U)},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            # Names for assignment, authors and signatories.
            Policy("everyone reads", "SELECT", (C, R, K, U), "true"),
            Policy("first sign-in", "INSERT", (C, R, K, U), check=OWN_USER_ROW),
        ),
    ),
    TableRules(
        "signatures",
        {
            A: _FULL,
            C: ("SELECT, INSERT, UPDATE, DELETE",),
            R: ("SELECT, INSERT, UPDATE, DELETE",),
            K: _READ,
            U: _READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            # A clerk finalising a letter prints its signatory's signature.
            Policy("everyone reads", "SELECT", (C, R, K, U), "true"),
            Policy(
                "own signature",
                "ALL",
                CASEWORKERS,
                own("user_id"),
                own("user_id"),
            ),
        ),
    ),
    _everyone_reads_admin_writes("settings"),
    _everyone_reads_admin_writes("departments"),
    _everyone_reads_admin_writes("categories"),
    _everyone_reads_admin_writes("user_departments"),
    _everyone_reads_admin_writes("letter_template_versions"),
    TableRules(
        "audit_log",
        {
            A: ("SELECT, INSERT",),
            # The id alone, which INSERT ... RETURNING hands back: never the content.
            C: ("INSERT", "SELECT (id)"),
            R: ("INSERT", "SELECT (id)"),
            K: ("INSERT", "SELECT (id)"),
            U: ("SELECT, INSERT",),
        },
        (
            Policy("auditors and administrators read", "SELECT", (A, U), "true"),
            Policy("own events come back", "SELECT", (C, R, K), "(username = session_user::text)"),
            Policy(
                "in one's own name", "INSERT", EVERYONE, check="(username = session_user::text)"
            ),
        ),
    ),
    # Not case data: no rows to hide, the grants are enough.
    TableRules(
        "case_number_counters",
        {A: _FULL, C: ("SELECT, INSERT, UPDATE",), R: ("SELECT, INSERT, UPDATE",), U: _READ},
        row_security=False,
    ),
    TableRules(
        "alembic_version",
        {A: _READ, C: _READ, R: _READ, K: _READ, U: _READ},
        row_security=False,
    ),
)
