"""One group of settings, edited the same way in the first-run assistant and in Settings."""

from __future__ import annotations

import enum
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from prdesk.ui.context import AppContext


class Scope(enum.Enum):
    """Where a setting is kept, and so whom a change reaches."""

    WORKSTATION = "This computer"
    ORGANISATION = "Everyone in the organisation"
    PERSONAL = "You"


class SettingsPage(QWidget):
    """A page declares what it edits in class attributes and implements load() and save().

    The Settings dialog lists the pages of the catalogue (prdesk.ui.settings_pages) that
    apply to the person signed in; the first-run assistant shows some of the same pages,
    so a setting is edited by one piece of code wherever it is changed.

    Attributes:
        title: the page's name in the Settings list and the assistant's heading.
        summary: one sentence under the title saying what these settings change.
        scope: where the settings are kept.
        keys: the names the settings are stored under (database setting keys or
            workstation preference names), so the catalogue says where each is edited.

    Signals:
        edited: the person changed something not yet saved.
        saved: everything on the page is stored.
        failed: saving failed; the message is fit to show (the page shows it too).
    """

    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    scope: ClassVar[Scope] = Scope.WORKSTATION
    keys: ClassVar[tuple[str, ...]] = ()

    edited = Signal()
    saved = Signal()
    failed = Signal(str)

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        """`ctx` is None only before any database is open (the assistant's first pages)."""
        super().__init__(parent)
        self.ctx = ctx

    @classmethod
    def applies_to(cls, ctx: AppContext | None) -> bool:
        """Whether this person sees the page; pages they may only read say so instead."""
        return True

    def load(self) -> None:
        """Fills the fields with what is stored (a database read runs in the background)."""
        raise NotImplementedError

    def save(self) -> None:
        """Checks the fields, shows what is wrong, and stores them in the background.

        Emits `saved` once stored, or `failed` with the reason; nothing is half-saved.
        """
        raise NotImplementedError

    def is_modified(self) -> bool:
        """Whether there is something typed that `save()` would store."""
        raise NotImplementedError
