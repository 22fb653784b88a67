"""Files kept on a case: stored in the database once per content, opened with an audit trail."""

from __future__ import annotations

import hashlib
import math
import mimetypes
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.models import Attachment, Blob, Setting, TimelineEntry
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import AttachmentInfo, UserInfo
from prdesk.domain.services.timeline_reading import attachments_where

LIMIT_KEY = "attachment_limit_mb"
DEFAULT_LIMIT_MB = 25
# Above a few hundred megabytes a file in the database slows every backup and every
# workstation that opens it; such recordings belong in the hospital's document system.
LIMIT_RANGE_MB = (1, 500)
# Sizes as Windows Explorer shows them, which is what people compare the message with.
MEGABYTE = 1024 * 1024
FILENAME_LIMIT = 255
MEDIA_TYPE_LIMIT = 100
FALLBACK_MEDIA_TYPE = "application/octet-stream"
_MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+")
# Marks that reverse the text after them: "scan\u202efdp.exe" shows as "scanexe.pdf".
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Types some systems' tables lack (Windows reads its own from the registry).
_KNOWN_TYPES = {
    ".heic": "image/heic",
    ".webp": "image/webp",
    ".msg": "application/vnd.ms-outlook",
    ".eml": "message/rfc822",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass(frozen=True)
class NewAttachment:
    """A file to keep; its media type is guessed from its name when not given."""

    filename: str
    data: bytes
    media_type: str = ""


@dataclass(frozen=True)
class AttachmentContent:
    info: AttachmentInfo
    data: bytes


def shown_size(size: int) -> str:
    """A file's size as messages about the limit give it ("1.2 MB")."""
    # Rounded up, so a file just over the limit never reads as "25.0 MB, over the 25 MB limit".
    return f"{math.ceil(size * 10 / MEGABYTE) / 10:.1f} MB"


def too_large_message(filename: str, size: int, limit: int) -> str:
    """Why a file is refused, in the same words wherever a file can be added."""
    return (
        f"“{filename}” is {shown_size(size)}, over the {limit / MEGABYTE:g} MB limit for "
        "attachments. Attach a smaller copy, or ask an administrator to raise the limit."
    )


def clean_filename(name: str) -> str:
    """The name a file is kept under: no folders, no control characters, never empty."""
    # Either separator: a name may come from a Windows path on any system.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(
        # A name in another system's encoding reaches Python with surrogates, which
        # neither database can store.
        "\ufffd" if unicodedata.category(ch) == "Cs" else ch
        for ch in name
        if unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS
    ).strip()
    if name in ("", ".", ".."):
        return "attachment"
    if len(name) > FILENAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) < 20:
            name = stem[: FILENAME_LIMIT - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:FILENAME_LIMIT]
    return name


def media_type_of(filename: str, given: str = "") -> str:
    given = given.strip().lower()
    if given and len(given) <= MEDIA_TYPE_LIMIT and _MEDIA_TYPE.fullmatch(given):
        return given
    extension = "." + filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension in _KNOWN_TYPES:
        return _KNOWN_TYPES[extension]
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or FALLBACK_MEDIA_TYPE


def attachment_limit_mb(session: Session) -> int:
    setting = session.get(Setting, LIMIT_KEY)
    value = setting.value if setting is not None else None
    low, high = LIMIT_RANGE_MB
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return DEFAULT_LIMIT_MB


def attachment_limit_bytes(session: Session) -> int:
    """The largest file anyone may attach, as set for every workstation."""
    return attachment_limit_mb(session) * MEGABYTE


def set_attachment_limit(session: Session, actor: UserInfo, megabytes: int) -> None:
    """An administrator's setting: how large an attached file may be."""
    require(actor.role, Action.MANAGE_ORGANISATION)
    low, high = LIMIT_RANGE_MB
    if not low <= megabytes <= high:
        raise ValidationError(
            f"Choose a limit from {low} to {high} MB.", {"attachment_limit_mb": "out of range"}
        )
    setting = session.get(Setting, LIMIT_KEY)
    before = attachment_limit_mb(session)
    if setting is None:
        session.add(Setting(key=LIMIT_KEY, value=megabytes))
    else:
        setting.value = megabytes
    session.flush()
    audit.record(
        session, actor, "update", "setting", None, key=LIMIT_KEY, before=before, after=megabytes
    )


def check_sizes(files: Sequence[NewAttachment], limit_bytes: int) -> str | None:
    """The message for the first file over the limit, or None when all fit."""
    for file in files:
        if len(file.data) > limit_bytes:
            return too_large_message(clean_filename(file.filename), len(file.data), limit_bytes)
    return None


def store(
    session: Session,
    actor: UserInfo,
    case_id: int,
    entry_id: int | None,
    files: Sequence[NewAttachment],
) -> list[int]:
    """Keeps the files on the case (sizes already checked); returns the attachment ids."""
    rows = []
    for file in files:
        filename = clean_filename(file.filename)
        rows.append(
            Attachment(
                case_id=case_id,
                timeline_entry_id=entry_id,
                filename=filename,
                media_type=media_type_of(filename, file.media_type),
                sha256=store_blob(session, file.data),
                added_by_id=actor.id,
            )
        )
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def store_blob(session: Session, data: bytes) -> str:
    """Stores content once by its SHA-256 (attachments, the letterhead logo); returns the digest."""
    sha256 = hashlib.sha256(data).hexdigest()
    # Asking first spares sending a large file over the network when it is already kept.
    if session.scalar(select(Blob.sha256).where(Blob.sha256 == sha256)) is not None:
        return sha256
    # Two people attaching the same new file at once: the second insert waits for the
    # first and then does nothing, where a plain INSERT would fail on the primary key.
    # (The primary key is the only unique index. Naming it as the conflict target would
    # make PostgreSQL require the new row to be readable already, which a file kept
    # only for attachments not yet stored is not; see access_rules.BLOB_VISIBLE.)
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Blob)
    session.execute(
        insert.values(sha256=sha256, size=len(data), content=data).on_conflict_do_nothing()
    )
    return sha256


def attachment_content(session: Session, actor: UserInfo, attachment_id: int) -> AttachmentContent:
    """A kept file's bytes, to open or save; every opening is in the audit log."""
    require(actor.role, Action.VIEW_CASE)
    found = attachments_where(session, Attachment.id == attachment_id)
    if not found:
        raise NotFound("This attachment no longer exists.")
    info = found[0]
    if info.entry_id is not None and session.scalar(
        select(TimelineEntry.deleted_at).where(TimelineEntry.id == info.entry_id)
    ):
        raise NotFound(f"“{info.filename}” was deleted from the timeline, so it no longer opens.")
    data = session.scalar(select(Blob.content).where(Blob.sha256 == info.sha256))
    if data is None:
        raise NotFound(f"The content of “{info.filename}” is missing from the database.")
    audit.record(
        session,
        actor,
        "view",
        "attachment",
        info.id,
        case_id=info.case_id,
        filename=info.filename,
    )
    return AttachmentContent(info=info, data=bytes(data))
