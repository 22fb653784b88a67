"""Which role may do what, checked by every use case before it touches the database."""

from __future__ import annotations

from enum import StrEnum

from prdesk.domain.enums import Role
from prdesk.domain.errors import PermissionDenied


class Action(StrEnum):
    VIEW_CASE = "view a case"
    OPEN_CASE = "open a case"
    EDIT_CASE = "change a case"
    ASSIGN_CASE = "assign a case"
    CLOSE_WITHOUT_RESPONSE = "close a grievance before its response letter is sent"
    ADD_TIMELINE_ENTRY = "add to a case's timeline"
    # Authors correct their own entries with ADD_TIMELINE_ENTRY; this is for everyone else's.
    EDIT_ANY_TIMELINE_ENTRY = "change or delete a colleague's timeline entry"
    DRAFT_LETTER = "draft a letter"
    # Approving also lets a letter go without an element the policy requires, with a reason.
    APPROVE_LETTER = "approve a letter"
    PRINT_LETTERS = "print and post approved letters"
    EDIT_TEMPLATES = "change letter templates"
    MANAGE_ORGANISATION = "change the organisation's settings"
    MANAGE_USERS = "manage who works in PR Desk and their roles"
    VIEW_AUDIT_LOG = "read the audit trail"
    # Figures across the department's cases, for the coordinator and the grievance committee.
    VIEW_REPORTS = "see the department's reports"


_CASEWORK = {
    Action.VIEW_CASE,
    Action.OPEN_CASE,
    Action.EDIT_CASE,
    Action.ADD_TIMELINE_ENTRY,
    Action.DRAFT_LETTER,
}

GRANTS: dict[Role, frozenset[Action]] = {
    # On a single workstation the one user is administrator and does everything.
    Role.ADMINISTRATOR: frozenset(Action),
    Role.COORDINATOR: frozenset(
        _CASEWORK
        | {
            Action.ASSIGN_CASE,
            Action.CLOSE_WITHOUT_RESPONSE,
            Action.EDIT_ANY_TIMELINE_ENTRY,
            Action.APPROVE_LETTER,
            Action.PRINT_LETTERS,
            Action.VIEW_REPORTS,
        }
    ),
    Role.REPRESENTATIVE: frozenset(_CASEWORK | {Action.PRINT_LETTERS}),
    # Clerks print and post; they never open a case.
    Role.CLERK: frozenset({Action.PRINT_LETTERS}),
    Role.AUDITOR: frozenset({Action.VIEW_CASE, Action.VIEW_AUDIT_LOG, Action.VIEW_REPORTS}),
}


def allowed(role: Role, action: Action) -> bool:
    return action in GRANTS[role]


def require(role: Role, action: Action) -> None:
    if not allowed(role, action):
        raise PermissionDenied(f"Your role ({role.label.lower()}) may not {action.value}.")
