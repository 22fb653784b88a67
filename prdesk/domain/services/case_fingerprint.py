"""A few numbers that change whenever anything shown on a case changes, from any workstation.

An open case compares them now and then with those of what it shows, and reloads
only when they differ: a colleague's new timeline entry appears without anyone
pressing Refresh, at the cost of one small query.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prdesk.domain.models import Case, DepartmentRequest, Letter, TimelineEntry
from prdesk.domain.readmodels import CaseDetail

Fingerprint = tuple[int, ...]


def fingerprint_of(detail: CaseDetail) -> Fingerprint:
    """The fingerprint of a case as loaded (what the screen shows)."""
    return (
        detail.version,
        len(detail.timeline),
        sum(entry.version for entry in detail.timeline),
        len(detail.requests),
        sum(request.version for request in detail.requests),
        len(detail.letters),
        sum(letter.version for letter in detail.letters),
    )


def case_fingerprint(session: Session, case_id: int) -> Fingerprint | None:
    """The fingerprint of the case as stored now; None when it is gone.

    Every edit raises a row's version, so a sum of versions changes with any edit,
    and a count with any entry added, deleted or restored.
    """
    version = session.scalar(select(Case.version).where(Case.id == case_id))
    if version is None:
        return None
    live = TimelineEntry.deleted_at.is_(None)
    entries = session.execute(
        select(func.count(), func.coalesce(func.sum(TimelineEntry.version), 0)).where(
            TimelineEntry.case_id == case_id, live
        )
    ).one()
    requests = session.execute(
        select(func.count(), func.coalesce(func.sum(DepartmentRequest.version), 0))
        .join(TimelineEntry, TimelineEntry.id == DepartmentRequest.request_entry_id)
        .where(DepartmentRequest.case_id == case_id, live)
    ).one()
    letters = session.execute(
        select(func.count(), func.coalesce(func.sum(Letter.version), 0)).where(
            Letter.case_id == case_id
        )
    ).one()
    return (version, *entries, *requests, *letters)
