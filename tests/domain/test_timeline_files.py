"""Files dropped on a timeline: emails become email entries, documents attachments, the rest refused."""

from __future__ import annotations

import base64
import os
import random
import struct
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from prdesk.domain.enums import TimelineKind
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.timeline_files import OUTLOOK_MISSING, DroppedFiles, read_dropped

LIMIT = 25 * 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WRITTEN_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def daughters_email(**headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.get("From", "Nguyễn Thị Mai <mai.nguyen@example.com>")
    message["To"] = headers.get("To", "Patient Relations <pr@riverside.org>")
    message["Cc"] = headers.get("Cc", '"Lee, Ann" <ann.lee@riverside.org>, dr.patel@riverside.org')
    message["Date"] = headers.get("Date", format_datetime(WRITTEN_AT))
    message["Subject"] = headers.get("Subject", "My mother's discharge from ward 4")
    message.set_content(
        "Dear team,\n\nMy mother was sent home *without* her medication list.\n"
        "# of calls unanswered: 3\n"
    )
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="discharge summary.pdf"
    )
    return message


def save(folder: Path, name: str, data: bytes | EmailMessage) -> Path:
    path = folder / name
    path.write_bytes(data.as_bytes() if isinstance(data, EmailMessage) else data)
    return path


def one_entry(dropped: DroppedFiles) -> NewTimelineEntry:
    assert dropped.refused == ()
    (entry,) = dropped.entries
    return entry


def test_a_dropped_email_becomes_a_received_email_with_its_attachment(tmp_path: Path) -> None:
    path = save(tmp_path, "From Mai.eml", daughters_email())

    entry = one_entry(read_dropped([path], own_addresses=["pr@riverside.org"], limit_bytes=LIMIT))

    assert entry.kind is TimelineKind.EMAIL_RECEIVED
    assert entry.sender == "Nguyễn Thị Mai <mai.nguyen@example.com>"
    assert entry.recipients == (
        'Patient Relations <pr@riverside.org>, "Lee, Ann" <ann.lee@riverside.org>, '
        "dr.patel@riverside.org"
    )
    assert entry.occurred_at == WRITTEN_AT
    assert entry.summary == "My mother's discharge from ward 4"
    # The body is Markdown that reads exactly as the email did: no stray heading or italics.
    assert entry.body == (
        "Dear team,\n\nMy mother was sent home \\*without\\* her medication list.\\\n"
        "\\# of calls unanswered: 3"
    )
    (attached,) = entry.attachments
    assert (attached.filename, attached.data, attached.media_type) == (
        "discharge summary.pdf",
        PDF,
        "application/pdf",
    )


def test_an_email_from_the_department_is_recorded_as_sent(tmp_path: Path) -> None:
    reply = daughters_email(
        From="Patient Relations <PR@Riverside.org>", To="mai.nguyen@example.com", Cc=""
    )
    path = save(tmp_path, "reply.eml", reply)

    by_address = one_entry(
        read_dropped([path], own_addresses=["pr@riverside.org"], limit_bytes=LIMIT)
    )
    by_domain = one_entry(read_dropped([path], own_addresses=["@riverside.org"], limit_bytes=LIMIT))
    unknown = one_entry(
        read_dropped([path], own_addresses=["other@riverside.org"], limit_bytes=LIMIT)
    )

    assert by_address.kind is TimelineKind.EMAIL_SENT
    assert by_address.recipients == "mai.nguyen@example.com"
    assert by_domain.kind is TimelineKind.EMAIL_SENT
    assert unknown.kind is TimelineKind.EMAIL_RECEIVED


