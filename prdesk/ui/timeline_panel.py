"""A case's investigation timeline: the add-a-step form above the entries, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.ui.context import AppContext
from prdesk.ui.timeline_entry_form import TimelineEntryForm
from prdesk.ui.timeline_model import AUTHOR, DETAILS, KIND, SUMMARY, WHEN, TimelineModel


class TimelinePanel(QGroupBox):
    """The form and the table; the case view feeds it each loaded case's entries."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Timeline", parent)
        self.form = TimelineEntryForm(ctx)
        self.model = TimelineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Timeline entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Entries are few and their details matter: rows grow to show all their text.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((WHEN, 130), (KIND, 120), (AUTHOR, 110), (SUMMARY, 190)):
            header.resizeSection(column, width)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.table, 1)

    def set_case(self, case_id: int, entries: Sequence[TimelineEntryInfo]) -> None:
        self.form.set_case(case_id)
        self.model.set_entries(entries)
