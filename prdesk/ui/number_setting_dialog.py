"""One whole-number organisation setting: its declaration, its field, and a dialog to change it alone."""

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


class NumberSetting:
    """A whole-number organisation setting, declared once: its wording, its range, its storage.

    The Settings page and the single-setting dialog both build their field from it.
    """

    # The settings-table key it is stored under.
    key: ClassVar[str]
    title: ClassVar[str]
    explanation: ClassVar[str]
    label: ClassVar[str]  # with its mnemonic ("&Lock after")
    accessible_name: ClassVar[str]
    suffix: ClassVar[str]
    # The field name the domain's ValidationError uses for this value.
    field: ClassVar[str]
    # The range the domain accepts: typing cannot leave it.
    value_range: ClassVar[tuple[int, int]]

    @staticmethod
    def read(session: Session) -> int:
        """The stored value (runs on a worker)."""
        raise NotImplementedError

    @staticmethod
    def write(session: Session, actor: UserInfo, value: int) -> None:
        """Stores the value (runs on a worker); ValidationError names `field`."""
        raise NotImplementedError


class NumberSettingField(QWidget):
    """The explanation and the spin box of one NumberSetting, its error shown under it.

    Attributes:
        number: the spin box, disabled until the stored value has arrived.
        label: the spin box's label (its buddy).

    Signals:
        edited: the person changed the number.
    """

    edited = Signal()

    def __init__(
        self, setting: type[NumberSetting], errors: FieldErrors, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        explain = QLabel(setting.explanation)
        explain.setWordWrap(True)
        self.number = QSpinBox()
        self.number.setRange(*setting.value_range)
        self.number.setSuffix(setting.suffix)
        self.number.setAccessibleName(setting.accessible_name)
        self.number.setEnabled(False)
        self.label = QLabel(setting.label)
        self.label.setBuddy(self.number)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.label, errors.wrap(setting.field, self.number))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(explain)
        layout.addLayout(form)
        self.number.valueChanged.connect(self._on_changed)
        self._loading = False

    def set_value(self, value: int) -> None:
        """Shows the stored value (not an edit)."""
        self._loading = True
        try:
            self.number.setValue(value)
        finally:
            self._loading = False
        self.number.setEnabled(True)

    def value(self) -> int:
        return self.number.value()

    def _on_changed(self) -> None:
        if not self._loading:
            self.edited.emit()


class NumberSettingDialog(QDialog):
    """Loads the stored number, saves the new one in the background.

    A subclass names its NumberSetting; the dialog does the rest.

    Signals:
        saved: the new value, once written.
    """

    saved = Signal(int)

    setting: ClassVar[type[NumberSetting]]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(f"{self.setting.title} — PR Desk")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        self.field = NumberSettingField(self.setting, self.errors)
        self.number = self.field.number
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Added after Save, which is shown first: Tab reaches them in that order.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.field)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.resize(480, 170)
        (
            ctx.operation(self, self.setting.read, read_only=True)
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

    def load(self, value: int) -> None:
        self.field.set_value(value)
        self.save_button.setEnabled(True)

    def value(self) -> int:
        return self.number.value()

    def save(self) -> None:
        value, actor, write = self.value(), self._ctx.actor, self.setting.write

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