def test_an_email_without_subject_or_date_is_dated_now_and_says_so(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "rob@example.com"
    message.set_content("Please call me.")
    path = save(tmp_path, "note.eml", message)
    before = datetime.now(UTC)

    entry = one_entry(read_dropped([path], limit_bytes=LIMIT))

    assert entry.summary == "(no subject)"
    assert entry.occurred_at is not None
    assert before <= entry.occurred_at <= datetime.now(UTC)
    assert entry.attachments == ()


def test_a_date_in_the_future_is_brought_back_to_now(tmp_path: Path) -> None:
    tomorrow = format_datetime(datetime.now(UTC) + timedelta(days=1))
    path = save(tmp_path, "fast clock.eml", daughters_email(Date=tomorrow, Subject="x" * 400))

    entry = one_entry(read_dropped([path], limit_bytes=LIMIT))

    assert entry.occurred_at is not None and entry.occurred_at <= datetime.now(UTC)
    assert entry.summary == "x" * 300


def test_an_html_only_email_is_kept_as_its_text(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "rob@example.com"
    message["Subject"] = "Parking"
    message.set_content("<p>Charged <b>twice</b>.</p><p>Receipt below.</p>", subtype="html")
    path = save(tmp_path, "parking.eml", message)

    assert one_entry(read_dropped([path], limit_bytes=LIMIT)).body == (
        "Charged twice.\n\nReceipt below."
    )


def test_a_forwarded_email_stays_one_attachment(tmp_path: Path) -> None:
    forward = EmailMessage()
    forward["From"] = "ann.lee@riverside.org"
    forward["Subject"] = "Fwd: statement"
    forward.set_content("See the nurse's statement below.")
    forward.add_attachment(daughters_email(Subject="Statement from ward 4"))
    path = save(tmp_path, "forward.eml", forward)

    entry = one_entry(read_dropped([path], limit_bytes=LIMIT))

    (attached,) = entry.attachments
    assert attached.filename == "Statement from ward 4.eml"
    assert attached.media_type == "message/rfc822"
    assert b"discharge summary.pdf" in attached.data


@pytest.mark.parametrize(
    "name", ["scan.PDF", "photo.jpg", "statement.docx", "rota.xlsx", "calls.csv", "notes.txt"]
)
def test_documents_and_images_become_one_attachment_entry_each(tmp_path: Path, name: str) -> None:
    path = save(tmp_path, name, PDF)

    entry = one_entry(read_dropped([path], limit_bytes=LIMIT))

    assert entry.kind is TimelineKind.ATTACHMENT
    assert entry.summary == f"Attached {name}"
    assert [(a.filename, a.data) for a in entry.attachments] == [(name, PDF)]


def test_what_cannot_be_kept_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    paths = [
        save(tmp_path, "setup.exe", b"MZ"),
        save(tmp_path, "README", b"text"),
        tmp_path / "folder",
        tmp_path / "moved away.pdf",
        save(tmp_path, "empty.pdf", b""),
        save(tmp_path, "kept.pdf", PDF),
    ]

    dropped = read_dropped(paths, limit_bytes=LIMIT)

    assert [entry.summary for entry in dropped.entries] == ["Attached kept.pdf"]
    assert dict(dropped.refused) == {
        "setup.exe": "PR Desk keeps documents, images and emails; .exe files are not accepted.",
        "README": "PR Desk keeps documents, images and emails; this file has no extension "
        "to tell what it is.",
        "folder": "This is a folder; drop the files inside it instead.",
        "moved away.pdf": "PR Desk cannot open this file: it may have been moved, or you may "
        "not have access to it.",
        "empty.pdf": "The file is empty.",
    }


def test_a_file_over_the_limit_is_refused_naming_its_size_and_the_limit(tmp_path: Path) -> None:
    limit = 1024 * 1024
    scan = save(tmp_path, "scan.pdf", b"x" * (limit + 100_000))
    email = daughters_email()
    email.add_attachment(b"y" * (limit + 1), maintype="image", subtype="png", filename="x-ray.png")
    mail = save(tmp_path, "with x-ray.eml", email)
    huge = save(tmp_path, "huge.eml", b"From: a@example.com\n\n" + b"z" * (2 * limit))

    dropped = read_dropped([scan, mail, huge], limit_bytes=limit)

    assert dropped.entries == ()
    assert dict(dropped.refused) == {
        "scan.pdf": "“scan.pdf” is 1.1 MB, over the 1 MB limit for attachments. "
        "Attach a smaller copy, or ask an administrator to raise the limit.",
        "with x-ray.eml": "“x-ray.png” is 1.1 MB, over the 1 MB limit for attachments. "
        "Attach a smaller copy, or ask an administrator to raise the limit.",
        "huge.eml": "“huge.eml” is 2.1 MB; an email can be at most 2 MB, twice the 1 MB "
        "limit for attachments, since it carries its files encoded. Save its attachments and "
        "drop them instead, or ask an administrator to raise the limit.",
    }


def test_files_that_are_not_emails_are_refused_not_raised(tmp_path: Path) -> None:
    paths = [
        save(tmp_path, "empty.eml", b""),
        save(tmp_path, "binary.eml", b"\x00\x01PK\x03\x04" * 50),
        save(tmp_path, "not really.msg", b"From: someone\n\nplain text, not Outlook"),
    ]

    dropped = read_dropped(paths, limit_bytes=LIMIT)

    assert dropped.entries == ()
    reasons = dict(dropped.refused)
    assert reasons["empty.eml"] == "The file is empty."
    assert reasons["binary.eml"].startswith("This is not an email message")
    assert reasons["not really.msg"] == (
        "PR Desk could not read this Outlook message: the file is damaged or is not an "
        "Outlook .msg file."
    )


def test_no_file_content_raises_anything_but_a_refusal(tmp_path: Path) -> None:
    # Mangled copies of a real email and of a real Outlook message, as a damaged
    # download or a full disk leaves them.
    rng = random.Random(20261126)
    eml = daughters_email().as_bytes()
    msg = outlook_message(tmp_path / "source.msg").read_bytes()
    for index in range(60):
        for source, extension in ((eml, ".eml"), (msg, ".msg")):
            data = bytearray(source[: rng.randrange(len(source))])
            for _ in range(rng.randrange(1, 40)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
            path = save(tmp_path, f"mangled {index}{extension}", bytes(data))
            dropped = read_dropped([path], limit_bytes=LIMIT)
            assert len(dropped.entries) + len(dropped.refused) == 1


# Outlook .msg files are OLE compound files of MAPI properties. This writes a small one
# with extract-msg's own OLE writer: the parts Outlook fills in that PR Desk reads.
def outlook_message(path: Path, sent_at: datetime = WRITTEN_AT) -> Path:
    from extract_msg.ole_writer import OleWriter

    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    ticks = int((sent_at - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
    attachment = ("wait times.xlsx", b"PK\x03\x04 spreadsheet", "application/vnd.ms-excel")
    writer = OleWriter()
    header = bytearray(32)
    struct.pack_into("<IIII", header, 8, 0, 1, 0, 1)  # next ids, recipient and attachment count
    submit_time = struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, ticks)
    writer.addEntry("__properties_version1.0", bytes(header) + submit_time)
    writer.addEntry("__substg1.0_001A001F", text("IPM.Note"))
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    writer.addEntry("__substg1.0_0037001F", text("Re: statement for the Nguyễn complaint"))
    writer.addEntry("__substg1.0_1000001F", text("Statement attached.\r\n- Ann\r\n"))
    writer.addEntry(
        "__substg1.0_007D001F",
        text(
            "From: Ann Lee <ann.lee@riverside.org>\r\n"
            "To: Patient Relations <pr@riverside.org>\r\n"
            'Cc: "Patel, Raj" <raj.patel@riverside.org>\r\n\r\n'
        ),
    )
    folder = "__attach_version1.0_#00000000"
    writer.addEntry(folder, storage=True)
    by_value = struct.pack("<IIQ", (0x3705 << 16) | 0x0003, 6, 1)
    writer.addEntry(f"{folder}/__properties_version1.0", bytes(8) + by_value)
    writer.addEntry(f"{folder}/__substg1.0_3707001F", text(attachment[0]))
    writer.addEntry(f"{folder}/__substg1.0_37010102", attachment[1])
    writer.addEntry(f"{folder}/__substg1.0_370E001F", text(attachment[2]))
    writer.write(str(path))
    return path


def test_an_outlook_message_becomes_an_email_with_its_attachment(tmp_path: Path) -> None:
    path = outlook_message(tmp_path / "Statement.msg")

    entry = one_entry(read_dropped([path], own_addresses=["pr@riverside.org"], limit_bytes=LIMIT))

    assert entry.kind is TimelineKind.EMAIL_RECEIVED
    assert entry.sender == "Ann Lee <ann.lee@riverside.org>"
    assert entry.recipients == (
        'Patient Relations <pr@riverside.org>, "Patel, Raj" <raj.patel@riverside.org>'
    )
    assert entry.occurred_at == WRITTEN_AT
    assert entry.summary == "Re: statement for the Nguyễn complaint"
    assert entry.body == "Statement attached.\\\n\\- Ann"
    assert [(a.filename, a.data, a.media_type) for a in entry.attachments] == [
        ("wait times.xlsx", b"PK\x03\x04 spreadsheet", "application/vnd.ms-excel")
    ]


def test_without_outlook_support_a_msg_file_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = outlook_message(tmp_path / "Statement.msg")
    # What an installation without the optional extra looks like to an import.
    monkeypatch.setitem(sys.modules, "extract_msg", None)

    dropped = read_dropped([path], limit_bytes=LIMIT)

    assert dropped.entries == ()
    assert dropped.refused == (("Statement.msg", OUTLOOK_MISSING),)
    assert "pip install prdesk[outlook]" in OUTLOOK_MISSING


def nested_parts(depth: int) -> bytes:
    part = b"Content-Type: text/plain\n\nhello\n"
    for level in range(depth):
        boundary = b"b%d" % level
        part = (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\n\n--" + boundary
            + b"\n" + part + b"\n--" + boundary + b"--\n"
        )  # fmt: skip
    return b"From: a@example.com\nSubject: nested\nMIME-Version: 1.0\n" + part


def test_an_email_nested_beyond_reason_is_refused_not_raised(tmp_path: Path) -> None:
    path = save(tmp_path, "nested.eml", nested_parts(3_000))

    dropped = read_dropped([path], limit_bytes=LIMIT)

    assert dropped.entries == ()
    assert dropped.refused == (
        (
            "nested.eml",
            "PR Desk could not read this email: the file is damaged or is not an email.",
        ),
    )


def test_files_an_email_carries_without_a_name_or_as_its_whole_content_are_kept(
    tmp_path: Path,
) -> None:
    # A scanner's email is often the PDF and nothing else; some programs attach a file
    # without naming it.
    scan = save(
        tmp_path,
        "scan.eml",
        b"From: scanner@riverside.org\nSubject: Scan from MFP-3\nMIME-Version: 1.0\n"
        b"Content-Type: application/pdf\nContent-Disposition: attachment\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(PDF) + b"\n",
    )
    unnamed = daughters_email()
    unnamed.add_attachment(PDF, maintype="application", subtype="pdf", disposition="attachment")
    forward = daughters_email()
    forward.add_attachment(daughters_email(Subject="Re: 50/50 split of the bill"))

    dropped = read_dropped(
        [scan, save(tmp_path, "unnamed.eml", unnamed), save(tmp_path, "fwd.eml", forward)],
        limit_bytes=LIMIT,
    )

    assert dropped.refused == ()
    whole, with_unnamed, forwarded = dropped.entries
    assert [(a.filename, a.data) for a in whole.attachments] == [("Scan from MFP-3.pdf", PDF)]
    assert [(a.filename, a.data) for a in with_unnamed.attachments] == [
        ("discharge summary.pdf", PDF),
        ("My mother's discharge from ward 4.pdf", PDF),
    ]
    assert [a.filename for a in forwarded.attachments] == [
        "discharge summary.pdf",
        "Re: 50-50 split of the bill.eml",
    ]


def test_blind_copies_of_a_sent_email_are_among_its_recipients(tmp_path: Path) -> None:
    reply = daughters_email(From="pr@riverside.org", To="mai.nguyen@example.com", Cc="")
    reply["Bcc"] = "Dr. Raj Patel <raj.patel@riverside.org>"

    entry = one_entry(
        read_dropped([save(tmp_path, "reply.eml", reply)], own_addresses=["pr@riverside.org"],
                     limit_bytes=LIMIT)
    )  # fmt: skip

    assert entry.kind is TimelineKind.EMAIL_SENT
    assert entry.recipients == "mai.nguyen@example.com, Dr. Raj Patel <raj.patel@riverside.org>"


def test_an_email_to_a_whole_mailing_list_is_read_in_moments(tmp_path: Path) -> None:
    everyone = ",\r\n ".join(f"Staff Member {n} <staff{n}@riverside.org>" for n in range(20_000))
    path = save(
        tmp_path,
        "all staff.eml",
        f"From: ann.lee@riverside.org\r\nTo: {everyone}\r\n"
        "Cc: =?utf-8?b?Tmd1eeG7hW4gVGjhu4sgTWFp?= <mai.nguyen@example.com>,\r\n"
        " staff0@riverside.org\r\nSubject: Visiting hours\r\n\r\nFrom Monday.\r\n".encode(),
    )
    started = time.perf_counter()

    entry = one_entry(read_dropped([path], limit_bytes=LIMIT))

    assert time.perf_counter() - started < 10
    recipients = entry.recipients.split(", ")
    assert len(recipients) == 20_001
    assert recipients[0] == "Staff Member 0 <staff0@riverside.org>"
    assert recipients[-1] == "Nguyễn Thị Mai <mai.nguyen@example.com>"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_something_that_is_not_a_plain_file_is_refused_without_reading_it(
    tmp_path: Path,
) -> None:
    pipe = tmp_path / "statement.pdf"
    os.mkfifo(pipe)

    dropped = read_dropped([pipe], limit_bytes=LIMIT)

    assert dropped.entries == ()
    assert dropped.refused == (
        ("statement.pdf", "This is not a file PR Desk can keep (it is a device or a pipe)."),
    )
