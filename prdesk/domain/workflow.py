"""The case status workflow: which moves are allowed from where."""

from __future__ import annotations

from prdesk.domain.enums import CaseStatus
from prdesk.domain.errors import ValidationError

S = CaseStatus
# Statuses in which someone is working the case, so it must be assigned.
WORKING = frozenset({S.INVESTIGATING, S.WAITING_ON_DEPARTMENT, S.WAITING_ON_PATIENT})

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.ASSIGNED, S.RESOLVED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.INVESTIGATING, *WORKING, S.RESOLVED, S.CLOSED}),
    S.INVESTIGATING: frozenset({*WORKING, S.RESOLVED}) - {S.INVESTIGATING},
    S.WAITING_ON_DEPARTMENT: frozenset({*WORKING, S.RESOLVED}) - {S.WAITING_ON_DEPARTMENT},
    S.WAITING_ON_PATIENT: frozenset({*WORKING, S.RESOLVED}) - {S.WAITING_ON_PATIENT},
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({*WORKING, S.RESOLVED, S.CLOSED}),
    S.WITHDRAWN: frozenset({S.REOPENED}),
}


def next_statuses(current: CaseStatus, *, has_assignee: bool) -> list[CaseStatus]:
    """The statuses a person may move a case to, in workflow order."""
    allowed = ALLOWED[current]
    if not has_assignee:
        # Work on a case needs someone doing it.
        allowed = allowed - WORKING
    return [status for status in CaseStatus if status in allowed]


def check_transition(current: CaseStatus, target: CaseStatus, *, has_assignee: bool) -> None:
    if target == current:
        return
    if target not in next_statuses(current, has_assignee=has_assignee):
        if target in WORKING and not has_assignee:
            raise ValidationError(
                f"Assign the case before moving it to '{target.label}'.", {"status": "unassigned"}
            )
        raise ValidationError(
            f"A case cannot go from '{current.label}' to '{target.label}'.", {"status": "invalid"}
        )
