"""A letter's way from draft to envelope: edit, submit, approve, finalise, send, correct.

Finalised and sent letters never change: their PDF bytes are stored with a SHA-256 and
printed or saved from there, never regenerated. A mistake in a sent letter is put right
by a new letter that names the one it corrects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, undefer

from prdesk.domain import audit, letter_compliance, letter_templates, merge_fields
from prdesk.domain.enums import LetterStatus, SendMethod, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.letter_compliance import ComplianceResult
from prdesk.domain.models import Attachment, Case, Letter, User, utcnow
from prdesk.domain.permissions import Action, allowed, require
from prdesk.domain.readmodels import Letterhead, LetterInfo, PrintQueueItem, UserInfo
from prdesk.domain.services.attachments import store_blob
from prdesk.domain.services.mapping import letter_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.services.policy import deadline_policy
from prdesk.domain.services.signatures import signature_image
from prdesk.domain.services.timeline import record_entry
from prdesk.domain.services.timeline_input import NewTimelineEntry

SUBJECT_LIMIT = 300
NAME_LIMIT = 200
BODY_LIMIT = 200_000


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


@dataclass(frozen=True)
class FinalPrint:
    """What rendering a letter for finalising needs, read in one transaction."""

    letter: LetterInfo
    letterhead: Letterhead
    signature: bytes | None


# ---------------------------------------------------------------- reading


def _row(session: Session, letter_id: int, *, lock: bool = False) -> Letter:
    letter = session.get(Letter, letter_id, with_for_update=lock or None)
    if letter is None:
        raise NotFound("That letter no longer exists (its draft may have been discarded).")
    return letter


def _info(session: Session, letter: Letter) -> LetterInfo:
    number = session.scalar(select(Case.number).where(Case.id == letter.case_id))
    author = session.get(User, letter.created_by_id)
    approver = session.get(User, letter.approved_by_id) if letter.approved_by_id else None
    assert number is not None and author is not None
    return letter_info(letter, author, number, approved_by=approver)


def _may_work_on_letters(actor: UserInfo) -> None:
    if not (allowed(actor.role, Action.DRAFT_LETTER) or allowed(actor.role, Action.PRINT_LETTERS)):
        raise PermissionDenied(f"Your role ({actor.role.label.lower()}) may not open letters.")


def letter_detail(session: Session, actor: UserInfo, letter_id: int) -> LetterInfo:
    _may_work_on_letters(actor)
    return _info(session, _row(session, letter_id))


def _check_version(letter: Letter, version: int) -> None:
    if letter.version != version:
        raise ConflictError(
            "Someone else changed this letter since you opened it. "
            "Open it again to see their changes."
        )


# ---------------------------------------------------------------- checks


def _checks(session: Session, letter: Letter) -> LetterChecks:
    is_grievance = bool(session.scalar(select(Case.is_grievance).where(Case.id == letter.case_id)))
    compliance = letter_compliance.check_letter(
        letter.body,
        template_key=letter.template_key,
        language=letter.language,
        is_grievance=is_grievance,
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
    _may_work_on_letters(actor)
    return _checks(session, _row(session, letter_id))


def _require_complete(checks: LetterChecks, override_reason: str) -> None:
    if checks.blocked:
        raise ValidationError(checks.blocking_message())
    if not checks.compliance.ok and not override_reason.strip():
        missing = "; ".join(element.label for element in checks.compliance.missing)
        raise ValidationError(
            f"This response lacks what the policy requires: {missing}. Add it, or a "
            "coordinator may approve it anyway with a recorded reason."
        )


# ---------------------------------------------------------------- editing


def _clean(text: str, limit: int, what: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(f"The {what} is too long (at most {limit:,} characters).")
    return text


def save_draft(
    session: Session, actor: UserInfo, letter_id: int, version: int, changes: LetterChanges
) -> LetterInfo:
    """Saves the writer's changes to a draft (or a letter waiting for approval)."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = _row(session, letter_id, lock=True)
    if not letter.status.editable:
        raise ValidationError(
            f"This letter is {letter.status.label.lower()} and can no longer be changed."
            + (" Return it to draft first." if letter.status == LetterStatus.APPROVED else "")
        )
    _check_version(letter, version)
    letter.subject = _clean(changes.subject, SUBJECT_LIMIT, "subject")
    letter.salutation = _clean(changes.salutation, NAME_LIMIT, "greeting")
    letter.recipient_name = _clean(changes.recipient_name, NAME_LIMIT, "recipient's name")
    letter.recipient_address = "\n".join(
        _clean(line, NAME_LIMIT, "address line")
        for line in changes.recipient_address
        if line.strip()
    )
    letter.body = _clean(changes.body, BODY_LIMIT, "letter") + "\n"
    letter.copies_to = "\n".join(
        _clean(name, NAME_LIMIT, "name under Copies to")
        for name in changes.copies_to
        if name.strip()
    )
    letter.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "update", "letter", letter.id, case_id=letter.case_id)
    return _info(session, letter)


