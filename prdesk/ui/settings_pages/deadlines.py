"""The deadline policy as a settings page: a preset, the region whose holidays count, and a way to the detail."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.deadline_policy import PRESETS, AppliesTo, DeadlinePolicy, Preset
from prdesk.domain.services import policy as policy_service
from prdesk.domain.services.policy import POLICY_KEY, StoredPolicy
from prdesk.ui.context import AppContext
from prdesk.ui.holiday_region import HolidayRegion
from prdesk.ui.policy_dialog import PolicyDialog
from prdesk.ui.settings_pages.administered import AdministeredPage

# Whom each preset is written for; the clocks themselves are described from the preset.
_WHO = {
    Preset.CMS: "US CMS, for hospitals in the United States (Medicare Conditions of Participation)",
    Preset.NHS: "UK NHS, for NHS organisations in England (the Complaints Regulations 2009)",
}
_CASES = {
    AppliesTo.GRIEVANCES: "each grievance",
    AppliesTo.COMPLAINTS: "each complaint",
    AppliesTo.ALL_CASES: "each case",
}


def describe(policy: DeadlinePolicy) -> str:
    """One sentence of what the policy's clocks mean for the department."""
    acknowledge, respond = policy.acknowledge, policy.respond
    stops = " (the clock stops while you wait on the patient)" if respond.pauses_for_patient else ""
    return (
        f"Acknowledge {_CASES[acknowledge.applies_to]} within {acknowledge.describe()}; "
        f"respond to every case within {respond.describe()}{stops}."
    )


class DeadlinePresetPage(AdministeredPage):
    """One choice per preset, with what it means; the clocks in detail are in PolicyDialog."""

    title: ClassVar[str] = "Deadlines"
    summary: ClassVar[str] = (
        "How long the department has to acknowledge and answer a case, and whose public "
        "holidays are not working days. Cases already open keep their deadlines."
    )
    keys: ClassVar[tuple[str, ...]] = (POLICY_KEY,)
    read_only_note: ClassVar[str] = "Only an administrator changes the deadlines."

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stored: StoredPolicy | None = None
        self.choices = QButtonGroup(self)
        self.presets: dict[Preset, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        for preset in (*PRESETS, Preset.CUSTOM):
            label = _WHO.get(preset, "Your own clocks, set under Clocks, working days and closures")
            button = QRadioButton(label)
            button.setAccessibleName(preset.label)
            self.choices.addButton(button)
            self.presets[preset] = button
            layout.addWidget(button)
            if preset in PRESETS:
                what = QLabel(describe(PRESETS[preset]))
                what.setWordWrap(True)
                what.setProperty("role", "hint")
                what.setContentsMargins(24, 0, 0, 6)
                layout.addWidget(what)
        self.holidays = HolidayRegion(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        heading = QLabel("Public holidays, which are not working days:")
        form.addRow(heading)
        self.holidays.add_to(form)
        layout.addLayout(form)
        self.detail = QPushButton("C&locks, working days and closures…")
        self.detail.setAutoDefault(False)
        layout.addWidget(self.detail, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.presets[Preset.CUSTOM].hide()
        for button in self.presets.values():
            button.setEnabled(self.allowed)
            button.toggled.connect(self._on_preset_toggled)
        for combo in (self.holidays.country, self.holidays.subdivision):
            combo.setEnabled(self.allowed)
        self.detail.setEnabled(self.allowed)
        self.holidays.changed.connect(self.edited)
        self.detail.clicked.connect(self.open_detail)

    def load(self) -> None:
        self.read_stored(policy_service.load_policy, self._show)

    def _show(self, stored: StoredPolicy) -> None:
        self._stored = stored
        preset = stored.policy.preset
        self.presets[Preset.CUSTOM].setVisible(preset is Preset.CUSTOM)
        self.presets[preset].setChecked(True)
        self.holidays.set_region(stored.policy.country, stored.policy.subdivision)

    def choose(self, preset: Preset) -> None:
        """Chooses a preset, as clicking it would (tests and the keyboard)."""
        self.presets[preset].setChecked(True)

    def chosen(self) -> Preset:
        for preset, button in self.presets.items():
            if button.isChecked():
                return preset
        return self._stored.policy.preset if self._stored else Preset.CUSTOM

    def _on_preset_toggled(self, checked: bool) -> None:
        if not checked or self._stored is None:
            return
        preset = self.chosen()
        if preset in PRESETS and preset is not self._stored.policy.preset:
            model = PRESETS[preset]
            self.holidays.set_region(model.country, model.subdivision)
        self.edited.emit()

    def policy(self) -> DeadlinePolicy:
        """The policy the page would save: the preset's clocks, on the region chosen."""
        stored = self._stored.policy if self._stored else PRESETS[Preset.CMS]
        preset = self.chosen()
        base = PRESETS.get(preset, stored)
        country, subdivision = self.holidays.region()
        # The hospital's own closure days are not part of a preset: they stay.
        return replace(
            base, country=country, subdivision=subdivision, closure_days=stored.closure_days
        )

    def is_modified(self) -> bool:
        return self._stored is not None and self.policy() != self._stored.policy

    def save(self) -> None:
        stored = self._stored
        if self.ctx is None or stored is None or not self.allowed or not self.is_modified():
            self.saved.emit()
            return
        actor, chosen, version = self.ctx.actor, self.policy(), stored.version
        self.store(
            lambda session: policy_service.save_policy(session, actor, chosen, version), self._show
        )

    def open_detail(self) -> PolicyDialog | None:
        """The detailed editor; what it saves shows here once it closes."""
        if self.ctx is None:
            return None
        dialog = PolicyDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._show)
        dialog.open()
        return dialog
