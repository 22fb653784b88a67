"""Dates and times as the user reads and types them: local time, the locale's order, 4-digit years."""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QTime

_TWO_DIGIT_YEAR = re.compile(r"(?<!y)yy(?!y)")


def locale() -> QLocale:
    """The user's locale; US English when the system has none (the "C" locale of servers)."""
    system = QLocale()
    if system.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return system


def date_format() -> str:
    """The locale's short date format with a four-digit year (M/d/yyyy in the US)."""
    fmt = locale().dateFormat(QLocale.FormatType.ShortFormat)
    return _TWO_DIGIT_YEAR.sub("yyyy", fmt)


def time_format() -> str:
    return locale().timeFormat(QLocale.FormatType.ShortFormat)


def datetime_format() -> str:
    return f"{date_format()} {time_format()}"


def local_date(value: date | None) -> str:
    if value is None:
        return ""
    return locale().toString(QDate(value.year, value.month, value.day), date_format())


def local_datetime(value: datetime | None) -> str:
    """An instant (stored in UTC) in the workstation's time zone."""
    if value is None:
        return ""
    local = value.astimezone()
    return f"{local_date(local.date())} {locale().toString(QTime(local.hour, local.minute), time_format())}"


def parse_date(text: str) -> date | None:
    """A typed date in ISO (2026-03-04) or the locale's short form; None when empty.

    Raises ValueError with a message fit to show when the text is not a date.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    user_locale = locale()
    # A two-digit year means the most recent such year: "80" is 1980, "20" is 2020.
    base_year = date.today().year - 99
    for fmt in (date_format(), user_locale.dateFormat(QLocale.FormatType.ShortFormat)):
        parsed = user_locale.toDate(text, fmt, base_year)
        if parsed.isValid():
            return date(parsed.year(), parsed.month(), parsed.day())
    example = local_date(date(1980, 12, 31))
    raise ValueError(f"Type the date as {example} or 1980-12-31.")