def discard_draft(session: Session, actor: UserInfo, letter_id: int, version: int) -> None:
    """Deletes a draft nobody needs; letters that went further are kept."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = _row(session, letter_id, lock=True)
    _check_version(letter, version)
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


# ---------------------------------------------------------------- approval


def submit_letter(session: Session, actor: UserInfo, letter_id: int, version: int) -> LetterInfo:
    require(actor.role, Action.DRAFT_LETTER)
    letter = _row(session, letter_id, lock=True)
    _check_version(letter, version)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(f"This letter is already {letter.status.label.lower()}.")
    checks = _checks(session, letter)
    if checks.blocked:
        raise ValidationError(checks.blocking_message())
    letter.status = LetterStatus.SUBMITTED
    letter.submitted_at = utcnow()
    letter.submitted_by_id = actor.id
    session.flush()
    audit.record(session, actor, "submit", "letter", letter.id, case_id=letter.case_id)
    return _info(session, letter)


def approve_letter(
    session: Session, actor: UserInfo, letter_id: int, version: int, *, override_reason: str = ""
) -> LetterInfo:
    """A coordinator approves the letter for finalising and printing.

    A response missing an element the policy requires is approved only with a reason,
    which is kept on the letter and in the audit log.
    """
    require(actor.role, Action.APPROVE_LETTER)
    letter = _row(session, letter_id, lock=True)
    _check_version(letter, version)
    if not letter.status.editable:
        raise ValidationError(f"This letter is already {letter.status.label.lower()}.")
    checks = _checks(session, letter)
    _require_complete(checks, override_reason)
    reason = "" if checks.compliance.ok else _clean(override_reason, 1000, "reason")
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
    return _info(session, letter)


def return_to_draft(
    session: Session, actor: UserInfo, letter_id: int, version: int, reason: str = ""
) -> LetterInfo:
    """Takes a submitted or approved letter back for more work; its approval lapses."""
    require(actor.role, Action.DRAFT_LETTER)
    letter = _row(session, letter_id, lock=True)
    _check_version(letter, version)
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
        reason=_clean(reason, 1000, "reason"),
    )
    return _info(session, letter)


# ---------------------------------------------------------------- finalising


def _may_finalise(actor: UserInfo) -> None:
    # A clerk printing an approved letter finalises it: what is printed is what is kept.
    if not (allowed(actor.role, Action.DRAFT_LETTER) or allowed(actor.role, Action.PRINT_LETTERS)):
        raise PermissionDenied(f"Your role ({actor.role.label.lower()}) may not finalise letters.")


def prepare_final(session: Session, actor: UserInfo, letter_id: int, version: int) -> FinalPrint:
    """Checks the letter may be finalised and reads what its PDF is made from."""
    _may_finalise(actor)
    letter = _row(session, letter_id)
    _check_version(letter, version)
    if letter.status != LetterStatus.APPROVED:
        raise ValidationError(
            "A letter is finalised once a coordinator has approved it; "
            f"this one is {letter.status.label.lower()}."
        )
    _require_complete(_checks(session, letter), letter.compliance_override)
    return FinalPrint(
        _info(session, letter), letterhead(session), signature_image(session, letter.signatory_id)
    )


def store_final(
    session: Session, actor: UserInfo, letter_id: int, version: int, pdf: bytes, pages: int
) -> LetterInfo:
    """Keeps the exact bytes that will be printed, with their SHA-256."""
    _may_finalise(actor)
    letter = _row(session, letter_id, lock=True)
    _check_version(letter, version)
    if letter.status != LetterStatus.APPROVED:
        raise ConflictError("Someone else finalised or changed this letter a moment ago.")
    letter.pdf = pdf
    letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    letter.page_count = pages
    letter.status = LetterStatus.FINALISED
    letter.finalised_at = utcnow()
    letter.finalised_by_id = actor.id
    session.flush()
    audit.record(
        session,
        actor,
        "finalise",
        "letter",
        letter.id,
        case_id=letter.case_id,
        sha256=letter.pdf_sha256,
    )
    return _info(session, letter)


def stored_pdf(session: Session, actor: UserInfo, letter_id: int, *, purpose: str) -> bytes:
    """The finalised letter's bytes, exactly as kept. Every print and copy is audited."""
    _may_work_on_letters(actor)
    letter = session.scalars(
        select(Letter).where(Letter.id == letter_id).options(undefer(Letter.pdf))
    ).first()
    if letter is None:
        raise NotFound("That letter no longer exists.")
    if not letter.status.frozen or letter.pdf is None:
        raise ValidationError("Only a finalised letter has a PDF to print or keep.")
    audit.record(session, actor, purpose, "letter", letter.id, case_id=letter.case_id)
    return letter.pdf


