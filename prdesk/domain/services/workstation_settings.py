"""How workstations protect what they show: minutes of no input before PR Desk locks itself."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Setting
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo

IDLE_LOCK_KEY = "workstation.idle_lock_minutes"
# HIPAA asks for automatic logoff (45 CFR 164.312(a)(2)(iii)) without naming a time;
# 15 minutes is the usual hospital policy. Four hours is the longest that still locks
# a workstation left on overnight well before the next shift.
DEFAULT_IDLE_LOCK_MINUTES = 15
IDLE_LOCK_RANGE = (1, 240)


def idle_lock_minutes(session: Session) -> int:
    """The organisation's idle time before a workstation locks, in minutes."""
    setting = session.get(Setting, IDLE_LOCK_KEY)
    low, high = IDLE_LOCK_RANGE
    value = setting.value if setting is not None else None
    # A value stored by hand outside the range must still lock, within the range.
    if isinstance(value, int) and not isinstance(value, bool):
        return min(max(value, low), high)
    return DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(session: Session, actor: UserInfo, minutes: int) -> int:
    """An administrator's setting, for every workstation from its next check."""
    require(actor.role, Action.MANAGE_ORGANISATION)
    low, high = IDLE_LOCK_RANGE
    if not low <= minutes <= high:
        raise ValidationError(
            f"Choose from {low} to {high} minutes.", {"minutes": f"From {low} to {high} minutes."}
        )
    before = idle_lock_minutes(session)
    setting = session.get(Setting, IDLE_LOCK_KEY)
    if setting is None:
        session.add(Setting(key=IDLE_LOCK_KEY, value=minutes))
    else:
        setting.value = minutes
    session.flush()
    audit.record(
        session, actor, "update", "setting", None, key=IDLE_LOCK_KEY, before=before, after=minutes
    )
    return minutes
