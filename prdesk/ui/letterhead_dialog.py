"""The letterhead an administrator sets: name, address, logo, paper and the footer every letter carries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import Letterhead
from prdesk.domain.services import organisation
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letterhead_form import LetterheadForm


class LetterheadDialog(QDialog):
    """`load()` fills the form, `save()` writes it on a worker; the page beside the form
    shows a sample letter on the letterhead as it stands.

    Signals:
        saved: the Letterhead, once written.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._allowed = ctx.may(Action.MANAGE_ORGANISATION)
        self.setWindowTitle("Letterhead — PR Desk")
        self.banner = InfoBar()
        self.form = LetterheadForm(self._allowed)
        # The form's parts by name, as the dialog has always offered them.
        form = self.form
        self.organisation, self.department, self.address = (
            form.organisation,
            form.department,
            form.address,
        )
        self.phone, self.email, self.website = form.phone, form.email, form.website
        self.logo, self.logo_error, self.choose_logo = form.logo, form.logo_error, form.choose_logo
        self.remove_logo, self.paper, self.preview = form.remove_logo, form.paper, form.preview
        self.confidentiality = form.confidentiality
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if not self._allowed:
            self.banner.show_message("Only an administrator changes the letterhead.", kind="info")
        self.resize(980, 680)

    def load(self, letterhead: Letterhead) -> None:
        """Shows the letterhead as saved; saving later writes over it."""
        self.form.load(letterhead)
        self.save_button.setEnabled(self._allowed)

    def letterhead(self) -> Letterhead:
        """The letterhead as the form has it now."""
        return self.form.letterhead()

    def use_logo_file(self, path: Path) -> bool:
        """Takes the picture at `path` as the logo; False (with the reason shown) if unusable."""
        return self.form.use_logo_file(path)

    def set_logo(self, data: bytes | None) -> None:
        self.form.set_logo(data)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        actor, chosen = self._ctx.actor, self.letterhead()
        self.save_button.setEnabled(False)
        self.banner.hide()
        (
            self._ctx.operation(
                self, lambda session: organisation.set_letterhead(session, actor, chosen)
            )
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(self._allowed))
            .run()
        )

    def _on_saved(self, letterhead: Letterhead) -> None:
        self.saved.emit(letterhead)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")


def edit_letterhead(ctx: AppContext, parent: QWidget) -> None:
    """Reads the letterhead on a worker, then shows it for editing (saved on a worker too)."""

    def show(letterhead: Letterhead) -> None:
        dialog = LetterheadDialog(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.load(letterhead)
        dialog.open()

    ctx.operation(parent, organisation.letterhead, read_only=True).success(show).run()
