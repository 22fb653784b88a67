"""A letter's way to approval: the writer's edits, the checks, submitting and approving.

Finalising, sending and printing are in letter_sending.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit, letter_compliance, merge_fields
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import PermissionDenied, ValidationError
from prdesk.domain.letter_compliance import ComplianceResult
from prdesk.domain.models import Case, Letter, utcnow
from prdesk.domain.permissions import Action, allowed, require
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services.letter_records import (
    BODY_LIMIT,
    NAME_LIMIT,
    SUBJECT_LIMIT,
    check_version,
    clean_text,
    letter_row,
    read_model,
    require_may_read,
)
from prdesk.domain.services.policy import deadline_policy


@dataclass(frozen=True)
class LetterChanges:
    """What the writer can change in a draft."""

    subject: str
    salutation: str
    recipient_name: str
    recipient_address: tuple[str, ...]
    body: str
    copies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterChecks:
    """What stands between a letter and finalising it.

    Attributes:
        unfilled: merge fields with no value, as their marks' paths (``patient.phone``).
        compliance: the elements the deadline policy requires, and those missing.
        problems: anything else that must be put right (no recipient, no subject).
    """

    unfilled: tuple[str, ...]
    compliance: ComplianceResult
    problems: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        """Nobody may finalise it as it is (a missing element can be overridden; these not)."""
        return bool(self.unfilled or self.problems)

    def blocking_message(self) -> str:
        parts = list(self.problems)
        if self.unfilled:
            shown = ", ".join(f"[[{path}]]" for path in self.unfilled)
            parts.append(f"Fill in or remove the highlighted merge fields: {shown}.")
        return " ".join(parts)


def letter_detail(session: Session, actor: UserInfo, letter_id: int) -> LetterInfo:
    letter = letter_row(session, letter_id)
    require_may_read(actor, letter.status)
    return read_model(session, letter)


def record_use(session: Session, actor: UserInfo, letter: LetterInfo, what: str) -> None:
    """Records in the audit log (45 CFR 164.312(b)) that a person opened the letter on
    screen ("view") or copied it out of PR Desk ("save", "export_docx")."""
    audit.record(session, actor, what, "letter", letter.id, case_id=letter.case_id)


def answers_grievance(session: Session, case_id: int) -> bool:
    """Whether the letter's case is a grievance, which decides what its response must hold.

    Read on its own: a screen checking a letter needs this, not the whole case."""
    return bool(session.scalar(select(Case.is_grievance).where(Case.id == case_id)))


def checks_of(session: Session, letter: Letter) -> LetterChecks:
    compliance = letter_compliance.check_letter(
        letter.body,
        template_key=letter.template_key,
        language=letter.language,
        is_grievance=answers_grievance(session, letter.case_id),
        preset=deadline_policy(session).preset,
        contact_name=letter.signatory_name,
    )
    texts = (
        letter.subject,
        letter.salutation,
        letter.recipient_name,
        letter.recipient_address,
        letter.body,
        letter.copies_to,
    )
    unfilled = tuple(dict.fromkeys(path for text in texts for path in merge_fields.unfilled(text)))
    problems = []
    if not letter.recipient_name.strip():
        problems.append("The letter has no recipient: enter their name.")
    if not letter.recipient_address.strip():
        problems.append("The letter has no postal address: enter where it goes.")
    if not letter.subject.strip():
        problems.append("The letter has no subject line.")
    if not letter.body.strip():
        problems.append("The letter has no text.")
    return LetterChecks(unfilled, compliance, tuple(problems))


def letter_checks(session: Session, actor: UserInfo, letter_id: int) -> LetterChecks:
    letter = letter_row(session, letter_id)
    require_may_read(actor, letter.status)
    return checks_of(session, letter)


def require_complete(checks: LetterChecks, override_reason: str) -> None:
    if checks.blocked:
        raise ValidationError(checks.blocking_message())
    if not checks.compliance.ok and not override_reason.strip():
        missing = "; ".join(element.label for element in checks.compliance.missing)
        raise ValidationError(
            f"This response lacks what the policy requires: {missing}. Add it, or a "
            "coordinator may approve it anyway with a recorded reason."
        )


def save_draft(
    session: Session, actor: UserInfo, letter_id: int, version: int, changes: LetterChanges
) -> LetterInfo:
    """Saves the writer's changes to a draft (or a letter waiting for approval)."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = letter_row(session, letter_id, lock=True)
    if not letter.status.editable:
        raise ValidationError(
            f"This letter is {letter.status.label.lower()} and can no longer be changed."
            + (" Return it to draft first." if letter.status == LetterStatus.APPROVED else "")
        )
    check_version(letter, version)
    letter.subject = clean_text(changes.subject, SUBJECT_LIMIT, "subject")
    letter.salutation = clean_text(changes.salutation, NAME_LIMIT, "greeting")
    letter.recipient_name = clean_text(changes.recipient_name, NAME_LIMIT, "recipient's name")
    letter.recipient_address = "\n".join(
        clean_text(line, NAME_LIMIT, "address line")
        for line in changes.recipient_address
        if line.strip()
    )
    letter.body = clean_text(changes.body, BODY_LIMIT, "letter") + "\n"
    letter.copies_to = "\n".join(
        clean_text(name, NAME_LIMIT, "name under Copies to")
        for name in changes.copies_to
        if name.strip()
    )
    letter.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "update", "letter", letter.id, case_id=letter.case_id)
    return read_model(session, letter)


