"""The audit trail window: filters, the entries newest first, and one entry's old and new values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.services.audit_trail import AuditFilter, AuditRow, usernames
from prdesk.export.audit_export import export_audit_trail
from prdesk.export.spreadsheet_files import ExportFormat
from prdesk.ui.audit_filter_bar import AuditFilterBar
from prdesk.ui.audit_log_model import HEADERS, AuditLogModel
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.export_paths import (
    PathChooser,
    ask_table_path,
    export_folder,
    remember_folder,
)
from prdesk.ui.formatting import local_datetime
from prdesk.ui.operations import PlainOperation
from prdesk.ui.remembered_size import remember_layout


def ask_export_path(parent: QWidget | None, suggested: Path) -> Path | None:
    return ask_table_path(parent, suggested, "Export the audit trail")


def _suggested_path() -> Path:
    return export_folder() / f"audit-trail-{date.today().isoformat()}.xlsx"


class EntryDetail(QWidget):
    """The chosen entry: what it says, and each value before and after, side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Choose an entry to see its old and new values.")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName("Entry")
        self.values = QTableWidget(0, 3)
        self.values.setHorizontalHeaderLabels(["Field", "Before", "After"])
        self.values.setAccessibleName("Old and new values")
        self.values.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.values.setTabKeyNavigation(False)
        self.values.setWordWrap(True)
        self.values.verticalHeader().hide()
        header = self.values.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.values, 1)

    def show_row(self, row: AuditRow | None) -> None:
        self.values.setRowCount(0)
        if row is None:
            self.heading.setText("Choose an entry to see its old and new values.")
            return
        where = f" on {row.case_number}" if row.case_number else ""
        workstation = f" at {row.client}" if row.client else ""
        self.heading.setText(
            f"{local_datetime(row.at)}: {row.who}{workstation}{where}\n{row.description}"
        )
        before, after = dict(row.old_values), dict(row.new_values)
        fields = list(dict.fromkeys([*before, *after]))
        self.values.setRowCount(len(fields))
        for number, field in enumerate(fields):
            for column, text in enumerate((field, before.get(field, ""), after.get(field, ""))):
                self.values.setItem(number, column, QTableWidgetItem(text))
        self.values.resizeRowsToContents()


class AuditLogWindow(QWidget):
    """Auditors and administrators read and export who did what, when, per case or across cases.

    Attributes:
        choose_path: asks where to export; tests put a function returning a path here.
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, wanted: AuditFilter | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._ctx = ctx
        self.choose_path: PathChooser = ask_export_path
        self.setWindowTitle("Audit trail – PR Desk")
        self.filters = AuditFilterBar()
        self.caption = QLabel("Loading…")
        self.caption.setAccessibleName("Audit trail status")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.model = AuditLogModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit trail entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(
            range(len(HEADERS) - 1), (150, 190, 150, 120, 60, 110), strict=True
        ):
            header.resizeSection(column, width)
        self.detail = EntryDetail()
        self.export_button = QPushButton("&Export…")
        self.export_button.setAutoDefault(False)
        self.export_button.setAccessibleName("Export the audit trail")
        self.export_button.setToolTip("Save the entries shown to an Excel or CSV file")
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.setToolTip("Read the newest entries again (F5)")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.caption, 1)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.filters.clear_button, self.table)
        QWidget.setTabOrder(self.table, self.detail.values)
        QWidget.setTabOrder(self.detail.values, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.export_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.model.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.resize(1180, 720)

        self.filters.changed.connect(self._apply)
        self.filters.invalid.connect(self._on_failed)
        self.model.counted.connect(self._on_counted)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        self.refresh_button.clicked.connect(self.model.refresh)
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(ctx.may(Action.VIEW_AUDIT_LOG))
        self._load_users()
        self.filters.set_filter(wanted or AuditFilter())

    def _load_users(self) -> None:
        actor = self._ctx.actor
        self._ctx.operation(
            self, lambda session: usernames(session, actor), read_only=True
        ).success(self.filters.set_users).failure(lambda error: None).run()

    def _apply(self, wanted: AuditFilter) -> None:
        self.caption.setText("Loading…")
        self.detail.show_row(None)
        self.model.set_filter(wanted)

    def _on_loaded(self) -> None:
        if self.model.total is None:
            self.caption.setText(f"{self.model.rowCount():,} entries shown, counting…")
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _on_counted(self, total: int) -> None:
        self.caption.setText("1 entry" if total == 1 else f"{total:,} entries")

    def _on_failed(self, message: str) -> None:
        self.caption.setText(message)

    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        self.detail.show_row(self.model.row_at(rows[0].row()) if rows else None)

    def current_row(self) -> AuditRow | None:
        index: QModelIndex = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def export(self) -> PlainOperation[int] | None:
        """Asks for a file and writes every entry of the current filter to it, off the GUI thread."""
        wanted = self.model.filter
        if wanted is None:
            return None
        path = self.choose_path(self, _suggested_path())
        if path is None:
            return None
        if ExportFormat.of(path) is None:
            path = path.with_name(path.name + ".xlsx")
        remember_folder(path)
        db, actor = self._ctx.db, self._ctx.actor

        def on_saved(count: int) -> None:
            entries = "1 entry" if count == 1 else f"{count:,} entries"
            show_message(
                self,
                f"{entries} saved to {path.name}\nin {path.parent}.",
                title="Audit trail exported",
                icon=QMessageBox.Icon.Information,
            )

        def on_failed(error: DomainError) -> None:
            show_message(self, error.message, title="Audit trail not exported")

        self.export_button.setEnabled(False)
        return (
            PlainOperation(self, lambda: export_audit_trail(db, actor, path, wanted))
            .alongside(long=True)
            .success(on_saved)
            .failure(on_failed)
            .done(lambda: self.export_button.setEnabled(True))
            .run()
        )


def open_audit_trail(
    ctx: AppContext, parent: QWidget | None, case: tuple[int, str] | None = None
) -> AuditLogWindow:
    """The audit trail in a window of its own: across cases, or of one case (id, number)."""
    wanted = AuditFilter() if case is None else AuditFilter(case_number=case[1], case_id=case[0])
    window = AuditLogWindow(ctx, parent, wanted)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    remember_layout(window, "audit_trail")
    window.show()
    return window
