"""Files dropped on a case's timeline: emails become email entries, documents attachments.

Pure: reads the files from disk and touches no database, so a drop can be checked
and shown before anything is stored. Whatever a file holds, the worst it can do is
be refused with a reason.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import email.utils
import mimetypes
import os
import stat
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

from prdesk.domain.email_intake import UnreadableMessage, html_to_text, parse_eml
from prdesk.domain.enums import TimelineKind
from prdesk.domain.rich_text import escape_plain
from prdesk.domain.services.attachments import (
    MEGABYTE,
    NewAttachment,
    check_sizes,
    clean_filename,
    shown_size,
    too_large_message,
)
from prdesk.domain.services.timeline_input import (
    SENDER_LIMIT,
    SUMMARY_LIMIT,
    NewTimelineEntry,
    mailbox,
)

EMAIL_EXTENSIONS = frozenset({".eml", ".msg"})
DOCUMENT_EXTENSIONS = frozenset(
    {
        ".pdf",
        *(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"),
        *(".doc", ".docx", ".rtf", ".odt"),
        *(".xls", ".xlsx", ".csv", ".ods"),
        ".txt",
    }
)
# An email carries its attachments base64-encoded, a third larger than the files.
EMAIL_SIZE_FACTOR = 2
NO_SUBJECT = "(no subject)"
OUTLOOK_MISSING = (
    "Outlook .msg files need the optional Outlook support (pip install prdesk[outlook]); "
    "save the message as .eml instead."
)
_RECIPIENTS = frozenset({"to", "cc", "bcc"})
_DAMAGED_EMAIL = "PR Desk could not read this email: the file is damaged or is not an email."
_DAMAGED_MSG = (
    "PR Desk could not read this Outlook message: the file is damaged or is not an "
    "Outlook .msg file."
)


@dataclass(frozen=True)
class DroppedFiles:
    """What a drop becomes: the entries to add, and the files refused with the reason why.

    Attributes:
        refused: (file name, reason shown to the user) for each file not taken.
    """

    entries: tuple[NewTimelineEntry, ...]
    refused: tuple[tuple[str, str], ...]


class _Refused(Exception):
    """A file that cannot be taken; the message is the reason shown for it."""


def read_dropped(
    paths: Sequence[Path], *, own_addresses: Collection[str] = (), limit_bytes: int
) -> DroppedFiles:
    """One entry per file: .eml and .msg become emails, documents and images attachments.

    An email is "sent" when its sender is one of `own_addresses`; an item there may
    also be a domain ("riverside.org" or "@riverside.org"), for any address at it.
    """
    entries: list[NewTimelineEntry] = []
    refused: list[tuple[str, str]] = []
    own = _OwnAddresses(own_addresses)
    for path in paths:
        try:
            entries.append(_read_one(Path(path), own, limit_bytes))
        except _Refused as reason:
            refused.append((clean_filename(Path(path).name or str(path)), str(reason)))
    return DroppedFiles(tuple(entries), tuple(refused))


def _read_one(path: Path, own: _OwnAddresses, limit_bytes: int) -> NewTimelineEntry:
    extension = path.suffix.lower()
    name = clean_filename(path.name)
    status = _status(path)
    if stat.S_ISDIR(status.st_mode):
        raise _Refused("This is a folder; drop the files inside it instead.")
    if not stat.S_ISREG(status.st_mode):
        # Reading a pipe waits for a writer that never comes; a device never ends.
        raise _Refused("This is not a file PR Desk can keep (it is a device or a pipe).")
    if extension not in EMAIL_EXTENSIONS | DOCUMENT_EXTENSIONS:
        if not extension:
            raise _Refused(
                "PR Desk keeps documents, images and emails; this file has no extension "
                "to tell what it is."
            )
        raise _Refused(
            f"PR Desk keeps documents, images and emails; {extension} files are not accepted."
        )
    size = status.st_size
    if extension in EMAIL_EXTENSIONS:
        if size > limit_bytes * EMAIL_SIZE_FACTOR:
            raise _Refused(_email_too_large(name, size, limit_bytes))
        read = _read_eml if extension == ".eml" else _read_msg
        return _email_entry(read(path), own, limit_bytes)
    if size > limit_bytes:
        raise _Refused(too_large_message(name, size, limit_bytes))
    data = _read_bytes(path)
    if not data:
        raise _Refused("The file is empty.")
    return NewTimelineEntry(
        kind=TimelineKind.ATTACHMENT,
        summary=f"Attached {name}"[:SUMMARY_LIMIT],
        attachments=(NewAttachment(name, data),),
    )


def _email_too_large(filename: str, size: int, limit_bytes: int) -> str:
    whole = limit_bytes * EMAIL_SIZE_FACTOR
    return (
        f"“{filename}” is {shown_size(size)}; an email can be at "
        f"most {whole / MEGABYTE:g} MB, twice the {limit_bytes / MEGABYTE:g} MB limit for "
        "attachments, since it carries its files encoded. Save its attachments and drop "
        "them instead, or ask an administrator to raise the limit."
    )


def _status(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except (OSError, ValueError):
        raise _Refused(
            "PR Desk cannot open this file: it may have been moved, or you may not have "
            "access to it."
        ) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise _Refused(
            "PR Desk cannot read this file: it may be open in another program, or you may "
            "not have access to it."
        ) from None


@dataclass(frozen=True)
class _Email:
    sender_name: str
    sender_address: str
    recipients: tuple[str, ...]
    sent_at: datetime | None
    subject: str
    text: str
    attachments: tuple[NewAttachment, ...]


class _OwnAddresses:
    """The department's own addresses and domains, compared without regard to case."""

    def __init__(self, items: Collection[str]) -> None:
        self.addresses: set[str] = set()
        self.domains: set[str] = set()
        for item in items:
            item = item.strip().lower()
            local, _, domain = item.rpartition("@")
            if local:
                self.addresses.add(item)
            elif domain:
                self.domains.add(domain)

    def include(self, address: str) -> bool:
        address = address.strip().lower()
        return address in self.addresses or address.rpartition("@")[2] in self.domains


