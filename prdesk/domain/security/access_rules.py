"""Who may do what on PostgreSQL, table by table: the grants and row policies of each group.

The matrix (A administrator, C coordinator, R representative, K clerk, U auditor;
S select, I insert, U update, D delete; "own" = the login's own rows):

| table                         | A    | C            | R               | K                      | U  |
|-------------------------------|------|--------------|-----------------|------------------------|----|
| cases                         | SIUD | SIU          | SIU its cases,  | S number & clock cols, | S  |
|                               |      |              | I of new people,| U clock, of printable  |    |
|                               |      |              | U not its people|                        |    |
| people                        | SIUD | SIU          | SIU its cases'  | -                      | S  |
| timeline_entries              | SIUD | SIU          | SI its cases',  | SI own "letter sent"   | S  |
|                               |      |              | U own of those  |                        |    |
| attachments                   | SIUD | SI           | SI its cases'   | SI own "letter sent"   | S  |
| department_requests           | SIUD | SIU          | SIU its cases'  | -                      | S  |
| case/entry departments, cats. | SIUD | SID          | SID its cases'  | -                      | S  |
|                               |      |              | (entries: own)  |                        |    |
| case_search                   | SIUD | SIUD         | SIUD its cases' | -                      | S  |
| case_staff                    | SIUD | SIUD         | SIUD its cases' | -                      | S  |
| letters                       | SIUD | SIU, D draft | SIU, D draft    | S, U printable letters | S  |
| blobs                         | SIUD | SI           | SI of its files | SI of its files        | S  |
| case_presence                 | SIUD | S, IUD own   | S, IUD own      | -                      | S  |
| notifications                 | SIUD | SU own, I    | SU own, I       | SU own                 | S  |
| saved_views                   | SIUD | own          | own             | own                    | S  |
| users                         | SIUD | S, I own     | S, I own        | S, I own               | SI own |
| signatures                    | SIUD | S, IUD own   | S, IUD own      | S                      | S  |
| settings, departments, categories, user_departments, letter_template_versions
|                               | SIUD | S            | S               | S                      | S  |
| case_number_counters          | SIU  | SIU          | SIU             | -                      | S  |
| audit_log                     | SI   | I            | I               | I                      | SI |

("Its cases": see REPRESENTATIVE_CASES; "printable": approved, finalised or sent.)

Nobody may update, delete or truncate the audit log, and only its own name may be
written as who acted. No group may TRUNCATE any table: a truncate fires no row
trigger, so it would empty case data without a line in the audit trail.
"""

from __future__ import annotations

from prdesk.domain.enums import LetterStatus
from prdesk.domain.security.access_conditions import (
    BLOB_VISIBLE,
    CLERK_ATTACHMENT,
    CLERK_CASES,
    CLERK_ENTRY,
    ME,
    PERSON_VISIBLE,
    PRINTABLE_LETTER,
    REPRESENTATIVE_CASES,
    case_visible,
    own,
)
from prdesk.domain.security.access_model import (
    FULL,
    READ,
    A,
    C,
    K,
    Policy,
    R,
    TableRules,
    U,
)
from prdesk.domain.security.access_rules_shared import SHARED_RULES


def _follows_case(visible: str) -> tuple[Policy, ...]:
    """Case data: coordinators all of it, representatives their cases', auditors read."""
    return (
        Policy("administrators", "ALL", (A,), "true", "true"),
        Policy("coordinators", "ALL", (C,), "true", "true"),
        Policy("auditors read", "SELECT", (U,), "true"),
        Policy("representatives", "ALL", (R,), visible, visible),
    )


def _case_child(table: str, write: str, visible: str) -> TableRules:
    return TableRules(table, {A: FULL, C: (write,), R: (write,), U: READ}, _follows_case(visible))


