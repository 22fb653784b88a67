"""A settings page shown as a step of the assistant: it saves on Next, and moves on once saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizardPage

from prdesk.ui.context import AppContext
from prdesk.ui.settings_page import SettingsPage


class SettingsStep(QWizardPage):
    """Wraps one SettingsPage, made once the database is ready (it needs the AppContext).

    Next saves the page in the background and stays until it is saved; an error shows
    on the page itself. Nothing changed since the last save: Next just goes on.
    """

    def __init__(
        self,
        page_class: type[SettingsPage],
        context: Callable[[], AppContext | None],
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.page_class = page_class
        self._context = context
        self.page: SettingsPage | None = None
        self._saved = False
        self._busy = False
        self.setTitle(page_class.title)
        self.setSubTitle(f"{page_class.summary} {note}".strip())
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def initializePage(self) -> None:
        if self.page is not None:
            return
        page = self.page_class(self._context(), self)
        self.page = page
        self._layout.addWidget(page)
        page.edited.connect(self._on_edited)
        page.saved.connect(self._on_saved)
        page.failed.connect(self._on_failed)
        page.load()

    @property
    def saved(self) -> bool:
        """Whether what the page shows is stored."""
        return self._saved

    def validatePage(self) -> bool:
        if self.page is None or (self._saved and not self.page.is_modified()):
            return True
        if not self._busy:
            self._busy = True
            self.page.save()
        return False

    def _on_edited(self) -> None:
        self._saved = False

    def _on_saved(self) -> None:
        self._busy = False
        self._saved = True
        # A page with nothing to store answers at once, inside validatePage: go on after it.
        QTimer.singleShot(0, self, self._go_on)

    def _go_on(self) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _on_failed(self, _message: str) -> None:
        self._busy = False
