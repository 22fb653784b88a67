"""The deadline policy, edited by an administrator: preset, clocks, holiday calendar, closure days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.deadline_policy import (
    MAXIMUM_LENGTH,
    PRESETS,
    AppliesTo,
    Clock,
    DeadlinePolicy,
    Preset,
    Unit,
    matching_preset,
    subdivision_names,
    supported_countries,
)
from prdesk.domain.services import policy as policy_service
from prdesk.domain.services.policy import StoredPolicy
from prdesk.ui.context import AppContext
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.formatting import date_format, local_date

_UNIT_LABELS = {
    Unit.CALENDAR_DAYS: "Calendar days",
    Unit.WORKING_DAYS: "Working days",
    Unit.MONTHS: "Months",
}


class _ClockFields(QGroupBox):
    """Length, unit, which cases, and whether it stops while waiting on the patient."""

    def __init__(
        self, name: str, within: str, stops: str, *, fixed_scope: str | None = None
    ) -> None:
        super().__init__(name)
        self.length = QSpinBox()
        self.length.setRange(1, MAXIMUM_LENGTH[Unit.CALENDAR_DAYS])
        self.length.setAccessibleName(f"{name}: length")
        self.unit = QComboBox()
        for unit, label in _UNIT_LABELS.items():
            self.unit.addItem(label, unit.value)
        self.unit.setAccessibleName(f"{name}: unit")
        self.applies_to = EnumCombo(AppliesTo)
        self.applies_to.setAccessibleName(f"{name}: applies to")
        self.pauses = QCheckBox(stops)
        self.pauses.setAccessibleName(f"{name}: stops while waiting on the patient")
        grid = QGridLayout(self)
        within_label = QLabel(within)
        within_label.setBuddy(self.length)
        grid.addWidget(within_label, 0, 0)
        grid.addWidget(self.length, 0, 1)
        grid.addWidget(self.unit, 0, 2)
        grid.addWidget(QLabel("For:"), 1, 0)
        if fixed_scope is None:
            grid.addWidget(self.applies_to, 1, 1, 1, 2)
        else:
            # Every case is owed an answer: a deadline on each is what makes the
            # overdue and due-this-week lists complete.
            self.applies_to.set_value(AppliesTo.ALL_CASES)
            self.applies_to.hide()
            scope = QLabel(fixed_scope)
            scope.setWordWrap(True)
            grid.addWidget(scope, 1, 1, 1, 2)
        grid.addWidget(self.pauses, 2, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        self.unit.currentIndexChanged.connect(self._limit_length)

    def clock(self) -> Clock:
        applies = self.applies_to.value() or AppliesTo.ALL_CASES
        return Clock(self.length.value(), Unit(self.unit.currentData()), applies,
                     self.pauses.isChecked())  # fmt: skip

    def set_clock(self, clock: Clock) -> None:
        self.unit.setCurrentIndex(max(self.unit.findData(clock.unit.value), 0))
        self.length.setValue(clock.length)
        self.applies_to.set_value(clock.applies_to)
        self.pauses.setChecked(clock.pauses_for_patient)

    def _limit_length(self) -> None:
        self.length.setMaximum(MAXIMUM_LENGTH[Unit(self.unit.currentData())])


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
        self.acknowledge = _ClockFields(
            "Acknowledge", "&Within:", "&Stops while waiting on the patient"
        )
        self.respond = _ClockFields(
            "Respond",
            "With&in:",
            "Stops while &waiting on the patient",
            fixed_scope="All cases (every case needs a response date)",
        )
        self.country = QComboBox()
        self.country.setAccessibleName("Holidays of country")
        countries = supported_countries()
        for code in sorted(countries, key=_country_name):
            self.country.addItem(f"{_country_name(code)} ({code})", code)
        self.subdivision = QComboBox()
        self.subdivision.setAccessibleName("Holidays of region")
        holidays_box = QGroupBox("Holidays (not working days)")
        holidays_form = QFormLayout(holidays_box)
        holidays_form.addRow("&Country:", self.country)
        holidays_form.addRow("&Region:", self.subdivision)
        self.closure_date = QDateEdit(QDate.currentDate())
        self.closure_date.setCalendarPopup(True)
        self.closure_date.setDisplayFormat(date_format())
        self.closure_date.setAccessibleName("Closure day to add")
        self.add_closure = QPushButton("&Add closure day")
        self.add_closure.setAutoDefault(False)
        self.remove_closure = QPushButton("Re&move")
        self.remove_closure.setAutoDefault(False)
        self.closures = QListWidget()
        self.closures.setAccessibleName("The hospital's closure days")
        self.closures.setMaximumHeight(110)
        closure_row = QHBoxLayout()
        closure_row.addWidget(self.closure_date)
        closure_row.addWidget(self.add_closure)
        closure_row.addWidget(self.remove_closure)
        closure_row.addStretch(1)
        holidays_form.addRow("Hospital closed on:", closure_row)
        holidays_form.addRow("", self.closures)
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
        self.country.currentIndexChanged.connect(self._fill_subdivisions)
        self.add_closure.clicked.connect(self._add_closure_day)
        self.remove_closure.clicked.connect(self._remove_closure_day)
        for fields in (self.acknowledge, self.respond):
            fields.length.valueChanged.connect(self._on_edited)
            fields.unit.currentIndexChanged.connect(self._on_edited)
            fields.applies_to.currentIndexChanged.connect(self._on_edited)
            fields.pauses.toggled.connect(self._on_edited)
        self.country.currentIndexChanged.connect(self._on_edited)
        self.subdivision.currentIndexChanged.connect(self._on_edited)

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
        closure_days = tuple(
            date.fromisoformat(str(self.closures.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.closures.count())
        )
        return DeadlinePolicy(
            preset=Preset(self.preset.currentData()),
            acknowledge=self.acknowledge.clock(),
            respond=self.respond.clock(),
            country=str(self.country.currentData() or ""),
            subdivision=str(self.subdivision.currentData() or ""),
            closure_days=tuple(sorted(closure_days)),
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
            self.closures.clear()
            for day in policy.closure_days:
                self._add_closure_item(day)
        finally:
            self._filling = False

    def _fill_clocks_and_calendar(self, policy: DeadlinePolicy) -> None:
        self.acknowledge.set_clock(policy.acknowledge)
        self.respond.set_clock(policy.respond)
        self.country.setCurrentIndex(max(self.country.findData(policy.country), 0))
        self._fill_subdivisions()
        self.subdivision.setCurrentIndex(max(self.subdivision.findData(policy.subdivision), 0))

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

    def _fill_subdivisions(self) -> None:
        was_filling, self._filling = self._filling, True
        try:
            self.subdivision.clear()
            self.subdivision.addItem("Whole country", "")
            for code, name in subdivision_names(str(self.country.currentData() or "")).items():
                self.subdivision.addItem(f"{name} ({code})" if name != code else code, code)
        finally:
            self._filling = was_filling

    def _add_closure_day(self) -> None:
        chosen = self.closure_date.date().toPython()
        assert isinstance(chosen, date)
        existing = {
            self.closures.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.closures.count())
        }
        if chosen.isoformat() not in existing:
            self._add_closure_item(chosen)
            self.closures.sortItems()

    def _add_closure_item(self, day: date) -> None:
        item = _DateItem(f"{local_date(day)} ({day:%A})")
        item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
        self.closures.addItem(item)

    def _remove_closure_day(self) -> None:
        for item in self.closures.selectedItems():
            self.closures.takeItem(self.closures.row(item))


class _DateItem(QListWidgetItem):
    """Sorts by the date itself, not by its text (12/1 would come before 2/3)."""

    def __lt__(self, other: QListWidgetItem) -> bool:
        return str(self.data(Qt.ItemDataRole.UserRole)) < str(other.data(Qt.ItemDataRole.UserRole))


def _country_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyCountry:
        return code
    return QLocale.territoryToString(territory)
