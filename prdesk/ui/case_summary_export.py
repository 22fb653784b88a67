"""Making an open case's summary for the grievance committee, as a print-ready PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services.case_summary import CaseSummary, SummaryOptions
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.export_paths import export_folder, remember_folder
from prdesk.ui.operations import PlainOperation

_PDF_FILTER = "PDF documents (*.pdf)"

# Where the summary goes and what it holds; None when the person cancels.
SummaryQuestion = Callable[[str, Path, QWidget | None], tuple[Path, SummaryOptions] | None]


def ask_pdf_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """The save dialog; ".pdf" is added when no extension is typed."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Save the case summary as", str(suggested), _PDF_FILTER
    )
    return _as_pdf(Path(name)) if name else None


def _as_pdf(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def suggested_path(case_number: str) -> Path:
    """The case's summary file in the folder used for the last export (Documents at first)."""
    return export_folder() / f"{case_number} Case summary.pdf"


class SummaryExportDialog(QDialog):
    """The file to write and whether internal entries go in; Enter makes the PDF.

    Attributes:
        choose_path: the save-file question behind "Browse…"; tests put a function here.
    """

    def __init__(self, case_number: str, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Case summary of {case_number}")
        self.choose_path: Callable[[QWidget | None, Path], Path | None] = ask_pdf_path
        explain = QLabel(
            "A print-ready PDF for the grievance committee: the case's facts, the people, "
            "the timeline, requests to departments, letters sent and the outcome. It holds "
            "protected health information: keep the file and the paper copies confidential."
        )
        explain.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName("Save as")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.setToolTip("Choose the folder and file name")
        path_label = QLabel("Save &as:")
        path_label.setBuddy(self.path)
        path_row = QHBoxLayout()
        path_row.addWidget(path_label)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse_button)
        self.include_internal = QCheckBox("&Include internal entries")
        self.include_internal.setToolTip(
            "Internal entries are the department's own notes; status changes are always included"
        )
        internal_hint = QLabel(
            "Left out unless the committee asks for them. Status changes are always included."
        )
        internal_hint.setProperty("role", "hint")
        internal_hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.make_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.make_button.setText("&Make PDF")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addSpacing(6)
        layout.addLayout(path_row)
        layout.addWidget(self.include_internal)
        layout.addWidget(internal_hint)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.browse_button.clicked.connect(self.browse)
        self.path.textChanged.connect(self._update)
        self.resize(560, 230)
        self.load(suggested)

    def load(self, path: Path, *, include_internal: bool = False) -> None:
        self.path.setText(str(path))
        self.include_internal.setChecked(include_internal)

    def value(self) -> tuple[Path, SummaryOptions] | None:
        """The file (always a .pdf) and the options; None while no file is named."""
        typed = self.path.text().strip()
        if not typed:
            return None
        options = SummaryOptions(include_internal=self.include_internal.isChecked())
        return _as_pdf(Path(typed).expanduser()), options

    def browse(self) -> None:
        current = self.value()
        chosen = self.choose_path(self, current[0] if current else Path.home())
        if chosen is not None:
            self.path.setText(str(chosen))

    def _update(self) -> None:
        self.make_button.setEnabled(bool(self.path.text().strip()))

    @classmethod
    def ask(
        cls, case_number: str, suggested: Path, parent: QWidget | None = None
    ) -> tuple[Path, SummaryOptions] | None:
        dialog = cls(case_number, suggested, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_pdf(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def export_case_summary(
    ctx: AppContext,
    parent: QWidget | None,
    detail: CaseDetail,
    *,
    ask: SummaryQuestion = SummaryExportDialog.ask,
    open_file: Callable[[Path], None] = open_pdf,
) -> PlainOperation[CaseSummary] | None:
    """Asks where (and whether with internal entries), then writes the summary in the
    background and offers to open it. Returns the running operation, or None when the
    person cancelled.
    """
    chosen = ask(detail.number, suggested_path(detail.number), parent)
    if chosen is None:
        return None
    path, options = chosen
    remember_folder(path)
    db, actor, case_id = ctx.db, ctx.actor, detail.id

    def work() -> CaseSummary:
        # ReportLab loads only when a PDF is made.
        from prdesk.export.case_summary_pdf import write_case_summary

        return write_case_summary(db, actor, case_id, path, options)

    def on_saved(summary: CaseSummary) -> None:
        offer_to_open(parent, summary, path, open_file)

    def on_failed(error: DomainError) -> None:
        show_message(parent, error.message, title="Case summary not saved")

    # Its own transaction is committed before the pages are laid out, which for a long
    # timeline takes seconds: on a worker of its own, so the lists and the case go on
    # loading meanwhile.
    return (
        PlainOperation(parent, work).alongside(long=True).success(on_saved).failure(on_failed).run()
    )


def offer_to_open(
    parent: QWidget | None, summary: CaseSummary, path: Path, open_file: Callable[[Path], None]
) -> QMessageBox:
    """Says where the summary is, with "Open PDF" as the default button (not blocking)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Case summary saved",
        f"The summary of {summary.case.number} was saved as {path.name}\nin {path.parent}.",
        QMessageBox.StandardButton.Close,
        parent,
    )
    # The message names files and folders: never read as HTML.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    open_button = box.addButton("&Open PDF", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(open_button)
    box.buttonClicked.connect(lambda button: open_file(path) if button is open_button else None)
    box.open()
    return box
