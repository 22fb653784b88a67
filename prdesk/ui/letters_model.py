"""The table model of a case's letters: subject, status, when drafted and by whom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from prdesk.domain.readmodels import LetterInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.table_model import Index, ReadOnlyTableModel


class LettersModel(ReadOnlyTableModel[LetterInfo]):
    """Newest letter first."""

    headers = ("Subject", "Status", "Drafted", "By")

    def set_letters(self, letters: Sequence[LetterInfo]) -> None:
        self._replace_rows(
            sorted(letters, key=lambda letter: (letter.created_at, letter.id), reverse=True)
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        letter = self._row_of(index)
        if letter is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        match index.column():
            case 0:
                return letter.subject
            case 1:
                return letter.status.label
            case 2:
                return local_datetime(letter.created_at)
            case _:
                return letter.created_by_name
