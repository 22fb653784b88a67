"""The table model of a case's letters: subject, kind, language, status, the date that counts, by whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from prdesk.domain import letter_templates
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import NotFound
from prdesk.domain.readmodels import LetterInfo
from prdesk.ui.formatting import local_date
from prdesk.ui.languages import language_name
from prdesk.ui.table_model import ROOT, Index, ReadOnlyTableModel

LETTER_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_title(letter: LetterInfo) -> str:
    try:
        return letter_templates.template(letter.template_key).title
    except NotFound:
        # A template retired since the letter was written still names its letters.
        return letter.template_key.replace("_", " ").capitalize()


def letter_date(letter: LetterInfo) -> date:
    """The day that matters now: sent, dated, approved, or drafted."""
    if letter.sent_on is not None:
        return letter.sent_on
    if letter.dated is not None:
        return letter.dated
    moment = letter.approved_at if letter.status == LetterStatus.APPROVED else None
    return (moment or letter.created_at).astimezone().date()


def letter_by(letter: LetterInfo) -> str:
    """Who took the step the date stands for."""
    if letter.status == LetterStatus.SENT:
        return letter.sent_by_name
    if letter.status in (LetterStatus.APPROVED, LetterStatus.FINALISED):
        return letter.approved_by_name
    return letter.created_by_name


def status_text(letter: LetterInfo) -> str:
    if letter.status == LetterStatus.SENT and letter.sent_via is not None:
        return f"Sent ({letter.sent_via.label.lower()})"
    return letter.status.label


class LettersModel(ReadOnlyTableModel[LetterInfo]):
    """Newest letter first; a correction says which letter it corrects."""

    headers = ("Subject", "Kind", "Language", "Status", "Date", "By")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Every letter of the case, for naming the one a correction replaces.
        self._by_id: dict[int, LetterInfo] = {}

    def set_letters(self, letters: Sequence[LetterInfo]) -> None:
        self._by_id = {letter.id: letter for letter in letters}
        self._replace_rows(
            sorted(letters, key=lambda letter: (letter.created_at, letter.id), reverse=True)
        )

    def letter(self, row: int) -> LetterInfo | None:
        return self._row_of(self.index(row, 0))

    def row_of_letter(self, letter_id: int) -> int:
        """The row showing the letter, or -1."""
        return next((row for row, item in enumerate(self._rows) if item.id == letter_id), -1)

    def update_letter(self, letter: LetterInfo) -> None:
        """Shows a letter as a step just left it, before the case is read again."""
        row = self.row_of_letter(letter.id)
        if row < 0:
            return
        self._rows[row] = letter
        self._by_id[letter.id] = letter
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_letter(self, letter_id: int) -> None:
        row = self.row_of_letter(letter_id)
        if row >= 0:
            self.beginRemoveRows(ROOT, row, row)
            del self._rows[row]
            self._by_id.pop(letter_id, None)
            self.endRemoveRows()

    def correction_note(self, letter: LetterInfo) -> str:
        """The note "Corrects letter of <date>" for a letter that replaces another; else empty."""
        if letter.corrects_letter_id is None:
            return ""
        original = self._by_id.get(letter.corrects_letter_id)
        if original is None:
            return "Corrects an earlier letter"
        return f"Corrects letter of {local_date(letter_date(original))}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        letter = self._row_of(index)
        if letter is None:
            return None
        if role == LETTER_ROLE:
            return letter
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return self.correction_note(letter) or None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        match index.column():
            case 0:
                note = self.correction_note(letter)
                return f"{letter.subject}  ({note})" if note else letter.subject
            case 1:
                return kind_title(letter)
            case 2:
                return language_name(letter.language)
            case 3:
                return status_text(letter)
            case 4:
                return local_date(letter_date(letter))
            case _:
                return letter_by(letter)
