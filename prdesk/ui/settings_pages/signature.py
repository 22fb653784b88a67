"""Your own signature as a settings page: the scanned picture printed above your name on letters."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.services import signatures
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.settings_page import Scope, SettingsPage
from prdesk.ui.signature_dialog import SignaturePicture


class SignaturePage(SettingsPage):
    """The signed-in person's signature, with their name and job title as letters print them
    under it. Leaving it empty is fine: letters then leave room to sign by hand."""

    title: ClassVar[str] = "Your signature"
    summary: ClassVar[str] = (
        "The scanned signature printed above your name on the letters you sign. You can "
        "leave it out and sign printed letters by hand."
    )
    scope: ClassVar[Scope] = Scope.PERSONAL
    keys: ClassVar[tuple[str, ...]] = ("signature",)

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stored: bytes | None = None
        self._loaded = False
        self.banner = InfoBar()
        self.signature = SignaturePicture()
        self.printed_name = QLabel()
        self.printed_name.setTextFormat(Qt.TextFormat.PlainText)
        self.printed_name.setAccessibleName("Printed under the signature")
        under = QLabel("Printed under it:")
        under.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.signature)
        layout.addWidget(under)
        layout.addWidget(self.printed_name)
        layout.addStretch(1)
        if ctx is not None:
            actor = ctx.actor
            lines = [actor.display_name] + ([actor.job_title] if actor.job_title else [])
            self.printed_name.setText("\n".join(lines))
        self.signature.edited.connect(self.edited)

    @classmethod
    def applies_to(cls, ctx: AppContext | None) -> bool:
        return ctx is not None and ctx.may(Action.DRAFT_LETTER)

    def load(self) -> None:
        if self.ctx is None:
            return
        user_id = self.ctx.actor.id
        (
            self.ctx.operation(
                self,
                lambda session: signatures.signature_image(session, user_id),
                read_only=True,
            )
            .success(self._show)
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    def _show(self, image: bytes | None) -> None:
        self._stored, self._loaded = image, True
        self.signature.set_image(image)

    def is_modified(self) -> bool:
        return self._loaded and self.signature.image() != self._stored

    def save(self) -> None:
        if self.ctx is None or not self.is_modified():
            self.saved.emit()
            return
        actor, image = self.ctx.actor, self.signature.image()
        self.banner.hide()
        (
            self.ctx.operation(
                self, lambda session: signatures.set_signature(session, actor, actor.id, image)
            )
            .success(lambda _none: self._on_saved(image))
            .failure(self._on_failed)
            .run()
        )

    def _on_saved(self, image: bytes | None) -> None:
        self._stored = image
        self.saved.emit()

    def _on_failed(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")
        self.failed.emit(error.message)
