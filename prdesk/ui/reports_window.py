"""The reports window: the reports on the left, their days and choices on top, the figures below."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.reports.catalogue import REPORTS, ReportSpec, run_report
from prdesk.domain.reports.model import Report, ReportRequest
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.operations import PlainOperation
from prdesk.ui.report_list import ReportList
from prdesk.ui.report_options import ReportOptions
from prdesk.ui.report_output import ReportOutput
from prdesk.ui.report_page import ReportPage
from prdesk.ui.settings import ui_settings

_GEOMETRY = "reports_window/geometry"
_SPLITTER = "reports_window/splitter"


class ReportsWindow(QWidget):
    """Coordinators, auditors and administrators compute, read, save and print reports.

    Attributes:
        output: saving and printing the report shown; tests replace its `choose_path`.

    Signals:
        filter_requested: the CaseFilter of a figure or bar, to show its cases in the list.
        shown: a report arrived and is on screen.
    """

    filter_requested = Signal(object)
    shown = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._ctx = ctx
        self._generation = 0
        self.setWindowTitle("Reports – PR Desk")
        self.reports = ReportList(REPORTS)
        self.options = ReportOptions()
        # Choices hidden before the layouts are built, or they would widen the window.
        self.options.show_options_of(REPORTS[0])
        self.show_button = QPushButton("&Show")
        self.show_button.setDefault(True)
        self.show_button.setToolTip("Compute the report for these days (Enter)")
        self.page = ReportPage()
        self.caption = QLabel("")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAccessibleName("Report status")
        self.output = ReportOutput(ctx, self)

        top = QHBoxLayout()
        top.addWidget(self.options, 1)
        top.addWidget(self.show_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.caption, 1)
        for button in self.output.buttons:
            bottom.addWidget(button)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addLayout(top)
        right_column.addWidget(self.page, 1)
        right_column.addLayout(bottom)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.reports)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([260, 940])
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)
        QWidget.setTabOrder(self.reports, self.options)
        QWidget.setTabOrder(self.options, self.show_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.show_report)
        self.resize(1200, 760)

        self.reports.currentRowChanged.connect(self._on_report_chosen)
        self.reports.itemActivated.connect(lambda _item: self.show_report())
        self.options.submitted.connect(self.show_report)
        self.show_button.clicked.connect(self.show_report)
        self.page.filter_requested.connect(self.filter_requested)
        ctx.hub.changed.connect(self.on_changed)
        self.output.saved.connect(lambda path: self.caption.setText(f"Saved to {path.name}."))
        self.output.printed.connect(lambda: self.caption.setText("Sent to the printer."))
        self.show_button.setEnabled(ctx.may(Action.VIEW_REPORTS))
        self.reports.setCurrentRow(0)

    # -- what is chosen

    def spec(self) -> ReportSpec:
        row = max(self.reports.currentRow(), 0)
        return REPORTS[row]

    def choose(self, name: str) -> None:
        """Selects a report by its catalogue name ("compliance")."""
        for row, spec in enumerate(REPORTS):
            if spec.name == name:
                self.reports.setCurrentRow(row)
                return
        raise KeyError(name)

    def _on_report_chosen(self, row: int) -> None:
        if 0 <= row < len(REPORTS):
            self.options.show_options_of(REPORTS[row])

    # -- computing

    def show_report(self) -> PlainOperation[Report] | None:
        """Computes the chosen report off the GUI thread; a second press supersedes the first."""
        try:
            request = self.options.request()
        except ValueError as error:
            self._refuse(str(error))
            return None
        except ValidationError as error:
            self._refuse(error.message)
            return None
        spec, db, actor = self.spec(), self._ctx.db, self._ctx.actor
        self._generation += 1
        generation = self._generation
        self._set_busy(True, f"Computing “{spec.title}”…")
        return (
            PlainOperation(self, lambda: run_report(db, actor, spec.name, request))
            .alongside()
            .success(lambda report: self._on_computed(generation, report, request))
            .failure(lambda error: self._on_failed(generation, error))
            .done(lambda: self._on_done(generation))
            .run()
        )

    def _refuse(self, message: str) -> None:
        self.caption.setText(message)
        show_message(self, message, title="Report not shown")

    def _on_computed(self, generation: int, report: Report, request: ReportRequest) -> None:
        if generation != self._generation:
            return
        self.page.show_report(report)
        self.output.set_report(report, request)
        self.caption.setText(f"Computed at {report.generated_at.astimezone():%H:%M}.")
        self.shown.emit(report)

    def _on_failed(self, generation: int, error: DomainError) -> None:
        if generation != self._generation:
            return
        self.caption.setText("The report could not be computed.")
        show_message(self, error.message, title="Report not shown")

    def _on_done(self, generation: int) -> None:
        if generation == self._generation:
            self._set_busy(False, None)

    def on_changed(self, change: Change) -> None:
        """Says the figures shown are older than the cases, rather than recomputing them
        unasked: a report is read and compared as it stood, and takes a moment to make."""
        del change
        if self.page.report is not None and self.show_button.isEnabled():
            self.caption.setText(
                f"Computed at {self.page.report.generated_at.astimezone():%H:%M}; cases have "
                "changed since: press Show (F5) for the figures now."
            )

    def _set_busy(self, busy: bool, text: str | None) -> None:
        self.show_button.setEnabled(not busy and self._ctx.may(Action.VIEW_REPORTS))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        if text is not None:
            self.caption.setText(text)

    # -- the window's place on screen

    def restore_layout(self) -> None:
        settings = ui_settings()
        geometry = settings.value(_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        split = settings.value(_SPLITTER)
        if isinstance(split, QByteArray):
            self.split.restoreState(split)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = ui_settings()
        settings.setValue(_GEOMETRY, self.saveGeometry())
        settings.setValue(_SPLITTER, self.split.saveState())
        super().closeEvent(event)


_open: list[ReportsWindow] = []


def open_reports(ctx: AppContext, parent: QWidget | None) -> ReportsWindow:
    """The reports window, in front: the one already open, else a new one where it was last."""
    for window in list(_open):
        if not shiboken6.isValid(window):
            _open.remove(window)
        elif window._ctx is ctx:
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
    window = ReportsWindow(ctx, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.restore_layout()
    _open.append(window)
    window.show()
    return window
