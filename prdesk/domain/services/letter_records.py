"""Reading and guarding letter rows: the pieces every step of a letter's way starts with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import Case, Letter, User
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services.case_input import damaged
from prdesk.domain.services.mapping import letter_info

SUBJECT_LIMIT = 300
NAME_LIMIT = 200
BODY_LIMIT = 200_000


def letter_row(session: Session, letter_id: int, *, lock: bool = False) -> Letter:
    letter = session.get(Letter, letter_id, with_for_update=lock or None)
    if letter is None:
        raise NotFound("That letter no longer exists (its draft may have been discarded).")
    return letter


def read_model(session: Session, letter: Letter) -> LetterInfo:
    number = session.scalar(select(Case.number).where(Case.id == letter.case_id))
    author = session.get(User, letter.created_by_id)
    approver = session.get(User, letter.approved_by_id) if letter.approved_by_id else None
    assert number is not None and author is not None
    return letter_info(letter, author, number, approved_by=approver)


def require_letter_access(actor: UserInfo, doing: str = "open letters") -> None:
    """Letters are for those who write them and those who print them (a clerk printing an
    approved letter finalises it: what is printed is what is kept)."""
    if not (allowed(actor.role, Action.DRAFT_LETTER) or allowed(actor.role, Action.PRINT_LETTERS)):
        raise PermissionDenied(f"Your role ({actor.role.label.lower()}) may not {doing}.")


def may_read(actor: UserInfo, status: LetterStatus) -> bool:
    """Writers read every letter; clerks what they print (HIPAA's minimum necessary);
    anyone who may view cases, such as an auditor, what was finalised or sent."""
    if allowed(actor.role, Action.DRAFT_LETTER):
        return True
    if allowed(actor.role, Action.PRINT_LETTERS) and status in _PRINTED:
        return True
    return allowed(actor.role, Action.VIEW_CASE) and status.frozen


_PRINTED = frozenset({LetterStatus.APPROVED, LetterStatus.FINALISED, LetterStatus.SENT})


def require_may_read(actor: UserInfo, status: LetterStatus) -> None:
    if not may_read(actor, status):
        raise PermissionDenied(
            f"Your role ({actor.role.label.lower()}) may not read letters that are "
            f"{status.label.lower()}."
        )


def check_version(letter: Letter, version: int) -> None:
    if letter.version != version:
        raise ConflictError(
            "Someone else changed this letter since you opened it. "
            "Open it again to see their changes."
        )


def clean_text(text: str, limit: int, what: str) -> str:
    if damaged(text):
        raise ValidationError(
            f"The {what} has a broken character (from a paste): type that part again."
        )
    text = text.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(f"The {what} is too long (at most {limit:,} characters).")
    return text
