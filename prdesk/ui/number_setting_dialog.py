"""A dialog for one whole-number organisation setting: read it, change it, save it in the background."""

from __future__ import annotations

from typing import ClassVar, Self

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
from prdesk.domain.readmodels import UserInfo
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.style import STYLESHEET


class NumberSettingDialog(QDialog):
    """Loads the stored number, saves the new one in the background.

    A setting declares itself with the class attributes and implements `read` and
    `write`; the dialog does the rest.

    Signals:
        saved: the new value, once written.
    """

    saved = Signal(int)

    title: ClassVar[str]
    explanation: ClassVar[str]
    label: ClassVar[str]  # with its mnemonic ("&Lock after")
    accessible_name: ClassVar[str]
    suffix: ClassVar[str]
    # The field name the domain's ValidationError uses for this value.
    field: ClassVar[str]
    # The range the domain accepts: typing cannot leave it.
    value_range: ClassVar[tuple[int, int]]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(f"{self.title} — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
        self.errors = FieldErrors()
        explain = QLabel(self.explanation)
        explain.setWordWrap(True)
        self.number = QSpinBox()
        self.number.setRange(*self.value_range)
        self.number.setSuffix(self.suffix)
        self.number.setAccessibleName(self.accessible_name)
        self.number.setEnabled(False)  # until the stored value has arrived
        label = QLabel(self.label)
        label.setBuddy(self.number)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(label, self.errors.wrap(self.field, self.number))
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
            ctx.operation(self, self.read, read_only=True)
            .success(self.load)
            .failure(self._show_error)
            .run()
        )

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> Self:
        """Opens the dialog without blocking; it deletes itself when closed."""
        dialog = cls(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @staticmethod
    def read(session: Session) -> int:
        """The stored value (runs on a worker)."""
        raise NotImplementedError

    @staticmethod
    def write(session: Session, actor: UserInfo, value: int) -> None:
        """Stores the value (runs on a worker); ValidationError names `field`."""
        raise NotImplementedError

    def load(self, value: int) -> None:
        self.number.setValue(value)
        self.number.setEnabled(True)
        self.save_button.setEnabled(True)

    def value(self) -> int:
        return self.number.value()

    def save(self) -> None:
        value, actor, write = self.value(), self._ctx.actor, self.write

        def store(session: Session) -> int:
            write(session, actor, value)
            return value

        self.save_button.setEnabled(False)
        (
            self._ctx.operation(self, store)
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, value: int) -> None:
        self.saved.emit(value)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
