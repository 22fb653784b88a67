"""Files kept on a case's timeline: stored once, limited in size, opened with an audit trail."""

from __future__ import annotations

import os
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from prdesk.domain.database import Database
from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import Attachment, AuditEvent, Blob, TimelineEntry
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import attachments, timeline
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_timeline
from prdesk.domain.timeline_files import read_dropped
from tests.support.builders import colleague, log_case
from tests.support.concurrency import at_once

SCAN = b"%PDF-1.4\n% a scanned consent form\n" + bytes(range(256)) * 40


def attached(name: str, data: bytes = SCAN, media_type: str = "") -> NewTimelineEntry:
    return NewTimelineEntry(
        TimelineKind.ATTACHMENT,
        f"Attached {name}"[:300],
        attachments=(NewAttachment(name, data, media_type),),
    )


def count(db: Database, column: Any) -> int:
    with db.transaction(read_only=True) as session:
        return session.scalar(select(func.count(column))) or 0


def test_dropped_email_and_scan_are_kept_and_opened_as_they_were(
    db: Database, coordinator: UserInfo, tmp_path: Path
) -> None:
    case = log_case(db, coordinator)
    email = EmailMessage()
    email["From"] = "Nguyễn Thị Mai <mai.nguyen@example.com>"
    email["To"] = "pr@riverside.org"
    email["Subject"] = "Photos of the bruising"
    email.set_content("Photos attached.")
    email.add_attachment(b"\x89PNG photo", maintype="image", subtype="png", filename="arm.png")
    (tmp_path / "photos.eml").write_bytes(email.as_bytes())
    (tmp_path / "consent.pdf").write_bytes(SCAN)
    with db.transaction(read_only=True) as session:
        limit = attachments.attachment_limit_bytes(session)
    dropped = read_dropped([tmp_path / "photos.eml", tmp_path / "consent.pdf"], limit_bytes=limit)

    with db.transaction() as session:
        added = timeline.add_entries(session, coordinator, case.id, dropped.entries)

    assert [entry.kind for entry in added] == [TimelineKind.EMAIL_RECEIVED, TimelineKind.ATTACHMENT]
    with db.transaction(read_only=True) as session:
        email_entry, scan_entry = case_timeline(session, case.id)
    assert email_entry.sender == "Nguyễn Thị Mai <mai.nguyen@example.com>"
    assert [(a.filename, a.media_type, a.size) for a in email_entry.attachments] == [
        ("arm.png", "image/png", len(b"\x89PNG photo"))
    ]
    (scan,) = scan_entry.attachments
    assert (scan.filename, scan.media_type, scan.size) == (
        "consent.pdf",
        "application/pdf",
        len(SCAN),
    )

    with db.transaction() as session:
        opened = attachments.attachment_content(session, coordinator, scan.id)
    assert opened.data == SCAN and opened.info == scan
    with db.transaction(read_only=True) as session:
        viewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [
        (e.entity, e.entity_id, e.details["filename"]) for e in viewed if e.entity != "case"
    ] == [("attachment", scan.id, "consent.pdf")]


def test_the_same_file_attached_twice_is_stored_once(db: Database, coordinator: UserInfo) -> None:
    first = log_case(db, coordinator)
    second = log_case(db, coordinator)

    with db.transaction() as session:
        timeline.add_entries(session, coordinator, first.id, [attached("consent.pdf")])
        timeline.add_entries(
            session, coordinator, second.id, [attached("consent (copy).pdf"), attached("again.pdf")]
        )

    assert count(db, Attachment.id) == 3
    assert count(db, Blob.sha256) == 1


def test_two_people_attaching_the_same_new_file_at_once_both_succeed(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "aperez", "Ana Pérez")

    def attach(actor: UserInfo) -> None:
        with db.transaction() as session:
            timeline.add_entries(session, actor, case.id, [attached("statement.pdf")])

    assert at_once(lambda: attach(coordinator), lambda: attach(ana)) == []
    assert count(db, Attachment.id) == 2
    assert count(db, Blob.sha256) == 1


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        assert attachments.attachment_limit_bytes(session) == 25 * 1024 * 1024
        attachments.set_attachment_limit(session, coordinator, 1)
    too_big = b"x" * (1024 * 1024 + 200_000)

    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        timeline.add_entries(
            session, coordinator, case.id, [attached("small.pdf"), attached("scan.pdf", too_big)]
        )

    assert caught.value.message == (
        "“scan.pdf” is 1.2 MB, over the 1 MB limit for attachments. "
        "Attach a smaller copy, or ask an administrator to raise the limit."
    )
    assert count(db, TimelineEntry.id) == 0
    assert count(db, Blob.sha256) == 0


