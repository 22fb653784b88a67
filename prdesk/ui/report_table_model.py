"""A report's table for a QTableView: figures written as the printed report writes them."""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import Cell, ReportColumn, ReportTable, Unit, format_cell
from prdesk.ui.table_model import Index, ReadOnlyTableModel

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ReportTableModel(ReadOnlyTableModel[tuple[Cell, ...]]):
    """One report table; a figure that the case list can show carries its CaseFilter."""

    def __init__(self, table: ReportTable | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: tuple[ReportColumn, ...] = ()
        self._table: ReportTable | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        if table is not None:
            self.set_table(table)

    def set_table(self, table: ReportTable) -> None:
        self.beginResetModel()
        self._table = table
        self._columns = table.columns
        self.headers = tuple(column.title for column in table.columns)
        # A short row (a builder's slip) shows empty cells rather than failing.
        self._rows = [tuple(row) + (None,) * (len(table.columns) - len(row)) for row in table.rows]
        self.endResetModel()

    @property
    def table(self) -> ReportTable | None:
        return self._table

    def is_total(self, row: int) -> bool:
        return self._table is not None and self._table.total_row and row == len(self._rows) - 1

    def filter_at(self, index: Index) -> CaseFilter | None:
        """The cases a figure counts, when the case list can show exactly those."""
        if self._table is None or self._row_of(index) is None:
            return None
        return self._table.drill.get((index.row(), index.column()))

    def text_at(self, row: int, column: int) -> str:
        """The cell as the user reads it on screen."""
        return format_cell(self._rows[row][column], self._columns[column].unit)

    def count_at(self, index: Index) -> int | None:
        """The figure behind a drillable cell, when it is a count of cases."""
        cells = self._row_of(index)
        if cells is None:
            return None
        value = cells[index.column()]
        unit = self._columns[index.column()].unit
        return int(value) if unit is Unit.COUNT and isinstance(value, int | float) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cells = self._row_of(index)
        if cells is None or not 0 <= index.column() < len(self._columns):
            return None
        row, column = index.row(), index.column()
        unit = self._columns[column].unit
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text_at(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if unit.numeric else _LEFT
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.is_total(row) else None
        if role == Qt.ItemDataRole.ForegroundRole and self.filter_at(index) is not None:
            # Figures that open their cases look like links.
            return QGuiApplication.palette().color(QPalette.ColorRole.Link)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(row, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.note:
            # Notes are written by the reports, but headings may carry names: never HTML.
            return QtGui.Qt.convertFromPlainText(column.note)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Headings are short sentences: they wrap rather than widen the table.
            wrap = int(Qt.TextFlag.TextWordWrap)
            return (_RIGHT if column.unit.numeric else _LEFT) | wrap
        return None

    def _tooltip(self, index: Index) -> str | None:
        if self.filter_at(index) is None:
            return None
        count = self.count_at(index)
        if count is None:
            return "Show these cases in the list"
        return (
            "Show this case in the list"
            if count == 1
            else f"Show these {count:,} cases in the list"
        )

    def _spoken(self, row: int, column: int) -> str:
        """A figure read aloud with what it is: "Upheld, Communication: 12"."""
        text = self.text_at(row, column) or "empty"
        if column == 0 or not self._columns[column].unit.numeric:
            return text
        label = self.text_at(row, 0) if not self._columns[0].unit.numeric else ""
        heading = self._columns[column].title
        return f"{label}, {heading}: {text}" if label else f"{heading}: {text}"
