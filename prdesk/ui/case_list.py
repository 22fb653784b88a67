"""The case list screen: saved views, filters as chips, search as you type, the count and the table."""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.permissions import Action
from prdesk.domain.queries import CaseFilter, SortKey
from prdesk.domain.readmodels import CaseRow
from prdesk.ui.case_list_assign import CaseAssigner, assign_menu
from prdesk.ui.case_list_cells import CASE_ID_ROLE
from prdesk.ui.case_list_header import CaseListHeader
from prdesk.ui.case_list_model import CaseListModel
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.export_cases import export_case_view
from prdesk.ui.filter_chips import FilterChips
from prdesk.ui.filter_choices import FilterChoices, load_choices
from prdesk.ui.filter_menu import FilterButton
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.saved_views_bar import SavedViewsBar

# None: each keystroke asks at once. The model runs one list query at a time and
# replaces a waiting one with the newest, so a fast typist never builds a queue.
SEARCH_DELAY_MS = 0
ASSIGN_SHORTCUT = "Ctrl+Shift+A"
_SETTINGS_FILTER = "case_list/filter"


class CaseListWidget(QWidget):
    """Lists the cases; Enter or a double click opens one.

    Signals:
        case_activated: the id of the case the user chose to open.
    """

    case_activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = CaseListModel(ctx, self)
        self._criteria = CaseFilter()  # what the chips show; the search box adds its text
        self._choices = FilterChoices()
        self.assigner = CaseAssigner(ctx, self)

        self.views = SavedViewsBar(ctx)
        self.filter_button = FilterButton()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by case number, name, MRN, phone or email  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cases")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Save the cases of this view to an Excel or CSV file (Alt+X)")
        self.export_button.setAutoDefault(False)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of cases")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.chips = FilterChips()
        self.chips.hide()
        self.info = InfoBar()

        self.table = QTableView()
        self.table.setHorizontalHeader(CaseListHeader(self.table))
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases")
        # Tab leaves the table; arrows move between rows (100,000 rows would trap Tab).
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(vertical.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.header.apply_defaults()
        self.header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self.table.setSortingEnabled(True)

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
        bar.addWidget(self.views)
        bar.addWidget(self.filter_button)
        bar.addWidget(self.search, 1)
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.chips)
        layout.addWidget(self.info)
        layout.addWidget(self._stack, 1)
        self.setTabOrder(self.views.combo, self.views.manage)
        self.setTabOrder(self.views.manage, self.filter_button)
        self.setTabOrder(self.filter_button, self.search)
        # From the search box straight into the rows; Export comes after them.
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.export_button)

        # Typing restarts the timer: one query when the user pauses, not one per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._selected_cases: list[int] = []
        self._connect_signals()
        self._show_criteria()
        # The rows are asked for first; the menus' choices and saved views queue behind.
        self.model.reload()
        self.views.load()
        self._load_choices()

    @property
    def header(self) -> CaseListHeader:
        header = self.table.horizontalHeader()
        assert isinstance(header, CaseListHeader)
        return header

    def _connect_signals(self) -> None:
        # Filtering
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._apply_filter)
        self.views.view_chosen.connect(self.set_criteria)
        self.views.problem.connect(self._show_problem)
        self.filter_button.filter_changed.connect(self.set_criteria)
        self.chips.filter_changed.connect(self.set_criteria)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search,
            self.search.clear,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.export_button.clicked.connect(self.export)
        # The table
        self.table.activated.connect(self._on_activated)
        self.table.customContextMenuRequested.connect(self._show_row_menu)
        QShortcut(
            QKeySequence(ASSIGN_SHORTCUT),
            self.table,
            self._show_assign_menu,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        # A new filter, search or sort starts at the top: its newest matches are there.
        self.model.modelReset.connect(self.table.scrollToTop)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)
        self.assigner.finished.connect(self._on_assigned)

    # -- what other screens and exports ask

    def current_filter(self) -> CaseFilter:
        """The filter of the rows shown, search text included."""
        return self.model.case_filter

    def current_sort(self) -> tuple[SortKey, bool]:
        """(sort key, descending) of the rows shown."""
        return self.model.sort_key, self.model.descending

    def visible_columns(self) -> list[tuple[str, str]]:
        """(heading, column key) of each column shown, in the order shown.

        The keys are those of case_list_columns, which the case table export shares.
        """
        return self.header.shown_columns()

    def export(self) -> None:
        """Writes the cases of this view, in its order and columns, to a file the user names."""
        sort, descending = self.current_sort()
        columns = [key for _title, key in self.visible_columns()]
        export_case_view(self._ctx, self, self.current_filter(), sort, descending, columns)

    def selected_rows(self) -> list[CaseRow]:
        """The selected cases whose rows are loaded, top to bottom."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        loaded = (self.model.row_at(self.model.index(row, 0)) for row in rows)
        return [row for row in loaded if row is not None]

    # -- slots

    def on_changed(self, change: Change) -> None:
        """Any saved change may add, remove or reorder rows: count again, fetch the rows in view."""
        self.model.refresh()
        if Change.ALL in change.what:
            self.views.load()
            self._load_choices()

    def refresh(self) -> None:
        self.model.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_criteria(self, criteria: CaseFilter) -> None:
        """Shows the cases matching these criteria (and the search box's text)."""
        self._criteria = replace(criteria, search="")
        self._show_criteria()
        self._apply_filter()

    def _show_criteria(self) -> None:
        self.chips.show_filter(self._criteria, self._choices)
        self.filter_button.show_filter(self._criteria)
        self.views.show_filter(self._criteria)

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(replace(self._criteria, search=self.search.text()))

    def _load_choices(self) -> None:
        (
            self._ctx.operation(self, load_choices, read_only=True)
            .success(self._set_choices)
            .failure(lambda error: self._show_problem(error.message))
            .run()
        )

    def _set_choices(self, choices: FilterChoices) -> None:
        self._choices = choices
        self.assigner.caseworkers = choices.caseworkers
        self.filter_button.set_choices(choices)
        self.chips.show_filter(self._criteria, choices)

    def _on_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.case_activated.emit(int(case_id))

    def _remember_selection(self) -> None:
        self._selected_cases = [row.id for row in self.selected_rows()]

    def _on_loaded(self, total: int, exact: bool) -> None:
        if not exact:
            self.count_label.setText("Counting…")
            self._stack.setCurrentWidget(self.table)
        else:
            self.count_label.setText("1 case" if total == 1 else f"{total:,} cases")
            if total:
                self._stack.setCurrentWidget(self.table)
            else:
                self.empty_state.setText(self._empty_text())
                self._stack.setCurrentWidget(self.empty_state)
        # The cases chosen before stay chosen where they still are, all of them, without
        # scrolling the list away from its top.
        selection = self.table.selectionModel()
        keep = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for case_id in self._selected_cases:
            row = self.model.row_of_case(case_id)
            if row >= 0:
                selection.select(self.model.index(row, 0), keep)
        self._selected_cases = []

    def _empty_text(self) -> str:
        case_filter = self.model.case_filter
        if case_filter == CaseFilter():
            return "No cases yet — press Ctrl+N to log the first one."
        if case_filter.search.strip():
            return f"No cases match “{case_filter.search.strip()}”."
        return "No cases match these filters. Remove a filter to see more."

    def _on_failed(self, message: str) -> None:
        self.count_label.setText("Not loaded")
        self.empty_state.setText(
            f"The cases could not be loaded. {message}\n\nPress F5 to try again."
        )
        self._stack.setCurrentWidget(self.empty_state)

    def _show_problem(self, message: str) -> None:
        self.info.show_message(message, kind="warning")

    # -- assigning from the list

    def _show_row_menu(self, position: QPoint) -> None:
        menu = self.row_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _show_assign_menu(self) -> None:
        rows = self.selected_rows()
        if not rows or not self._ctx.may(Action.ASSIGN_CASE):
            return
        menu = assign_menu(self, self.assigner, rows)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        current = self.table.visualRect(self.table.currentIndex())
        menu.popup(self.table.viewport().mapToGlobal(current.bottomLeft()))

    def row_menu(self) -> QMenu:
        """Open, and assign the selected cases (the table's context menu)."""
        menu = QMenu(self)
        rows = self.selected_rows()
        open_case = menu.addAction("&Open case")
        open_case.setShortcut(QKeySequence(Qt.Key.Key_Return))
        open_case.setEnabled(self.table.currentIndex().isValid())
        open_case.triggered.connect(lambda: self._on_activated(self.table.currentIndex()))
        assign = assign_menu(menu, self.assigner, rows)
        assign.setTitle(f"&Assign to ({ASSIGN_SHORTCUT})")
        menu.addMenu(assign)
        if not rows or not self._ctx.may(Action.ASSIGN_CASE):
            assign.setEnabled(False)
        return menu

    def assign_selected(self, assignee_id: int | None) -> None:
        self.assigner.assign(self.selected_rows(), assignee_id)

    def _on_assigned(self, assigned: int, problems: list[str]) -> None:
        if problems:
            done = f"{assigned} assigned. " if assigned else ""
            self.info.show_message(done + " ".join(problems), kind="warning")
            self.model.refresh()  # show who has the refused cases now

    # -- layout and filter, remembered between sessions

    def save_state(self, settings: QSettings) -> None:
        self.header.save(settings)
        # The search is usually a patient's name: never written to the settings file.
        kept = replace(self._criteria, search="")
        settings.setValue(_SETTINGS_FILTER, json.dumps(kept.to_json()))

    def restore_state(self, settings: QSettings) -> None:
        self.header.restore(settings)
        saved = settings.value(_SETTINGS_FILTER)
        if isinstance(saved, str) and saved:
            try:
                data = json.loads(saved)
            except ValueError:
                return
            if isinstance(data, dict):
                self.set_criteria(CaseFilter.from_json(data))
