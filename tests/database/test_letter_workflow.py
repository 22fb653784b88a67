"""A letter from draft to envelope: approval, the compliance check, finalising, sending."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus, Role, SendMethod, TimelineKind
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, Letter
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import cases, letter_sending, letter_workflow, letters
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.export.letter_files import finalise
from tests.support.builders import colleague, log_case, phone_complaint


def changes_of(letter: LetterInfo, **edits: object) -> LetterChanges:
    fields = {
        "subject": letter.subject,
        "salutation": letter.salutation,
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address or ("1 Main Street", "Springfield"),
        "body": letter.body,
        "copies_to": letter.copies_to,
    }
    return LetterChanges(**(fields | edits))  # type: ignore[arg-type]


def drafted(db: Database, actor: UserInfo, template: str = "acknowledgement") -> LetterInfo:
    case = log_case(db, actor, phone_complaint("Nguyễn Văn An"))
    with db.transaction() as session:
        letter = letters.draft_letter(session, actor, case.id, template, language="en")
        # Every field filled, so only what a test changes stands in the way.
        return letter_workflow.save_draft(
            session, actor, letter.id, letter.version, changes_of(letter)
        )


def rewritten(db: Database, actor: UserInfo, letter: LetterInfo, **edits: object) -> LetterInfo:
    """The writer's edits to the letter, saved over the version they opened."""
    with db.transaction() as session:
        return letter_workflow.save_draft(
            session, actor, letter.id, letter.version, changes_of(letter, **edits)
        )


def approved(db: Database, actor: UserInfo) -> LetterInfo:
    letter = drafted(db, actor)
    with db.transaction() as session:
        return letter_workflow.approve_letter(session, actor, letter.id, letter.version)


def test_the_writers_changes_are_saved_and_a_stale_save_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    letter = drafted(db, coordinator)
    saved = rewritten(
        db, coordinator, letter, body="We are **sorry** it took so long.", copies_to=("Ward 7B",)
    )
    assert saved.body == "We are **sorry** it took so long.\n"
    assert saved.copies_to == ("Ward 7B",)
    with db.transaction() as session, pytest.raises(ConflictError, match="Someone else"):
        letter_workflow.save_draft(
            session, coordinator, letter.id, letter.version, changes_of(letter, body="Older text")
        )
    with db.transaction(read_only=True) as session:
        assert session.get(Letter, letter.id).body == saved.body  # type: ignore[union-attr]


def test_an_unfilled_merge_field_blocks_submitting_and_approving(
    db: Database, coordinator: UserInfo
) -> None:
    letter = drafted(db, coordinator)
    letter = rewritten(db, coordinator, letter, body="Please call [[patient.phone]] back.")
    with db.transaction() as session:
        checks = letter_workflow.letter_checks(session, coordinator, letter.id)
        assert checks.unfilled == ("patient.phone",) and checks.blocked
        with pytest.raises(ValidationError, match=r"\[\[patient\.phone\]\]"):
            letter_workflow.submit_letter(session, coordinator, letter.id, letter.version)
        with pytest.raises(ValidationError, match=r"\[\[patient\.phone\]\]"):
            letter_workflow.approve_letter(session, coordinator, letter.id, letter.version)


def test_a_grievance_response_missing_an_element_needs_a_coordinators_reason(
    db: Database, coordinator: UserInfo
) -> None:
    letter = drafted(db, coordinator, "determination")
    letter = rewritten(
        db, coordinator, letter, body="We looked into your concerns and the matter is closed."
    )
    with db.transaction() as session:
        checks = letter_workflow.letter_checks(session, coordinator, letter.id)
    assert not checks.compliance.ok and checks.compliance.missing
    with db.transaction() as session, pytest.raises(ValidationError, match="policy requires"):
        letter_workflow.approve_letter(session, coordinator, letter.id, letter.version)
    with db.transaction() as session:
        done = letter_workflow.approve_letter(
            session,
            coordinator,
            letter.id,
            letter.version,
            override_reason="Patient asked for a short letter; details given by phone.",
        )
    assert done.status is LetterStatus.APPROVED
    assert done.compliance_override.startswith("Patient asked")
    with db.transaction(read_only=True) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "approve")).one()
    assert event.details["override_reason"].startswith("Patient asked")
    assert event.details["missing_elements"]


def test_only_a_coordinator_approves(db: Database, coordinator: UserInfo) -> None:
    representative = colleague(db, "rfarah", "Rania Farah", Role.REPRESENTATIVE)
    letter = drafted(db, representative)
    with db.transaction() as session:
        submitted = letter_workflow.submit_letter(
            session, representative, letter.id, letter.version
        )
        assert submitted.status is LetterStatus.SUBMITTED
        with pytest.raises(PermissionDenied):
            letter_workflow.approve_letter(session, representative, letter.id, submitted.version)
        letter_workflow.approve_letter(session, coordinator, letter.id, submitted.version)


