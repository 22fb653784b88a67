"""The "New case" dialog: the intake form, saved in the background, errors shown on the fields."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail, Reference
from prdesk.domain.services import cases, organisation
from prdesk.domain.services.case_input import NewCase
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.intake_form import IntakeForm
from prdesk.ui.questions import ask_discard
from prdesk.ui.style import STYLESHEET

_ReferenceLists = tuple[list[Reference], list[Reference]]


def _reference_lists(session: Session) -> _ReferenceLists:
    return organisation.departments(session), organisation.categories(session)


class NewCaseDialog(QDialog):
    """Logs a new case. Stays open, with everything typed, until the save succeeds.

    Use `open()` (not exec) so the rest of the application keeps running; tests
    fill `form` or call `load()`, then `save()`.

    Signals:
        saved: the CaseDetail of the new case, after it was committed.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._saving = False
        self.setWindowTitle("New case — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.resize(1180, 800)

        self.banner = InfoBar()
        self.form = IntakeForm(may_override=ctx.may(Action.ASSIGN_CASE))
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setWidget(self.form)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save case")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.save_button, cancel):
            # Enter in a field must not save a half-typed case: only Ctrl+Enter saves.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.save_button.setToolTip("Save the case (Ctrl+Enter)")
        hint = QLabel("Ctrl+Enter saves · Esc cancels")
        hint.setProperty("role", "hint")

        bottom = QHBoxLayout()
        bottom.addWidget(hint)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(bottom)

        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.form.kind.setFocus()
        self._load_reference_lists()

    # -- filling in

    def load(self, new: NewCase) -> None:
        self.form.load(new)

    def values(self) -> NewCase:
        return self.form.values()

    def _load_reference_lists(self) -> None:
        (
            self._ctx.operation(self, _reference_lists, read_only=True)
            .success(lambda lists: self.form.set_reference_lists(*lists))
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    # -- saving

    def save(self) -> None:
        if self._saving:
            return
        local = self.form.local_errors()
        if local:
            self._show_errors(ValidationError.from_fields(local))
            return
        new = self.form.values()
        actor = self._ctx.actor
        self._set_saving(True)
        (
            self._ctx.operation(self, lambda session: cases.open_case(session, actor, new))
            .changes(lambda detail: Change.to_case(detail.id, Change.CASE))
            .success(self._on_saved)
            .failure(self._show_errors)
            .done(lambda: self._set_saving(False))
            .run()
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "&Save case")

    def _on_saved(self, detail: CaseDetail) -> None:
        self.saved.emit(detail)
        self.accept()

    def _show_errors(self, error: DomainError) -> None:
        """Marks each field and goes to the first; the dialog and its text stay as they are."""
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.form.errors.show(fields)
        if fields and not unplaced:
            message = (
                "Check the field marked below."
                if len(fields) == 1
                else f"Check the {len(fields)} fields marked below."
            )
        else:
            message = error.message if not unplaced else " ".join(unplaced.values())
        self.banner.show_message(message, kind="error")
        first = self.form.errors.first_invalid()
        if first is not None:
            self._scroll.ensureWidgetVisible(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_for(self, field: str) -> str:
        """The message shown under a field, by its ValidationError name ("" for none)."""
        return self.form.errors.message(field)

    # -- leaving

    def reject(self) -> None:
        if self.form.has_input() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Asks before throwing away typed text; tests replace this."""
        return ask_discard(
            self, "Discard this case?", "What you typed has not been saved. Discard it?"
        )