def _email_entry(message: _Email, own: _OwnAddresses, limit_bytes: int) -> NewTimelineEntry:
    too_large = check_sizes(message.attachments, limit_bytes)
    if too_large:
        # The whole email waits rather than arriving without the file it was sent with.
        raise _Refused(too_large)
    sent = bool(message.sender_address) and own.include(message.sender_address)
    now = datetime.now(UTC)
    # A sender's clock running fast must not put the email in the future.
    occurred_at = min(message.sent_at, now) if message.sent_at else now
    return NewTimelineEntry(
        kind=TimelineKind.EMAIL_SENT if sent else TimelineKind.EMAIL_RECEIVED,
        summary=(" ".join(message.subject.split()) or NO_SUBJECT)[:SUMMARY_LIMIT],
        body=escape_plain(message.text),
        occurred_at=occurred_at,
        sender=mailbox(message.sender_name, message.sender_address)[:SENDER_LIMIT],
        recipients=", ".join(message.recipients),
        attachments=message.attachments,
    )


def _recipients(values: Sequence[str]) -> tuple[str, ...]:
    """Each person of the address lists once, as first named, in the order named."""
    found: dict[str, str] = {}
    for name, address in email.utils.getaddresses([_readable(value) for value in values]):
        written = mailbox(_decoded_words(name), address)
        if written:
            found.setdefault(address.strip().lower() or written, written)
    return tuple(found.values())


def _readable(value: str) -> str:
    """A header as the file has it, unfolded, with bytes that are not UTF-8 replaced
    (they would fail to be stored) rather than carried along."""
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value.replace("\r", "").replace("\n", "")


def _decoded_words(text: str) -> str:
    """A name with its MIME encoded words (=?utf-8?b?...?=) decoded, where it has any."""
    if "=?" not in text:
        return text
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        return text


def _read_eml(path: Path) -> _Email:
    data = _read_bytes(path)
    try:
        draft = parse_eml(data)
        message = email.message_from_bytes(data, policy=email.policy.default)
        # The headers' own text: the email package's parsed header objects take
        # minutes over a list of tens of thousands of addresses.
        recipients = _recipients(
            [str(value) for name, value in message.raw_items() if name.lower() in _RECIPIENTS]
        )
        attached = tuple(_eml_attachments(message, draft.subject))
    except UnreadableMessage as error:
        raise _Refused(error.message) from None
    except Exception:
        # The email package raises many kinds of error on malformed input (a
        # RecursionError on parts nested thousands deep); to the person dropping
        # the file they all mean the same thing.
        raise _Refused(_DAMAGED_EMAIL) from None
    return _Email(
        sender_name=draft.sender_name,
        sender_address=draft.sender_email,
        recipients=recipients,
        sent_at=draft.received_at,
        subject=draft.subject,
        text=draft.body,
        attachments=attached,
    )