def test_finalising_keeps_the_exact_pdf_and_the_letter_no_longer_changes(
    db: Database, coordinator: UserInfo
) -> None:
    letter = approved(db, coordinator)
    final = finalise(db, coordinator, letter.id, letter.version)
    assert final.status is LetterStatus.FINALISED and final.dated == date.today()
    with db.transaction(read_only=True) as session:
        row = session.get(Letter, letter.id)
        assert row is not None and row.pdf is not None
        assert row.pdf.startswith(b"%PDF") and row.page_count == 1
        assert hashlib.sha256(row.pdf).hexdigest() == final.pdf_sha256
    with db.transaction() as session, pytest.raises(ValidationError, match="no longer be changed"):
        letter_workflow.save_draft(
            session, coordinator, letter.id, final.version, changes_of(final, body="Changed")
        )


def test_a_draft_cannot_be_finalised_before_approval(db: Database, coordinator: UserInfo) -> None:
    letter = drafted(db, coordinator)
    with pytest.raises(ValidationError, match="approved"):
        finalise(db, coordinator, letter.id, letter.version)


def test_sending_records_how_when_and_who_and_puts_the_letter_on_the_timeline(
    db: Database, coordinator: UserInfo
) -> None:
    letter = approved(db, coordinator)
    final = finalise(db, coordinator, letter.id, letter.version)
    with db.transaction() as session, pytest.raises(ValidationError, match="future"):
        letter_sending.record_sent(
            session,
            coordinator,
            final.id,
            final.version,
            via=SendMethod.MAIL,
            sent_on=date.today() + timedelta(days=1),
            sent_by="Front office",
        )
    with db.transaction() as session:
        sent = letter_sending.record_sent(
            session,
            coordinator,
            final.id,
            final.version,
            via=SendMethod.MAIL,
            sent_on=date.today(),
            sent_by="Maria, front office",
        )
    assert sent.status is LetterStatus.SENT and sent.sent_via is SendMethod.MAIL
    assert sent.sent_by_name == "Maria, front office" and sent.sent_on == date.today()
    with db.transaction(read_only=True) as session:
        case = cases.view_case(session, coordinator, final.case_number)
    # The acknowledgement letter going out is the case's acknowledgement.
    assert case.acknowledged_on == date.today()
    entry = next(e for e in case.timeline if e.kind is TimelineKind.LETTER_SENT)
    assert "Acknowledgement letter sent (mail)" in entry.summary
    assert final.pdf_sha256 in entry.body  # type: ignore[operator]
    assert entry.attachments and entry.attachments[0].media_type == "application/pdf"
    with db.transaction() as session, pytest.raises(ValidationError, match="was sent on"):
        letter_sending.record_sent(
            session,
            coordinator,
            sent.id,
            sent.version,
            via=SendMethod.EMAIL,
            sent_on=date.today(),
            sent_by="Again",
        )


def test_a_correction_of_a_sent_letter_names_the_one_it_corrects(
    db: Database, coordinator: UserInfo
) -> None:
    letter = approved(db, coordinator)
    final = finalise(db, coordinator, letter.id, letter.version)
    with db.transaction() as session:
        sent = letter_sending.record_sent(
            session, coordinator, final.id, final.version,
            via=SendMethod.MAIL, sent_on=date.today(), sent_by="Front office",
        )  # fmt: skip
        correction = letter_sending.start_correction(session, coordinator, sent.id)
        original = session.get(Letter, final.id)
        assert original is not None and original.status is LetterStatus.SENT
    assert correction.status is LetterStatus.DRAFT
    assert correction.corrects_letter_id == final.id
    assert correction.body.startswith("*This letter corrects and replaces our letter of")


def test_correcting_a_letter_before_it_went_withdraws_it_from_the_print_queue(
    db: Database, coordinator: UserInfo
) -> None:
    letter = approved(db, coordinator)
    final = finalise(db, coordinator, letter.id, letter.version)
    with db.transaction() as session:
        correction = letter_sending.start_correction(session, coordinator, final.id)
    with db.transaction(read_only=True) as session:
        original = session.get(Letter, final.id)
        assert original is not None and original.status is LetterStatus.WITHDRAWN
        assert original.pdf_sha256 == final.pdf_sha256  # kept, as finalised
        queue = letter_sending.print_queue(session, coordinator)
    assert final.id not in {item.letter_id for item in queue}
    assert not correction.body.startswith("*This letter corrects")  # the reader never had it
    with db.transaction() as session, pytest.raises(ValidationError, match="already withdrawn"):
        letter_sending.start_correction(session, coordinator, final.id)


def test_a_clerk_reads_only_the_letters_it_prints_and_an_auditor_only_what_went(
    db: Database, coordinator: UserInfo
) -> None:
    clerk = colleague(db, "fdesk", "Front Desk", Role.CLERK)
    auditor = colleague(db, "audit", "Quality Auditor", Role.AUDITOR)
    draft = drafted(db, coordinator)
    waiting = approved(db, coordinator)
    with db.transaction() as session:
        with pytest.raises(PermissionDenied, match="draft"):
            letter_workflow.letter_detail(session, clerk, draft.id)
        assert letter_workflow.letter_detail(session, clerk, waiting.id).id == waiting.id
        with pytest.raises(PermissionDenied):
            letter_sending.letters_with_status(session, clerk, LetterStatus.DRAFT)
        with pytest.raises(PermissionDenied):
            letter_workflow.letter_detail(session, auditor, waiting.id)
    final = finalise(db, coordinator, waiting.id, waiting.version)
    with db.transaction() as session:
        opened = letter_workflow.letter_detail(session, auditor, final.id)
        letter_workflow.record_use(session, auditor, opened, "view")
        assert opened.pdf_sha256 == final.pdf_sha256
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.entity == "letter")
        ).all()
    assert [event.username for event in viewed] == ["audit"]


