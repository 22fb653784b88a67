"""The days the hospital is closed, which are not working days: a date to add, and the list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.ui.formatting import date_format, local_date


class ClosureDays(QWidget):
    """A date field with Add and Remove above the list of closure days, in date order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        row = QHBoxLayout()
        row.addWidget(self.closure_date)
        row.addWidget(self.add_closure)
        row.addWidget(self.remove_closure)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.closures)
        self.add_closure.clicked.connect(self._add_chosen)
        self.remove_closure.clicked.connect(self._remove_selected)

    def days(self) -> tuple[date, ...]:
        """The closure days, earliest first."""
        return tuple(
            sorted(
                date.fromisoformat(str(self.closures.item(row).data(Qt.ItemDataRole.UserRole)))
                for row in range(self.closures.count())
            )
        )

    def set_days(self, days: tuple[date, ...]) -> None:
        self.closures.clear()
        for day in days:
            self._add_item(day)

    def _add_chosen(self) -> None:
        chosen = self.closure_date.date().toPython()
        assert isinstance(chosen, date)
        if chosen not in self.days():
            self._add_item(chosen)
            self.closures.sortItems()

    def _add_item(self, day: date) -> None:
        item = _DateItem(f"{local_date(day)} ({day:%A})")
        item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
        self.closures.addItem(item)

    def _remove_selected(self) -> None:
        for item in self.closures.selectedItems():
            self.closures.takeItem(self.closures.row(item))


class _DateItem(QListWidgetItem):
    """Sorts by the date itself, not by its text (12/1 would come before 2/3)."""

    def __lt__(self, other: QListWidgetItem) -> bool:
        return str(self.data(Qt.ItemDataRole.UserRole)) < str(other.data(Qt.ItemDataRole.UserRole))