def _eml_attachments(message: Message, subject: str) -> Iterator[NewAttachment]:
    """The files the email carries, each with its name; a forwarded email is one file."""
    for part in _leaves(message):
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                name = filename or _named_after(
                    str(inner.get("Subject") or ""), "Forwarded message", ".eml"
                )
                yield NewAttachment(name, inner.as_bytes(), "message/rfc822")
            continue
        if not filename:
            # An unnamed part is a file when the email says so, or when it is the whole
            # email (a scanner's); unnamed pictures inside the text are not.
            if not (part.get_content_disposition() == "attachment" or part is message):
                continue
            extension = mimetypes.guess_extension(content_type, strict=False) or ""
            filename = _named_after(subject, "Attachment", extension)
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            given = "" if content_type == "application/octet-stream" else content_type
            yield NewAttachment(filename, data, given)


def _named_after(subject: str, otherwise: str, extension: str) -> str:
    # A slash in a subject ("50/50") must not read as a folder when the name is cleaned.
    stem = " ".join(subject.replace("/", "-").replace("\\", "-").split())
    return f"{stem or otherwise}{extension}"


def _leaves(message: Message) -> Iterator[Message]:
    # Not message.walk(): that would also go into a forwarded email and take its files
    # apart from it.
    if not message.is_multipart():
        if message.get_content_maintype() not in ("text", "multipart"):
            yield message  # the email is one file with headers
        return
    for part in message.get_payload():
        if not isinstance(part, Message):
            continue
        if part.get_content_type() != "message/rfc822" and part.is_multipart():
            yield from _leaves(part)
        else:
            yield part


def _read_msg(path: Path) -> _Email:
    try:
        import extract_msg
    except ImportError:
        raise _Refused(OUTLOOK_MISSING) from None
    try:
        message = extract_msg.openMsg(str(path))
    except Exception:
        # Damaged or foreign files fail in many ways inside the OLE reader.
        raise _Refused(_DAMAGED_MSG) from None
    try:
        if not hasattr(message, "sender"):
            raise _Refused(
                "This Outlook item is not an email message (a contact, task or appointment)."
            )
        return _outlook_email(message)
    except _Refused:
        raise
    except Exception:
        raise _Refused(_DAMAGED_MSG) from None
    finally:
        message.close()


def _outlook_email(message: Any) -> _Email:
    name, address = email.utils.parseaddr(str(message.sender or ""))
    if not address and "@" in name:
        name, address = "", name
    sent_at = message.date
    if not isinstance(sent_at, datetime):
        sent_at = None
    elif sent_at.tzinfo is None:
        # Outlook stores times in UTC.
        sent_at = sent_at.replace(tzinfo=UTC)
    text = message.body or ""
    if not text.strip() and message.htmlBody:
        html = message.htmlBody
        text = html_to_text(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    attached: list[NewAttachment] = []
    for attachment in message.attachments:
        data = getattr(attachment, "data", None)
        filename = str(
            getattr(attachment, "longFilename", None)
            or getattr(attachment, "shortFilename", None)
            or ""
        )
        if isinstance(data, bytes) and filename:
            media_type = str(getattr(attachment, "mimetype", None) or "")
            attached.append(NewAttachment(filename, data, media_type))
        elif data is not None and hasattr(data, "exportBytes"):
            # An email attached to the email: kept whole, as Outlook would save it.
            subject = str(getattr(data, "subject", "") or "")
            filename = filename or _named_after(subject, "Attached message", ".msg")
            attached.append(
                NewAttachment(filename, data.exportBytes(), "application/vnd.ms-outlook")
            )
    return _Email(
        sender_name=" ".join(name.split()),
        sender_address=address.strip(),
        # extract-msg separates recipients with semicolons, as Outlook shows them.
        recipients=_recipients(
            [str(value or "").replace(";", ",") for value in (message.to, message.cc, message.bcc)]
        ),
        sent_at=sent_at,
        subject=str(message.subject or ""),
        text=_tidy_text(text),
        attachments=tuple(attached),
    )


def _tidy_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