def test_the_print_queue_holds_approved_letters_for_a_clerk_and_nothing_else(
    db: Database, coordinator: UserInfo
) -> None:
    clerk = colleague(db, "fdesk", "Front Desk", Role.CLERK)
    waiting = approved(db, coordinator)
    draft = drafted(db, coordinator)
    with db.transaction(read_only=True) as session:
        queue = letter_sending.print_queue(session, clerk)
    assert [item.letter_id for item in queue] == [waiting.id]
    assert queue[0].recipient_name == waiting.recipient_name
    assert draft.id not in {item.letter_id for item in queue}
    with db.transaction() as session, pytest.raises(PermissionDenied):
        letters.draft_letter(session, clerk, draft.case_id, "acknowledgement")
    # Printing finalises: what the clerk printed is what is kept.
    final = finalise(db, clerk, waiting.id, waiting.version)
    assert final.status is LetterStatus.FINALISED


def test_a_draft_nobody_needs_can_be_discarded_but_not_a_finalised_letter(
    db: Database, coordinator: UserInfo
) -> None:
    draft = drafted(db, coordinator)
    with db.transaction() as session:
        letter_workflow.discard_draft(session, coordinator, draft.id, draft.version)
    with db.transaction(read_only=True) as session:
        assert session.get(Letter, draft.id) is None
    letter = approved(db, coordinator)
    final = finalise(db, coordinator, letter.id, letter.version)
    with db.transaction() as session, pytest.raises(ValidationError, match="Only a draft"):
        letter_workflow.discard_draft(session, coordinator, final.id, final.version)


def test_an_approved_letter_goes_back_to_draft_only_through_a_coordinator(
    db: Database, coordinator: UserInfo
) -> None:
    representative = colleague(db, "rfarah", "Rania Farah", Role.REPRESENTATIVE)
    letter = approved(db, coordinator)
    with db.transaction() as session, pytest.raises(PermissionDenied):
        letter_workflow.return_to_draft(session, representative, letter.id, letter.version)
    with db.transaction() as session:
        back = letter_workflow.return_to_draft(
            session, coordinator, letter.id, letter.version, "Wrong address"
        )
    assert back.status is LetterStatus.DRAFT and back.approved_at is None


def test_letter_fields_are_kept_within_their_limits(db: Database, coordinator: UserInfo) -> None:
    letter = drafted(db, coordinator)
    with db.transaction() as session, pytest.raises(ValidationError, match="subject is too long"):
        letter_workflow.save_draft(
            session, coordinator, letter.id, letter.version, changes_of(letter, subject="x" * 301)
        )
    saved = rewritten(db, coordinator, letter, body="Text with a NUL\x00 from a bad paste")
    assert saved.body == "Text with a NUL from a bad paste\n"
    with db.transaction() as session, pytest.raises(ValidationError, match="broken character"):
        letter_workflow.save_draft(
            session, coordinator, saved.id, saved.version, changes_of(saved, body="Half \ud83d")
        )


def test_every_copy_of_a_letter_taken_out_of_pr_desk_is_in_the_audit_log(
    db: Database, coordinator: UserInfo
) -> None:
    from prdesk.export.letter_files import letter_pdf, letter_word

    letter = drafted(db, coordinator)
    assert letter_word(db, coordinator, letter.id).startswith(b"PK")
    assert letter_pdf(db, coordinator, letter.id, purpose="save").startswith(b"%PDF")
    with db.transaction(read_only=True) as session:
        done = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "letter", AuditEvent.entity_id == letter.id)
            .order_by(AuditEvent.id)
        ).all()
    assert done[-2:] == ["export_docx", "save"]


def test_a_printed_letter_shows_who_printed_it_and_keeps_its_version(
    db: Database, coordinator: UserInfo
) -> None:
    clerk = colleague(db, "fdesk", "Front Desk", Role.CLERK)
    letter = approved(db, coordinator)
    final = finalise(db, clerk, letter.id, letter.version)
    with db.transaction() as session:
        letter_sending.mark_printed(session, clerk, [final.id])
    with db.transaction(read_only=True) as session:
        (item,) = letter_sending.print_queue(session, clerk)
    assert item.printed_by_name == "Front Desk" and item.printed_at is not None
    # Printing changes nothing of the letter: marking it sent right after is no conflict.
    assert item.version == final.version
    with db.transaction() as session:
        letter_sending.record_sent(
            session, clerk, final.id, final.version,
            via=SendMethod.MAIL, sent_on=date.today(), sent_by="Front Desk",
        )  # fmt: skip
