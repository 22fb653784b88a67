"""What accumulates on a case: timeline entries, letters, attachments, and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prdesk.domain.enums import LetterStatus, TimelineKind
from prdesk.domain.models.base import Base, enum_column, utcnow
from prdesk.domain.models.organisation import Department
from prdesk.domain.models.people import User

timeline_entry_departments = Table(
    "timeline_entry_departments",
    Base.metadata,
    Column("entry_id", ForeignKey("timeline_entries.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class TimelineEntry(Base):
    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TimelineKind] = mapped_column(enum_column(TimelineKind))
    # When it happened (may be backdated) and when it was written down.
    occurred_at: Mapped[datetime] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(String(300))
    # Markdown (bold, italic, lists, headings), as the editor writes it.
    body: Mapped[str] = mapped_column(Text, default="")
    # Offered as a "step taken" when a response letter is composed.
    patient_facing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Never offered to any letter.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    # Names of the people involved (staff interviewed, family met), as typed.
    people: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For emails: who wrote it and to whom, as the message's headers say.
    sender: Mapped[str] = mapped_column(String(320), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    edited_at: Mapped[datetime | None] = mapped_column()
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Deleting hides an entry (and can be undone); its text stays in the audit log.
    deleted_at: Mapped[datetime | None] = mapped_column()
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    departments: Mapped[list[Department]] = relationship(
        secondary=timeline_entry_departments, order_by=Department.name
    )
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", back_populates="entry"
    )

    __mapper_args__ = {"version_id_col": version}


class Blob(Base):
    """File content addressed by its SHA-256, so the same file is stored once."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    timeline_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entries.id"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    # Indexed: a representative may read a file only through an attachment of a case
    # they see, which row security looks up by the file's hash.
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[TimelineEntry | None] = relationship(back_populates="attachments")
    blob: Mapped[Blob] = relationship(lazy="raise")


class DepartmentRequest(Base):
    """A request to a department for a statement or review, with its due date.

    The request, the department's response and any escalation are each a timeline
    entry; this row ties them together and says what is still outstanding.
    """

    __tablename__ = "department_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    # Indexed: an entry is linked to its request by any of these three.
    request_entry_id: Mapped[int] = mapped_column(ForeignKey("timeline_entries.id"), index=True)
    addressed_to: Mapped[str] = mapped_column(String(200))
    addressed_email: Mapped[str] = mapped_column(String(320), default="")
    backup_reviewer: Mapped[str] = mapped_column(String(200), default="")
    backup_email: Mapped[str] = mapped_column(String(320), default="")
    due_on: Mapped[date] = mapped_column(index=True)
    response_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entries.id"), index=True
    )
    answered_at: Mapped[datetime | None] = mapped_column()
    escalation_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entries.id"), index=True
    )
    escalated_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    department: Mapped[Department] = relationship()
    request_entry: Mapped[TimelineEntry] = relationship(foreign_keys=[request_entry_id])

    __mapper_args__ = {"version_id_col": version}


class Letter(Base):
    """A letter to the complainant: a Markdown draft until finalised, then exact PDF bytes."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    template_key: Mapped[str] = mapped_column(String(60))
    # 0 is the template as shipped; an administrator's edits are versions 1, 2, ...
    template_version: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(20))
    # Indexed: the print queue and batch printing look letters up by status.
    status: Mapped[LetterStatus] = mapped_column(enum_column(LetterStatus), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    # The recipient as addressed when drafted: later changes to the person's record
    # do not silently change a letter already written.
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_address: Mapped[str] = mapped_column(Text, default="")
    salutation: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # One name per line.
    copies_to: Mapped[str] = mapped_column(Text, default="")
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column()
    submitted_at: Mapped[datetime | None] = mapped_column()
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Why a coordinator let it go without every element the deadline policy requires.
    compliance_override: Mapped[str] = mapped_column(Text, default="")
    finalised_at: Mapped[datetime | None] = mapped_column()
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When it went, how and by whom (as the sender says), and who recorded it, when.
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_via: Mapped[str] = mapped_column(String(40), default="")
    sent_by_name: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column()
    sent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The last time it went to a printer, so a second clerk sees it was printed already.
    printed_at: Mapped[datetime | None] = mapped_column()
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    corrects_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": version}


class LetterTemplateVersion(Base):
    """One saved version of a letter template, as an administrator wrote it.

    Versions are only ever added: a letter records the version it was drafted from,
    and an older version can be read back and restored as a new one.
    """

    __tablename__ = "letter_template_versions"
    __table_args__ = (UniqueConstraint("key", "language", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship()


class Signature(Base):
    """A signatory's handwritten signature, scanned, printed above their name."""

    __tablename__ = "signatures"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One entry of the append-only audit log (HIPAA 45 CFR 164.312(b)).

    Two sources write it. Database triggers record every insert, update and delete
    of case data: `action` is "insert", "update" or "delete", `entity` the table,
    `entity_id` the row, and `details` {"old": {...}, "new": {...}} (for an update,
    only the columns that changed). PR Desk itself records what no row change
    shows: opening a case, printing or exporting a letter, approving with an
    override. No application role may change or delete a row once written.
    """

    __tablename__ = "audit_log"
    # An auditor's "everything this person did", newest first, without reading the whole log.
    __table_args__ = (Index("ix_audit_log_username_id", "username", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(63))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Which running PR Desk did it ("PR Desk WS-0412 5120"): PostgreSQL's
    # application_name, so two workstations of one person are told apart, and a
    # workstation can ignore the change notices of its own writes.
    client: Mapped[str] = mapped_column(String(100), default="")
