"""The case status workflow: which moves are allowed from where, and the guard on closing."""

from __future__ import annotations

from collections.abc import Iterable

from prdesk.domain.enums import CaseStatus, LetterStatus
from prdesk.domain.errors import ValidationError

S = CaseStatus
# Statuses in which someone is working the case, so it must be assigned.
WORKING = frozenset({S.INVESTIGATING, S.WAITING_ON_DEPARTMENT, S.WAITING_ON_PATIENT})
# Open statuses, from which the complainant may always withdraw.
_OPEN = frozenset(status for status in S if status.is_open)

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.ASSIGNED, S.RESOLVED, S.CLOSED, S.WITHDRAWN}),
    S.ASSIGNED: frozenset({*WORKING, S.RESOLVED, S.CLOSED, S.WITHDRAWN}),
    S.INVESTIGATING: frozenset({*WORKING, S.RESOLVED, S.WITHDRAWN}) - {S.INVESTIGATING},
    S.WAITING_ON_DEPARTMENT: frozenset({*WORKING, S.RESOLVED, S.WITHDRAWN})
    - {S.WAITING_ON_DEPARTMENT},
    S.WAITING_ON_PATIENT: frozenset({*WORKING, S.RESOLVED, S.WITHDRAWN}) - {S.WAITING_ON_PATIENT},
    # A resolution the complainant does not accept, a closed case they come back about,
    # or a withdrawal they take back: each reopens the same case, keeping its history.
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.WITHDRAWN: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({*WORKING, S.RESOLVED, S.CLOSED, S.WITHDRAWN}),
}
assert all(S.WITHDRAWN in ALLOWED[status] for status in _OPEN), "withdrawal from any open status"

# Letters that tell the complainant the case is received or still being worked on; any
# other letter sent on a grievance is its written response (42 CFR 482.13(a)(2)(iii)).
NOT_A_RESPONSE = frozenset({"acknowledgement", "still_investigating", "extension"})


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


def response_sent(letters: Iterable[tuple[str, LetterStatus]]) -> bool:
    """Whether any of the case's letters, as (template key, status), is a sent response."""
    return any(status is LetterStatus.SENT and key not in NOT_A_RESPONSE for key, status in letters)


# Finishing a grievance, as resolved or as closed, needs its written response: a
# resolved case leaves every open, due and overdue list just as a closed one does.
GUARDED = frozenset({S.RESOLVED, S.CLOSED})


def closing_needs_override(target: CaseStatus, *, is_grievance: bool, responded: bool) -> bool:
    """True when resolving or closing would leave a grievance without its written response."""
    return target in GUARDED and is_grievance and not responded


def check_closing(
    target: CaseStatus,
    *,
    is_grievance: bool,
    responded: bool,
    may_override: bool,
    override_reason: str,
) -> None:
    """A grievance closes only once its written response is sent, or by a coordinator's
    recorded decision (the reason is kept on the case, its timeline and the audit log)."""
    if not closing_needs_override(target, is_grievance=is_grievance, responded=responded):
        return
    if not may_override:
        raise ValidationError(
            "This grievance cannot be resolved or closed until its written response letter "
            "has been sent. Send the response first, or ask a coordinator to close it with "
            "a reason.",
            {"status": "response_not_sent"},
        )
    if not override_reason.strip():
        raise ValidationError(
            "Give the reason for closing this grievance without a sent response letter.",
            {"closure_override_reason": "required"},
        )
