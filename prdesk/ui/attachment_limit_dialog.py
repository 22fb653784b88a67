"""The largest file that may be attached to a case, set by an administrator in megabytes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.services import attachments
from prdesk.domain.services.attachments import LIMIT_RANGE_MB, MEGABYTE
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.style import STYLESHEET


class AttachmentLimitDialog(QDialog):
    """Loads the stored limit, saves the new one in the background.

    Signals:
        saved: the new limit in megabytes, once written.
    """

    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("Attachment size limit — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
        self.errors = FieldErrors()
        explain = QLabel(
            "Files larger than this are refused when they are attached or dropped on a "
            "timeline. Attachments are kept in the database, so a high limit makes it, "
            "and its backups, grow quickly."
        )
        explain.setWordWrap(True)
        self.megabytes = QSpinBox()
        # The range the domain accepts: typing cannot leave it.
        self.megabytes.setRange(*LIMIT_RANGE_MB)
        self.megabytes.setSuffix(" MB")
        self.megabytes.setAccessibleName("Largest attachment, in megabytes")
        self.megabytes.setEnabled(False)  # until the stored limit has arrived
        label = QLabel("&Largest attachment")
        label.setBuddy(self.megabytes)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(label, self.errors.wrap("megabytes", self.megabytes))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("&Save")
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.resize(480, 170)
        (
            ctx.operation(self, attachments.attachment_limit_bytes, read_only=True)
            .success(lambda limit: self.load(round(limit / MEGABYTE)))
            .failure(self._show_error)
            .run()
        )

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> AttachmentLimitDialog:
        """Opens the dialog without blocking; it deletes itself when closed."""
        dialog = cls(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def load(self, megabytes: int) -> None:
        self.megabytes.setValue(megabytes)
        self.megabytes.setEnabled(True)
        self.save_button.setEnabled(True)

    def value(self) -> int:
        return self.megabytes.value()

    def save(self) -> None:
        megabytes, actor = self.value(), self._ctx.actor

        def store(session: Session) -> int:
            attachments.set_attachment_limit(session, actor, megabytes)
            return megabytes

        self.save_button.setEnabled(False)
        (
            self._ctx.operation(self, store)
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, megabytes: int) -> None:
        self.saved.emit(megabytes)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
