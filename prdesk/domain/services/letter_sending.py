"""A letter's way to the envelope: finalising, printing, sending, correcting.

Finalised and sent letters never change: their PDF bytes are stored with a SHA-256 and
printed or saved from there, never regenerated. A mistake in a sent letter is put right
by a new letter that names the one it corrects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from babel.dates import format_date
from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased, load_only, raiseload, undefer

from prdesk.domain import audit, letter_templates
from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.domain.enums import LetterStatus, SendMethod, TimelineKind
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import Attachment, Case, Letter, User, utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import Letterhead, LetterInfo, PrintQueueItem, UserInfo
from prdesk.domain.services.attachments import store_blob
from prdesk.domain.services.case_decisions import acknowledge
from prdesk.domain.services.letter_records import (
    NAME_LIMIT,
    check_version,
    clean_text,
    letter_row,
    read_model,
    require_letter_access,
    require_may_read,
)
from prdesk.domain.services.letter_workflow import checks_of, require_complete
from prdesk.domain.services.mapping import letter_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.services.signatures import signature_image
from prdesk.domain.services.timeline import record_entry
from prdesk.domain.services.timeline_input import NewTimelineEntry


@dataclass(frozen=True)
class FinalPrint:
    """What rendering a letter for finalising needs, read in one transaction."""

    letter: LetterInfo
    letterhead: Letterhead
    signature: bytes | None


def prepare_final(session: Session, actor: UserInfo, letter_id: int, version: int) -> FinalPrint:
    """Checks the letter may be finalised and reads what its PDF is made from."""
    require_letter_access(actor, "finalise letters")
    letter = letter_row(session, letter_id)
    check_version(letter, version)
    if letter.status != LetterStatus.APPROVED:
        raise ValidationError(
            "A letter is finalised once a coordinator has approved it; "
            f"this one is {letter.status.label.lower()}."
        )
    require_complete(checks_of(session, letter), letter.compliance_override)
    return FinalPrint(
        read_model(session, letter),
        letterhead(session),
        signature_image(session, letter.signatory_id),
    )


def store_final(
    session: Session, actor: UserInfo, letter_id: int, version: int, pdf: bytes, pages: int
) -> LetterInfo:
    """Keeps the exact bytes that will be printed, with their SHA-256."""
    require_letter_access(actor, "finalise letters")
    letter = letter_row(session, letter_id, lock=True)
    check_version(letter, version)
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
    return read_model(session, letter)


def stored_pdf(session: Session, actor: UserInfo, letter_id: int, *, purpose: str) -> bytes:
    """The finalised letter's bytes, exactly as kept. Every print and copy is audited."""
    letter = session.scalars(
        select(Letter).where(Letter.id == letter_id).options(undefer(Letter.pdf))
    ).first()
    if letter is None:
        raise NotFound("That letter no longer exists.")
    require_may_read(actor, letter.status)
    if not letter.status.frozen or letter.pdf is None:
        raise ValidationError("Only a finalised letter has a PDF to print or keep.")
    audit.record(session, actor, purpose, "letter", letter.id, case_id=letter.case_id)
    return letter.pdf


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
    require_letter_access(actor, "finalise letters")
    letter = session.scalars(
        select(Letter).where(Letter.id == letter_id).options(undefer(Letter.pdf)).with_for_update()
    ).first()
    if letter is None:
        raise NotFound("That letter no longer exists.")
    check_version(letter, version)
    if letter.status != LetterStatus.FINALISED:
        raise ValidationError(
            "Only a finalised letter can be sent"
            + (f"; this one was sent on {letter.sent_on:%Y-%m-%d}." if letter.sent_on else ".")
        )
    sender = clean_text(sent_by, NAME_LIMIT, "sender's name")
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
    _acknowledged_by(session, actor, letter, sent_on, via)
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
    return read_model(session, letter)


_CLOCK_COLUMNS = (
    Case.number,
    Case.kind,
    Case.status,
    Case.is_grievance,
    Case.received_at,
    Case.acknowledge_due_on,
    Case.acknowledged_on,
    Case.response_due_on,
    Case.due_on,
    Case.clock_paused_on,
    Case.updated_at,
)

# How an acknowledgement went, as the acknowledgement clock records it.
_ACKNOWLEDGED_BY = {
    SendMethod.MAIL: AcknowledgementMethod.LETTER,
    SendMethod.EMAIL: AcknowledgementMethod.EMAIL,
    SendMethod.HAND: AcknowledgementMethod.IN_PERSON,
    SendMethod.PORTAL: AcknowledgementMethod.LETTER,
}


