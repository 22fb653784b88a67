"""The row above a report: its days, a quick range, and how to split its figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from prdesk.domain.reports.catalogue import ReportSpec
from prdesk.domain.reports.model import Dimension, Granularity, Grouping, ReportRequest
from prdesk.domain.reports.ranges import QUICK_RANGES, DateRange, quick_range, usual_range
from prdesk.ui.date_fields import DateField

E = TypeVar("E", bound=StrEnum)
_CUSTOM = "Custom"


class _Choice(QComboBox):
    """A combo over a report enum's members, by their labels."""

    def __init__(
        self,
        members: tuple[Granularity, ...] | tuple[Grouping, ...] | tuple[Dimension, ...],
        name: str,
    ) -> None:
        super().__init__()
        for member in members:
            self.addItem(member.label, member.value)
        self.setAccessibleName(name)

    def value(self, enum: type[E]) -> E:
        return enum(self.currentData())

    def set_value(self, member: StrEnum) -> None:
        index = self.findData(member.value)
        if index >= 0:
            self.setCurrentIndex(index)


class ReportOptions(QWidget):
    """From and To, quick ranges, and the choices the chosen report uses (the rest hidden).

    Signals:
        submitted: Enter was pressed in a date: the report is wanted now.
    """

    submitted = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._today = today
        self.from_field = DateField()
        self.from_field.setAccessibleName("First day")
        self.to_field = DateField()
        self.to_field.setAccessibleName("Last day")
        self.quick_range = QComboBox()
        self.quick_range.setAccessibleName("Quick range")
        self.quick_range.addItem(_CUSTOM, None)
        for label, _range in QUICK_RANGES:
            self.quick_range.addItem(label, label)
        self.granularity = _Choice(tuple(Granularity), "Split by")
        self.grouping = _Choice(tuple(Grouping), "Grouping")
        self.dimension = _Choice(tuple(Dimension), "Count cases by")
        self._labels: dict[str, QLabel] = {}
        self._choices: dict[str, QComboBox] = {
            "granularity": self.granularity,
            "grouping": self.grouping,
            "dimension": self.dimension,
        }

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._add(layout, "&From:", self.from_field)
        self._add(layout, "&To:", self.to_field)
        self._add(layout, "&Range:", self.quick_range)
        layout.addSpacing(12)
        for option, text in (
            ("granularity", "S&plit by:"),
            ("grouping", "&Grouping:"),
            ("dimension", "&Count by:"),
        ):
            self._labels[option] = self._add(layout, text, self._choices[option])
        layout.addStretch(1)
        self.from_field.setMaximumWidth(130)
        self.to_field.setMaximumWidth(130)

        self.quick_range.activated.connect(self._on_range_chosen)
        self.from_field.textEdited.connect(self._on_day_typed)
        self.to_field.textEdited.connect(self._on_day_typed)
        self.from_field.returnPressed.connect(self.submitted)
        self.to_field.returnPressed.connect(self.submitted)
        # Whether the days are still the ones suggested for the report, not the user's.
        self._suggested = True
        self._apply_range("Last 12 months")

    @staticmethod
    def _add(layout: QHBoxLayout, text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        layout.addWidget(label)
        layout.addWidget(field)
        return label

    def show_options_of(self, spec: ReportSpec) -> None:
        """Shows only the choices this report uses: the others would change nothing."""
        for option, combo in self._choices.items():
            wanted = option in spec.options
            combo.setVisible(wanted)
            self._labels[option].setVisible(wanted)
        if self._suggested:
            self._apply_range(usual_range(spec.name))

    def set_range(self, label: str) -> None:
        """Fills both days from a quick range ("Last quarter")."""
        self._suggested = False
        self._apply_range(label)

    def set_dates(self, start: date, end: date) -> None:
        self._suggested = False
        self._fill(start, end)
        self.quick_range.setCurrentIndex(0)

    def _apply_range(self, label: str) -> None:
        self._fill(*quick_range(label, self._today()))
        self.quick_range.setCurrentIndex(self.quick_range.findData(label))

    def _fill(self, start: date, end: date) -> None:
        self.from_field.set_date_value(start)
        self.to_field.set_date_value(end)

    def request(self) -> ReportRequest:
        """What was asked for; raises ValueError or ValidationError with a message to show."""
        start, end = self._dates()
        return ReportRequest(
            start=start,
            end=end,
            granularity=self.granularity.value(Granularity),
            grouping=self.grouping.value(Grouping),
            dimension=self.dimension.value(Dimension),
        )

    def _dates(self) -> DateRange:
        days: list[date] = []
        for field, which in ((self.from_field, "first"), (self.to_field, "last")):
            try:
                day = field.date_value()
            except ValueError as error:
                field.setFocus()
                raise ValueError(f"The {which} day is not a date. {error}") from None
            if day is None:
                field.setFocus()
                raise ValueError(f"Type the report's {which} day, or choose a range.")
            days.append(day)
        return days[0], days[1]

    def _on_range_chosen(self, index: int) -> None:
        label = self.quick_range.itemData(index)
        if isinstance(label, str):
            self.set_range(label)

    def _on_day_typed(self) -> None:
        self._suggested = False
        self.quick_range.setCurrentIndex(0)
