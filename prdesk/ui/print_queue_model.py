"""The table model of the print queue: approved letters waiting to be printed and posted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from prdesk.domain.enums import LetterStatus
from prdesk.domain.readmodels import PrintQueueItem
from prdesk.ui.formatting import local_date, local_datetime
from prdesk.ui.table_model import Index, ReadOnlyTableModel

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

# What the clerk does next with each.
_STATUS = {
    LetterStatus.APPROVED: "Approved, to print",
    LetterStatus.FINALISED: "Finalised, to post",
}


def queue_status(item: PrintQueueItem) -> str:
    if item.printed_at is not None and item.status == LetterStatus.FINALISED:
        who = f" by {item.printed_by_name}" if item.printed_by_name else ""
        return f"Printed {local_date(item.printed_at.astimezone().date())}{who}, to post"
    return _STATUS.get(item.status, item.status.label)


class PrintQueueModel(ReadOnlyTableModel[PrintQueueItem]):
    """Oldest approval first, as the queue gives them."""

    headers = (
        "Case",
        "Recipient",
        "Address",
        "Subject",
        "Approved by",
        "Approved",
        "Pages",
        "Status",
    )

    def set_items(self, items: Sequence[PrintQueueItem]) -> None:
        self._replace_rows(list(items))

    def item(self, row: int) -> PrintQueueItem | None:
        return self._row_of(self.index(row, 0))

    def items(self) -> list[PrintQueueItem]:
        return list(self._rows)

    def row_of_letter(self, letter_id: int) -> int:
        return next((row for row, item in enumerate(self._rows) if item.letter_id == letter_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._row_of(index)
        if item is None:
            return None
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return "\n".join(item.recipient_address) or None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        match index.column():
            case 0:
                return item.case_number
            case 1:
                return item.recipient_name
            case 2:
                return item.recipient_address[0] if item.recipient_address else ""
            case 3:
                return item.subject
            case 4:
                return item.approved_by_name
            case 5:
                return local_datetime(item.approved_at)
            case 6:
                return "" if item.pages is None else str(item.pages)
            case _:
                return queue_status(item)
