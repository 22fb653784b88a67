"""The table model of a case's timeline: newest first, the application's own entries set apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.style import SYSTEM_ENTRY_BACKGROUND, SYSTEM_ENTRY_COLOR
from prdesk.ui.table_model import Index, ReadOnlyTableModel

HEADERS = ("When", "Kind", "By", "Summary", "Details")
WHEN, KIND, AUTHOR, SUMMARY, DETAILS = range(5)
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _audience(entry: TimelineEntryInfo) -> str:
    if entry.kind.is_system:
        return ""  # PR Desk's own records: their audience says nothing to the reader
    if entry.patient_facing:
        return "Patient-facing"
    if entry.internal:
        return "Internal"
    return ""


class TimelineModel(ReadOnlyTableModel[TimelineEntryInfo]):
    """Rows are the entries of one case; `set_entries` replaces them after each load."""

    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: Sequence[TimelineEntryInfo]) -> None:
        self._replace_rows(sorted(entries, key=lambda e: (e.occurred_at, e.id), reverse=True))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self._row_of(index)
        if entry is None:
            return None
        column = index.column()
        system = entry.kind.is_system
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return f"Recorded {local_datetime(entry.recorded_at)}"
            if column in (SUMMARY, DETAILS) and entry.body:
                # Tooltips read HTML when they look like it: show what was typed, as typed.
                return QtGui.Qt.convertFromPlainText(entry.body, Qt.WhiteSpaceMode.WhiteSpaceNormal)
        if role == Qt.ItemDataRole.FontRole:
            if system:
                return self._italic
            if column == SUMMARY:
                return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and system:
            return SYSTEM_ENTRY_COLOR
        if role == Qt.ItemDataRole.BackgroundRole and system:
            return SYSTEM_ENTRY_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == ENTRY_ID_ROLE:
            return entry.id
        return None

    @staticmethod
    def _text(entry: TimelineEntryInfo, column: int) -> str:
        match column:
            case 0:
                return local_datetime(entry.occurred_at)
            case 1:
                audience = _audience(entry)
                return f"{entry.kind.label}\n{audience}" if audience else entry.kind.label
            case 2:
                return entry.author_name
            case 3:
                return entry.summary
            case _:
                return entry.body
