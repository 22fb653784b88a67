"""Settings page "Case intake": the record number format and the largest attachment."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import intake_settings
from prdesk.domain.services.intake_settings import MRN_FORMAT_KEY, MrnFormat
from prdesk.ui.attachment_limit_dialog import AttachmentLimitSetting
from prdesk.ui.context import AppContext
from prdesk.ui.mrn_format_dialog import MrnFormatFields
from prdesk.ui.number_setting_dialog import NumberSettingField
from prdesk.ui.settings_pages.stored import StoredSettingsPage

_LIMIT_KEY = AttachmentLimitSetting.key


class IntakePage(StoredSettingsPage):
    """What intake accepts, for every workstation.

    Attributes:
        mrn: the record number pattern and example (shared with MrnFormatDialog).
        attachment_limit: the limit's spin box (shared with AttachmentLimitDialog).
    """

    title = "Case intake"
    summary = "What PR Desk accepts when a case is logged or a file is attached to it."
    keys = (MRN_FORMAT_KEY, _LIMIT_KEY)

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.mrn = MrnFormatFields(self.errors)
        mrn_box = QGroupBox("Medical record numbers")
        QVBoxLayout(mrn_box).addWidget(self.mrn)
        self.attachment_limit = NumberSettingField(AttachmentLimitSetting, self.errors)
        limit_box = QGroupBox("Attachments")
        QVBoxLayout(limit_box).addWidget(self.attachment_limit)
        self.column.addWidget(mrn_box)
        self.column.addWidget(limit_box)
        self.column.addStretch(1)
        self.mrn.edited.connect(self.edited)
        self.attachment_limit.edited.connect(self.edited)

    @staticmethod
    def read(session: Session) -> dict[str, object]:
        return {
            MRN_FORMAT_KEY: intake_settings.mrn_format(session),
            _LIMIT_KEY: AttachmentLimitSetting.read(session),
        }

    def show_values(self, values: Mapping[str, object]) -> None:
        mrn = values[MRN_FORMAT_KEY]
        limit = values[_LIMIT_KEY]
        assert isinstance(mrn, MrnFormat) and isinstance(limit, int)
        self.mrn.set_value(mrn)
        self.attachment_limit.set_value(limit)

    def values(self) -> dict[str, object]:
        return {MRN_FORMAT_KEY: self.mrn.value(), _LIMIT_KEY: self.attachment_limit.value()}

    def check(self, changed: Mapping[str, object]) -> None:
        mrn = changed.get(MRN_FORMAT_KEY)
        if isinstance(mrn, MrnFormat):
            intake_settings.check_mrn_format(mrn)

    @staticmethod
    def write(session: Session, actor: UserInfo, changed: Mapping[str, object]) -> None:
        mrn = changed.get(MRN_FORMAT_KEY)
        if isinstance(mrn, MrnFormat):
            intake_settings.set_mrn_format(session, actor, mrn)
        limit = changed.get(_LIMIT_KEY)
        if isinstance(limit, int):
            AttachmentLimitSetting.write(session, actor, limit)

    def _show_error(self, error: DomainError) -> None:
        super()._show_error(error)
        if isinstance(error, ValidationError) and {"pattern", "example"} & error.fields.keys():
            self.mrn.clear_verdict()  # the message under the field says it