_OWN_ENTRY = f"({case_visible('timeline_entries')} AND {own('author_id')})"
# An entry's department tags follow the entry (whose own policy hides other cases').
_TAGGED_ENTRY_VISIBLE = (
    "(EXISTS (SELECT 1 FROM timeline_entries t WHERE t.id = timeline_entry_departments.entry_id))"
)
_TAGGED_OWN_ENTRY = (
    "(EXISTS (SELECT 1 FROM timeline_entries t"
    f" WHERE t.id = timeline_entry_departments.entry_id AND t.author_id = {ME}))"
)
_CLERK_CASE_COLUMNS = (
    "id, number, kind, status, is_grievance, received_at, acknowledge_due_on,"
    " acknowledged_on, response_due_on, due_on, clock_paused_on, updated_at, version"
)
# Sending an acknowledgement letter stops the acknowledgement clock.
_CLERK_CASE_UPDATES = (
    "acknowledge_due_on, acknowledged_on, response_due_on, due_on, clock_paused_on,"
    " updated_at, version"
)
# Who a case is about and who raised it are fixed when it is logged (the app never
# changes them): re-pointing a visible case at someone else's patient would make that
# person readable.
# Every column but the id, patient_id and complainant_id.
REPRESENTATIVE_CASE_UPDATES = (
    "number, kind, channel, received_at, status, severity, patient_sort_name,"
    " complainant_relationship, disclosure_basis, description, desired_outcome, location,"
    " staff_involved, findings, actions_taken, safety_concern, behavioural_alert,"
    " is_grievance, grievance_reason, grievance_overridden, acknowledge_due_on,"
    " acknowledged_on, response_due_on, due_on, clock_paused_on, closure_override_reason,"
    " linked_case_id, assignee_id, created_by_id, created_at, updated_at, closed_at,"
    " search_text, version, determination, resolved_at"
)
# A new case names people stored for it just now, in the same transaction: people no
# case names yet. Naming someone another case already names would make them readable.
_NEW_CASE_PEOPLE = (
    "(prdesk_person_unclaimed(patient_id)"
    " AND (complainant_id IS NULL OR prdesk_person_unclaimed(complainant_id)))"
)
_CLERK_LETTER_UPDATES = (
    "status, pdf, pdf_sha256, page_count, finalised_at, finalised_by_id, sent_on, sent_via,"
    " sent_by_name, sent_at, sent_recorded_by_id, printed_at, printed_by_id, version"
)
CASE_RULES: tuple[TableRules, ...] = (
    TableRules(
        "cases",
        {
            A: FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT", f"UPDATE ({REPRESENTATIVE_CASE_UPDATES})"),
            K: (f"SELECT ({_CLERK_CASE_COLUMNS})", f"UPDATE ({_CLERK_CASE_UPDATES})"),
            U: READ,
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
                check=(
                    f"(created_by_id = {ME} AND (assignee_id IS NULL OR assignee_id = {ME})"
                    f" AND {_NEW_CASE_PEOPLE})"
                ),
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
        {A: FULL, C: ("SELECT, INSERT, UPDATE",), R: ("SELECT, INSERT, UPDATE",), U: READ},
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
            A: FULL,
            C: ("SELECT, INSERT, UPDATE",),
            R: ("SELECT, INSERT, UPDATE",),
            K: ("SELECT, INSERT",),
            U: READ,
        },
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("coordinators", "ALL", (C,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("representatives read", "SELECT", (R,), case_visible("timeline_entries")),
            Policy("representatives write", "INSERT", (R,), check=case_visible("timeline_entries")),
            # Only its author changes (or deletes) an entry; coordinators any.
            Policy(
                "representatives change their own",
                "UPDATE",
                (R,),
                _OWN_ENTRY,
                _OWN_ENTRY,
            ),
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
        # A kept file never changes: a wrong one is hidden with its timeline entry.
        {
            A: FULL,
            C: ("SELECT, INSERT",),
            R: ("SELECT, INSERT",),
            K: ("SELECT, INSERT",),
            U: READ,
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
    # Which departments an entry involves is part of the entry: representatives change
    # it on the entries they wrote, as they change those entries.
    TableRules(
        "timeline_entry_departments",
        {A: FULL, C: ("SELECT, INSERT, DELETE",), R: ("SELECT, INSERT, DELETE",), U: READ},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("coordinators", "ALL", (C,), "true", "true"),
            Policy("auditors read", "SELECT", (U,), "true"),
            Policy("representatives read", "SELECT", (R,), _TAGGED_ENTRY_VISIBLE),
            Policy("representatives tag their entries", "INSERT", (R,), check=_TAGGED_OWN_ENTRY),
            Policy("representatives untag their entries", "DELETE", (R,), _TAGGED_OWN_ENTRY),
        ),
    ),
    _case_child("case_search", "SELECT, INSERT, UPDATE, DELETE", case_visible("case_search")),
    _case_child("case_staff", "SELECT, INSERT, UPDATE, DELETE", case_visible("case_staff")),
    TableRules(
        "letters",
        {
            A: FULL,
            C: FULL,
            R: FULL,
            K: ("SELECT", f"UPDATE ({_CLERK_LETTER_UPDATES})"),
            U: READ,
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
            A: FULL,
            C: ("SELECT, INSERT",),
            R: ("SELECT, INSERT",),
            K: ("SELECT, INSERT",),
            U: READ,
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
)
RULES: tuple[TableRules, ...] = CASE_RULES + SHARED_RULES
