"""The case list screen: search as you type, a status filter, the count, and the table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import CaseStatus
from prdesk.domain.queries import CaseFilter
from prdesk.ui.case_list_model import CASE_ID_ROLE, COLUMNS, CaseListModel
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext

SEARCH_DELAY_MS = 250
_ALL, _OPEN = "all", "open"
_SETTINGS_WIDTHS = "case_list/column_widths"


class CaseListWidget(QWidget):
    """Lists the cases; Enter or a double click opens one.

    Signals:
        case_activated: the id of the case the user chose to open.
    """

    case_activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CaseListModel(ctx, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by case number, name, MRN, phone or email  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cases")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show cases")
        self.status_filter.addItem("All cases", _ALL)
        self.status_filter.addItem("Open cases", _OPEN)
        for status in CaseStatus:
            self.status_filter.addItem(status.label, status.value)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of cases")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self.table.setSortingEnabled(True)
        self._set_default_widths()

        self.empty_state = QLabel()
        self.empty_state.setObjectName("emptyState")
        # It can repeat what was searched for: never read as HTML.
        self.empty_state.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty_state)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._stack, 1)

        # Typing restarts the timer: one query when the user pauses, not one per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._selected_case: int | None = None
        self._connect_signals()
        self.model.refresh()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search,
            self.search.clear,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.table.activated.connect(self._on_activated)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)

    # -- slots

    def on_changed(self, change: Change) -> None:
        """Any saved change may add, remove or reorder rows: reload what is shown."""
        del change
        self.model.refresh()

    def refresh(self) -> None:
        self.model.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        choice = self.status_filter.currentData()
        statuses = frozenset() if choice in (_ALL, _OPEN) else frozenset({CaseStatus(choice)})
        self.model.set_filter(
            CaseFilter(statuses=statuses, search=self.search.text(), open_only=choice == _OPEN)
        )

    def _on_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.case_activated.emit(int(case_id))

    def _on_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort_key is None:
            # Put the arrow back where the rows really are sorted.
            self.table.horizontalHeader().setSortIndicator(
                self.model.sort_column(), self.model.sort_order()
            )

    def _remember_selection(self) -> None:
        index = self.table.currentIndex()
        self._selected_case = index.data(CASE_ID_ROLE) if index.isValid() else None

    def _on_loaded(self, total: int) -> None:
        self.count_label.setText("1 case" if total == 1 else f"{total:,} cases")
        if total:
            self._stack.setCurrentWidget(self.table)
        else:
            self.empty_state.setText(self._empty_text())
            self._stack.setCurrentWidget(self.empty_state)
        if self._selected_case is not None:
            row = self.model.row_of_case(self._selected_case)
            if row >= 0:
                self.table.selectRow(row)

    def _empty_text(self) -> str:
        case_filter = self.model.case_filter
        if case_filter == CaseFilter():
            return "No cases yet — press Ctrl+N to log the first one."
        if case_filter.search.strip():
            return f"No cases match “{case_filter.search.strip()}”."
        return "No cases with this status."

    def _on_failed(self, message: str) -> None:
        self.count_label.setText("Not loaded")
        self.empty_state.setText(
            f"The cases could not be loaded. {message}\n\nPress F5 to try again."
        )
        self._stack.setCurrentWidget(self.empty_state)

    # -- column widths, remembered between sessions

    def _set_default_widths(self) -> None:
        # Wide enough for "Appointment access" and "Waiting on department" at the default font.
        widths = (135, 145, 145, 175, 190, 150, 135, 85, 80)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)

    def save_state(self, settings: QSettings) -> None:
        widths = [self.table.columnWidth(column) for column in range(len(COLUMNS))]
        settings.setValue(_SETTINGS_WIDTHS, widths)

    def restore_state(self, settings: QSettings) -> None:
        widths = settings.value(_SETTINGS_WIDTHS)
        if isinstance(widths, list) and len(widths) == len(COLUMNS):
            for column, width in enumerate(widths):
                if str(width).isdigit() and 30 <= int(width) <= 1000:
                    self.table.setColumnWidth(column, int(width))
