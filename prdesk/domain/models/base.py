"""Declarative base, naming convention and column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic's batch mode rebuild SQLite tables reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored as UTC.

    SQLite has no time zones and hands back naive values; this type refuses naive
    input and always returns aware UTC datetimes, so both backends behave alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is stored; attach a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumText(TypeDecorator[Enum]):
    """An enum stored as its value string in a VARCHAR(32), not a native database enum.

    Native PostgreSQL enums need a migration for every new member; a VARCHAR does not.
    Reading is a dictionary lookup, since the case list converts four of these per row
    on every scroll.
    """

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__()
        self.enum = enum
        self._members: dict[str, Enum] = {member.value: member for member in enum}

    def process_bind_param(self, value: Enum | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, self.enum):
            return str(value.value)
        if isinstance(value, str) and value in self._members:
            return value
        raise ValueError(f"{value!r} is not a {self.enum.__name__}")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Enum | None:
        return None if value is None else self._members[value]

    def copy(self, **kw: Any) -> EnumText:
        return EnumText(self.enum)


def enum_column(enum: type[Enum]) -> EnumText:
    return EnumText(enum)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {
        datetime: UtcDateTime(),
        str: String(),
    }


def utcnow() -> datetime:
    return datetime.now(UTC)
