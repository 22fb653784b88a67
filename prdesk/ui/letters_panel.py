"""A case's letters, and making the acknowledgement letter as a PDF file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letters_model import LettersModel
from prdesk.ui.operations import PlainOperation


def ask_save_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save a PDF, chosen by the user; None when they cancel."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Save the letter as", str(suggested), "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class LettersPanel(QGroupBox):
    """Lists the case's letters; "Acknowledgement letter…" (Ctrl+L) makes one.

    Attributes:
        ask_save_path: the save-file question; tests put a function returning a path here.

    Signals:
        saved: the path of a PDF that was written.
    """

    saved = Signal(Path)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Letters", parent)
        self._ctx = ctx
        self._case: CaseDetail | None = None
        self.ask_save_path = ask_save_path
        self.model = LettersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Letters")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A case has a handful of letters: keep the room for the timeline.
        self.table.setMaximumHeight(self.fontMetrics().height() * 6)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.info = InfoBar()
        self.acknowledge_button = QPushButton("Acknowledgement &letter…")
        self.acknowledge_button.setShortcut("Ctrl+L")
        self.acknowledge_button.setToolTip(
            "Draft the acknowledgement letter and save it as a PDF (Ctrl+L)"
        )
        self.acknowledge_button.setAutoDefault(False)
        self.acknowledge_button.setEnabled(ctx.may(Action.DRAFT_LETTER))

        self.empty_label = QLabel("No letters yet.")
        self.empty_label.setProperty("role", "hint")

        buttons = QHBoxLayout()
        buttons.addWidget(self.acknowledge_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.table.hide()
        self.acknowledge_button.clicked.connect(self.make_acknowledgement)

    def set_case(self, detail: CaseDetail) -> None:
        self._case = detail
        self.model.set_letters(detail.letters)
        self.table.setVisible(bool(detail.letters))
        self.empty_label.setVisible(not detail.letters)

    def suggested_path(self) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        number = self._case.number if self._case else "Case"
        return Path(folder or Path.home()) / f"{number} Acknowledgement.pdf"

    def make_acknowledgement(self) -> None:
        if self._case is None or not self.acknowledge_button.isEnabled():
            return
        path = self.ask_save_path(self, self.suggested_path())
        if path is None:
            return
        case_id, actor, db = self._case.id, self._ctx.actor, self._ctx.db
        self.acknowledge_button.setEnabled(False)
        self.info.show_message(f"Making {path.name}…")

        def make() -> Path:
            # ReportLab loads only when a letter is made.
            from prdesk.export.letter_files import draft_letter_pdf, save_pdf

            _letter, pdf = draft_letter_pdf(db, actor, case_id, "acknowledgement")
            return save_pdf(path, pdf)

        (
            PlainOperation(self, make, hub=self._ctx.hub)
            .changes(Change.to_case(case_id, Change.LETTERS))
            .success(self._on_saved)
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .done(lambda: self.acknowledge_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, path: Path) -> None:
        self.info.show_message(
            f"Saved {path.name} in {path.parent}.",
            actions=[("&Open PDF", lambda: self.open_file(path))],
        )
        self.saved.emit(path)

    @staticmethod
    def open_file(path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
