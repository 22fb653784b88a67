"""Errors a person can act on, each with a message fit to show them.

Anything that is not one of these is a bug and is reported as one.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of all errors whose message may be shown to the user as it is."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(DomainError):
    """Input that cannot be accepted.

    Attributes:
        fields: message per input field, so a form can mark each field.
    """

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields: dict[str, str] = dict(fields or {})

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> ValidationError:
        if len(fields) == 1:
            return cls(next(iter(fields.values())), fields)
        return cls(f"{len(fields)} fields need attention.", fields)


class ConflictError(DomainError):
    """Someone else saved a newer version of what this person was editing."""


class PermissionDenied(DomainError):
    """The person's role does not allow this."""


class NotFound(DomainError):
    """What was asked for does not exist (or is not visible to this person)."""


class DatabaseUnavailable(DomainError):
    """The database cannot be reached or opened; the message says why."""


class LoginRequired(DatabaseUnavailable):
    """The shared database wants a password, or refused the one given: ask for it."""


class SchemaMismatch(DomainError):
    """The database schema is older or newer than this version of PR Desk knows.

    Attributes:
        needs_upgrade: True when `prdesk db upgrade` would fix it.
    """

    def __init__(self, message: str, needs_upgrade: bool) -> None:
        super().__init__(message)
        self.needs_upgrade = needs_upgrade
