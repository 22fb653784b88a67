"""The largest file that may be attached to a case, set by an administrator in megabytes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import attachments
from prdesk.domain.services.attachments import LIMIT_KEY, LIMIT_RANGE_MB
from prdesk.ui.number_setting_dialog import NumberSetting, NumberSettingDialog


class AttachmentLimitSetting(NumberSetting):
    """The attachment size limit, shared by the Case intake settings page and its dialog."""

    key = LIMIT_KEY
    title = "Attachment size limit"
    explanation = (
        "Files larger than this are refused when they are attached or dropped on a "
        "timeline. Attachments are kept in the database, so a high limit makes it, "
        "and its backups, grow quickly."
    )
    label = "&Largest attachment"
    accessible_name = "Largest attachment, in megabytes"
    suffix = " MB"
    field = "attachment_limit_mb"
    value_range = LIMIT_RANGE_MB

    @staticmethod
    def read(session: Session) -> int:
        return attachments.attachment_limit_mb(session)

    @staticmethod
    def write(session: Session, actor: UserInfo, value: int) -> None:
        attachments.set_attachment_limit(session, actor, value)


class AttachmentLimitDialog(NumberSettingDialog):
    """The attachment size limit on its own, outside Settings."""

    setting = AttachmentLimitSetting