def test_only_an_administrator_sets_the_limit_and_within_reason(
    db: Database, coordinator: UserInfo
) -> None:
    representative = colleague(db, "jkim", "Ji-woo Kim")
    for megabytes in (0, 501):
        with pytest.raises(ValidationError, match="from 1 to 500 MB"), db.transaction() as session:
            attachments.set_attachment_limit(session, coordinator, megabytes)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        attachments.set_attachment_limit(session, representative, 100)
    with db.transaction() as session:
        attachments.set_attachment_limit(session, coordinator, 100)
    with db.transaction(read_only=True) as session:
        assert attachments.attachment_limit_bytes(session) == 100 * 1024 * 1024
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")).one()
    assert event.details == {"key": "attachment_limit_mb", "before": 25, "after": 100}


def test_a_batch_is_kept_whole_or_not_at_all(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)

    with (
        pytest.raises(ValidationError, match="added by PR Desk itself"),
        db.transaction() as session,
    ):
        timeline.add_entries(
            session,
            coordinator,
            case.id,
            [attached("fine.pdf"), NewTimelineEntry(TimelineKind.LETTER_SENT, "Sent")],
        )
    with (
        pytest.raises(ValidationError, match="added by PR Desk itself"),
        db.transaction() as session,
    ):
        # Files come in through a drop; a typed entry is never an "attachment" entry.
        timeline.add_entry(session, coordinator, case.id, attached("typed.pdf"))

    assert count(db, TimelineEntry.id) == 0 and count(db, Attachment.id) == 0


def test_file_names_are_kept_without_folders_or_control_characters(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    names = [
        "C:\\Users\\mai\\Desktop\\scan\x07 1.pdf",
        "../../etc/notes.txt",
        "  ",
        "x" * 300 + ".docx",
    ]

    with db.transaction() as session:
        timeline.add_entries(session, coordinator, case.id, [attached(name) for name in names])
        kept = [
            (a.filename, a.media_type)
            for entry in case_timeline(session, case.id)
            for a in entry.attachments
        ]

    assert kept[:3] == [
        ("scan 1.pdf", "application/pdf"),
        ("notes.txt", "text/plain"),
        ("attachment", "application/octet-stream"),
    ]
    long_name, word_type = kept[3]
    assert len(long_name) == 255 and long_name.endswith("x.docx")
    assert word_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_anyone_who_may_see_the_case_may_open_its_files_and_no_one_else(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        (entry,) = timeline.add_entries(session, coordinator, case.id, [attached("consent.pdf")])
    (file,) = entry.attachments
    auditor = colleague(db, "audit", "Sam Auditor", Role.AUDITOR)
    clerk = colleague(db, "clerk", "Pat Clerk", Role.CLERK)

    with db.transaction() as session:
        assert attachments.attachment_content(session, auditor, file.id).data == SCAN
    with pytest.raises(PermissionDenied), db.transaction() as session:
        attachments.attachment_content(session, clerk, file.id)
    with db.transaction(read_only=True) as session:
        views = session.scalars(
            select(AuditEvent.username).where(AuditEvent.entity == "attachment")
        ).all()
    assert views == ["audit"]


def test_a_file_whose_entry_was_deleted_no_longer_opens_until_restored(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        (entry,) = timeline.add_entries(
            session, coordinator, case.id, [attached("other patient's letter.pdf")]
        )
    (file,) = entry.attachments
    with db.transaction() as session:
        timeline.delete_entry(session, coordinator, entry.id, entry.version)

    with pytest.raises(NotFound, match="was deleted"), db.transaction() as session:
        attachments.attachment_content(session, coordinator, file.id)

    with db.transaction() as session:
        timeline.restore_entry(session, coordinator, entry.id)
        assert attachments.attachment_content(session, coordinator, file.id).data == SCAN


def test_a_file_name_cannot_disguise_its_type_with_right_to_left_marks(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    # Shown right to left after U+202E, this reads "invoice_exe.pdf".
    disguised = "invoice_\u202efdp.exe"

    with db.transaction() as session:
        (entry,) = timeline.add_entries(session, coordinator, case.id, [attached(disguised)])

    (file,) = entry.attachments
    assert file.filename == "invoice_fdp.exe"
    assert file.media_type != "application/pdf"


@pytest.mark.skipif(sys.platform != "linux", reason="other systems refuse such names")
def test_a_file_whose_name_is_not_in_the_systems_encoding_is_kept(
    db: Database, coordinator: UserInfo, tmp_path: Path
) -> None:
    # A name written by an old Latin-1 system: "café.pdf" with é as one byte.
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.pdf"))
    path.write_bytes(SCAN)
    case = log_case(db, coordinator)
    with db.transaction(read_only=True) as session:
        limit = attachments.attachment_limit_bytes(session)
    dropped = read_dropped([path], limit_bytes=limit)

    with db.transaction() as session:
        (entry,) = timeline.add_entries(session, coordinator, case.id, dropped.entries)

    assert entry.summary == "Attached caf\ufffd.pdf"
    assert [file.filename for file in entry.attachments] == ["caf\ufffd.pdf"]
