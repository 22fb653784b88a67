"""Signing in to a shared database: server, login, password, and how the connection is encrypted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.operations import PlainOperation
from prdesk.ui.style import STYLESHEET

_DEFAULT_PORT = 5432


@dataclass(frozen=True)
class Login:
    """What the person typed: where to connect (never with the password in it) and how.

    Attributes:
        url: the database URL without a password, TLS settings as its parameters.
        password: the password typed; empty when the server needs none (single sign-on).
        remember: keep the password in the system's credential store.
    """

    url: URL
    password: str
    remember: bool


def check_login(login: Login) -> None:
    """Connects once and lets go; raises the DomainError that says why it failed."""
    db = Database(login.url, password=login.password or None)
    try:
        db.check_connection()
    finally:
        db.dispose()


def keep_password(login: Login) -> None:
    """After a successful sign-in: remember the password, or forget an old one."""
    if login.remember and login.password:
        config.save_password(login.url, login.password)
    else:
        config.forget_password(login.url)


def remember_login(login: Login, *, profile: bool = False) -> None:
    """After a successful sign-in: the password kept or forgotten as asked, and with
    `profile` the connection (server, login, TLS) saved for the next start."""
    keep_password(login)
    if profile:
        config.save_profile(login.url)


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
        self._url = url
        self._check = check
        self._accepted: Login | None = None
        self.setWindowTitle("Sign in — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
        self.errors = FieldErrors()
        self.server = self._line("Database server")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setAccessibleName("Port")
        self.database = self._line("Database name")
        self.user = self._line("User name")
        self.password = self._line("Password")
        # Masked, and never offered to other programs through the clipboard.
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Re&member my password on this computer")
        self.remember.setAccessibleName("Remember my password on this computer")
        self.remember.setToolTip("Kept in the system's credential store, never in a file")
        self.sslmode = QComboBox()
        self.sslmode.setAccessibleName("Encryption (TLS mode)")
        self.sslmode.addItem("Default (prefer)", None)
        for mode in config.SSL_MODES:
            self.sslmode.addItem(mode, mode)
        self.ca_cert = self._line("CA certificate file")
        self.ca_cert.setPlaceholderText("Needed for verify-ca and verify-full")
        self.browse = QPushButton("&Browse…")
        self.browse.setAccessibleName("Choose the CA certificate file")
        self.browse.clicked.connect(self._choose_ca_cert)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("&Advanced")
        self.advanced_toggle.setAccessibleName("Show the encryption settings")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.toggled.connect(self.show_advanced)
        self.advanced = QWidget()
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_result = QLabel()
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setWordWrap(True)
        self.sign_in = QPushButton("&Sign in")
        self.sign_in.setDefault(True)
        self.quit_button = QPushButton("&Quit")
        self._lay_out()
        self.test_button.clicked.connect(self.test_connection)
        self.sign_in.clicked.connect(self._on_sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.load(url)
        if message:
            self.banner.show_message(message, kind="error")

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        return line

    def _lay_out(self) -> None:
        form = QFormLayout()
        for text, key, field in (
            ("Se&rver", "server", self.server),
            ("P&ort", "port", self.port),
            ("&Database", "database", self.database),
            ("&User name", "user", self.user),
            ("&Password", "password", self.password),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, self.errors.wrap(key, field))
        form.addRow("", self.remember)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.errors.wrap("ca_cert", self.ca_cert), 1)
        ca_row.addWidget(self.browse, 0, Qt.AlignmentFlag.AlignTop)
        advanced = QFormLayout(self.advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        mode_label = QLabel("&Encryption")
        mode_label.setBuddy(self.sslmode)
        advanced.addRow(mode_label, self.errors.wrap("sslmode", self.sslmode))
        cert_label = QLabel("&CA certificate")
        cert_label.setBuddy(self.ca_cert)
        advanced.addRow(cert_label, ca_row)
        self.advanced.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        layout.addWidget(self.test_result)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for first, second in (
            (self.server, self.port),
            (self.port, self.database),
            (self.database, self.user),
            (self.user, self.password),
            (self.password, self.remember),
            (self.remember, self.advanced_toggle),
            (self.advanced_toggle, self.sslmode),
            (self.sslmode, self.ca_cert),
            (self.ca_cert, self.browse),
            (self.browse, self.test_button),
            (self.test_button, self.sign_in),
            (self.sign_in, self.quit_button),
        ):
            QWidget.setTabOrder(first, second)
        self.setMinimumWidth(460)

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
        self.server.setText(url.host or "localhost")
        self.port.setValue(url.port or _DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.password.setText(password)
        tls = config.tls_settings(url)
        index = self.sslmode.findData(tls.sslmode) if tls.sslmode else 0
        self.sslmode.setCurrentIndex(max(index, 0))
        self.ca_cert.setText(str(tls.ca_cert) if tls.ca_cert else "")
        if tls.sslmode or tls.ca_cert:
            self.advanced_toggle.setChecked(True)
        # The user name is usually known; the password is what is asked for.
        (self.password if self.user.text() else self.user).setFocus()

    def save(self) -> Login:
        """The login typed; ValidationError naming the fields that need attention."""
        errors: dict[str, str] = {}
        for key, field, what in (
            ("server", self.server, "the database server"),
            ("database", self.database, "the database name"),
            ("user", self.user, "your user name"),
        ):
            if not field.text().strip():
                errors[key] = f"Give {what}."
        if errors:
            raise ValidationError.from_fields(errors)
        url = self._url.set(
            drivername="postgresql+psycopg",
            host=self.server.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            username=self.user.text().strip(),
        )._replace(password=None)
        ca_cert = self.ca_cert.text().strip()
        tls = config.TlsSettings(
            sslmode=self.sslmode.currentData(), ca_cert=Path(ca_cert) if ca_cert else None
        )
        url = config.with_tls(url, tls)
        return Login(url, self.password.text(), self.remember.isChecked())

    @property
    def accepted_login(self) -> Login | None:
        """The login signed in with, once Sign in has been pressed with valid fields."""
        return self._accepted

    def show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.advanced_toggle.setChecked(shown)

    def test_connection(self) -> None:
        login = self._valid_login()
        if login is None:
            return
        self.test_button.setEnabled(False)
        self.test_result.setText("Connecting…")
        check = self._check
        (
            PlainOperation(self, lambda: check(login))
            .success(lambda _none: self.test_result.setText("Connected: the login works."))
            .failure(lambda error: self.test_result.setText(f"Not connected: {error.message}"))
            .done(lambda: self.test_button.setEnabled(True))
            .run()
        )

    def _on_sign_in(self) -> None:
        login = self._valid_login()
        if login is not None:
            self._accepted = login
            self.accept()

    def _valid_login(self) -> Login | None:
        try:
            login = self.save()
        except DomainError as error:
            self._show_error(error)
            return None
        self.errors.clear()
        return login

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        if fields.keys() & {"sslmode", "ca_cert"}:
            self.show_advanced(True)
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
        invalid = self.errors.first_invalid()
        if invalid is not None:
            invalid.setFocus()

    def _choose_ca_cert(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "The CA certificate",
            self.ca_cert.text(),
            "Certificates (*.pem *.crt *.cer);;All files (*)",
        )
        if chosen:
            self.ca_cert.setText(chosen)
