"""The groups' rights on what is not case data: presence, users, settings, the audit log."""

from __future__ import annotations

from prdesk.domain.security.access_conditions import (
    OWN_USER_ROW,
    case_visible,
    own,
)
from prdesk.domain.security.access_model import (
    CASEWORKERS,
    EVERYONE,
    FULL,
    READ,
    A,
    C,
    K,
    Policy,
    R,
    TableRules,
    U,
    everyone_reads_admin_writes,
)

SHARED_RULES: tuple[TableRules, ...] = (
    TableRules(
        "case_presence",
        {
            A: FULL,
            C: ("SELECT, INSERT, UPDATE, DELETE",),
            R: ("SELECT, INSERT, UPDATE, DELETE",),
            U: READ,
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
            A: FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: ("SELECT, UPDATE",),
            U: READ,
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
        {A: FULL, C: FULL, R: FULL, K: FULL, U: READ},
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
        {A: FULL} | {role: ("SELECT, INSERT",) for role in (C, R, K, U)},
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
            A: FULL,
            C: ("SELECT, INSERT, UPDATE, DELETE",),
            R: ("SELECT, INSERT, UPDATE, DELETE",),
            K: READ,
            U: READ,
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
    everyone_reads_admin_writes("settings"),
    everyone_reads_admin_writes("departments"),
    everyone_reads_admin_writes("categories"),
    everyone_reads_admin_writes("user_departments"),
    everyone_reads_admin_writes("letter_template_versions"),
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
    # Not case data: no rows to hide, the grants are enough; a trigger (row_security.py)
    # lets the groups only take the next number. Nobody deletes a counter: numbers
    # would be handed out twice.
    TableRules(
        "case_number_counters",
        {
            A: ("SELECT, INSERT, UPDATE",),
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            U: READ,
        },
        row_security=False,
    ),
    TableRules(
        "alembic_version",
        {A: READ, C: READ, R: READ, K: READ, U: READ},
        row_security=False,
    ),
)
