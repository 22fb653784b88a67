"""One deadline clock as a group of fields: length, unit, which cases, and whether it stops."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QSpinBox

from prdesk.domain.deadline_policy import MAXIMUM_LENGTH, AppliesTo, Clock, Unit
from prdesk.ui.enum_combo import EnumCombo

_UNIT_LABELS = {
    Unit.CALENDAR_DAYS: "Calendar days",
    Unit.WORKING_DAYS: "Working days",
    Unit.MONTHS: "Months",
}


class ClockFields(QGroupBox):
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
