"""What leaves the reports window: the report shown, saved as PDF, CSV or Excel, or printed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from prdesk.domain import audit
from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.reports.model import Report, ReportRequest
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.export_paths import PathChooser, export_folder, remember_folder
from prdesk.ui.letter_printing import print_pdf
from prdesk.ui.operations import PlainOperation

# The file formats by their suffix, each with its save dialog's filter and its name.
_FORMATS = {
    "pdf": ("PDF document (*.pdf)", "PDF"),
    "csv": ("CSV, comma-separated (*.csv)", "CSV"),
    "xlsx": ("Excel workbook (*.xlsx)", "Excel"),
}


def ask_report_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """The save dialog, offering the one format of the button pressed (the suggestion's suffix)."""
    file_filter, format_name = _FORMATS[suggested.suffix.lstrip(".")]
    name, _chosen = QFileDialog.getSaveFileName(
        parent, f"Save the report as {format_name}", str(suggested), file_filter
    )
    return Path(name) if name else None


def suggested_name(report: Report, request: ReportRequest, suffix: str) -> str:
    """ "compliance-2025-10-01-to-2026-09-30.pdf": the report and its days, sorting by name."""
    return f"{report.name}-{request.start.isoformat()}-to-{request.end.isoformat()}.{suffix}"


class ReportOutput(QObject):
    """The Save and Print buttons, and the work behind them, off the GUI thread.

    Attributes:
        choose_path: asks where to save; tests put a function returning a path here.
        buttons: Save as PDF…, Save as CSV…, Save as Excel…, Print…, in that order.

    Signals:
        saved: the Path the report was written to.
        printed: the report went to the printer.
    """

    saved = Signal(object)
    printed = Signal()

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self._report: Report | None = None
        self._request: ReportRequest | None = None
        self._busy = False
        self.choose_path: PathChooser = ask_report_path
        self.save_pdf_button = self._button("Save as &PDF…", "Save the report as a PDF file")
        self.save_csv_button = self._button("Save as &CSV…", "Save the report's tables as CSV")
        self.save_xlsx_button = self._button(
            "Save as &Excel…", "Save the report's tables as an Excel workbook, a sheet a section"
        )
        self.print_button = self._button("Pr&int…", "Print the report as its PDF looks")
        self.buttons = (
            self.save_pdf_button,
            self.save_csv_button,
            self.save_xlsx_button,
            self.print_button,
        )
        self.save_pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.save_csv_button.clicked.connect(lambda: self.save("csv"))
        self.save_xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        self.print_button.clicked.connect(self.print_report)
        self._enable()

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        return button

    def set_report(self, report: Report, request: ReportRequest) -> None:
        self._report, self._request = report, request
        self._enable()

    def _enable(self) -> None:
        ready = self._report is not None and not self._busy
        for button in self.buttons:
            button.setEnabled(ready)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def save(self, fmt: str) -> PlainOperation[Path] | None:
        """Asks where, then writes the report shown (not computed again) to the file."""
        report, request = self._report, self._request
        if report is None or request is None:
            return None
        path = self.choose_path(
            self._window, export_folder() / suggested_name(report, request, fmt)
        )
        if path is None:
            return None
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        remember_folder(path)
        # ReportLab and openpyxl load when a report is first saved, not with the window.
        from prdesk.export.report_files import ReportFormat, save_report

        db, actor = self._ctx.db, self._ctx.actor

        def on_saved(_written: Path) -> None:
            self.saved.emit(path)
            show_message(
                self._window,
                f"“{report.title}” saved to {path.name}\nin {path.parent}.",
                title="Report saved",
                icon=QMessageBox.Icon.Information,
            )

        def on_failed(error: DomainError) -> None:
            show_message(self._window, error.message, title="Report not saved")

        self._set_busy(True)
        return (
            PlainOperation(
                self._window, lambda: save_report(db, actor, report, path, ReportFormat(fmt))
            )
            .alongside(long=True)
            .success(on_saved)
            .failure(on_failed)
            .done(lambda: self._set_busy(False))
            .run()
        )

    def print_report(self) -> PlainOperation[bytes] | None:
        """Makes the report's PDF in the background, then asks for a printer and prints it."""
        report = self._report
        if report is None or not self._ctx.may(Action.VIEW_REPORTS):
            return None
        from prdesk.export.report_pdf import report_pdf

        def on_failed(message: str) -> None:
            show_message(self._window, message, title="Report not printed")

        def on_printed() -> None:
            # A printed report leaves PR Desk as a saved one does: the audit trail says so.
            actor = self._ctx.actor
            self._ctx.operation(
                self._window,
                lambda session: audit.record(
                    session, actor, "printed", "report", None,
                    report=report.name, title=report.title, period=report.subtitle,
                ),
            ).run()  # fmt: skip
            self.printed.emit()

        def on_made(pdf: bytes) -> None:
            print_pdf(pdf, self._window, title=report.title, printed=on_printed, failed=on_failed)

        self._set_busy(True)
        return (
            PlainOperation(self._window, lambda: report_pdf(report))
            .alongside(long=True)
            .success(on_made)
            .failure(lambda error: on_failed(error.message))
            .done(lambda: self._set_busy(False))
            .run()
        )
