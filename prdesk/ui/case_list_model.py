"""The case list's table model: every matching case as a row, fetched in blocks as they come into view.

rowCount() is the number of matching cases, so the scroll bar is true from the
start. Rows are fetched in blocks around what the view paints, one database job
at a time: while one runs, newer wishes replace older ones (a filter typed over
another, a block scrolled past), so a fast typist or scroller never queues up
stale queries. A new filter asks for the first block, paints it, and only then
counts the matches; PostgreSQL's count(*) must not hold up the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, Qt, QTimer, Signal
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import CaseFilter, SortKey, Viewpoint, count_cases, list_cases
from prdesk.domain.readmodels import CaseRow
from prdesk.ui.case_list_cells import CASE_ID_ROLE, SERVED_ROLES, cell
from prdesk.ui.case_list_columns import COLUMNS, column_of
from prdesk.ui.context import AppContext
from prdesk.ui.row_cache import BlockCache
from prdesk.ui.table_model import ROOT, Index

T = TypeVar("T")

BLOCK_SIZE = 200
# 40 blocks of 200 rows: a few megabytes, however far the list is scrolled.
MAX_BLOCKS = 40
# At most this many neighbouring blocks travel in one query.
BLOCKS_PER_QUERY = 2

_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class CaseListModel(QAbstractTableModel):
    """Matching cases in the database's order; only the blocks near the view are held.

    Signals:
        loaded: (rows, exact) after a query arrived: the number of matching cases,
            and whether that is the final count (False while it is being counted).
        failed: a message, when the cases could not be loaded.
    """

    loaded = Signal(int, bool)
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        parent: Any = None,
        *,
        block_size: int = BLOCK_SIZE,
        max_blocks: int = MAX_BLOCKS,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cache: BlockCache[CaseRow] = BlockCache(block_size, max_blocks)
        self._rows = 0
        self._exact = False
        self._filter = CaseFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._view = Viewpoint(viewer_id=ctx.actor.id)
        # Results asked for under an older filter, sort or refresh are dropped.
        self._generation = 0
        self._need_page = False
        self._need_count = False
        self._wanted: dict[int, None] = {}  # blocks to fetch, the latest wish last
        self._blocks_first = False  # after a refresh: the rows on screen, then the count
        self._busy = False
        self._counting = False
        self._first_page_due = False  # a new filter's first block is being fetched
        # Wishes made while the view paints are gathered and sent once it is done.
        self._pump_soon = QTimer(self)
        self._pump_soon.setSingleShot(True)
        self._pump_soon.setInterval(0)
        self._pump_soon.timeout.connect(self._pump)

    # -- what the view asks

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sort by {COLUMNS[section].title.lower()}; right-click to choose columns."
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting one screen asks for some 3,000 cells and roles: the roles nobody
        # answers leave before the row is even looked up.
        if role not in SERVED_ROLES or not index.isValid():
            return None
        number = index.row()
        if not 0 <= number < self._rows:
            return None
        row = self._row(number)
        if role == CASE_ID_ROLE:
            return None if row is None else row.id
        return cell(row, index.column(), role, self._view.today)

    # -- what the widget controls

    @property
    def total(self) -> int:
        """The rows of the list: every match once counted, the first block until then."""
        return self._rows

    @property
    def count_is_exact(self) -> bool:
        return self._exact

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def today(self) -> date:
        return self._view.today

    @property
    def idle(self) -> bool:
        """Nothing asked for and not yet delivered."""
        return not (
            self._busy
            or self._counting
            or self._need_page
            or self._need_count
            or self._wanted
            or self._pump_soon.isActive()
        )

    @property
    def blocks_held(self) -> int:
        return len(self._cache)

    def row_at(self, index: Index) -> CaseRow | None:
        """The row's case, or None while its block is being fetched."""
        if not index.isValid() or not 0 <= index.row() < self._rows:
            return None
        return self._row(index.row())

    def row_of_case(self, case_id: int) -> int:
        """The row showing this case among those loaded, else -1."""
        return next((number for number, row in self._cache.loaded() if row.id == case_id), -1)

    def sort_column(self) -> int:
        return column_of(self._sort)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new query: the database sorts every row, not just the loaded ones."""
        if 0 <= column < len(COLUMNS):
            self.set_sort(COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder)

    def set_sort(self, key: SortKey, descending: bool) -> None:
        if (key, descending) != (self._sort, self._descending):
            self._sort, self._descending = key, descending
            self.reload()

    def set_filter(self, case_filter: CaseFilter) -> None:
        if case_filter != self._filter:
            self._filter = case_filter
            self.reload()

    def reload(self) -> None:
        """Starts over from the first block (a new filter or sort); what is shown stays until then."""
        self._start_generation()
        self._need_page = True
        # At once when nothing runs: a keystroke's rows should not wait a turn of the
        # event loop. Requests made while a query runs wait, and only the newest runs.
        self._pump()

    def refresh(self) -> None:
        """After a change: count again and fetch again the blocks the view shows, nothing else."""
        # While a new filter's first rows are on their way, what is cached belongs to the
        # old filter: fetching its blocks again would show the old list's places.
        if self._need_page or self._first_page_due or self._generation == 0 or not len(self._cache):
            self.reload()
            return
        self._start_generation()
        self._cache.mark_stale()
        # The blocks last read are those on screen: fetched again before the count, so a
        # changed row is shown as soon as possible, even while the list is not painted.
        for block in self._cache.recent(BLOCKS_PER_QUERY):
            self._wanted[block] = None
        self._blocks_first = True
        self._need_count = True
        self._pump_soon.start()

    def _start_generation(self) -> None:
        self._generation += 1
        self._need_page = self._need_count = self._blocks_first = False
        self._wanted.clear()
        self._view = Viewpoint(date.today(), self._ctx.actor.id)

    # -- the one job at a time

    def _row(self, row: int) -> CaseRow | None:
        block = self._cache.block_of(row)
        if not self._cache.has_fresh(block) and not self._need_page:
            self._wanted.pop(block, None)
            self._wanted[block] = None
            if not self._busy and not self._pump_soon.isActive():
                self._pump_soon.start()
        return self._cache.get(row)

    def _pump(self) -> None:
        self._pump_count()
        if self._busy:
            return  # called again when the running job is done
        generation = self._generation
        if self._need_page:
            self._need_page = False
            self._first_page_due = True
            self._run(self._page_work(0, 1), lambda rows: self._on_first_page(generation, rows))
        elif self._wanted:
            self._blocks_first = False
            first, count = self._next_blocks()
            self._run(
                self._page_work(first, count),
                lambda rows: self._on_blocks(generation, first, count, rows),
            )

    def _next_blocks(self) -> tuple[int, int]:
        """The latest wished-for block and its wished-for neighbours; older wishes are dropped.

        Whatever is still on screen when the rows arrive is painted again and wished for again.
        """
        latest = next(reversed(self._wanted))
        first = latest
        while (
            first - 1 in self._wanted
            and latest - first + 1 < BLOCKS_PER_QUERY
            and not self._cache.has_fresh(first - 1)
        ):
            first -= 1
        last = latest
        while (
            last + 1 in self._wanted
            and last - first + 1 < BLOCKS_PER_QUERY
            and not self._cache.has_fresh(last + 1)
        ):
            last += 1
        self._wanted.clear()
        return first, last - first + 1

    def _page_work(self, first_block: int, blocks: int) -> Callable[[Session], list[CaseRow]]:
        case_filter, sort, descending, view = self._filter, self._sort, self._descending, self._view
        size = self._cache.block_size

        def work(session: Session) -> list[CaseRow]:
            return list_cases(
                session,
                case_filter,
                sort=sort,
                descending=descending,
                offset=first_block * size,
                limit=blocks * size,
                view=view,
            )

        return work

    def _pump_count(self) -> None:
        """Counts beside the rows, never before them: counting 80,000 matches of a short
        search takes ~100 ms on PostgreSQL, and the next keystroke's rows must not wait."""
        if not self._need_count or self._counting or (self._blocks_first and self._wanted):
            return
        self._need_count, self._counting = False, True
        generation, case_filter, view = self._generation, self._filter, self._view
        (
            self._ctx.operation(
                self, lambda session: count_cases(session, case_filter, view), read_only=True
            )
            .alongside()
            .success(lambda total: self._on_count(generation, total))
            .failure(self._on_failed)
            .done(self._on_count_done)
            .run()
        )

    def _on_count_done(self) -> None:
        self._counting = False
        self._pump_count()  # a newer filter may want counting by now

    def _run(self, work: Callable[[Session], T], on_success: Callable[[T], None]) -> None:
        self._busy = True
        (
            self._ctx.operation(self, work, read_only=True)
            .success(on_success)
            .failure(self._on_failed)
            .done(self._on_job_done)
            .run()
        )

    def _on_job_done(self) -> None:
        self._busy = False
        self._pump()

    # -- results

    def _on_first_page(self, generation: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        size = self._cache.block_size
        self._first_page_due = False
        self._wanted.clear()  # wishes made for the old list's rows
        self.beginResetModel()
        self._cache.clear()
        self._cache.put(0, rows)
        self._rows = len(rows)
        # A short first block is the whole list: nothing left to count.
        self._exact = len(rows) < size
        self._need_count = not self._exact
        self.endResetModel()
        self.loaded.emit(self._rows, self._exact)

    def _on_count(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._set_row_count(total)
        self._exact = True
        if self._rows:
            # Blocks left stale by a refresh are wished for again as the view repaints.
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(COLUMNS) - 1))
        self.loaded.emit(self._rows, True)

    def _on_blocks(self, generation: int, first: int, blocks: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        size = self._cache.block_size
        for number in range(blocks):
            chunk = rows[number * size : (number + 1) * size]
            if chunk:
                self._cache.put(first + number, chunk)
        first_row = first * size
        end = first_row + len(rows)
        # The list changed since it was counted: it ends here, or goes at least this far.
        # The count that follows a refresh settles it.
        ended_early = len(rows) < blocks * size and end < self._rows
        if ended_early or (rows and end > self._rows):
            self._set_row_count(end)
        last_row = min(first_row + len(rows), self._rows) - 1
        if last_row >= first_row:
            self.dataChanged.emit(self.index(first_row, 0), self.index(last_row, len(COLUMNS) - 1))

    def _set_row_count(self, rows: int) -> None:
        if rows > self._rows:
            self.beginInsertRows(ROOT, self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        elif rows < self._rows:
            self.beginRemoveRows(ROOT, rows, self._rows - 1)
            self._rows = rows
            self._cache.truncate(rows)
            self.endRemoveRows()

    def _on_failed(self, error: DomainError) -> None:
        self._wanted.clear()
        self.failed.emit(error.message)
