"""The case list's table model: rows queried page by page in the background, sorted by the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyle
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import CaseFilter, SortKey, count_cases, list_cases
from prdesk.domain.readmodels import CaseRow
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_datetime
from prdesk.ui.style import SAFETY_BACKGROUND, status_icon
from prdesk.ui.table_model import ROOT, Index, ReadOnlyTableModel

PAGE_SIZE = 200
# A refresh reloads what was already scrolled into, up to this many rows.
REFRESH_LIMIT = 2000
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class _Column:
    title: str
    sort_key: SortKey | None
    text: Callable[[CaseRow], str]


# The columns, declared once: heading, the database sort behind it, the cell text.
COLUMNS: tuple[_Column, ...] = (
    _Column("Number", SortKey.NUMBER, lambda row: row.number),
    _Column("Received", SortKey.RECEIVED, lambda row: local_datetime(row.received_at)),
    _Column("Kind", SortKey.KIND, lambda row: row.kind.label),
    _Column("Status", SortKey.STATUS, lambda row: row.status.label),
    _Column("Patient", SortKey.PATIENT, lambda row: row.patient_name),
    _Column("Raised by", None, lambda row: row.complainant_name or ""),
    _Column("Assigned to", SortKey.ASSIGNEE, lambda row: row.assignee_name or ""),
    _Column("Severity", SortKey.SEVERITY, lambda row: row.severity.label),
    _Column("Grievance", None, lambda row: "Yes" if row.is_grievance else ""),
)
NUMBER, RECEIVED, KIND, STATUS, PATIENT, RAISED_BY, ASSIGNEE, SEVERITY, GRIEVANCE = range(9)


class CaseListModel(ReadOnlyTableModel[CaseRow]):
    """Holds the rows loaded so far; the database does the filtering and sorting.

    Signals:
        loaded: the total number of matching cases, after a (re)load arrived.
        failed: a message, when the cases could not be loaded.
    """

    headers = tuple(column.title for column in COLUMNS)
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._total = 0
        self._filter = CaseFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        # Results of a query asked for under an older filter or sort are dropped.
        self._generation = 0
        self._fetching: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the view asks

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].sort_key is None:
                return "This column cannot be sorted."
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column].text(row)
        if role == CASE_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DecorationRole:
            if column == NUMBER and row.safety_concern:
                style = QApplication.style()
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            if column == STATUS:
                return status_icon(row.status)
        if role == Qt.ItemDataRole.BackgroundRole and row.safety_concern:
            return SAFETY_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and (
            row.safety_concern or (column == GRIEVANCE and row.is_grievance)
        ):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.safety_concern:
                return "Safety concern: refer to risk management."
            if column == GRIEVANCE and row.is_grievance:
                return "A grievance under the CMS rules: a written response is due."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = COLUMNS[column].text(row)
            if column == NUMBER and row.safety_concern:
                return f"{text}, safety concern"
            return text
        return None

    # -- what the widget controls

    @property
    def total(self) -> int:
        return self._total

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    def row_at(self, index: Index) -> CaseRow | None:
        return self._row_of(index)

    def row_of_case(self, case_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.id == case_id:
                return number
        return -1

    def sort_column(self) -> int:
        return next(i for i, column in enumerate(COLUMNS) if column.sort_key == self._sort)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new query: the database sorts every row, not just the loaded ones."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        key = COLUMNS[column].sort_key
        assert key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.refresh(keep_window=False)

    def set_filter(self, case_filter: CaseFilter) -> None:
        if case_filter != self._filter:
            self._filter = case_filter
            self.refresh(keep_window=False)

    def refresh(self, *, keep_window: bool = True) -> None:
        """Reloads the total and the first rows (as many as were loaded, when keeping the window)."""
        self._generation += 1
        generation = self._generation
        limit = min(max(PAGE_SIZE, len(self._rows)), REFRESH_LIMIT) if keep_window else PAGE_SIZE
        case_filter, sort, descending = self._filter, self._sort, self._descending

        def load(session: Session) -> tuple[int, list[CaseRow]]:
            total = count_cases(session, case_filter)
            rows = list_cases(session, case_filter, sort=sort, descending=descending, limit=limit)
            return total, rows

        (
            self._ctx.operation(self, load, read_only=True)
            .success(lambda result: self._on_loaded(generation, *result))
            .failure(self._on_failed)
            .run()
        )

    def _on_loaded(self, generation: int, total: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = rows
        self._total = max(total, len(rows))
        self._fetching = None
        self.endResetModel()
        self.loaded.emit(self._total)

    def _on_failed(self, error: DomainError) -> None:
        self.failed.emit(error.message)

    # -- incremental loading as the view scrolls

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid():
            return False
        return self._fetching != self._generation and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        self._fetching = generation
        offset = len(self._rows)
        case_filter, sort, descending = self._filter, self._sort, self._descending
        (
            self._ctx.operation(
                self,
                lambda session: list_cases(
                    session,
                    case_filter,
                    sort=sort,
                    descending=descending,
                    offset=offset,
                    limit=PAGE_SIZE,
                ),
                read_only=True,
            )
            .success(lambda rows: self._on_page(generation, rows))
            .failure(self._on_failed)
            .done(lambda: self._fetch_done(generation))
            .run()
        )

    def _on_page(self, generation: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        # Cases opened by others since the first page shift the pages: skip repeats.
        known = {row.id for row in self._rows}
        fresh = [row for row in rows if row.id not in known]
        if len(rows) < PAGE_SIZE:
            self._total = len(self._rows) + len(fresh)
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(ROOT, first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()

    def _fetch_done(self, generation: int) -> None:
        if self._fetching == generation:
            self._fetching = None
