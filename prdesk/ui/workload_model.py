"""The workload table's model: a line per caseworker with their open, due-soon and overdue counts."""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from prdesk.domain.queries import CaseFilter
from prdesk.domain.workload import Figure, Holder, Workload, WorkloadLine
from prdesk.ui import theme
from prdesk.ui.style import LIST_DUE_SOON_TEXT, LIST_MUTED_TEXT, LIST_OVERDUE_TEXT
from prdesk.ui.table_model import Index, ReadOnlyTableModel

NAME, OPEN, DUE_SOON, OVERDUE = range(4)
FIGURES: dict[int, Figure] = {OPEN: Figure.OPEN, DUE_SOON: Figure.DUE_SOON, OVERDUE: Figure.OVERDUE}
# The current scheme's colours, readable on the list (see style.follow_palette).
OVERDUE_COLOR = LIST_OVERDUE_TEXT
DUE_SOON_COLOR = LIST_DUE_SOON_TEXT
INACTIVE_COLOR = LIST_MUTED_TEXT


class WorkloadModel(ReadOnlyTableModel[WorkloadLine]):
    """Unassigned first, then each caseworker, then the department's total.

    A click on a line's name means all of its open cases; on a figure, the cases it counts.
    """

    headers = ("Caseworker", "Open", "Due soon", "Overdue")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        theme.follow(self.on_theme_changed)

    def on_theme_changed(self) -> None:
        theme.recolour(self)

    def set_workload(self, workload: Workload) -> None:
        self._replace_rows([workload.unassigned, *workload.caseworkers, workload.total])

    def line(self, row: int) -> WorkloadLine | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def filter_at(self, index: Index) -> CaseFilter | None:
        """The cases behind a cell: a figure's cases, or (on the name) all open ones."""
        line = self._row_of(index)
        if line is None:
            return None
        return line.case_filter(FIGURES.get(index.column(), Figure.OPEN))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self._row_of(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return line.name if column == NAME else f"{line.count(FIGURES[column]):,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(line, column)
        if role == Qt.ItemDataRole.FontRole:
            if line.holder is Holder.DEPARTMENT or (
                column in (DUE_SOON, OVERDUE) and line.count(FIGURES[column])
            ):
                return self._bold
            if not line.can_take_cases and column == NAME:
                return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            # Names come from other people's sign-ins: never read them as HTML.
            return QtGui.Qt.convertFromPlainText(self._tooltip(line, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == NAME:
                return line.name
            return f"{line.name}, {FIGURES[column].label.lower()}: {line.count(FIGURES[column])}"
        return None

    def _color(self, line: WorkloadLine, column: int) -> QColor | None:
        if column == OVERDUE and line.overdue:
            return OVERDUE_COLOR
        if column == DUE_SOON and line.due_soon:
            return DUE_SOON_COLOR
        if column == NAME and not line.can_take_cases:
            return INACTIVE_COLOR
        return None

    def _tooltip(self, line: WorkloadLine, column: int) -> str:
        whose = {
            Holder.CASEWORKER: f"{line.name}'s",
            Holder.NOBODY: "unassigned",
            Holder.DEPARTMENT: "the department's",
        }[line.holder]
        if column == NAME:
            if not line.can_take_cases:
                return f"{line.name} can no longer take cases: give these to someone else."
            return f"Show {whose} open cases"
        what = {
            OPEN: "open cases",
            DUE_SOON: "open cases due soon",
            OVERDUE: "open cases past their deadline",
        }[column]
        return f"Show {whose} {what}"
