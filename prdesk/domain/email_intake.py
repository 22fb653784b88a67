"""Emails (.eml files or pasted text) and pasted letters turned into a draft of a new case."""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from html.parser import HTMLParser

from prdesk.domain.enums import CaseKind, Channel, ContactPreference
from prdesk.domain.errors import ValidationError
from prdesk.domain.services.case_input import NewCase, PersonInput

# Headers an email client puts above a forwarded or copied message ("Sent:" is Outlook's).
_PASTED_HEADER = re.compile(
    r"^\s*(from|sent|date|to|cc|bcc|subject|importance|reply-to)\s*:\s*(.*)$", re.IGNORECASE
)
_CLOSINGS = re.compile(
    r"^(yours\s+)?(sincerely|faithfully|truly|respectfully|regards|kind regards|best regards|"
    r"warm regards|best wishes|best|thank you|thanks|many thanks|with thanks)\b.*[,.]?$",
    re.IGNORECASE,
)
_EMAIL_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# How clients write the date of a copied message, after RFC 5322's own form.
_PASTED_DATE_FORMATS = (
    "%A, %B %d, %Y %I:%M %p",
    "%A, %B %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%A, %d %B %Y %H:%M",
    "%d %B %Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%A, %B %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class IntakeDraft:
    """What an email or letter says about a new case, before the coordinator checks it.

    Attributes:
        received_at: from the email's Date header (aware); None for "now".
    """

    channel: Channel
    sender_name: str = ""
    sender_email: str = ""
    received_at: datetime | None = None
    subject: str = ""
    body: str = ""

    @property
    def description(self) -> str:
        """The subject and the text, as the case's description in the sender's own words."""
        parts = [f"Subject: {self.subject}" if self.subject else "", self.body]
        return "\n\n".join(part for part in parts if part)

    @property
    def has_sender(self) -> bool:
        return bool(self.sender_name or self.sender_email)

    def new_case(self, *, sender_is_patient: bool = False) -> NewCase:
        """A complaint from the sender: the person raising it unless they are the patient."""
        sender = PersonInput(
            full_name=self.sender_name,
            email=self.sender_email,
            contact_preference=(
                ContactPreference.EMAIL if self.sender_email else ContactPreference.LETTER
            ),
        )
        patient = sender if sender_is_patient or not self.has_sender else PersonInput("")
        return NewCase(
            kind=CaseKind.COMPLAINT,
            channel=self.channel,
            patient=patient,
            complainant=None if sender_is_patient or not self.has_sender else sender,
            description=self.description,
            received_at=self.received_at,
        )


class UnreadableMessage(ValidationError):
    """The file or text is not an email or letter PR Desk can read; the message says why."""


def parse_eml(data: bytes) -> IntakeDraft:
    """An .eml file (RFC 5322, as Outlook and Thunderbird save them) as a draft."""
    if not data.strip():
        raise UnreadableMessage("The file is empty.")
    if b"\x00" in data[:4096]:
        raise UnreadableMessage("This is not an email message: the file holds binary data.")
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not any(
        _header(message, name) for name in ("From", "Subject", "Date", "To")
    ):
        raise UnreadableMessage(
            "This is not an email message: it has no sender, subject or date. "
            "Save the email from your mail program as an .eml file, or paste its text."
        )
    name, address = _sender(_header(message, "From"))
    return IntakeDraft(
        channel=Channel.EMAIL,
        sender_name=name,
        sender_email=address,
        received_at=_header_date(message),
        subject=_clean(_header(message, "Subject")),
        body=_tidy(_body(message)),
    )


def parse_pasted(text: str, channel: Channel | None = None) -> IntakeDraft:
    """Pasted text: an email when it starts with From:/Subject: lines, otherwise a letter.

    `channel` overrides which channel the case is logged under.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise UnreadableMessage("Paste the text of the email or letter first.")
    headers, body = _pasted_headers(text)
    if "from" in headers or "subject" in headers:
        name, address = _sender(headers.get("from", ""))
        when = headers.get("sent") or headers.get("date") or ""
        return IntakeDraft(
            channel=channel or Channel.EMAIL,
            sender_name=name,
            sender_email=address,
            received_at=_pasted_date(when),
            subject=_clean(headers.get("subject", "")),
            body=_tidy(body),
        )
    name, address = _signature(text)
    return IntakeDraft(
        channel=channel or Channel.LETTER, sender_name=name, sender_email=address, body=_tidy(text)
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name) or "")
    except (ValueError, IndexError, TypeError, AttributeError):
        # A malformed header is the sender's mistake; the rest of the message still counts.
        return ""


def _header_date(message: EmailMessage) -> datetime | None:
    try:
        header = message.get("Date")
        moment = getattr(header, "datetime", None)
    except (ValueError, IndexError, TypeError):
        return None
    if not isinstance(moment, datetime):
        return None
    # "-0000" means the sender's zone is unknown: the time is then UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _sender(value: str) -> tuple[str, str]:
    """(name, address) from "Nguyễn Thị <h@example.com>", "h@example.com" or just a name."""
    value = _clean(value.replace("[mailto:", "<").replace("]", ">"))
    name, address = email.utils.parseaddr(value)
    if "@" not in address:
        found = _EMAIL_ADDRESS.search(value)
        address = found.group(0) if found else ""
        name = name or _clean(_EMAIL_ADDRESS.sub("", value).strip("<>\"' "))
    name = _clean(name.strip("\"' "))
    if not name and address:
        # "maria.garcia@example.com" still tells who wrote: "Maria Garcia".
        local = address.split("@", 1)[0]
        if re.fullmatch(r"[A-Za-z]+[._][A-Za-z]+", local):
            name = " ".join(part.capitalize() for part in re.split(r"[._]", local))
    return name, address.strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, KeyError):
        # An unknown or wrong charset: read what can be read rather than nothing.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_subtype() == "html" else content


def _pasted_headers(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    headers: dict[str, str] = {}
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        match = _PASTED_HEADER.match(lines[index])
        if match is None:
            break
        headers.setdefault(match.group(1).lower(), match.group(2).strip())
        index += 1
    if not headers:
        return {}, text
    return headers, "\n".join(lines[index:])


def _pasted_date(text: str) -> datetime | None:
    text = " ".join(text.replace(" at ", " ").split())
    if not text:
        return None
    moment: datetime | None = None
    for fmt in _PASTED_DATE_FORMATS:
        try:
            moment = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if moment is None:
        # RFC 5322 last: its parser reads "3:15 PM" as 3:15 in the morning.
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    # A copied date carries no zone: it was shown in this workstation's local time.
    return moment if moment.tzinfo is not None else moment.astimezone()


def _signature(text: str) -> tuple[str, str]:
    """The name (and email) under a letter's closing ("Sincerely," then the name)."""
    lines = [line.strip() for line in text.split("\n")]
    for index in range(len(lines) - 1, -1, -1):
        if _CLOSINGS.match(lines[index]) and len(lines[index]) <= 40:
            following = [line for line in lines[index + 1 : index + 6] if line]
            name = following[0] if following else ""
            if not _looks_like_name(name):
                name = ""
            block = " ".join(following)
            found = _EMAIL_ADDRESS.search(block)
            return name, found.group(0) if found else ""
    return "", ""


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 6 and len(line) <= 80 and not any(ch.isdigit() for ch in line)


def _clean(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())


def _tidy(text: str) -> str:
    """Plain text with trailing spaces and runs of blank lines removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip()


# Tags that start a new line (or paragraph) when an HTML-only email is read as text.
_BLOCKS = {"p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol"}
_SKIPPED = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Source line breaks in HTML are spaces; only tags break lines.
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML email: paragraphs, line breaks and list bullets kept."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [line.strip() for line in "".join(extractor.parts).replace("\xa0", " ").split("\n")]
    return _tidy("\n".join(lines))
