"""The table model of a case's letters: subject, status, when drafted and by whom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from prdesk.domain.readmodels import LetterInfo
from prdesk.ui.formatting import local_datetime

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Subject", "Status", "Drafted", "By")


class LettersModel(QAbstractTableModel):
    """Newest letter first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._letters: list[LetterInfo] = []

    def set_letters(self, letters: Sequence[LetterInfo]) -> None:
        self.beginResetModel()
        self._letters = sorted(
            letters, key=lambda letter: (letter.created_at, letter.id), reverse=True
        )
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._letters)

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
        if not index.isValid() or not 0 <= index.row() < len(self._letters):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        letter = self._letters[index.row()]
        match index.column():
            case 0:
                return letter.subject
            case 1:
                return letter.status.label
            case 2:
                return local_datetime(letter.created_at)
            case _:
                return letter.created_by_name
