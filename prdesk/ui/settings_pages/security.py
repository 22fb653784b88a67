"""Settings page "Security": when workstations lock themselves, and which cases representatives see."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.readmodels import UserInfo
from prdesk.domain.security.roles import REPRESENTATIVE_SCOPE_KEY, RepresentativeScope
from prdesk.domain.services import user_admin
from prdesk.ui.context import AppContext
from prdesk.ui.idle_lock_dialog import IdleLockSetting
from prdesk.ui.number_setting_dialog import NumberSettingField
from prdesk.ui.settings_pages.stored import StoredSettingsPage

_IDLE_KEY = IdleLockSetting.key
# In the order the Users dialog lists them, with mnemonics free on this page.
_SCOPES = (
    (RepresentativeScope.ASSIGNED_AND_UNASSIGNED, "&nobody"),
    (RepresentativeScope.DEPARTMENTS, "d&epartments"),
)


class SecurityPage(StoredSettingsPage):
    """The automatic lock and the representatives' view of cases, for every workstation.

    Attributes:
        idle_lock: the minutes before locking (shared with IdleLockDialog).
        scope_radios: one radio button per RepresentativeScope.
    """

    title = "Security"
    summary = "When an unattended workstation locks itself, and which cases representatives see."
    keys = (_IDLE_KEY, REPRESENTATIVE_SCOPE_KEY)

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.idle_lock = NumberSettingField(IdleLockSetting, self.errors)
        lock_box = QGroupBox("Automatic lock")
        QVBoxLayout(lock_box).addWidget(self.idle_lock)
        scope_box = QGroupBox("Representatives see")
        scope_layout = QVBoxLayout(scope_box)
        explain = QLabel(
            "Representatives always see the cases assigned to them. The database enforces "
            "this choice on every workstation."
        )
        explain.setWordWrap(True)
        scope_layout.addWidget(explain)
        self._scope_group = QButtonGroup(self)
        self.scope_radios: dict[RepresentativeScope, QRadioButton] = {}
        for scope, mnemonic in _SCOPES:
            radio = QRadioButton(_with_mnemonic(scope.label, mnemonic))
            radio.setAccessibleName(f"Representatives see: {scope.label}")
            radio.setEnabled(False)  # until the stored choice has arrived
            self._scope_group.addButton(radio)
            self.scope_radios[scope] = radio
            scope_layout.addWidget(radio)
            radio.clicked.connect(self.edited)
        self.column.addWidget(lock_box)
        self.column.addWidget(scope_box)
        self.column.addStretch(1)
        self.idle_lock.edited.connect(self.edited)

    @staticmethod
    def read(session: Session) -> dict[str, object]:
        return {
            _IDLE_KEY: IdleLockSetting.read(session),
            REPRESENTATIVE_SCOPE_KEY: user_admin.representative_scope(session),
        }

    def show_values(self, values: Mapping[str, object]) -> None:
        minutes = values[_IDLE_KEY]
        scope = values[REPRESENTATIVE_SCOPE_KEY]
        assert isinstance(minutes, int) and isinstance(scope, RepresentativeScope)
        self.idle_lock.set_value(minutes)
        self.scope_radios[scope].setChecked(True)
        for radio in self.scope_radios.values():
            radio.setEnabled(True)

    def values(self) -> dict[str, object]:
        chosen = [scope for scope, radio in self.scope_radios.items() if radio.isChecked()]
        values: dict[str, object] = {_IDLE_KEY: self.idle_lock.value()}
        if chosen:
            values[REPRESENTATIVE_SCOPE_KEY] = chosen[0]
        return values

    @staticmethod
    def write(session: Session, actor: UserInfo, changed: Mapping[str, object]) -> None:
        minutes = changed.get(_IDLE_KEY)
        if isinstance(minutes, int):
            IdleLockSetting.write(session, actor, minutes)
        scope = changed.get(REPRESENTATIVE_SCOPE_KEY)
        if isinstance(scope, RepresentativeScope):
            user_admin.set_representative_scope(session, actor, scope)


def _with_mnemonic(label: str, fragment: str) -> str:
    """The label with & before the letter marked in `fragment` ("&nobody": its n)."""
    plain = fragment.replace("&", "")
    at = label.find(plain)
    if at < 0:
        return label
    return label[:at] + fragment + label[at + len(plain) :]