# ---------------------------------------------------------------- sending


def record_sent(
    session: Session,
    actor: UserInfo,
    letter_id: int,
    version: int,
    *,
    via: SendMethod,
    sent_on: date,
    sent_by: str,
) -> LetterInfo:
    """Records that the finalised letter went out, and puts it on the case's timeline."""
    _may_finalise(actor)
    letter = session.scalars(
        select(Letter).where(Letter.id == letter_id).options(undefer(Letter.pdf)).with_for_update()
    ).first()
    if letter is None:
        raise NotFound("That letter no longer exists.")
    _check_version(letter, version)
    if letter.status != LetterStatus.FINALISED:
        raise ValidationError(
            "Only a finalised letter can be sent"
            + (f"; this one was sent on {letter.sent_on:%Y-%m-%d}." if letter.sent_on else ".")
        )
    sender = _clean(sent_by, NAME_LIMIT, "sender's name")
    if not sender:
        raise ValidationError("Enter who sent the letter.")
    if sent_on > date.today():
        raise ValidationError("A letter cannot be sent in the future; give the day it went.")
    assert letter.finalised_at is not None and letter.pdf is not None
    if sent_on < letter.finalised_at.astimezone().date():
        raise ValidationError("A letter cannot have been sent before it was finalised.")
    letter.status = LetterStatus.SENT
    letter.sent_on = sent_on
    letter.sent_via = via.value
    letter.sent_by_name = sender
    letter.sent_at = utcnow()
    letter.sent_recorded_by_id = actor.id
    title = letter_templates.template(letter.template_key).title
    entry = record_entry(
        session,
        actor,
        letter.case_id,
        NewTimelineEntry(
            kind=TimelineKind.LETTER_SENT,
            occurred_at=utcnow() if sent_on == date.today() else _noon(sent_on),
            summary=f"{title} letter sent ({via.label.lower()}) to {letter.recipient_name}"[:300],
            body=(
                f"{letter.subject}\n\nSent by {sender}. "
                f"The letter as sent is kept with SHA-256 {letter.pdf_sha256}."
            ),
            patient_facing=True,
        ),
        system=True,
    )
    session.add(
        Attachment(
            case_id=letter.case_id,
            timeline_entry_id=entry.id,
            filename=f"{letter.subject[:120] or title}.pdf".replace("/", "-"),
            media_type="application/pdf",
            sha256=store_blob(session, letter.pdf),
            added_by_id=actor.id,
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        "send",
        "letter",
        letter.id,
        case_id=letter.case_id,
        via=via.value,
        sent_on=sent_on,
        sent_by=sender,
    )
    return _info(session, letter)


def _noon(day: date) -> datetime:
    # A day without a time: noon keeps it on that day in any time zone of the Americas
    # and Europe.
    return datetime.combine(day, time(12, 0)).astimezone()


def start_correction(session: Session, actor: UserInfo, letter_id: int) -> LetterInfo:
    """A new draft that replaces a finalised or sent letter, saying which one it corrects."""
    require(actor.role, Action.DRAFT_LETTER)
    original = _row(session, letter_id)
    if not original.status.frozen:
        raise ValidationError(
            "A draft is corrected by editing it; only sent letters need a new one."
        )
    dated = original.sent_on or (original.finalised_at or utcnow()).astimezone().date()
    note = _CORRECTION_NOTE.get(original.language, _CORRECTION_NOTE["en"]).format(
        date=format_date(dated, "long", locale=original.language)
    )
    letter = Letter(
        case_id=original.case_id,
        template_key=original.template_key,
        template_version=original.template_version,
        language=original.language,
        status=LetterStatus.DRAFT,
        subject=original.subject,
        recipient_name=original.recipient_name,
        recipient_address=original.recipient_address,
        salutation=original.salutation,
        body=f"{note}\n\n{original.body}",
        copies_to=original.copies_to,
        signatory_id=original.signatory_id,
        signatory_name=original.signatory_name,
        signatory_title=original.signatory_title,
        created_by_id=actor.id,
        corrects_letter_id=original.id,
    )
    session.add(letter)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "letter",
        letter.id,
        case_id=letter.case_id,
        corrects_letter_id=original.id,
    )
    return _info(session, letter)


