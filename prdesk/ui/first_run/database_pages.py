"""The assistant's first steps: where the cases are kept, and the shared database's connection."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizardPage

from prdesk.ui.connection_fields import Login
from prdesk.ui.settings_pages.database import DatabasePage, WhereChoice


class WherePage(QWizardPage):
    """Only on this computer, or on the department's shared database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Where the cases are kept")
        self.setSubTitle(
            "PR Desk keeps the department's cases in a database. Choose where; "
            "you can change it later in Settings."
        )
        self.where = WhereChoice()
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addStretch(1)

    def shared(self) -> bool:
        return self.where.is_shared()


class ConnectionPage(QWizardPage):
    """The shared database's connection; Next connects with it first (on a worker) and goes
    on only once it works. Nothing is kept yet: the preparing step keeps the connection
    once the database is ready.

    Signals:
        connected: the Login that worked.
    """

    connected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Database connection")
        self.setSubTitle(
            "Type what IT gave you. PR Desk connects before going on, so you know it works."
        )
        self.database = DatabasePage(
            None, choose_where=False, offer_restart=False, keep_connection=False
        )
        self.fields = self.database.fields
        self._login: Login | None = None
        self._busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.database)
        self.database.connected.connect(self._on_connected)
        self.database.failed.connect(self._on_failed)
        self.database.edited.connect(self._forget_login)

    @property
    def login(self) -> Login | None:
        """The login that connected; None until then."""
        return self._login

    def initializePage(self) -> None:
        if self._login is None:
            self.database.load()
            self.fields.show_advanced(True)
            self.fields.focus_first_empty()

    def validatePage(self) -> bool:
        if self._login is not None:
            return True
        if not self._busy:
            self._busy = True
            self.database.save()
        return False

    def _forget_login(self) -> None:
        self._login = None

    def _on_connected(self, login: Login) -> None:
        self._busy = False
        self._login = login
        self.connected.emit(login)
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _on_failed(self, _message: str) -> None:
        self._busy = False
