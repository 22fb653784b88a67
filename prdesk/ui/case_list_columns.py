"""The case list's columns, declared once: key, heading, database sort, cell text, width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from prdesk.domain.queries import DUE_SOON_DAYS, Due, SortKey
from prdesk.domain.readmodels import CaseRow
from prdesk.ui.formatting import local_date, local_datetime


@dataclass(frozen=True)
class Column:
    """One column of the case list.

    Attributes:
        key: stable name, kept in settings and handed to exports.
        sort_key: the database order behind a click on the heading.
        text: the cell text for a row, given today's date.
        width: the default width in pixels, wide enough for the longest usual value.
        shown: whether a new user sees it.
    """

    key: str
    title: str
    sort_key: SortKey
    text: Callable[[CaseRow, date], str]
    width: int
    shown: bool = True


def due_state(row: CaseRow, today: date) -> Due | None:
    """Overdue or due soon, as the Due filter counts them; None otherwise."""
    if row.due_on is None:
        return None
    if row.due_on < today:
        return Due.OVERDUE
    if (row.due_on - today).days < DUE_SOON_DAYS:
        return Due.DUE_SOON
    return None


def due_text(row: CaseRow, today: date) -> str:
    if row.clock_paused and row.due_on is None:
        return "Paused"
    if row.due_on is None:
        return ""
    state = due_state(row, today)
    if state is Due.OVERDUE:
        return f"Overdue · {local_date(row.due_on)}"
    if state is Due.DUE_SOON:
        return f"Soon · {local_date(row.due_on)}"
    return local_date(row.due_on)


def due_tooltip(row: CaseRow, today: date) -> str:
    """Which deadline the date is, and how far off, in words."""
    if row.clock_paused and row.due_on is None:
        return "The clock is paused while the department waits on the patient."
    if row.due_on is None:
        return ""
    what = "Acknowledgement" if row.due_is_acknowledgement else "Response"
    days = (row.due_on - today).days
    when = local_date(row.due_on)
    if days < 0:
        ago = "yesterday" if days == -1 else f"{-days} days ago"
        return f"Overdue: the {what.lower()} was due on {when} ({ago})."
    soon = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"{what} due on {when} ({soon})."


COLUMNS: tuple[Column, ...] = (
    Column("number", "Number", SortKey.NUMBER, lambda row, _: row.number, 135),
    Column(
        "received", "Received", SortKey.RECEIVED, lambda r, _: local_datetime(r.received_at), 145
    ),
    Column("due", "Due", SortKey.DUE, due_text, 140),
    Column("kind", "Kind", SortKey.KIND, lambda row, _: row.kind.label, 145),
    Column("status", "Status", SortKey.STATUS, lambda row, _: row.status.label, 175),
    Column("patient", "Patient", SortKey.PATIENT, lambda row, _: row.patient_name, 190),
    Column(
        "raised_by",
        "Raised by",
        SortKey.COMPLAINANT,
        lambda row, _: row.complainant_name or "",
        150,
        False,  # the patient's name is what people scan for; room for Due at 1280 pixels
    ),
    Column(
        "assignee", "Assigned to", SortKey.ASSIGNEE, lambda row, _: row.assignee_name or "", 135
    ),
    Column("severity", "Severity", SortKey.SEVERITY, lambda row, _: row.severity.label, 85),
    Column(
        "grievance",
        "Grievance",
        SortKey.GRIEVANCE,
        lambda row, _: "Yes" if row.is_grievance else "",
        80,
    ),
    Column("channel", "Channel", SortKey.CHANNEL, lambda row, _: row.channel.label, 130, False),
)
KEYS = tuple(column.key for column in COLUMNS)


def column_index(key: str) -> int:
    return KEYS.index(key)


def column_of(sort_key: SortKey) -> int:
    return next(i for i, column in enumerate(COLUMNS) if column.sort_key is sort_key)