def _acknowledged_by(
    session: Session, actor: UserInfo, letter: Letter, sent_on: date, via: SendMethod
) -> None:
    """Sending the acknowledgement letter is the acknowledgement, unless one was recorded."""
    if letter.template_key != "acknowledgement":
        return
    # The clock's columns only: a clerk recording the sending may read no more of the
    # case than its number and its deadlines (the database's column grants).
    case = session.scalars(
        select(Case)
        .where(Case.id == letter.case_id)
        .options(load_only(*_CLOCK_COLUMNS), raiseload("*"))
    ).one()
    if case.acknowledged_on is None:
        acknowledge(session, actor, case, sent_on, _ACKNOWLEDGED_BY[via])


def _noon(day: date) -> datetime:
    # A day without a time: noon keeps it on that day in any time zone of the Americas
    # and Europe.
    return datetime.combine(day, time(12, 0)).astimezone()


def start_correction(session: Session, actor: UserInfo, letter_id: int) -> LetterInfo:
    """A new draft that replaces a finalised or sent letter and names the one it corrects.

    A finalised letter that has not gone yet is withdrawn, so nobody prints it; a sent
    one stays as sent, and the correction tells the reader which letter it replaces.
    """
    require(actor.role, Action.DRAFT_LETTER)
    original = letter_row(session, letter_id, lock=True)
    if original.status == LetterStatus.WITHDRAWN:
        raise ValidationError("This letter was already withdrawn and replaced by a correction.")
    if not original.status.frozen:
        raise ValidationError(
            "A draft is corrected by editing it; only finalised letters need a new one."
        )
    body = original.body
    if original.status == LetterStatus.SENT:
        dated = original.sent_on or (original.finalised_at or utcnow()).astimezone().date()
        note = _CORRECTION_NOTE.get(original.language, _CORRECTION_NOTE["en"]).format(
            date=format_date(dated, "long", locale=original.language)
        )
        body = f"{note}\n\n{body}"
    else:
        original.status = LetterStatus.WITHDRAWN
        audit.record(session, actor, "withdraw", "letter", original.id, case_id=original.case_id)
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
        body=body,
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
    return read_model(session, letter)


_CORRECTION_NOTE = {
    "en": "*This letter corrects and replaces our letter of {date}.*",
    "es": "*Esta carta corrige y sustituye nuestra carta del {date}.*",
}


def print_queue(session: Session, actor: UserInfo) -> tuple[PrintQueueItem, ...]:
    """Approved and finalised letters waiting to be printed and posted, oldest approval first."""
    require(actor.role, Action.PRINT_LETTERS)
    approver, printer = aliased(User), aliased(User)
    rows = session.execute(
        select(Letter, Case.number, approver.display_name, printer.display_name)
        .join(Case, Case.id == Letter.case_id)
        .outerjoin(approver, approver.id == Letter.approved_by_id)
        .outerjoin(printer, printer.id == Letter.printed_by_id)
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
            approved_by_name=approved_by or "",
            pages=letter.page_count,
            version=letter.version,
            printed_at=letter.printed_at,
            printed_by_name=printed_by or "",
        )
        for letter, number, approved_by, printed_by in rows
    )


def mark_printed(session: Session, actor: UserInfo, letter_ids: Sequence[int]) -> None:
    """Notes that the finalised letters went to a printer, so nobody prints them twice.

    A plain UPDATE on purpose: it leaves the letters' versions alone, as printing changes
    nothing of the letter and must not turn the next step (marking it sent) into a conflict.
    """
    require(actor.role, Action.PRINT_LETTERS)
    if not letter_ids:
        return
    now = utcnow()
    session.execute(
        update(Letter)
        .where(Letter.id.in_(letter_ids), Letter.status == LetterStatus.FINALISED)
        .values(printed_at=now, printed_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    for letter_id, case_id in session.execute(
        select(Letter.id, Letter.case_id).where(Letter.id.in_(letter_ids))
    ):
        audit.record(session, actor, "printed", "letter", letter_id, case_id=case_id)


def letters_with_status(
    session: Session, actor: UserInfo, status: LetterStatus
) -> tuple[LetterInfo, ...]:
    """Every letter with the status, oldest first (for printing a batch)."""
    require_may_read(actor, status)
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
