"""Date inputs made for typing: a date of birth that may stay empty, and "when" that defaults to now."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import QDateTimeEdit, QLineEdit, QWidget

from prdesk.ui.formatting import date_format, datetime_format, local_date, parse_date


class DateField(QLineEdit):
    """A plain line edit for a date that is often unknown on the phone.

    A spin-box date edit cannot be left empty and makes people step through
    sections; typing "3/4/1952" or "1952-03-04" is faster.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(f"{date_format().upper()} or YYYY-MM-DD")
        self.setClearButtonEnabled(True)

    def date_value(self) -> date | None:
        """The typed date; raises ValueError (with a message to show) when it is not one."""
        return parse_date(self.text())

    def set_date_value(self, value: date | None) -> None:
        self.setText(local_date(value))


class DateTimeField(QDateTimeEdit):
    """When something happened: shows the current time until the user changes it.

    While untouched, `value()` is None so the server stamps the real moment of
    saving; a form left open for an hour does not backdate the entry by an hour.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(datetime_format())
        self._touched = False
        self._ticking = False
        self.dateTimeChanged.connect(self._on_changed)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._follow_clock)
        self.reset_to_now()

    def value(self) -> datetime | None:
        """The chosen moment (aware, local zone), or None for "now"."""
        if not self._touched:
            return None
        naive = self.dateTime().toPython()
        assert isinstance(naive, datetime)
        return naive.replace(second=0, microsecond=0).astimezone()

    def set_value(self, value: datetime | None) -> None:
        if value is None:
            self.reset_to_now()
            return
        local = value.astimezone().replace(tzinfo=None)
        self.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        self._touched = True

    def reset_to_now(self) -> None:
        self._ticking = True
        self.setDateTime(QDateTime.currentDateTime())
        self._ticking = False
        self._touched = False
        self._clock.start()

    def _follow_clock(self) -> None:
        if not self._touched:
            self.reset_to_now()

    def _on_changed(self) -> None:
        if not self._ticking:
            self._touched = True
            self._clock.stop()
