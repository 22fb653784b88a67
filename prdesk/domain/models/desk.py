"""What the coordinator's desk keeps per person: saved list views and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from prdesk.domain.models.base import Base, utcnow


class SavedView(Base):
    """A case-list filter someone named and kept ("My grievances in Cardiology")."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # The filter as plain JSON (queries.CaseFilter.to_json), so old views survive new fields.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Notification(Base):
    """Something a person must see now, such as a new safety concern, until they mark it read."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_unread", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()


class CasePresence(Base):
    """Someone who has a case open right now, and what they are doing in it.

    One row per running PR Desk (`client`) and case, refreshed while the case stays
    open and removed when it closes; a row not seen for a while is someone whose
    workstation went away. Not case data, so not in the audit log.
    """

    __tablename__ = "case_presence"
    __table_args__ = (UniqueConstraint("case_id", "client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client: Mapped[str] = mapped_column(String(100))
    # What they are doing: "viewing", or what they are editing ("the case details",
    # "a letter"), shown to the others as "Ana López is editing a letter".
    activity: Mapped[str] = mapped_column(String(100), default="viewing")
    since: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
