"""How a row of the case list looks: cell texts, colours, icons, bold and tooltips."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from prdesk.domain.queries import Due
from prdesk.domain.readmodels import CaseRow
from prdesk.ui.case_list_columns import COLUMNS, column_index, due_state, due_tooltip
from prdesk.ui.icons import icon
from prdesk.ui.style import (
    LIST_DUE_SOON_TEXT,
    LIST_MUTED_TEXT,
    LIST_OVERDUE_TEXT,
    SAFETY_BACKGROUND,
    status_icon,
)

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER, STATUS, PATIENT, GRIEVANCE, DUE = (
    column_index(key) for key in ("number", "status", "patient", "grievance", "due")
)
# The current scheme's colours, readable on plain, alternate and safety rows alike
# (see style.follow_palette); the views repaint when the theme changes.
OVERDUE_COLOR = LIST_OVERDUE_TEXT
DUE_SOON_COLOR = LIST_DUE_SOON_TEXT
PLACEHOLDER_COLOR = LIST_MUTED_TEXT
PLACEHOLDER = "…"

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
# The roles the list answers; the view asks for a dozen others on every paint.
SERVED_ROLES = frozenset(
    {_DISPLAY, int(CASE_ID_ROLE), _DECORATION, _BACKGROUND, _FOREGROUND, _FONT, _TOOLTIP}
    | {_ACCESSIBLE}
)


@lru_cache(maxsize=1)
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


@lru_cache(maxsize=4096)
def _texts(row: CaseRow, today: date) -> tuple[str, ...]:
    """Every cell text of a row, formatted once while the row is on screen."""
    return tuple(column.text(row, today) for column in COLUMNS)


def cell(row: CaseRow | None, column: int, role: int, today: date) -> Any:
    """The value of one cell for one role; `row` is None while its block is on the way."""
    if row is None:
        return _placeholder(column, role)
    if role == _DISPLAY:
        return _texts(row, today)[column]
    if role == _DECORATION:
        return _decoration(row, column)
    if role == _BACKGROUND and row.safety_concern:
        return SAFETY_BACKGROUND
    if role == _FOREGROUND and column == DUE:
        state = due_state(row, today)
        if state is not None:
            return OVERDUE_COLOR if state is Due.OVERDUE else DUE_SOON_COLOR
    if role == _FONT and _is_bold(row, column, today):
        return _bold()
    if role == _TOOLTIP:
        return _tooltip(row, column, today)
    if role == _ACCESSIBLE:
        text = _texts(row, today)[column]
        if column == NUMBER and row.safety_concern:
            return f"{text}, safety concern"
        if column == DUE:
            return due_tooltip(row, today) or text
        return text
    return None


def _placeholder(column: int, role: int) -> Any:
    if role == _DISPLAY:
        return PLACEHOLDER if column == NUMBER else ""
    if role == _FOREGROUND:
        return PLACEHOLDER_COLOR
    if role == _ACCESSIBLE:
        return "Loading"
    return None


def _decoration(row: CaseRow, column: int) -> Any:
    if column == NUMBER and row.safety_concern:
        return icon("warning")
    if column == STATUS:
        return status_icon(row.status)
    return None


def _is_bold(row: CaseRow, column: int, today: date) -> bool:
    if row.safety_concern or (column == GRIEVANCE and row.is_grievance):
        return True
    return column == DUE and due_state(row, today) is Due.OVERDUE


def _tooltip(row: CaseRow, column: int, today: date) -> str | None:
    if column == DUE:
        return due_tooltip(row, today) or None
    if row.safety_concern:
        return "Safety concern: refer to risk management."
    if column == GRIEVANCE and row.is_grievance:
        return "A grievance under the CMS rules: a written response is due."
    if row.behavioural_alert:
        return "Behavioural alert: this person has been aggressive before."
    return None
