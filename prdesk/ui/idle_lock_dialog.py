"""Minutes without input before every workstation locks, set by an administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import workstation_settings
from prdesk.domain.services.workstation_settings import IDLE_LOCK_KEY, IDLE_LOCK_RANGE
from prdesk.ui.number_setting_dialog import NumberSetting, NumberSettingDialog


class IdleLockSetting(NumberSetting):
    """The organisation's idle time, shared by the Security settings page and its dialog."""

    key = IDLE_LOCK_KEY
    title = "Automatic lock"
    explanation = (
        "After this many minutes without a key pressed or the mouse moved, every PR Desk "
        "window is covered until its user types their password again. Nothing being "
        "written is lost. Every workstation uses it from then on."
    )
    label = "&Lock after"
    accessible_name = "Minutes without input before locking"
    suffix = " minutes"
    field = "minutes"
    value_range = IDLE_LOCK_RANGE

    @staticmethod
    def read(session: Session) -> int:
        return workstation_settings.idle_lock_minutes(session)

    @staticmethod
    def write(session: Session, actor: UserInfo, value: int) -> None:
        workstation_settings.set_idle_lock_minutes(session, actor, value)


class IdleLockDialog(NumberSettingDialog):
    """The automatic lock on its own, outside Settings."""

    setting = IdleLockSetting
