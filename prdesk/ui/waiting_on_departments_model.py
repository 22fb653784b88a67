"""The table model of requests to departments: whom, when due, and whether overdue or answered.

One model serves the case's small requests table and the "waiting on departments"
view; each picks its columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from prdesk.domain.readmodels import DepartmentRequestInfo
from prdesk.ui import theme
from prdesk.ui.formatting import local_date
from prdesk.ui.style import LIST_DUE_SOON_TEXT, LIST_MUTED_TEXT, LIST_OVERDUE_TEXT
from prdesk.ui.table_model import Index, ReadOnlyTableModel

# The current scheme's colours, readable on the list (see style.follow_palette).
OVERDUE_COLOR = LIST_OVERDUE_TEXT
DUE_SOON_COLOR = LIST_DUE_SOON_TEXT
SETTLED_COLOR = LIST_MUTED_TEXT
# A request due today, tomorrow or the day after is about to be late.
DUE_SOON_DAYS = 2


class Column(Enum):
    CASE = "Case"
    DEPARTMENT = "Department"
    TO = "To"
    REQUESTED = "Requested"
    DUE = "Due"
    STANDING = "Status"
    OVERDUE = "Overdue"
    ESCALATED = "Escalated"


CASE_COLUMNS = (Column.DEPARTMENT, Column.TO, Column.DUE, Column.STANDING)
WAITING_COLUMNS = (
    Column.CASE,
    Column.DEPARTMENT,
    Column.TO,
    Column.REQUESTED,
    Column.DUE,
    Column.OVERDUE,
    Column.ESCALATED,
)


def days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def lateness(request: DepartmentRequestInfo, today: date) -> str:
    """ "Overdue by 3 days", or "" when the request is answered or not yet due."""
    if not request.is_overdue(today):
        return ""
    return f"Overdue by {days((today - request.due_on).days)}"


def standing(request: DepartmentRequestInfo, today: date) -> str:
    """Where the request stands, in a few words: late, due soon, waiting or answered."""
    if not request.outstanding:
        assert request.answered_at is not None
        return f"Answered {local_date(request.answered_at.astimezone().date())}"
    if request.is_overdue(today):
        text = lateness(request, today)
    elif request.due_on == today:
        text = "Due today"
    elif (request.due_on - today).days == 1:
        text = "Due tomorrow"
    else:
        text = f"Due in {days((request.due_on - today).days)}"
    if request.escalated_at is not None:
        text += f"; escalated to {request.backup_reviewer}"
    return text


def urgency(request: DepartmentRequestInfo, today: date) -> str:
    """ "overdue", "due_soon", "waiting" or "answered"."""
    if not request.outstanding:
        return "answered"
    if request.is_overdue(today):
        return "overdue"
    if (request.due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "waiting"


class RequestsModel(ReadOnlyTableModel[DepartmentRequestInfo]):
    """Rows in the order given; the columns chosen at construction.

    Attributes:
        columns: what each column shows.
    """

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.headers = tuple(column.value for column in self.columns)
        self._today = date.today()
        self._bold = QFont()
        self._bold.setBold(True)
        theme.follow(self.on_theme_changed)

    def on_theme_changed(self) -> None:
        theme.recolour(self)

    def set_requests(
        self, requests: Sequence[DepartmentRequestInfo], today: date | None = None
    ) -> None:
        self._today = today or date.today()
        self._replace_rows(list(requests))

    def request(self, row: int) -> DepartmentRequestInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, request_id: int) -> int:
        """The row showing the request, or -1."""
        return next((row for row, r in enumerate(self._rows) if r.id == request_id), -1)

    def requests(self) -> tuple[DepartmentRequestInfo, ...]:
        return tuple(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        request = self._row_of(index)
        if request is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(request, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(request, column)
        if role == Qt.ItemDataRole.FontRole and column in (Column.STANDING, Column.OVERDUE):
            return self._bold if urgency(request, self._today) == "overdue" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Summaries and names are typed by people: never read them as HTML.
            return QtGui.Qt.convertFromPlainText(self._tooltip(request))
        return None

    def _text(self, request: DepartmentRequestInfo, column: Column) -> str:
        match column:
            case Column.CASE:
                return request.case_number
            case Column.DEPARTMENT:
                return request.department.name
            case Column.TO:
                return request.addressed_to
            case Column.REQUESTED:
                return local_date(request.requested_at.astimezone().date())
            case Column.DUE:
                return local_date(request.due_on)
            case Column.STANDING:
                return standing(request, self._today)
            case Column.OVERDUE:
                return lateness(request, self._today)
            case Column.ESCALATED:
                if request.escalated_at is None:
                    return ""
                on = local_date(request.escalated_at.astimezone().date())
                return f"To {request.backup_reviewer}, {on}"

    def _color(self, request: DepartmentRequestInfo, column: Column) -> QColor | None:
        state = urgency(request, self._today)
        if column in (Column.DUE, Column.STANDING, Column.OVERDUE):
            if state == "overdue":
                return OVERDUE_COLOR
            if state == "due_soon" and column is not Column.OVERDUE:
                return DUE_SOON_COLOR
        if state == "answered":
            return SETTLED_COLOR
        return None

    def _tooltip(self, request: DepartmentRequestInfo) -> str:
        asked = f"{request.summary}\nAsked of {request.addressed_to}"
        asked += (
            f" by {request.requested_by} on {local_date(request.requested_at.astimezone().date())}."
        )
        if request.backup_reviewer:
            asked += f"\nBackup reviewer: {request.backup_reviewer}."
        return asked
