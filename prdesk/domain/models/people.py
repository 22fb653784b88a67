"""People the department deals with (patients, complainants) and its own users."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from prdesk.domain.enums import ContactPreference, Role
from prdesk.domain.models.base import Base, enum_column, utcnow


class Person(Base):
    """A patient or someone raising a case on a patient's behalf.

    The same row may be the patient of one case and the complainant of another.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # How a letter greets them ("Mr Nguyễn"); the full name when empty.
    salutation_name: Mapped[str] = mapped_column(String(200), default="")
    # Indexed: intake looks for the same patient by name and date of birth.
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    medical_record_number: Mapped[str | None] = mapped_column(String(40), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address_line1: Mapped[str] = mapped_column(String(200), default="")
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    # BCP 47 language tag ("en", "es", "vi", "zh-Hant").
    preferred_language: Mapped[str] = mapped_column(String(20), default="en")
    contact_preference: Mapped[ContactPreference] = mapped_column(
        enum_column(ContactPreference), default=ContactPreference.LETTER
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class User(Base):
    """Someone who works in PR Desk. On PostgreSQL, `username` is their login role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # Printed under the signature of letters ("Patient Relations Coordinator").
    job_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
