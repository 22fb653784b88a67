"""The department's own structure: departments, categories and settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prdesk.domain.models.base import Base


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whom requests for statements go to, and whom to escalate to when they go unanswered.
    manager_name: Mapped[str] = mapped_column(String(200), default="")
    manager_email: Mapped[str] = mapped_column(String(320), default="")
    backup_name: Mapped[str] = mapped_column(String(200), default="")
    backup_email: Mapped[str] = mapped_column(String(320), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


# The departments a representative works for. Where the administrator has chosen
# that representatives see their departments' cases, these rows decide which.
user_departments = Table(
    "user_departments",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class Category(Base):
    """One node of the two-level category tree (Communication > Rudeness).

    A top-level category has no parent; a subcategory's parent is top-level.
    """

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    parent: Mapped[Category | None] = relationship(remote_side=[id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def path(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent else self.name


class Setting(Base):
    """Organisation-wide settings every workstation shares (letterhead, policy)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