_CORRECTION_NOTE = {
    "en": "*This letter corrects and replaces our letter of {date}.*",
    "es": "*Esta carta corrige y sustituye nuestra carta del {date}.*",
}


# ---------------------------------------------------------------- printing


def print_queue(session: Session, actor: UserInfo) -> tuple[PrintQueueItem, ...]:
    """Approved and finalised letters waiting to be printed and posted, oldest approval first."""
    require(actor.role, Action.PRINT_LETTERS)
    rows = session.execute(
        select(Letter, Case.number, User.display_name)
        .join(Case, Case.id == Letter.case_id)
        .outerjoin(User, User.id == Letter.approved_by_id)
        .where(Letter.status.in_((LetterStatus.APPROVED, LetterStatus.FINALISED)))
        .order_by(Letter.approved_at, Letter.id)
    ).all()
    return tuple(
        PrintQueueItem(
            letter_id=letter.id,
            case_number=number,
            status=letter.status,
            subject=letter.subject,
            recipient_name=letter.recipient_name,
            recipient_address=tuple(line for line in letter.recipient_address.split("\n") if line),
            approved_at=letter.approved_at,
            approved_by_name=approver or "",
            pages=letter.page_count,
            version=letter.version,
        )
        for letter, number, approver in rows
    )


def letters_with_status(
    session: Session, actor: UserInfo, status: LetterStatus
) -> tuple[LetterInfo, ...]:
    """Every letter with the status, oldest first (for printing a batch)."""
    _may_work_on_letters(actor)
    author, approver = aliased(User), aliased(User)
    rows = session.execute(
        select(Letter, Case.number, author, approver)
        .join(Case, Case.id == Letter.case_id)
        .join(author, author.id == Letter.created_by_id)
        .outerjoin(approver, approver.id == Letter.approved_by_id)
        .where(Letter.status == status)
        .order_by(Letter.created_at, Letter.id)
    ).all()
    return tuple(
        letter_info(letter, writer, number, approved_by=approving)
        for letter, number, writer, approving in rows
    )
