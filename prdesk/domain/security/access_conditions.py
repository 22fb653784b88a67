"""The conditions of PR Desk's row-level security policies, as SQL, and the functions they call.

Each condition is written against its table's own columns. The lookups run once per
statement where PostgreSQL can make them InitPlans (uncorrelated subqueries), never
once per row looked at.
"""

from __future__ import annotations

from prdesk.domain.enums import LetterStatus, TimelineKind
from prdesk.domain.security.roles import (
    DEFAULT_REPRESENTATIVE_SCOPE,
    GROUP_ROLES,
    REPRESENTATIVE_SCOPE_KEY,
    RepresentativeScope,
)

# The login's own users row. An uncorrelated subquery: PostgreSQL runs it once per
# statement (an InitPlan), not once per row looked at.
ME = "(SELECT u.id FROM users u WHERE u.username = session_user)"
_SCOPE = (
    "(SELECT coalesce((SELECT s.value #>> '{}' FROM settings s"
    f" WHERE s.key = '{REPRESENTATIVE_SCOPE_KEY}'), '{DEFAULT_REPRESENTATIVE_SCOPE.value}'))"
)
_PRINTABLE = (LetterStatus.APPROVED, LetterStatus.FINALISED, LetterStatus.SENT)
_CLERK_ENTRIES = (TimelineKind.LETTER_SENT, TimelineKind.STATUS_CHANGE)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


# A representative's cases: those assigned to them; those they logged that nobody has
# taken yet (so intake never loses sight of what was just typed, whatever the scope);
# then, as the administrator chose, every unassigned case or every case of their
# departments. The department lookup is a SECURITY DEFINER function, called once per
# statement: read directly, case_departments' own policy (which follows its case)
# would refer back to this one.
REPRESENTATIVE_CASES = (
    f"(assignee_id = {ME}"
    f" OR (assignee_id IS NULL AND (created_by_id = {ME}"
    f" OR {_SCOPE} = '{RepresentativeScope.ASSIGNED_AND_UNASSIGNED.value}'))"
    f" OR ({_SCOPE} = '{RepresentativeScope.DEPARTMENTS.value}'"
    " AND id IN (SELECT prdesk_department_case_ids())))"
)
# A clerk's cases: those with a letter to print or one printed (its number only, by
# the column grants).
CLERK_CASES = "(id IN (SELECT prdesk_printable_case_ids()))"


def case_visible(table: str, column: str = "case_id") -> str:
    """The row's case is one the login may see (the cases table's own policy decides)."""
    return f"(EXISTS (SELECT 1 FROM cases c WHERE c.id = {table}.{column}))"


# A person is seen through a case they are the patient or complainant of. A person no
# case names yet is one being logged right now (intake stores the people before the
# case that names them); the check that nobody names them must see every case, so
# it is a SECURITY DEFINER function, and runs only for people no visible case names.
PERSON_VISIBLE = (
    "(EXISTS (SELECT 1 FROM cases c WHERE c.patient_id = people.id"
    " OR c.complainant_id = people.id) OR prdesk_person_unclaimed(people.id))"
)
_LOGO = "(SELECT s.value ->> 'logo_sha256' FROM settings s WHERE s.key = 'letterhead')"
# A file is seen through an attachment the login sees; the letterhead logo by everyone.
BLOB_VISIBLE = (
    f"(EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = blobs.sha256) OR sha256 = {_LOGO})"
)
# A login may add itself to the users table, in the role of its own group only.
OWN_USER_ROW = (
    "(username = session_user::text AND CASE role "
    + " ".join(
        f"WHEN '{role.value}' THEN pg_has_role(session_user, '{group}', 'USAGE')"
        for role, group in GROUP_ROLES.items()
    )
    + " ELSE false END)"
)


def own(column: str) -> str:
    """The row is the login's own (its `column` holds their users id)."""
    return f"({column} = {ME})"


# What a clerk records when a letter goes (and the acknowledgement it may stop),
# and the copy of the letter attached to that entry.
CLERK_ENTRY = f"(author_id = {ME} AND kind IN ({_quoted(tuple(k.value for k in _CLERK_ENTRIES))}))"
CLERK_ATTACHMENT = (
    f"(added_by_id = {ME} AND EXISTS (SELECT 1 FROM timeline_entries t"
    " WHERE t.id = attachments.timeline_entry_id))"
)
PRINTABLE_LETTER = f"(status IN ({_quoted(tuple(s.value for s in _PRINTABLE))}))"


# Lookups the policies make across tables whose own policies would refer back to the
# table asking (cases -> case_departments -> cases), or that must see every row.
# SECURITY DEFINER with a fixed search_path, so a login cannot plant look-alike tables.
FUNCTIONS = {
    "prdesk_department_case_ids()": """
        RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER {search_path} AS $$
            SELECT DISTINCT cd.case_id
            FROM case_departments cd
            JOIN user_departments ud ON ud.department_id = cd.department_id
            JOIN users u ON u.id = ud.user_id
            WHERE u.username = session_user
        $$""",
    "prdesk_printable_case_ids()": """
        RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER {search_path} AS $$
            SELECT DISTINCT l.case_id FROM letters l
            WHERE l.status IN ("""
    + _quoted(tuple(s.value for s in _PRINTABLE))
    + """)
        $$""",
    "prdesk_person_unclaimed(person integer)": """
        RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {search_path} AS $$
            SELECT NOT EXISTS (
                SELECT 1 FROM cases c WHERE c.patient_id = person OR c.complainant_id = person
            )
        $$""",
}
