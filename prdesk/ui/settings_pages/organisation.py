"""The organisation's letterhead as a settings page: name, address, contact details and logo."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

from prdesk.domain.readmodels import Letterhead
from prdesk.domain.services import organisation
from prdesk.domain.services.organisation import LETTERHEAD_KEY
from prdesk.ui.context import AppContext
from prdesk.ui.letterhead_form import LetterheadForm
from prdesk.ui.settings_pages.administered import AdministeredPage


class OrganisationPage(AdministeredPage):
    """The letterhead's fields and a sample letter; only an administrator changes them."""

    title: ClassVar[str] = "Organisation"
    summary: ClassVar[str] = (
        "The name, address, contact details and logo printed at the top of every letter."
    )
    keys: ClassVar[tuple[str, ...]] = (LETTERHEAD_KEY,)
    read_only_note: ClassVar[str] = "Only an administrator changes the letterhead."

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.form = LetterheadForm(self.allowed, preview_width=300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.form, 1)
        self.form.edited.connect(self.edited)

    def load(self) -> None:
        self.read_stored(organisation.letterhead, self._show)

    def _show(self, letterhead: Letterhead) -> None:
        if letterhead == organisation.DEFAULT_LETTERHEAD and self.allowed:
            # The stand-in name printed until one is set is no answer to "what is it called".
            letterhead = replace(letterhead, organisation="")
        self.form.load(letterhead)

    def is_modified(self) -> bool:
        loaded = self.form.loaded
        return loaded is not None and self.form.letterhead() != loaded

    def save(self) -> None:
        if self.ctx is None or not self.allowed:
            self.saved.emit()
            return
        actor, chosen = self.ctx.actor, self.form.letterhead()
        self.store(
            lambda session: organisation.set_letterhead(session, actor, chosen), self.form.load
        )
