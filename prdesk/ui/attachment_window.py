"""A window beside the case showing one attached file, so the timeline stays in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from prdesk.domain.readmodels import AttachmentInfo
from prdesk.ui.attachment_preview import AttachmentPreview
from prdesk.ui.context import AppContext
from prdesk.ui.remembered_size import remember_layout


class AttachmentWindow(QDialog):
    """Not modal: people read a statement while they write the entry about it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.preview = AttachmentPreview(ctx)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.resize(720, 860)
        # Beside the case, where the person put it to read alongside the timeline.
        remember_layout(self, "attachment_window")

    def show_attachment(self, info: AttachmentInfo) -> None:
        self.setWindowTitle(f"{info.filename} – PR Desk")
        self.preview.show_attachment(info)
        self.show()
        self.raise_()
        self.activateWindow()
