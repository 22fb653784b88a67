"""The common part of the organisation's pages that everyone reads and only an administrator changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.settings_page import Scope, SettingsPage

T = TypeVar("T")


class AdministeredPage(SettingsPage):
    """Reads what is stored in the background, and writes it back through an operation.

    A subclass puts `banner` at the top of its layout, calls `read_stored` from `load()`
    and `store` from `save()`.

    Attributes:
        allowed: whether the person signed in may change these settings.
        banner: why the page is read-only, or why saving failed.
        read_only_note: the banner's text for those who may only read the page.
    """

    scope: ClassVar[Scope] = Scope.ORGANISATION
    read_only_note: ClassVar[str] = ""

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.allowed = ctx is not None and ctx.may(Action.MANAGE_ORGANISATION)
        self.banner = InfoBar()
        if ctx is not None and not self.allowed:
            self.banner.show_message(self.read_only_note, kind="info")

    @classmethod
    def applies_to(cls, ctx: AppContext | None) -> bool:
        # Everyone signed in may read the organisation's settings (README: who may do what).
        return ctx is not None

    def read_stored(self, read: Callable[[Session], T], show: Callable[[T], None]) -> None:
        """Reads on a worker, then shows what was read; a failure shows in the banner."""
        if self.ctx is None:
            return
        (
            self.ctx.operation(self, read, read_only=True)
            .success(show)
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    def store(self, write: Callable[[Session], T], on_saved: Callable[[T], None]) -> None:
        """Writes on a worker; `on_saved` gets what was stored, and then `saved` is emitted."""
        if self.ctx is None:
            return
        self.banner.hide()

        def saved(stored: T) -> None:
            on_saved(stored)
            self.saved.emit()

        self.ctx.operation(self, write).success(saved).failure(self._on_failed).run()

    def _on_failed(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")
        self.failed.emit(error.message)
