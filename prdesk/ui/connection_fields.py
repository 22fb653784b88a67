"""The fields of a shared database connection: server, login, password, encryption, and a test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from prdesk.domain.errors import DomainError, LoginRequired, ValidationError
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.operations import PlainOperation

DEFAULT_PORT = 5432
_NEW_SERVER = URL.create("postgresql+psycopg", host="", database="prdesk")


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


def field_of(error: DomainError) -> dict[str, str]:
    """The field a connection failure is about, with the message to show under it."""
    if isinstance(error, ValidationError):
        return dict(error.fields)
    text = error.message
    if isinstance(error, LoginRequired):
        return {"password": text}
    if "certificate" in text.lower() or "ssl" in text.lower():
        return {
            "ca_cert": "The server's certificate could not be verified with this CA certificate "
            "file, so PR Desk did not connect: ask IT for the right file, or check the "
            "server's name."
        }
    return {}


class ConnectionFields(QWidget):
    """The connection to a shared database as a form, with "Test connection" on a worker.

    `check` replaces the connection test (tests); it runs on a worker thread.

    Signals:
        edited: the person changed a field.
    """

    edited = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        check: Callable[[Login], None] = check_login,
    ) -> None:
        super().__init__(parent)
        self._url = _NEW_SERVER
        self._check = check
        self.errors = FieldErrors()
        self.server = self._line("Database server")
        self.server.setPlaceholderText("The name IT gave you, e.g. db.hospital.org")
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
        self.browse = QPushButton("Bro&wse…")
        self.browse.setAccessibleName("Choose the CA certificate file")
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._choose_ca_cert)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("&Encryption settings")
        self.advanced_toggle.setAccessibleName("Show the encryption settings")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.toggled.connect(self.show_advanced)
        self.advanced = QWidget()
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_button.setAutoDefault(False)
        self.test_result = QLabel()
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setWordWrap(True)
        self._lay_out()
        self.test_button.clicked.connect(self.test_connection)
        for line in (self.server, self.database, self.user, self.password, self.ca_cert):
            line.textEdited.connect(self.edited)
        self.port.valueChanged.connect(self.edited)
        self.sslmode.activated.connect(self.edited)
        self.remember.toggled.connect(self.edited)
        self.load(self._url)

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        return line

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
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
        ca_row.addWidget(self.ca_cert, 1)
        ca_row.addWidget(self.browse)
        # Under the whole row, not squeezed beside the button: the reason can be long.
        ca_error = QLabel()
        ca_error.setProperty("role", "field-error")
        ca_error.setWordWrap(True)
        ca_error.hide()
        self.errors.register("ca_cert", self.ca_cert, ca_error)
        advanced = QFormLayout(self.advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(
            "Hospitals usually choose verify-full with the hospital's CA certificate file, "
            "which IT provides: the connection is then encrypted and goes to the real server."
        )
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        advanced.addRow(hint)
        mode_label = QLabel("Encr&yption")
        mode_label.setBuddy(self.sslmode)
        advanced.addRow(mode_label, self.errors.wrap("sslmode", self.sslmode))
        cert_label = QLabel("&CA certificate")
        cert_label.setBuddy(self.ca_cert)
        advanced.addRow(cert_label, ca_row)
        advanced.addRow("", ca_error)
        self.advanced.hide()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        layout.addLayout(test_row)
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
        ):
            QWidget.setTabOrder(first, second)

    @property
    def last_field(self) -> QWidget:
        """Where the tab order leaves this form (for the buttons that follow it)."""
        return self.test_button

    def load(self, url: URL, password: str = "") -> None:
        self._url = url
        self.server.setText(url.host or "")
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.password.setText(password)
        tls = config.tls_settings(url)
        index = self.sslmode.findData(tls.sslmode) if tls.sslmode else 0
        self.sslmode.setCurrentIndex(max(index, 0))
        self.ca_cert.setText(str(tls.ca_cert) if tls.ca_cert else "")
        self.show_advanced(bool(tls.sslmode or tls.ca_cert))

    def focus_first_empty(self) -> None:
        """The user name is usually known; the password is what is asked for."""
        for field in (self.server, self.user, self.password):
            if not field.text():
                field.setFocus()
                return
        self.password.setFocus()

    def login(self) -> Login:
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

    def valid_login(self) -> Login | None:
        """The login typed, or None with what is wrong shown under its field."""
        try:
            login = self.login()
        except ValidationError as error:
            self.show_error(error)
            return None
        self.errors.clear()
        return login

    def show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.advanced_toggle.setChecked(shown)

    def show_error(self, error: DomainError) -> bool:
        """Marks the field the error is about; False when no field here can show it."""
        fields = field_of(error)
        if fields.keys() & {"sslmode", "ca_cert"}:
            self.show_advanced(True)
        unplaced = self.errors.show(fields)
        invalid = self.errors.first_invalid()
        if invalid is not None:
            invalid.setFocus()
        return bool(fields) and not unplaced

    def test_connection(self) -> None:
        login = self.valid_login()
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

    def _choose_ca_cert(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "The CA certificate",
            self.ca_cert.text(),
            "Certificates (*.pem *.crt *.cer);;All files (*)",
        )
        if chosen:
            self.ca_cert.setText(chosen)
            self.edited.emit()
