"""Minutes without input before every workstation locks, set by an administrator."""

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
from prdesk.domain.services import workstation_settings
from prdesk.domain.services.workstation_settings import IDLE_LOCK_RANGE
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.style import STYLESHEET


class IdleLockDialog(QDialog):
    """Loads the stored time, saves the new one in the background.

    Signals:
        saved: the new time in minutes, once written.
    """

    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("Automatic lock — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
        self.errors = FieldErrors()
        explain = QLabel(
            "After this many minutes without a key pressed or the mouse moved, every PR Desk "
            "window is covered until its user types their password again. Nothing being "
            "written is lost. Every workstation uses it from then on."
        )
        explain.setWordWrap(True)
        self.minutes = QSpinBox()
        self.minutes.setRange(*IDLE_LOCK_RANGE)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Minutes without input before locking")
        self.minutes.setEnabled(False)  # until the stored time has arrived
        label = QLabel("&Lock after")
        label.setBuddy(self.minutes)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(label, self.errors.wrap("minutes", self.minutes))
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
            ctx.operation(self, workstation_settings.idle_lock_minutes, read_only=True)
            .success(self.load)
            .failure(self._show_error)
            .run()
        )

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> IdleLockDialog:
        """Opens the dialog without blocking; it deletes itself when closed."""
        dialog = cls(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def load(self, minutes: int) -> None:
        self.minutes.setValue(minutes)
        self.minutes.setEnabled(True)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        minutes, actor = self.minutes.value(), self._ctx.actor

        def store(session: Session) -> int:
            return workstation_settings.set_idle_lock_minutes(session, actor, minutes)

        self.save_button.setEnabled(False)
        (
            self._ctx.operation(self, store)
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, minutes: int) -> None:
        self.saved.emit(minutes)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
