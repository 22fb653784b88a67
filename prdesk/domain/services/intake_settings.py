"""How intake checks what is typed: the hospital's medical record number format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Setting
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo

MRN_FORMAT_KEY = "intake.mrn_format"
# Long enough for any real record number format, short enough to read on one line.
PATTERN_LIMIT = 200


@dataclass(frozen=True)
class MrnFormat:
    """A regular expression every medical record number must match whole, with an example.

    An empty pattern accepts any record number.
    """

    pattern: str = ""
    example: str = ""

    def accepts(self, mrn: str) -> bool:
        if not self.pattern or not mrn.strip():
            return True
        try:
            return re.fullmatch(self.pattern, mrn.strip()) is not None
        except re.error:
            # A pattern stored before it was checked must not stop intake altogether.
            return True

    def message(self, mrn: str) -> str:
        if self.example:
            return f"'{mrn.strip()}' is not a medical record number here: they look like {self.example}."
        return f"'{mrn.strip()}' does not have the hospital's medical record number format."


ANY_MRN = MrnFormat()


def mrn_format(session: Session) -> MrnFormat:
    setting = session.get(Setting, MRN_FORMAT_KEY)
    if setting is None or not isinstance(setting.value, dict):
        return ANY_MRN
    return MrnFormat(
        pattern=str(setting.value.get("pattern", "")), example=str(setting.value.get("example", ""))
    )


def set_mrn_format(session: Session, actor: UserInfo, value: MrnFormat) -> MrnFormat:
    """Stores the format for every workstation; an administrator's setting."""
    require(actor.role, Action.MANAGE_ORGANISATION)
    value = MrnFormat(value.pattern.strip(), value.example.strip())
    check_mrn_format(value)
    data = {"pattern": value.pattern, "example": value.example}
    setting = session.get(Setting, MRN_FORMAT_KEY)
    if setting is None:
        session.add(Setting(key=MRN_FORMAT_KEY, value=data))
    else:
        setting.value = data
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "setting",
        None,
        key=MRN_FORMAT_KEY,
        pattern=value.pattern,
        example=value.example,
    )
    return value


def check_mrn_format(value: MrnFormat) -> None:
    """Raises ValidationError unless the pattern compiles and the example fits it."""
    errors: dict[str, str] = {}
    if len(value.pattern) > PATTERN_LIMIT:
        errors["pattern"] = f"Keep the pattern to {PATTERN_LIMIT} characters."
    elif value.pattern:
        try:
            re.compile(value.pattern)
        except re.error as error:
            errors["pattern"] = f"This is not a regular expression: {error}."
        else:
            if not value.example:
                errors["example"] = "Give an example of a record number that fits the pattern."
            elif re.fullmatch(value.pattern, value.example) is None:
                errors["example"] = "The example does not fit the pattern."
    if errors:
        raise ValidationError.from_fields(errors)
