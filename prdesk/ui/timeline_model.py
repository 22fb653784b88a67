"""The table model of a case's timeline: newest first, the application's own entries set apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.style import SYSTEM_ENTRY_BACKGROUND, SYSTEM_ENTRY_COLOR

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex
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


class TimelineModel(QAbstractTableModel):
    """Rows are the entries of one case; `set_entries` replaces them after each load."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntryInfo] = []
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: Sequence[TimelineEntryInfo]) -> None:
        self.beginResetModel()
        self._entries = sorted(entries, key=lambda e: (e.occurred_at, e.id), reverse=True)
        self.endResetModel()

    def entry_at(self, row: int) -> TimelineEntryInfo:
        return self._entries[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, column = self._entries[index.row()], index.column()
        system = entry.kind.is_system
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return f"Recorded {local_datetime(entry.recorded_at)}"
            if column in (SUMMARY, DETAILS) and entry.body:
                return entry.body
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
