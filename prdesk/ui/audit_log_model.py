"""The audit trail as a table: pages of entries fetched in the background as the user scrolls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal

from prdesk.domain.errors import DomainError
from prdesk.domain.services.audit_trail import (
    PAGE_SIZE,
    AuditFilter,
    AuditPage,
    AuditRow,
    count_entries,
    entries_page,
    record_reading,
)
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_datetime
from prdesk.ui.table_model import ROOT, Index, ReadOnlyTableModel

HEADERS = ("When", "Who", "Workstation", "Case", "Action", "Table", "Description")


class AuditLogModel(ReadOnlyTableModel[AuditRow]):
    """Entries newest first; the next page is read when the view scrolls to the end.

    Each new filter starts over, and is recorded as a reading of the trail once.
    Pages of an older filter that arrive late are dropped.

    Signals:
        counted: how many entries match the filter.
        loaded: a page arrived (the rows shown so far are complete up to it).
        failed: a message to show when the filter cannot be applied.
    """

    headers = HEADERS
    counted = Signal(int)
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: Any = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._page_size = page_size
        self._filter: AuditFilter | None = None
        self._generation = 0
        self._next_before: int | None = None
        self._fetching = False
        self.total: int | None = None

    @property
    def filter(self) -> AuditFilter | None:
        return self._filter

    def set_filter(self, wanted: AuditFilter) -> None:
        """Shows the newest entries matching `wanted`, and counts them alongside."""
        self._filter = wanted
        self._generation += 1
        generation, actor, size = self._generation, self._ctx.actor, self._page_size
        self._next_before = None
        self._fetching = True
        self.total = None
        self._replace_rows([])

        def first_page(session: Any) -> AuditPage:
            record_reading(session, actor, wanted)
            return entries_page(session, actor, wanted, limit=size)

        self._ctx.operation(self, first_page).success(
            lambda page: self._on_page(generation, page)
        ).failure(lambda error: self._on_failed(generation, error)).run()

    def _count(self) -> None:
        # Once the first page is in: its rows are painted first, and the count then
        # includes the record of this reading, as the page does.
        generation, actor, wanted = self._generation, self._ctx.actor, self._filter
        if wanted is None:
            return
        self._ctx.operation(
            self, lambda session: count_entries(session, actor, wanted), read_only=True
        ).alongside().success(lambda total: self._on_counted(generation, total)).failure(
            lambda error: None
        ).run()

    def refresh(self) -> None:
        if self._filter is not None:
            self.set_filter(self._filter)

    def row_at(self, row: int) -> AuditRow | None:
        return self._row_of(self.index(row, 0))

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and self._next_before is not None and not self._fetching

    def fetchMore(self, parent: Index = ROOT) -> None:
        if not self.canFetchMore(parent) or self._filter is None:
            return
        self._fetching = True
        generation, actor, size = self._generation, self._ctx.actor, self._page_size
        wanted, before = self._filter, self._next_before
        self._ctx.operation(
            self,
            lambda session: entries_page(session, actor, wanted, before_id=before, limit=size),
            read_only=True,
        ).success(lambda page: self._on_page(generation, page)).failure(
            lambda error: self._on_failed(generation, error)
        ).run()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_of(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(HEADERS) - 1:
            return row.description
        return None

    @staticmethod
    def _text(row: AuditRow, column: int) -> str:
        values = (
            local_datetime(row.at),
            row.who,
            row.client,
            row.case_number,
            row.action,
            row.table,
            row.description,
        )
        return values[column]

    def _on_page(self, generation: int, page: AuditPage) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        first_page = not self._rows
        self._next_before = page.next_before
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(ROOT, first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self.loaded.emit()
        if first_page:
            self._count()

    def _on_counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self.counted.emit(total)

    def _on_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self._fetching = False
            self.failed.emit(error.message)
