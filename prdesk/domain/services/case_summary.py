"""What the grievance committee reads about one case: facts, people, timeline, letters, outcome.

The governing body, or the grievance committee it delegates to, reviews grievances
(42 CFR 482.13(a)(2)). The summary is read on paper, so it holds what was sent and
decided, not drafts; and internal notes stay out unless the coordinator asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.enums import CaseStatus, LetterStatus, TimelineKind
from prdesk.domain.models import AuditEvent, Case, Letter, User, utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import (
    CaseDetail,
    DepartmentRequestInfo,
    LetterInfo,
    TimelineEntryInfo,
    UserInfo,
)
from prdesk.domain.services.case_access import get_case
from prdesk.domain.services.mapping import case_detail, letter_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.workflow import NOT_A_RESPONSE

# Written by PR Desk itself, and internal only so that no letter offers them as steps
# taken: a committee needs to see when the case changed status and which letters went.
_ALWAYS_SHOWN = frozenset({TimelineKind.STATUS_CHANGE, TimelineKind.LETTER_SENT})


@dataclass(frozen=True)
class SummaryOptions:
    include_internal: bool = False


@dataclass(frozen=True)
class SentLetter:
    """A letter as it went out: when, how, and the fingerprint of the exact PDF kept."""

    letter: LetterInfo
    sent_at: datetime | None
    sent_via: str
    sha256: str

    @property
    def is_response(self) -> bool:
        """Whether it is the written response, rather than an acknowledgement or holding letter."""
        return self.letter.template_key not in NOT_A_RESPONSE


@dataclass(frozen=True)
class CaseSummary:
    """Everything the committee summary prints, as plain values.

    Attributes:
        case: the case, its timeline, requests and letters cut down to what is printed.
        entries: the timeline entries printed, oldest first.
        internal_left_out: how many internal entries `entries` leaves out.
        requests: requests to departments whose request entry is printed.
        letters_sent: letters with status sent, in the order they went out.
        organisation: the organisation's name from the letterhead.
        finished_at: when the case reached its finished status (None while open,
            or when no record says).
    """

    case: CaseDetail
    entries: tuple[TimelineEntryInfo, ...]
    requests: tuple[DepartmentRequestInfo, ...]
    letters_sent: tuple[SentLetter, ...]
    organisation: str
    generated_at: datetime
    generated_by: str
    include_internal: bool = False
    internal_left_out: int = 0
    finished_at: datetime | None = None

    @property
    def response_sent_at(self) -> datetime | None:
        """When the first written response went out (None when none has)."""
        sent = [s.sent_at for s in self.letters_sent if s.is_response and s.sent_at]
        return min(sent, default=None)


def case_summary(
    session: Session,
    actor: UserInfo,
    case_ref: int | str,
    options: SummaryOptions | None = None,
) -> CaseSummary:
    """The summary of a case by id or number; recorded in the audit log as an export."""
    require(actor.role, Action.VIEW_CASE)
    options = options or SummaryOptions()
    case = get_case(session, case_ref)
    detail = case_detail(session, case)
    entries = tuple(entry for entry in detail.timeline if _shown(entry, options))
    shown_ids = {entry.id for entry in entries}
    requests = tuple(r for r in detail.requests if r.request_entry_id in shown_ids)
    sent = _letters_sent(session, case)
    audit.record(
        session, actor, "export", "case", case.id, case_id=case.id,
        what="committee summary", internal=options.include_internal,
    )  # fmt: skip
    return CaseSummary(
        # Cut down too, so nothing left out can reach the page by another way.
        case=replace(
            detail,
            timeline=entries,
            requests=requests,
            letters=tuple(letter.letter for letter in sent),
        ),
        entries=entries,
        requests=requests,
        letters_sent=sent,
        organisation=letterhead(session).organisation,
        generated_at=utcnow(),
        generated_by=actor.display_name,
        include_internal=options.include_internal,
        internal_left_out=len(detail.timeline) - len(entries),
        finished_at=_finished_at(session, case),
    )


def is_internal_note(entry: TimelineEntryInfo) -> bool:
    """Whether the entry is one of the department's internal notes, left out unless asked for."""
    return entry.internal and entry.kind not in _ALWAYS_SHOWN


def _shown(entry: TimelineEntryInfo, options: SummaryOptions) -> bool:
    return options.include_internal or not is_internal_note(entry)


def _letters_sent(session: Session, case: Case) -> tuple[SentLetter, ...]:
    rows = session.execute(
        select(Letter, User)
        .join(User, User.id == Letter.created_by_id)
        .where(Letter.case_id == case.id, Letter.status == LetterStatus.SENT)
    ).all()
    sent = [
        SentLetter(
            letter=(info := letter_info(letter, author, case.number)),
            sent_at=letter.sent_at,
            sent_via=info.sent_via.label if info.sent_via else letter.sent_via,
            sha256=letter.pdf_sha256 or "",
        )
        for letter, author in rows
    ]
    # In Python: the two backends sort a missing date at opposite ends.
    sent.sort(key=lambda s: (s.sent_at or s.letter.created_at, s.letter.id))
    return tuple(sent)


def _finished_at(session: Session, case: Case) -> datetime | None:
    """When the case reached the finished status it is in now."""
    if case.status.is_open:
        return None
    if case.status is CaseStatus.CLOSED and case.closed_at is not None:
        return case.closed_at
    # Resolved and withdrawn keep no date of their own; the audit log has every move.
    moves = session.execute(
        select(AuditEvent.at, AuditEvent.details)
        .where(
            AuditEvent.case_id == case.id,
            AuditEvent.entity == "case",
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
    for at, details in moves:
        after = details.get("after") if isinstance(details, dict) else None
        if isinstance(after, dict) and after.get("status") == case.status.value:
            found: datetime = at
            return found
    return None