def discard_draft(session: Session, actor: UserInfo, letter_id: int, version: int) -> None:
    """Deletes a draft nobody needs; letters that went further are kept."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = letter_row(session, letter_id, lock=True)
    check_version(letter, version)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("Only a draft can be discarded; this letter is kept on the case.")
    audit.record(
        session,
        actor,
        "delete",
        "letter",
        letter.id,
        case_id=letter.case_id,
        subject=letter.subject,
    )
    session.delete(letter)
    session.flush()


def submit_letter(session: Session, actor: UserInfo, letter_id: int, version: int) -> LetterInfo:
    require(actor.role, Action.DRAFT_LETTER)
    letter = letter_row(session, letter_id, lock=True)
    check_version(letter, version)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(f"This letter is already {letter.status.label.lower()}.")
    checks = checks_of(session, letter)
    if checks.blocked:
        raise ValidationError(checks.blocking_message())
    letter.status = LetterStatus.SUBMITTED
    letter.submitted_at = utcnow()
    letter.submitted_by_id = actor.id
    session.flush()
    audit.record(session, actor, "submit", "letter", letter.id, case_id=letter.case_id)
    return read_model(session, letter)


def approve_letter(
    session: Session, actor: UserInfo, letter_id: int, version: int, *, override_reason: str = ""
) -> LetterInfo:
    """A coordinator approves the letter for finalising and printing.

    A response missing an element the policy requires is approved only with a reason,
    which is kept on the letter and in the audit log.
    """
    require(actor.role, Action.APPROVE_LETTER)
    letter = letter_row(session, letter_id, lock=True)
    check_version(letter, version)
    if not letter.status.editable:
        raise ValidationError(f"This letter is already {letter.status.label.lower()}.")
    checks = checks_of(session, letter)
    require_complete(checks, override_reason)
    reason = "" if checks.compliance.ok else clean_text(override_reason, 1000, "reason")
    letter.status = LetterStatus.APPROVED
    letter.approved_at = utcnow()
    letter.approved_by_id = actor.id
    letter.compliance_override = reason
    session.flush()
    audit.record(
        session,
        actor,
        "approve",
        "letter",
        letter.id,
        case_id=letter.case_id,
        missing_elements=[element.value for element in checks.compliance.missing],
        override_reason=reason,
    )
    return read_model(session, letter)


def return_to_draft(
    session: Session, actor: UserInfo, letter_id: int, version: int, reason: str = ""
) -> LetterInfo:
    """Takes a submitted or approved letter back for more work; its approval lapses."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = letter_row(session, letter_id, lock=True)
    check_version(letter, version)
    if letter.status not in (LetterStatus.SUBMITTED, LetterStatus.APPROVED):
        raise ValidationError(f"This letter is {letter.status.label.lower()}, not waiting.")
    if letter.status == LetterStatus.APPROVED and not allowed(actor.role, Action.APPROVE_LETTER):
        raise PermissionDenied("Only a coordinator can take back an approved letter.")
    letter.status = LetterStatus.DRAFT
    letter.approved_at = None
    letter.approved_by_id = None
    letter.compliance_override = ""
    session.flush()
    audit.record(
        session,
        actor,
        "return",
        "letter",
        letter.id,
        case_id=letter.case_id,
        reason=clean_text(reason, 1000, "reason"),
    )
    return read_model(session, letter)
