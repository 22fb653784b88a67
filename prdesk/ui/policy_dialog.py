"""The deadline policy, edited by an administrator: preset, clocks, holiday calendar, closure days."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.deadline_policy import PRESETS, DeadlinePolicy, Preset, matching_preset
from prdesk.domain.services import policy as policy_service
from prdesk.domain.services.policy import StoredPolicy
from prdesk.ui.clock_fields import ClockFields
from prdesk.ui.closure_days import ClosureDays
from prdesk.ui.context import AppContext
from prdesk.ui.holiday_region import HolidayRegion


class PolicyDialog(QDialog):
    """Loads the stored policy in the background, and saves it through an operation.

    Signals:
        saved: the StoredPolicy, once written.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._version: int | None = None
        self._filling = False
        self.setWindowTitle("Deadline policy")
        note = QLabel(
            "Changes apply to cases opened after you save. Cases already open keep the "
            "deadlines they were given."
        )
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.preset = QComboBox()
        for preset in Preset:
            self.preset.addItem(preset.label, preset.value)
        self.preset.setAccessibleName("Preset")
        preset_row = QFormLayout()
        preset_row.addRow("&Preset:", self.preset)
        self.acknowledge = ClockFields(
            "Acknowledge", "&Within:", "&Stops while waiting on the patient"
        )
        self.respond = ClockFields(
            "Respond",
            "With&in:",
            "Stops while waiting &on the patient",
            fixed_scope="All cases (every case needs a response date)",
        )
        self.holidays = HolidayRegion(self)
        self.country, self.subdivision = self.holidays.country, self.holidays.subdivision
        holidays_box = QGroupBox("Holidays (not working days)")
        holidays_form = QFormLayout(holidays_box)
        self.holidays.add_to(holidays_form)
        self.closure_days = ClosureDays()
        # Its parts by name, as the dialog has always offered them.
        self.closure_date = self.closure_days.closure_date
        self.add_closure, self.remove_closure = (
            self.closure_days.add_closure,
            self.closure_days.remove_closure,
        )
        self.closures = self.closure_days.closures
        holidays_form.addRow("Hospital closed on:", self.closure_days)
        self.error = QLabel()
        self.error.setProperty("role", "field-error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)

        clocks = QHBoxLayout()
        clocks.addWidget(self.acknowledge)
        clocks.addWidget(self.respond)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(preset_row)
        layout.addLayout(clocks)
        layout.addWidget(holidays_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._load_stored()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.preset.currentIndexChanged.connect(self._on_preset_chosen)
        for fields in (self.acknowledge, self.respond):
            fields.length.valueChanged.connect(self._on_edited)
            fields.unit.currentIndexChanged.connect(self._on_edited)
            fields.applies_to.currentIndexChanged.connect(self._on_edited)
            fields.pauses.toggled.connect(self._on_edited)
        self.holidays.changed.connect(self._on_edited)

    def _load_stored(self) -> None:
        (
            self._ctx.operation(self, policy_service.load_policy, read_only=True)
            .success(self.load)
            .failure(lambda error: self._show_error(error.message))
            .run()
        )

    def load(self, stored: StoredPolicy) -> None:
        """Shows the stored policy; saving later writes over exactly this version."""
        self._version = stored.version
        self._fill(stored.policy)
        self.save_button.setEnabled(True)

    def policy(self) -> DeadlinePolicy:
        return DeadlinePolicy(
            preset=Preset(self.preset.currentData()),
            acknowledge=self.acknowledge.clock(),
            respond=self.respond.clock(),
            country=self.holidays.region()[0],
            subdivision=self.holidays.region()[1],
            closure_days=self.closure_days.days(),
        )

    def save(self) -> None:
        if self._version is None or not self.save_button.isEnabled():
            return
        chosen, version, actor = self.policy(), self._version, self._ctx.actor
        self.save_button.setEnabled(False)
        self.error.hide()
        (
            self._ctx.operation(
                self,
                lambda session: policy_service.save_policy(session, actor, chosen, version),
            )
            .success(self._on_saved)
            .failure(lambda error: self._show_error(error.message))
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, stored: StoredPolicy) -> None:
        self._version = stored.version
        self.saved.emit(stored)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _fill(self, policy: DeadlinePolicy) -> None:
        self._filling = True
        try:
            self.preset.setCurrentIndex(max(self.preset.findData(policy.preset.value), 0))
            self._fill_clocks_and_calendar(policy)
            self.closure_days.set_days(policy.closure_days)
        finally:
            self._filling = False

    def _fill_clocks_and_calendar(self, policy: DeadlinePolicy) -> None:
        self.acknowledge.set_clock(policy.acknowledge)
        self.respond.set_clock(policy.respond)
        self.holidays.set_region(policy.country, policy.subdivision)

    def _on_preset_chosen(self) -> None:
        if self._filling:
            return
        preset = Preset(self.preset.currentData())
        if preset in PRESETS:
            self._filling = True
            try:
                # The hospital's own closure days are not part of a preset: they stay.
                self._fill_clocks_and_calendar(replace(PRESETS[preset], closure_days=()))
            finally:
                self._filling = False

    def _on_edited(self) -> None:
        """An edit that no longer matches a preset makes the policy a custom one."""
        if self._filling:
            return
        self._filling = True
        try:
            matched = matching_preset(replace(self.policy(), preset=Preset.CUSTOM))
            self.preset.setCurrentIndex(self.preset.findData(matched.value))
        finally:
            self._filling = False
