"""Signing in to a shared database: server, login, password, and how the connection is encrypted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.engine import URL

from prdesk.domain.errors import DomainError
from prdesk.ui.connection_fields import ConnectionFields, Login, check_login
from prdesk.ui.connection_fields import keep_password as keep_password
from prdesk.ui.connection_fields import remember_login as remember_login
from prdesk.ui.info_bar import InfoBar

__all__ = ["Login", "LoginDialog", "check_login", "keep_password", "remember_login"]


class LoginDialog(QDialog):
    """Asks for the login to a shared database, with a connection test off the GUI thread.

    `check` replaces the connection test (tests); it runs on a worker thread.
    """

    def __init__(
        self,
        url: URL,
        message: str = "",
        parent: QWidget | None = None,
        *,
        check: Callable[[Login], None] = check_login,
    ) -> None:
        super().__init__(parent)
        self._accepted: Login | None = None
        self.setWindowTitle("Sign in — PR Desk")
        self.banner = InfoBar()
        self.fields = ConnectionFields(check=check)
        # The form's parts by name, as the sign-in screen has always offered them.
        fields = self.fields
        self.errors = fields.errors
        self.server, self.port, self.database = fields.server, fields.port, fields.database
        self.user, self.password, self.remember = fields.user, fields.password, fields.remember
        self.sslmode, self.ca_cert, self.browse = fields.sslmode, fields.ca_cert, fields.browse
        self.advanced, self.advanced_toggle = fields.advanced, fields.advanced_toggle
        self.test_button, self.test_result = fields.test_button, fields.test_result
        self.sign_in = QPushButton("&Sign in")
        self.sign_in.setDefault(True)
        self.quit_button = QPushButton("&Quit")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(fields.last_field, self.sign_in)
        QWidget.setTabOrder(self.sign_in, self.quit_button)
        self.setMinimumWidth(460)
        self.sign_in.clicked.connect(self._on_sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.load(url)
        if message:
            self.banner.show_message(message, kind="error")

    @classmethod
    def ask(
        cls,
        url: URL,
        message: str = "",
        parent: QWidget | None = None,
        *,
        remember: bool = False,
    ) -> Login | None:
        """Waits for Sign in (the login) or Quit (None)."""
        dialog = cls(url, message, parent)
        dialog.remember.setChecked(remember)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.accepted_login

    def load(self, url: URL, password: str = "") -> None:
        self.fields.load(url if url.host else url.set(host="localhost"), password)
        self.fields.focus_first_empty()

    def save(self) -> Login:
        """The login typed; ValidationError naming the fields that need attention."""
        return self.fields.login()

    @property
    def accepted_login(self) -> Login | None:
        """The login signed in with, once Sign in has been pressed with valid fields."""
        return self._accepted

    def show_advanced(self, shown: bool) -> None:
        self.fields.show_advanced(shown)

    def test_connection(self) -> None:
        self.fields.test_connection()

    def _on_sign_in(self) -> None:
        login = self.fields.valid_login()
        if login is not None:
            self._accepted = login
            self.accept()

    def _show_error(self, error: DomainError) -> None:
        if not self.fields.show_error(error):
            self.banner.show_message(error.message, kind="error")
